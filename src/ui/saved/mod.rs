//! The saved leads and accounts page, rendered from [`crate::pages::saved::Saved`]: per org
//! the pipeline it comes from, the leads and the accounts, each linked to its record with
//! why it was saved; each lead with its profile and job-change status, each account with
//! its won value.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use web_sys::Element;

use super::page::{fill, read, set_hidden, El, Frame, OnPageAction};
use super::Translate;
use crate::background::saved::OrgSaved;
use crate::message::Request;
use crate::msg;
use crate::pages::saved::{job_text, reasons_text, rule_text, won_text, Saved};
use crate::pages::{Page, Problem, Text};

pub struct SavedPage(Rc<Inner>);

struct Inner {
    frame: Frame,
    model: RefCell<Saved>,
    status: Element,
    empty: Element,
    orgs: Element,
}

impl SavedPage {
    pub fn new(
        root: Element,
        translate: Box<Translate>,
        language: String,
        on_action: OnPageAction,
    ) -> Result<SavedPage, JsValue> {
        let frame = Frame::new(Page::Saved, &root, translate, language, on_action)?;
        let f = &frame;
        let status = f.el("p").id("status").status().done();
        let empty = f
            .say("p", &msg!("savedEmpty"))
            .id("saved-empty")
            .class("empty")
            .hidden(true)
            .done();
        let orgs = f.el("div").id("saved-orgs").done();
        for part in [&status, &empty, &orgs] {
            root.append_child(part)?;
        }
        Ok(SavedPage(Rc::new(Inner {
            frame,
            model: RefCell::new(Saved::default()),
            status,
            empty,
            orgs,
        })))
    }

    pub fn start(&self) {
        let actions = self.0.model.borrow().start();
        self.0.frame.emit(actions);
    }

    /// Events change nothing shown here until the page is opened again.
    pub fn heard(&self, _event: JsValue) {}

    pub fn answer(&self, ticket: u32, answer: JsValue) {
        let page = &self.0;
        if let Some(Request::SavedLists) = page.frame.answered(ticket) {
            page.model.borrow_mut().listed(read(answer));
            page.render();
        }
    }
}

impl Inner {
    fn render(&self) {
        let model = self.model.borrow();
        self.frame.show(&self.status, model.status());
        let Some(orgs) = model.orgs() else { return };
        let sections: Vec<Element> = orgs.iter().map(|o| self.org(o)).collect();
        fill(&self.orgs, &sections);
        let nothing = orgs
            .iter()
            .all(|o| o.leads.is_empty() && o.accounts.is_empty());
        set_hidden(&self.empty, !nothing);
    }

    fn org(&self, org: &OrgSaved) -> Element {
        let f = &self.frame;
        let mut section = f
            .el("section")
            .class("org")
            .attr("data-org", &org.api_host)
            .child(&f.el("h2").text(&org.api_host).done())
            .child(&f.say("p", &rule_text(org)).class("rule").done());
        if let Some(problem) = &org.problem {
            let words = Text::from(Problem::from(problem.clone()).words());
            section = section.child(&f.say("p", &words).class("error").done());
        }
        let leads: Vec<Element> = org
            .leads
            .iter()
            .map(|l| {
                let details = Text::joined(
                    " · ",
                    [reasons_text(&l.lead.reasons), job_text(l.lead.job.as_ref())],
                );
                let profile = l.lead.profile_url.as_deref().map(|u| self.profile_link(u));
                self.item(&l.lead.name, l.url.as_deref(), &l.lead.record_id, details)
                    .and_text(" ")
                    .children(&profile)
                    .done()
            })
            .collect();
        let accounts: Vec<Element> = org
            .accounts
            .iter()
            .map(|a| {
                let details = Text::joined(
                    " · ",
                    [
                        reasons_text(&a.account.reasons),
                        won_text(a.account.won_value),
                    ],
                );
                self.item(
                    &a.account.name,
                    a.url.as_deref(),
                    &a.account.account_id,
                    details,
                )
                .done()
            })
            .collect();
        section
            .child(
                &f.say("h3", &msg!("savedLeads", leads.len()))
                    .attr("data-list", "leads")
                    .done(),
            )
            .child(&f.el("ul").class("saved-leads").children(&leads).done())
            .child(
                &f.say("h3", &msg!("savedAccounts", accounts.len()))
                    .attr("data-list", "accounts")
                    .done(),
            )
            .child(
                &f.el("ul")
                    .class("saved-accounts")
                    .children(&accounts)
                    .done(),
            )
            .done()
    }

    /// `url` is a network member page (`network_profile_url`), never another site.
    fn profile_link(&self, url: &str) -> Element {
        self.frame
            .say("a", &msg!("viewProfile"))
            .attr("href", url)
            .attr("target", "_blank")
            .attr("rel", "noopener")
            .class("profile")
            .done()
    }

    fn item(&self, name: &str, url: Option<&str>, id: &str, details: Text) -> El {
        let f = &self.frame;
        let name = match url {
            Some(url) => f
                .el("a")
                .attr("href", url)
                .attr("target", "_blank")
                .attr("rel", "noopener")
                .text(name)
                .done(),
            None => f.el("span").text(name).done(),
        };
        f.el("li")
            .attr("data-record", id)
            .child(&name)
            .and_text(" ")
            .child(&f.say("span", &details).class("details").done())
    }
}
