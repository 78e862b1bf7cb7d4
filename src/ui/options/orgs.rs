//! The options page's orgs, rendered from [`crate::pages::options::orgs::Orgs`]. The rows
//! are rebuilt at every answer, so one listener on the list serves them all: each control
//! names its org (`data-org`) and what it does (`data-op`).

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use super::{section, Inner};
use crate::msg;
use crate::pages::options::orgs::{Offer, OrgRow};
use crate::ui::page::{fill, listen, El, Frame};

pub struct OrgsDom {
    list: Element,
    status: Element,
}

impl OrgsDom {
    pub fn new(f: &Frame) -> OrgsDom {
        OrgsDom {
            list: f.el("ul").id("org-list").done(),
            status: f.el("p").id("org-status").status().done(),
        }
    }

    pub fn section(&self, f: &Frame) -> El {
        section(f, "orgs", msg!("orgsHeading"), Some(msg!("orgsHelp")))
            .children([&self.list, &self.status])
    }

    pub fn render(&self, page: &Inner) {
        let model = page.model.borrow();
        let orgs = &model.orgs;
        let f = &page.frame;
        let mut rows: Vec<Element> = orgs
            .rows()
            .iter()
            .map(|row| self.row(f, row, orgs.enabled()))
            .collect();
        if let Some(empty) = orgs.empty() {
            rows.push(f.say("li", &empty).done());
        }
        fill(&self.list, &rows);
        f.show(&self.status, orgs.status());
    }

    fn row(&self, f: &Frame, row: &OrgRow, enabled: bool) -> Element {
        let connection = f
            .el("p")
            .class("org-connection")
            .child(&f.say("span", &row.connected).done())
            .and_text(" ")
            .child(&f.time(row.since.as_ref()))
            .and_text(", ")
            .child(&f.say("span", &row.last_synced).done())
            .and_text(" ")
            .child(&f.time(row.synced_at.as_ref()))
            .done();
        let access = f
            .say("p", &row.access)
            .class("org-access")
            .class_if(!row.enabled, "not-enabled")
            .done();
        let mut parts = vec![
            f.el("strong").class("org-host").text(&row.api_host).done(),
            connection,
            access,
        ];
        if let Some(problem) = &row.problem {
            parts.push(f.say("p", problem).class("error").done());
        }
        parts.push(offer(f, &row.api_host, &row.offer, enabled));
        f.el("li")
            .class("org")
            .attr("data-org", &row.api_host)
            .children(&parts)
            .done()
    }
}

fn button(f: &Frame, api_host: &str, op: &str, label: &crate::pages::Text, enabled: bool) -> El {
    let button = f
        .button(label)
        .attr("data-org", api_host)
        .attr("data-op", op);
    match enabled {
        true => button,
        false => button.attr("disabled", ""),
    }
}

fn offer(f: &Frame, api_host: &str, offer: &Offer, enabled: bool) -> Element {
    let actions = f.el("p").class("actions");
    match offer {
        Offer::Disconnect { clear, locked } => {
            let mut check = f
                .el("input")
                .attr("type", "checkbox")
                .attr("data-org", api_host)
                .attr("data-op", "clear");
            if *clear {
                check = check.attr("checked", "");
            }
            if *locked {
                check = check.attr("disabled", "");
            }
            let label = f
                .el("label")
                .child(&check.done())
                .and_text(" ")
                .child(&f.say("span", &msg!("orgClearOnDisconnect")).done())
                .done();
            actions
                .child(&label)
                .and_text(" ")
                .child(&button(f, api_host, "disconnect", &msg!("orgDisconnect"), enabled).done())
        }
        Offer::ConnectAgain => {
            actions.child(&button(f, api_host, "connect", &msg!("orgConnectAgain"), enabled).done())
        }
        Offer::Nothing(why) => actions.child(&f.say("span", why).class("locked").done()),
    }
    .done()
}

/// The control an event came from: its org and what it does.
fn control(event: &web_sys::Event) -> Option<(Element, String, String)> {
    let target: Element = event.target()?.dyn_into().ok()?;
    let control = target.closest("[data-op]").ok()??;
    let org = control.get_attribute("data-org")?;
    let op = control.get_attribute("data-op")?;
    Some((control, org, op))
}

pub fn listeners(page: &Rc<Inner>) -> Vec<EventListener> {
    let list = &page.orgs.list;
    vec![
        listen(page, list, "click", |page, event| {
            let Some((_, org, op)) = control(event) else {
                return;
            };
            let actions = {
                let mut model = page.model.borrow_mut();
                match op.as_str() {
                    "disconnect" => model.orgs.disconnect(&org),
                    "connect" => model.orgs.connect_again(&org),
                    _ => return,
                }
            };
            page.orgs.render(page);
            page.frame.emit(actions);
        }),
        listen(page, list, "change", |page, event| {
            let Some((control, org, op)) = control(event) else {
                return;
            };
            if op == "clear" {
                let checked = control.unchecked_into::<HtmlInputElement>().checked();
                page.model.borrow_mut().orgs.set_clear(&org, checked);
            }
        }),
    ]
}
