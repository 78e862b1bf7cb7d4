//! Who uses CRM sync: "Auto-sync all seat holders" Yes or No and, for No, every active user
//! of the CRM with an "Enable CRM sync" switch, found by name or e-mail.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement};

use super::{checkbox, Inner};
use crate::msg;
use crate::pages::Text;
use crate::settings::SettingKey;
use crate::ui::options::{labelled, section};
use crate::ui::page::{fill, listen, set_hidden, El, Frame};

pub struct SeatsDom {
    yes: HtmlInputElement,
    no: HtmlInputElement,
    body: Element,
    summary: Element,
    filter: HtmlInputElement,
    closed: Element,
    list: Element,
}

fn radio(f: &Frame, value: &str) -> HtmlInputElement {
    f.el("input")
        .attr("type", "radio")
        .attr("name", "autoSyncAll")
        .attr("value", value)
        .id(&format!("admin-auto-sync-{value}"))
        .done()
        .unchecked_into()
}

impl SeatsDom {
    pub fn new(f: &Frame) -> SeatsDom {
        let filter = f
            .el("input")
            .id("seats-filter")
            .attr("type", "search")
            .done();
        SeatsDom {
            yes: radio(f, "yes"),
            no: radio(f, "no"),
            body: f.el("div").id("admin-seats").done(),
            summary: f.el("p").id("seats-summary").done(),
            filter: filter.unchecked_into(),
            closed: f
                .say("p", &msg!("adminSeatsNeedConnect"))
                .class("help")
                .done(),
            // A scrolled list: focusable, so a keyboard scrolls it (the switches may all be
            // disabled before the org is connected).
            list: f
                .el("ul")
                .id("seat-list")
                .class("seats")
                .attr("tabindex", "0")
                .attr("aria-label", &f.t(&msg!("adminSeatsHeading")))
                .done(),
        }
    }

    pub fn section(&self, f: &Frame) -> El {
        let label = |input: &HtmlInputElement, text: Text| {
            f.el("label")
                .child(input)
                .and_text(" ")
                .child(&f.say("span", &text).done())
                .done()
        };
        let choice = f
            .el("fieldset")
            .id("admin-auto-sync")
            .child(&f.say("legend", &msg!("settingAutoSyncAll")).done())
            .child(&label(&self.yes, msg!("adminYes")))
            .child(&label(&self.no, msg!("adminNo")))
            .child(&f.say("p", &msg!("adminAutoSyncHelp")).class("help").done())
            .done();
        let filter = labelled(f, &msg!("adminSeatsFilter"), &self.filter, "filter");
        El(self.body.clone())
            .child(&f.say("p", &msg!("adminSeatsHelp")).done())
            .children([&self.summary, &self.closed, &filter, &self.list]);
        section(f, "admin-seats-part", msg!("adminSeatsHeading"), None)
            .child(&choice)
            .child(&self.body)
    }

    pub fn render(&self, page: &Inner) {
        let model = page.model.borrow();
        let f = &page.frame;
        let shown = model.view().is_some();
        let (everyone, locked) = model.auto_sync_all();
        self.yes.set_checked(everyone);
        self.no.set_checked(!everyone);
        self.yes.set_disabled(locked || !shown);
        self.no.set_disabled(locked || !shown);
        set_hidden(&self.body, everyone || !shown);
        if everyone || !shown {
            fill(&self.list, &[]);
            return;
        }
        f.show(&self.summary, model.seats_summary().as_ref());
        let open = model.seats_open();
        set_hidden(&self.closed, open);
        let switch = f.t(&msg!("adminSeatSwitch"));
        let rows: Vec<Element> = model
            .seats()
            .iter()
            .map(|seat| {
                let tick = checkbox(f, seat.on, !open || seat.busy)
                    .attr("role", "switch")
                    .attr("data-user", &seat.id)
                    .attr("aria-label", &format!("{switch}: {}", seat.name));
                f.el("li")
                    .attr("data-user", &seat.id)
                    .child(&f.el("span").class("name").text(&seat.name).done())
                    .and_text(" ")
                    .child(&f.el("span").class("email").text(&seat.email).done())
                    .and_text(" ")
                    .child(
                        &f.el("label")
                            .class("switch")
                            .child(&tick.done())
                            .and_text(" ")
                            .child(&f.el("span").text(&switch).done())
                            .done(),
                    )
                    .done()
            })
            .collect();
        fill(&self.list, &rows);
    }
}

fn switched(page: &Rc<Inner>, event: &Event) {
    let Some(input) = event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(user) = input.get_attribute("data-user") else {
        return;
    };
    let actions = page
        .model
        .borrow_mut()
        .seat_switched(&user, input.checked());
    page.seats.render(page);
    page.frame.emit(actions);
}

fn auto_sync(page: &Rc<Inner>, everyone: bool) {
    page.model
        .borrow_mut()
        .switched(SettingKey::AutoSyncAll, everyone);
    page.seats.render(page);
}

pub fn listeners(page: &Rc<Inner>) -> Vec<EventListener> {
    let dom = &page.seats;
    vec![
        listen(page, &dom.yes, "change", |page, _| auto_sync(page, true)),
        listen(page, &dom.no, "change", |page, _| auto_sync(page, false)),
        listen(page, &dom.filter, "input", |page, _| {
            let text = page.seats.filter.value();
            page.model.borrow_mut().filter(&text);
            page.seats.render(page);
        }),
        listen(page, &dom.list, "change", switched),
    ]
}
