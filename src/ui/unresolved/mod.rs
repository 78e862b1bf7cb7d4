//! Unresolved Activities, rendered from [`crate::pages::unresolved::Unresolved`]: a section
//! per list, an item's buttons, and the tray under an item ([`tray`]) with the record
//! search or the discard question. Focus follows the user: into a tray when it opens, back
//! to its button when it closes, to the list's heading when an item leaves it.

mod tray;

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

use super::page::{fill, focus, listen, read, set_hidden, Frame, OnPageAction};
use super::Translate;
use crate::message::Request;
use crate::pages::unresolved::{ItemAction, Listed, Redraw, Unresolved, SECTIONS};
use crate::pages::Page;
use crate::writeback::ItemState;
use tray::TrayDom;

pub struct UnresolvedPage(Rc<Inner>);

struct SectionDom {
    state: ItemState,
    heading: Element,
    empty: Element,
    list: Element,
    /// The items' buttons.
    listeners: RefCell<Vec<EventListener>>,
    /// Each item's tray element, by item id.
    trays: RefCell<Vec<(String, Element)>>,
}

struct Inner {
    frame: Frame,
    model: RefCell<Unresolved>,
    status: Element,
    sections: Vec<SectionDom>,
    tray: RefCell<Option<TrayDom>>,
    listeners: RefCell<Vec<EventListener>>,
}

impl UnresolvedPage {
    pub fn new(
        root: Element,
        translate: Box<Translate>,
        language: String,
        on_action: OnPageAction,
    ) -> Result<UnresolvedPage, JsValue> {
        let frame = Frame::new(Page::Unresolved, &root, translate, language, on_action)?;
        let f = &frame;
        let status = f.el("p").id("status").status().done();
        root.append_child(&status)?;
        let mut sections = Vec::new();
        let mut exports = Vec::new();
        for s in &SECTIONS {
            let heading_id = format!("{}-heading", s.name);
            let heading = f
                .say("h2", &s.heading)
                .id(&heading_id)
                .attr("tabindex", "-1")
                .done();
            let export = f.button(&s.export).id(&format!("export-{}", s.name)).done();
            let head = f
                .el("div")
                .class("section-head")
                .children([&heading, &export])
                .done();
            let empty = f
                .say("p", &s.empty)
                .id(&format!("{}-empty", s.name))
                .class("empty")
                .hidden(true)
                .done();
            let list = f
                .el("ul")
                .id(&format!("{}-list", s.name))
                .class("items")
                .done();
            let section = f
                .el("section")
                .attr("aria-labelledby", &heading_id)
                .child(&head)
                .child(&f.say("p", &s.help).done())
                .children([&empty, &list])
                .done();
            root.append_child(&section)?;
            exports.push((s.state, export));
            sections.push(SectionDom {
                state: s.state,
                heading,
                empty,
                list,
                listeners: RefCell::new(Vec::new()),
                trays: RefCell::new(Vec::new()),
            });
        }
        let inner = Rc::new(Inner {
            frame,
            model: RefCell::new(Unresolved::default()),
            status,
            sections,
            tray: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
        });
        let listeners = exports
            .iter()
            .map(|(state, button)| {
                let state = *state;
                listen(&inner, button, "click", move |page, _| {
                    let actions = page.model.borrow().export(state);
                    page.frame.emit(actions);
                })
            })
            .collect();
        *inner.listeners.borrow_mut() = listeners;
        Ok(UnresolvedPage(inner))
    }

    pub fn start(&self) {
        let actions = self.0.model.borrow_mut().start();
        self.0.frame.emit(actions);
    }

    /// An event of the background: items changed there.
    pub fn heard(&self, event: JsValue) {
        if super::page::concerns(crate::pages::Page::Unresolved, event) {
            self.changed();
        }
    }

    /// The items changed in the background, or the page got focus.
    pub fn changed(&self) {
        let actions = self.0.model.borrow_mut().changed();
        self.0.frame.emit(actions);
    }

    /// The background's answer to the message sent with `ticket`.
    pub fn answer(&self, ticket: u32, answer: JsValue) {
        if let Some(request) = self.0.frame.answered(ticket) {
            Inner::answer(&self.0, &request, answer)
        }
    }
}

