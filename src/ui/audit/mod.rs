//! The audit log, rendered from [`crate::pages::audit::Audit`]: a table of what was written,
//! or that nothing was yet, and the CSV export.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::page::{fill, listen, read, set_hidden, Frame, OnPageAction};
use super::Translate;
use crate::message::Request;
use crate::msg;
use crate::pages::audit::{Audit, Row, COLUMNS};
use crate::pages::Page;

pub struct AuditPage(Rc<Inner>);

struct Inner {
    frame: Frame,
    model: RefCell<Audit>,
    status: Element,
    empty: Element,
    table: Element,
    rows: Element,
    listener: RefCell<Option<EventListener>>,
}

impl AuditPage {
    pub fn new(
        root: Element,
        translate: Box<Translate>,
        language: String,
        on_action: OnPageAction,
    ) -> Result<AuditPage, JsValue> {
        let frame = Frame::new(Page::Audit, &root, translate, language, on_action)?;
        let f = &frame;
        let status = f.el("p").id("status").status().done();
        let export = f.button(&msg!("exportAudit")).id("export-audit").done();
        let head = f
            .el("div")
            .class("section-head")
            .child(
                &f.say("h2", &msg!("auditHeading"))
                    .id("audit-heading")
                    .done(),
            )
            .child(&export)
            .done();
        let empty = f
            .say("p", &msg!("auditEmpty"))
            .id("audit-empty")
            .class("empty")
            .hidden(true)
            .done();
        let columns: Vec<Element> = COLUMNS
            .iter()
            .map(|c| f.say("th", c).attr("scope", "col").done())
            .collect();
        let thead = f
            .el("thead")
            .child(&f.el("tr").children(&columns).done())
            .done();
        let rows = f.el("tbody").id("audit-rows").done();
        let table = f
            .el("table")
            .id("audit-table")
            .hidden(true)
            .children([&thead, &rows])
            .done();
        let section = f
            .el("section")
            .attr("aria-labelledby", "audit-heading")
            .children([&head, &empty, &table])
            .done();
        root.append_child(&status)?;
        root.append_child(&section)?;
        let inner = Rc::new(Inner {
            frame,
            model: RefCell::new(Audit::default()),
            status,
            empty,
            table,
            rows,
            listener: RefCell::new(None),
        });
        let listener = listen(&inner, &export, "click", |page, _| {
            let actions = page.model.borrow().export();
            page.frame.emit(actions);
        });
        *inner.listener.borrow_mut() = Some(listener);
        Ok(AuditPage(inner))
    }

    pub fn start(&self) {
        let actions = self.0.model.borrow().start();
        self.0.frame.emit(actions);
    }

    /// An event of the background (none changes the audit log as shown).
    pub fn heard(&self, event: JsValue) {
        if super::page::concerns(crate::pages::Page::Audit, event) {
            self.start();
        }
    }

    /// The background's answer to the message sent with `ticket`.
    pub fn answer(&self, ticket: u32, answer: JsValue) {
        let page = &self.0;
        let Some(request) = page.frame.answered(ticket) else {
            return;
        };
        let actions = match request {
            Request::ListAudit => {
                page.model.borrow_mut().listed(read(answer));
                page.render_rows();
                Vec::new()
            }
            Request::ExportAudit => {
                let today = page.frame.today();
                page.model.borrow_mut().exported(&today, read(answer))
            }
            _ => Vec::new(),
        };
        page.frame.show(&page.status, page.model.borrow().status());
        page.frame.emit(actions);
    }
}

impl Inner {
    fn render_rows(&self) {
        let Some(rows) = self.model.borrow().rows() else {
            return;
        };
        let shown: Vec<Element> = rows.iter().map(|r| self.row(r)).collect();
        fill(&self.rows, &shown);
        set_hidden(&self.table, rows.is_empty());
        set_hidden(&self.empty, !rows.is_empty());
    }

    fn row(&self, row: &Row) -> Element {
        let f = &self.frame;
        let record = f
            .el("td")
            .child(
                &f.el("span")
                    .class("record-name")
                    .text(&row.record_name)
                    .done(),
            )
            .and_text(" ")
            .child(
                &f.say("span", &row.record_details)
                    .class("record-details")
                    .done(),
            )
            .done();
        let cells = [
            f.el("td").child(&f.time(row.when.as_ref())).done(),
            f.say("td", &row.what).done(),
            record,
            f.el("td").text(&row.crm_ids).done(),
            f.el("td").text(&row.by).done(),
        ];
        f.el("tr").children(&cells).done()
    }
}
