//! The Copy to CRM section of the options page, rendered from
//! [`crate::pages::options::write_back::WriteBack`].

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlSelectElement};

use super::{labelled, section, Inner};
use crate::msg;
use crate::pages::options::write_back::{Inline, Op, Report};
use crate::ui::page::{fill, listen, set_disabled, set_hidden, El, Frame};

pub struct WriteBackDom {
    select: Element,
    prepare: Element,
    test: Element,
    remove: Element,
    result: Element,
}

impl WriteBackDom {
    pub fn new(f: &Frame) -> WriteBackDom {
        WriteBackDom {
            select: f.el("select").id("writeback-org").done(),
            prepare: f.button(&msg!("prepareOrg")).id("prepare-org").done(),
            test: f
                .button(&msg!("testWriteBack"))
                .id("test-write-back")
                .done(),
            remove: f
                .button(&msg!("removeTestRecords"))
                .id("remove-test-records")
                .done(),
            result: f.el("div").id("writeback-result").status().done(),
        }
    }

    pub fn section(&self, f: &Frame) -> El {
        let buttons = f
            .el("p")
            .class("actions")
            .children([&self.prepare, &self.test, &self.remove])
            .done();
        section(
            f,
            "writeback",
            msg!("writeBackHeading"),
            Some(msg!("writeBackHelp")),
        )
        .child(&labelled(f, &msg!("writeBackOrg"), &self.select, ""))
        .children([&buttons, &self.result])
    }

    /// Shows the section's state; the org choices too when they are new.
    pub fn render(&self, page: &Inner, new_choices: bool) {
        let model = page.model.borrow();
        let wb = &model.write_back;
        let f = &page.frame;
        if new_choices {
            fill(&self.select, &f.options(&wb.choices()));
        }
        set_hidden(&self.prepare, !wb.prepare_offered());
        for button in [&self.prepare, &self.test, &self.remove] {
            set_disabled(button, !wb.enabled());
        }
        let Some(report) = wb.report() else {
            fill(&self.result, &[]);
            return;
        };
        fill(&self.result, &report_lines(f, report));
    }
}

/// A result: its line, and a line for each test activity.
pub(crate) fn report_lines(f: &Frame, report: &Report) -> Vec<Element> {
    let line = f.el("p").class_if(report.error, "error");
    let mut shown = vec![inline(f, line, &report.line).done()];
    if !report.activities.is_empty() {
        let items: Vec<Element> = report
            .activities
            .iter()
            .map(|a| inline(f, f.el("li").attr("data-kind", &a.kind), &a.parts).done())
            .collect();
        shown.push(f.el("ul").children(&items).done());
    }
    shown
}

/// `parent` holding the parts: text, `View in CRM` links (new tab), failures.
pub(crate) fn inline(f: &Frame, parent: El, parts: &[Inline]) -> El {
    parts.iter().fold(parent, |parent, part| match part {
        Inline::Text(text) => parent.and_text(&f.t(text)),
        Inline::Error(text) => parent.child(&f.say("span", text).class("error").done()),
        Inline::Link { text, url } => parent.child(
            &f.say("a", text)
                .attr("href", url)
                .attr("target", "_blank")
                .attr("rel", "noopener")
                .done(),
        ),
    })
}

pub fn listeners(page: &Rc<Inner>) -> Vec<EventListener> {
    let dom = &page.write_back;
    let mut listeners = vec![listen(page, &dom.select, "change", |page, _| {
        let select: &HtmlSelectElement = page.write_back.select.unchecked_ref();
        page.model.borrow_mut().write_back.select(&select.value());
        page.write_back.render(page, false);
    })];
    for (button, op) in [
        (&dom.prepare, Op::Prepare),
        (&dom.test, Op::Test),
        (&dom.remove, Op::Remove),
    ] {
        listeners.push(listen(page, button, "click", move |page, _| {
            let actions = page.model.borrow_mut().write_back.run(op);
            page.write_back.render(page, false);
            page.frame.emit(actions);
        }));
    }
    listeners
}