impl Inner {
    fn answer(page: &Rc<Inner>, request: &Request, answer: JsValue) {
        let mut actions = Vec::new();
        match request {
            Request::ListItems { state } => {
                let redraw = page.model.borrow_mut().listed(*state, read(answer));
                if redraw != Redraw::Not {
                    page.render_list(*state);
                }
                if let (Redraw::ListAndFocus, Some(section)) = (redraw, page.section(*state)) {
                    focus(&section.heading);
                }
            }
            Request::SearchRecords { query } => {
                page.model.borrow_mut().found(query, read(answer));
                tray::render_results(page);
            }
            Request::ResolveItem { .. }
            | Request::DiscardItem { .. }
            | Request::RetryItem { .. } => {
                actions = page.model.borrow_mut().item_answer(request, read(answer));
            }
            Request::ExportItems { state } => {
                let today = page.frame.today();
                actions = page
                    .model
                    .borrow_mut()
                    .exported(*state, &today, read(answer));
            }
            _ => {}
        }
        page.render_status();
        tray::sync(page);
        page.frame.emit(actions);
    }

    fn section(&self, state: ItemState) -> Option<&SectionDom> {
        self.sections.iter().find(|s| s.state == state)
    }

    fn render_status(&self) {
        let model = self.model.borrow();
        self.frame.show(&self.status, model.status());
    }

    fn render_list(self: &Rc<Inner>, state: ItemState) {
        let Some(section) = self.section(state) else {
            return;
        };
        let items = self.model.borrow().items(state).unwrap_or_default();
        let mut listeners = Vec::new();
        let mut trays = Vec::new();
        let elements: Vec<Element> = items
            .iter()
            .map(|item| {
                let (element, tray) = self.item(item, &mut listeners);
                trays.push((item.id.clone(), tray));
                element
            })
            .collect();
        fill(&section.list, &elements);
        set_hidden(&section.empty, !items.is_empty());
        *section.listeners.borrow_mut() = listeners;
        *section.trays.borrow_mut() = trays;
    }

    /// An item and its (empty) tray.
    fn item(
        self: &Rc<Inner>,
        item: &Listed,
        listeners: &mut Vec<EventListener>,
    ) -> (Element, Element) {
        let f = &self.frame;
        let subject_id = format!("subject-{}", item.id);
        let head = f
            .el("p")
            .class("item-head")
            .child(&f.say("span", &item.kind).class("kind").done())
            .and_text(" ")
            .child(&f.say("strong", &item.title).id(&subject_id).done())
            .done();
        let meta = f
            .el("p")
            .class("meta")
            .and_text(&f.t(&item.about))
            .and_text(" · ")
            .child(&f.time(Some(&item.occurred_at)))
            .done();
        let tray = f.el("div").class("tray").done();
        let buttons: Vec<Element> = item
            .actions
            .iter()
            .map(|&action| {
                let button = f
                    .button(&action.label())
                    .attr("aria-describedby", &subject_id)
                    .done();
                let id = item.id.clone();
                listeners.push(listen(self, &button, "click", move |page, e| {
                    let opener = e.current_target().and_then(|t| t.dyn_into().ok());
                    page.act(&id, action, opener);
                }));
                button
            })
            .collect();
        let mut element = f.el("li").class("item").children([&head, &meta]);
        if let Some(said) = &item.crm_said {
            element = element.child(&f.say("p", said).class("crm-error").done());
        }
        if let Some(why) = &item.why {
            element = element.child(&f.say("p", why).class("why").done());
        }
        let actions = f.el("div").class("actions").children(&buttons).done();
        (element.children([&actions, &tray]).done(), tray)
    }

    fn act(self: &Rc<Inner>, id: &str, action: ItemAction, opener: Option<Element>) {
        let actions = self.model.borrow_mut().act(id, action);
        let opened = self
            .model
            .borrow()
            .tray()
            .is_some_and(|t| t.item_id() == id);
        if let (true, Some(opener)) = (opened, opener) {
            tray::open(self, id, opener);
        }
        self.frame.emit(actions);
    }
}
