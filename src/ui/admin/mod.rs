//! The admin page, rendered from [`crate::pages::admin::Admin`]: the org and its state,
//! connect and disconnect, the org's settings ([`settings`]), who uses CRM sync
//! ([`seats`]), Test Write-Back and the policy download. One listener per region reads the
//! control's `data-*` attributes; CRM text is only ever set as text.

mod seats;
mod settings;

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

use super::options::{labelled, report_lines, section};
use super::page::{fill, listen, read, set_disabled, set_hidden, El, Frame, OnPageAction};
use super::Translate;
use crate::crm::admin::OrgState;
use crate::message::{AdminRequest, Request};
use crate::msg;
use crate::pages::admin::{Admin, POLICY_NOTES};
use crate::pages::options::write_back::Op;
use crate::pages::Page;

pub struct AdminPage(Rc<Inner>);

struct Inner {
    frame: Frame,
    model: RefCell<Admin>,
    org: Element,
    state: Element,
    status: Element,
    clear: HtmlInputElement,
    connect: Element,
    disconnect: Element,
    connect_help: Element,
    disconnect_help: Element,
    validation: Element,
    validation_help: Element,
    settings: settings::SettingsDom,
    seats: seats::SeatsDom,
    test: [Element; 3],
    test_result: Element,
    download: Element,
    listeners: RefCell<Vec<EventListener>>,
}

/// `org` of `admin.html?org=acme.my.salesforce.com`: the org the options page linked.
fn asked_org(frame: &Frame) -> Option<String> {
    let search = frame.doc.location()?.search().ok()?;
    form_urlencoded::parse(search.trim_start_matches('?').as_bytes())
        .find(|(name, _)| name == "org")
        .map(|(_, value)| value.into_owned())
}

fn input(element: &Element) -> HtmlInputElement {
    element.clone().unchecked_into()
}

impl AdminPage {
    pub fn new(
        root: Element,
        translate: Box<Translate>,
        language: String,
        on_action: OnPageAction,
    ) -> Result<AdminPage, JsValue> {
        let frame = Frame::new(Page::Admin, &root, translate, language, on_action)?;
        let f = &frame;
        let org = f.el("select").id("admin-org").done();
        let state = f.el("p").id("admin-state").class("state").done();
        let status = f.el("p").id("admin-status").status().done();
        let clear = f
            .el("input")
            .id("admin-clear")
            .attr("type", "checkbox")
            .done();
        let clear_label = f
            .el("label")
            .class("check")
            .child(&clear)
            .and_text(" ")
            .child(&f.say("span", &msg!("adminClearImported")).done())
            .done();
        let connect = f.button(&msg!("adminConnect")).id("admin-connect").done();
        let disconnect = f
            .button(&msg!("adminDisconnect"))
            .id("admin-disconnect")
            .done();
        let connect_help = f.say("p", &msg!("adminConnectHelp")).class("help").done();
        let disconnect_help = f
            .say("p", &msg!("adminDisconnectHelp"))
            .class("help")
            .done();
        let validation = f
            .button(&msg!("adminValidationSetUp"))
            .id("admin-validation-setup")
            .done();
        let validation_help = f
            .say("p", &msg!("adminValidationHelp"))
            .class("help")
            .done();
        let buttons = f
            .el("p")
            .class("actions")
            .children([&connect, &disconnect, &validation])
            .done();
        let org_part = section(f, "admin-org-part", msg!("adminConnectionHeading"), None)
            .child(&labelled(f, &msg!("adminOrg"), &org, "org"))
            .children([
                &state,
                &connect_help,
                &disconnect_help,
                &validation_help,
                &clear_label,
                &buttons,
                &status,
            ]);

        let settings = settings::SettingsDom::new(f);
        let seats = seats::SeatsDom::new(f);

        let test = [
            f.button(&msg!("prepareOrg")).id("prepare-org").done(),
            f.button(&msg!("testWriteBack"))
                .id("test-write-back")
                .done(),
            f.button(&msg!("removeTestRecords"))
                .id("remove-test-records")
                .done(),
        ];
        let test_result = f.el("div").id("writeback-result").status().done();
        let test_part = section(
            f,
            "admin-test",
            msg!("adminTestHeading"),
            Some(msg!("writeBackHelp")),
        )
        .child(&f.el("p").class("actions").children(&test).done())
        .child(&test_result);

        let download = f
            .button(&msg!("downloadPolicy"))
            .id("download-policy")
            .done();
        let notes: Vec<Element> = POLICY_NOTES
            .iter()
            .map(|n| {
                f.el("li")
                    .child(&f.el("code").text(n.filename).done())
                    .and_text(": ")
                    .child(&f.say("span", &n.note).done())
                    .done()
            })
            .collect();
        let policy_part = section(
            f,
            "admin-policy",
            msg!("adminPolicyHeading"),
            Some(msg!("adminPolicyHelp")),
        )
        .child(&download)
        .child(&f.el("ul").class("notes").children(&notes).done());

        for part in [
            org_part,
            settings.section(f),
            seats.section(f),
            test_part,
            policy_part,
        ] {
            root.append_child(&part.done())?;
        }

        let inner = Rc::new(Inner {
            model: RefCell::new(Admin::new(asked_org(&frame))),
            frame,
            org,
            state,
            status,
            clear: input(&clear),
            connect,
            disconnect,
            connect_help,
            disconnect_help,
            validation,
            validation_help,
            settings,
            seats,
            test,
            test_result,
            download,
            listeners: RefCell::new(Vec::new()),
        });
        *inner.listeners.borrow_mut() = listeners(&inner);
        inner.render();
        Ok(AdminPage(inner))
    }

