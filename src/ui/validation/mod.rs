//! The data validation page, rendered from [`crate::pages::validation::Validation`]: per org
//! the four views with their counts, each row linking to the record in the CRM with its
//! fixes (move to the matching Account, open the profile, dismiss), and the refused flags.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event};

use super::page::{fill, listen, read, set_hidden, Frame, OnPageAction};
use super::Translate;
use crate::background::validation_report::{FlagFix, OrgReport, ShownRow};
use crate::message::Request;
use crate::msg;
use crate::pages::validation::{self as model, Validation};
use crate::pages::Page;

pub struct ValidationPage(Rc<Inner>);

struct Inner {
    frame: Frame,
    model: RefCell<Validation>,
    status: Element,
    empty: Element,
    orgs: Element,
    listener: RefCell<Option<EventListener>>,
}

impl ValidationPage {
    pub fn new(
        root: Element,
        translate: Box<Translate>,
        language: String,
        on_action: OnPageAction,
    ) -> Result<ValidationPage, JsValue> {
        let frame = Frame::new(Page::Validation, &root, translate, language, on_action)?;
        let f = &frame;
        let status = f.el("p").id("status").status().done();
        let empty = f
            .say("p", &msg!("validationEmpty"))
            .id("validation-empty")
            .class("empty")
            .hidden(true)
            .done();
        let orgs = f.el("div").id("validation-orgs").done();
        root.append_child(&status)?;
        root.append_child(&empty)?;
        root.append_child(&orgs)?;
        let inner = Rc::new(Inner {
            frame,
            model: RefCell::new(Validation::default()),
            status,
            empty,
            orgs,
            listener: RefCell::new(None),
        });
        let listener = listen(&inner, &inner.orgs, "click", clicked);
        *inner.listener.borrow_mut() = Some(listener);
        Ok(ValidationPage(inner))
    }

    pub fn start(&self) {
        let actions = self.0.model.borrow().start();
        self.0.frame.emit(actions);
    }

    /// A pass ended somewhere: the views are asked for again.
    pub fn heard(&self, event: JsValue) {
        if super::page::concerns(Page::Validation, event) {
            self.start();
        }
    }

    pub fn answer(&self, ticket: u32, answer: JsValue) {
        let page = &self.0;
        let Some(request) = page.frame.answered(ticket) else {
            return;
        };
        match request {
            Request::ValidationViews => page.model.borrow_mut().listed(read(answer)),
            Request::FixFlag { .. } => page.model.borrow_mut().fixed(read(answer)),
            _ => return,
        }
        page.render();
    }
}

/// A click on one of the rows' fix buttons (`data-fix` on the button, the org and contact on
/// its row).
fn clicked(page: &Rc<Inner>, event: &Event) {
    let Some(button) = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|e| e.closest("button[data-fix]").ok().flatten())
    else {
        return;
    };
    let row = button.closest("li[data-contact]").ok().flatten();
    let attr = |e: &Element, name: &str| e.get_attribute(name).unwrap_or_default();
    let Some(row) = row else { return };
    let fix = match attr(&button, "data-fix").as_str() {
        "move" => FlagFix::MoveTo {
            account_id: attr(&button, "data-account"),
        },
        _ => FlagFix::Dismiss,
    };
    let actions =
        page.model
            .borrow_mut()
            .fix(&attr(&row, "data-org"), &attr(&row, "data-contact"), fix);
    page.render();
    page.frame.emit(actions);
}

impl Inner {
    fn render(&self) {
        let model = self.model.borrow();
        let f = &self.frame;
        match model.status() {
            Some((text, error)) => {
                self.status.set_text_content(Some(&f.t(text)));
                self.status
                    .set_class_name(if *error { "error" } else { "" });
            }
            None => self.status.set_text_content(None),
        }
        let Some(reports) = model.reports() else {
            return;
        };
        let sections: Vec<Element> = reports.iter().map(|r| self.org(r, model.busy())).collect();
        fill(&self.orgs, &sections);
        set_hidden(&self.empty, !reports.is_empty());
    }

    fn org(&self, report: &OrgReport, busy: bool) -> Element {
        let f = &self.frame;
        let heading = f.el("h2").text(&report.api_host).done();
        let checked = f
            .el("p")
            .class("checked")
            .child(&f.say("span", &msg!("validationChecked")).done())
            .and_text(" ")
            .child(&f.time(report.checked_at.map(crate::pages::Stamp::Ms).as_ref()))
            .done();
        let mut section = f
            .el("section")
            .class("org")
            .attr("data-org", &report.api_host)
            .children([&heading, &checked]);
        if let Some(problem) = model::problem(report) {
            section = section.child(&f.say("p", &problem).class("error").done());
        }
        for shown in model::views(report) {
            let title = f
                .say("h3", &shown.title)
                .class("view-title")
                .attr("data-view", kind_name(shown.kind))
                .done();
            let rows: Vec<Element> = shown
                .rows
                .iter()
                .map(|r| self.row(report, r, busy))
                .collect();
            let list = f
                .el("ul")
                .class("view-rows")
                .attr("data-view", kind_name(shown.kind))
                .children(&rows)
                .done();
            section = section.children([&title, &list]);
        }
        if !report.refused.is_empty() {
            let items: Vec<Element> = report
                .refused
                .iter()
                .map(|r| {
                    f.say("li", &model::refusal(&r.name, &r.error.message))
                        .done()
                })
                .collect();
            section = section
                .child(&f.say("h3", &msg!("validationRefusedHeading")).done())
                .child(&f.el("ul").class("refused").children(&items).done());
        }
        section.done()
    }

    fn row(&self, report: &OrgReport, row: &ShownRow, busy: bool) -> Element {
        let f = &self.frame;
        let name = match &row.url {
            Some(url) => f
                .el("a")
                .attr("href", url)
                .attr("target", "_blank")
                .attr("rel", "noopener")
                .class("record")
                .text(&row.row.name)
                .done(),
            None => f.el("span").class("record").text(&row.row.name).done(),
        };
        let details = f
            .say("span", &model::row_details(row))
            .class("details")
            .done();
        let mut item = f
            .el("li")
            .attr("data-org", &report.api_host)
            .attr("data-contact", &row.row.record_id)
            .children([&name, &details]);
        if let Some(finding) = row.row.finding.as_ref() {
            if let (Some(account), Some(account_name)) =
                (&finding.suggested_account, &row.suggested_account_name)
            {
                let mv = f
                    .button(&msg!("validationMoveTo", account_name.as_str()))
                    .attr("data-fix", "move")
                    .attr("data-account", account)
                    .done();
                item = item.child(&disabled(mv, busy));
            }
            if let Some(url) = &row.profile_url {
                item = item.child(
                    &f.say("a", &msg!("viewProfile"))
                        .attr("href", url)
                        .attr("target", "_blank")
                        .attr("rel", "noopener")
                        .class("profile")
                        .done(),
                );
            }
            let dismiss = f
                .button(&msg!("validationDismiss"))
                .attr("data-fix", "dismiss")
                .done();
            item = item.child(&disabled(dismiss, busy));
        }
        item.done()
    }
}

fn disabled(button: Element, busy: bool) -> Element {
    super::page::set_disabled(&button, busy);
    button
}

fn kind_name(kind: crate::validation::ViewKind) -> &'static str {
    match kind {
        crate::validation::ViewKind::AllContacts => "allContacts",
        crate::validation::ViewKind::MyContacts => "myContacts",
        crate::validation::ViewKind::AllOpportunities => "allOpportunities",
        crate::validation::ViewKind::MyOpportunities => "myOpportunities",
    }
}
