//! The tray under an item: the record search to resolve it, or the question before it is
//! discarded. Escape or Cancel closes it and gives focus back to the button that opened it.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, KeyboardEvent};

use super::Inner;
use crate::msg;
use crate::pages::unresolved::Tray;
use crate::ui::page::{fill, focus, listen, Timeout};

/// How long typing pauses before the search is sent.
const TYPING_MS: u32 = 150;

pub struct TrayDom {
    element: Element,
    opener: Element,
    input: Option<HtmlInputElement>,
    count: Option<Element>,
    results: Option<Element>,
    listeners: Vec<EventListener>,
    choice_listeners: RefCell<Vec<EventListener>>,
    typing: RefCell<Option<Timeout>>,
}

/// Shows the tray the model opened for item `id`, under that item.
pub fn open(page: &Rc<Inner>, id: &str, opener: Element) {
    take(page);
    let model = page.model.borrow();
    let Some(tray) = model.tray() else {
        return;
    };
    let Some(element) = page.sections.iter().find_map(|s| {
        let trays = s.trays.borrow();
        trays.iter().find(|(i, _)| i == id).map(|(_, e)| e.clone())
    }) else {
        return;
    };
    let f = &page.frame;
    let cancel = f.button(&msg!("unresolvedCancel")).done();
    let mut listeners = vec![
        listen(page, &cancel, "click", |page, _| close(page)),
        listen(page, &element, "keydown", |page, e| {
            if e.dyn_ref::<KeyboardEvent>()
                .is_some_and(|k| k.key() == "Escape")
            {
                close(page);
            }
        }),
    ];
    let mut dom = TrayDom {
        element: element.clone(),
        opener,
        input: None,
        count: None,
        results: None,
        listeners: Vec::new(),
        choice_listeners: RefCell::new(Vec::new()),
        typing: RefCell::new(None),
    };
    let first = match tray {
        Tray::Resolve { .. } => {
            let input = f
                .el("input")
                .attr("type", "search")
                .attr("autocomplete", "off")
                .class("record-query")
                .done();
            let label = f
                .el("label")
                .child(&f.say("span", &msg!("resolveSearchLabel")).done())
                .child(&input)
                .done();
            let count = f.el("p").class("result-count").status().done();
            let results = f.el("ul").class("results").done();
            fill(&element, &[label, count.clone(), results.clone(), cancel]);
            listeners.push(listen(page, &input, "input", typed));
            dom.input = Some(input.clone().unchecked_into());
            dom.count = Some(count);
            dom.results = Some(results);
            input
        }
        Tray::Discard { question, .. } => {
            let question_id = format!("discard-question-{id}");
            let yes = f.button(&msg!("discardConfirm")).class("danger").done();
            let group = f
                .el("div")
                .attr("role", "group")
                .attr("aria-labelledby", &question_id)
                .class("confirm")
                .child(&f.say("p", question).id(&question_id).done())
                .child(&yes)
                .done();
            fill(&element, &[group, cancel]);
            listeners.push(listen(page, &yes, "click", |page, _| {
                let actions = page.model.borrow_mut().confirm();
                page.frame.emit(actions);
            }));
            yes
        }
    };
    dom.listeners = listeners;
    drop(model);
    *page.tray.borrow_mut() = Some(dom);
    focus(&first);
}

/// Takes the tray off the page.
fn take(page: &Inner) -> Option<TrayDom> {
    let dom = page.tray.borrow_mut().take()?;
    fill(&dom.element, &[]);
    Some(dom)
}

/// Cancel or Escape.
fn close(page: &Rc<Inner>) {
    let actions = page.model.borrow_mut().close();
    if let Some(dom) = take(page) {
        focus(&dom.opener);
    }
    page.frame.emit(actions);
}

/// Takes the tray off the page once the model closed it (an action on the item worked).
pub fn sync(page: &Inner) {
    if page.model.borrow().tray().is_none() {
        take(page);
    }
}

/// The search box changed: search once typing pauses.
fn typed(page: &Rc<Inner>, _: &web_sys::Event) {
    let tray = page.tray.borrow();
    let Some(dom) = tray.as_ref() else {
        return;
    };
    let weak = Rc::downgrade(page);
    *dom.typing.borrow_mut() = Timeout::new(TYPING_MS, move || {
        let Some(page) = weak.upgrade() else {
            return;
        };
        let query = page
            .tray
            .borrow()
            .as_ref()
            .and_then(|d| d.input.as_ref().map(|i| i.value()));
        let actions = page.model.borrow_mut().search(&query.unwrap_or_default());
        render_results(&page);
        page.frame.emit(actions);
    });
}

/// The records found for the query in the box, each a button that resolves the item.
pub fn render_results(page: &Rc<Inner>) {
    let tray = page.tray.borrow();
    let Some(TrayDom {
        count: Some(count),
        results: Some(results),
        choice_listeners,
        ..
    }) = tray.as_ref()
    else {
        return;
    };
    let model = page.model.borrow();
    let f = &page.frame;
    f.show(count, model.found_count().as_ref());
    let found = match model.tray() {
        Some(Tray::Resolve {
            found: Some(found), ..
        }) => found.as_slice(),
        _ => &[],
    };
    let mut listeners = Vec::new();
    let choices: Vec<Element> = found
        .iter()
        .enumerate()
        .map(|(index, record)| {
            let choice = f
                .el("button")
                .attr("type", "button")
                .class("record-choice")
                .child(&f.el("span").class("record-name").text(&record.name).done())
                .and_text(" ")
                .child(
                    &f.say("span", &record.details())
                        .class("record-details")
                        .done(),
                )
                .done();
            listeners.push(listen(page, &choice, "click", move |page, _| {
                let actions = page.model.borrow_mut().choose(index);
                page.frame.emit(actions);
            }));
            f.el("li").child(&choice).done()
        })
        .collect();
    fill(results, &choices);
    *choice_listeners.borrow_mut() = listeners;
}