    pub fn start(&self) {
        let actions = self.0.model.borrow_mut().start();
        self.0.render();
        self.0.frame.emit(actions);
    }

    pub fn answer(&self, ticket: u32, answer: JsValue) {
        if let Some(request) = self.0.frame.answered(ticket) {
            self.0.answer(&request, answer)
        }
    }

    /// The background's events change nothing here: the page shows the org as the CRM has
    /// it, and asking again would drop the admin's unpublished changes.
    pub fn heard(&self, _event: JsValue) {}
}

impl Inner {
    fn answer(&self, request: &Request, answer: JsValue) {
        let actions = {
            let mut model = self.model.borrow_mut();
            match request {
                Request::ListOrgs => model.orgs_listed(read(answer)),
                Request::Admin(admin) => {
                    match admin {
                        AdminRequest::Open { .. } | AdminRequest::Connect { .. } => {
                            model.view_answered(admin, read(answer))
                        }
                        AdminRequest::Publish { .. } | AdminRequest::Disconnect { .. } => {
                            model.org_answered(admin, read(answer))
                        }
                        AdminRequest::Seat { .. } => model.seat_answered(admin, read(answer)),
                        AdminRequest::SetUpValidation { .. } => {
                            model.validation_answered(admin, read(answer))
                        }
                    }
                    Vec::new()
                }
                Request::PrepareOrg { .. } => {
                    model.test_prepared(read(answer));
                    Vec::new()
                }
                Request::TestWriteBack { .. } => {
                    model.test_ran(read(answer));
                    Vec::new()
                }
                Request::RemoveTestRecords { .. } => {
                    model.test_removed(read(answer));
                    Vec::new()
                }
                _ => Vec::new(),
            }
        };
        match request {
            Request::Admin(AdminRequest::Seat { .. }) => {
                self.render_org();
                self.seats.render(self);
            }
            Request::PrepareOrg { .. }
            | Request::TestWriteBack { .. }
            | Request::RemoveTestRecords { .. } => self.render_test(),
            _ => self.render(),
        }
        self.frame.emit(actions);
    }

    fn render(&self) {
        self.render_org();
        self.settings.render(self);
        self.seats.render(self);
        self.render_test();
    }

    fn render_org(&self) {
        let model = self.model.borrow();
        let f = &self.frame;
        fill(&self.org, &f.options(&model.choices()));
        f.show(&self.state, model.state_line().as_ref());
        match model.status() {
            Some((text, error)) => {
                self.status.set_text_content(Some(&f.t(text)));
                self.status
                    .set_class_name(if *error { "error" } else { "" });
            }
            None => self.status.set_text_content(None),
        }
        let state = model.state();
        let shown = state.is_some();
        let connected = state == Some(OrgState::Connected);
        let idle = model.busy().is_none();
        for (element, visible) in [
            (&self.connect, shown && !connected),
            (&self.connect_help, shown && !connected),
            (&self.disconnect, connected),
            (&self.disconnect_help, connected),
            (&self.validation, connected),
            (&self.validation_help, connected),
        ] {
            set_hidden(element, !visible);
        }
        set_disabled(&self.connect, !idle);
        set_disabled(&self.disconnect, !idle);
        set_disabled(&self.validation, !idle);
        let (clear, locked) = model.clear_box();
        self.clear.set_checked(clear);
        set_disabled(&self.clear, locked || !idle);
        if let Some(label) = self.clear.parent_element() {
            set_hidden(&label, !shown);
        }
        set_hidden(&self.download, !shown);
    }

    fn render_test(&self) {
        let model = self.model.borrow();
        let f = &self.frame;
        let shown = model.view().is_some();
        let test = &model.test;
        set_hidden(&self.test[0], !test.prepare_offered());
        for button in &self.test {
            set_disabled(button, !shown || !test.enabled());
        }
        let Some(report) = model.test_report() else {
            fill(&self.test_result, &[]);
            return;
        };
        fill(&self.test_result, &report_lines(f, report));
    }
}

/// Runs a model change that may send something, then draws the page again.
fn act(page: &Inner, change: impl FnOnce(&mut Admin) -> Vec<crate::pages::PageAction>) {
    let actions = change(&mut page.model.borrow_mut());
    page.render();
    page.frame.emit(actions);
}

fn listeners(page: &Rc<Inner>) -> Vec<EventListener> {
    let mut listeners = vec![
        listen(page, &page.org, "change", |page, _| {
            let select: &HtmlSelectElement = page.org.unchecked_ref();
            let api_host = select.value();
            act(page, |m| m.select(&api_host));
        }),
        listen(page, &page.clear, "change", |page, _| {
            let on = page.clear.checked();
            act(page, |m| {
                m.clear_switched(on);
                Vec::new()
            });
        }),
        listen(page, &page.connect, "click", |page, _| {
            act(page, Admin::connect)
        }),
        listen(page, &page.disconnect, "click", |page, _| {
            act(page, Admin::disconnect)
        }),
        listen(page, &page.validation, "click", |page, _| {
            act(page, Admin::set_up_validation)
        }),
        listen(page, &page.download, "click", |page, _| {
            let actions = page.model.borrow().download();
            page.frame.emit(actions);
        }),
    ];
    for (button, op) in page.test.iter().zip([Op::Prepare, Op::Test, Op::Remove]) {
        listeners.push(listen(page, button, "click", move |page, _| {
            let actions = page.model.borrow_mut().run_test(op);
            page.render_test();
            page.frame.emit(actions);
        }));
    }
    listeners.extend(settings::listeners(page));
    listeners.extend(seats::listeners(page));
    listeners
}

/// An `<El>` for the sections' builders.
fn checkbox(f: &Frame, on: bool, disabled: bool) -> El {
    let el = f.el("input").attr("type", "checkbox");
    let el = if on { el.attr("checked", "") } else { el };
    if disabled {
        el.attr("disabled", "")
    } else {
        el
    }
}
