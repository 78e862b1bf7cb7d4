//! The options page, rendered from [`crate::pages::options::Options`]: import (the page's
//! JavaScript reads the chosen file and gives its text to [`OptionsPage::file_read`]), the
//! profile count, clearing CRM data, Copy to CRM ([`write_back`]) and manual entry.

mod orgs;
mod settings;
mod write_back;

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement};

use super::page::{fill, listen, listen_submit, read, set_disabled, set_hidden};
use super::page::{El, OnPageAction};
use super::page::{Frame, Timeout};
use super::Translate;
use crate::message::Request;
use crate::msg;
use crate::pages::options::{Options, CLEAR_CONFIRM_MS, MANUAL_FIELDS};
use crate::pages::{Page, Text};
use orgs::OrgsDom;
pub(crate) use settings::kinds_fieldset;
use settings::SettingsDom;
pub(crate) use write_back::report_lines;
use write_back::WriteBackDom;

/// Ids the page's JavaScript and its tests rely on.
pub const FILE_INPUT_ID: &str = "import-file";

pub struct OptionsPage(Rc<Inner>);

struct Inner {
    frame: Frame,
    model: RefCell<Options>,
    file: HtmlInputElement,
    progress: Element,
    summary: Element,
    count: Element,
    clear: Element,
    clear_status: Element,
    sync_status: Element,
    write_back: WriteBackDom,
    orgs: OrgsDom,
    settings: SettingsDom,
    inputs: Vec<HtmlInputElement>,
    manual_status: Element,
    listeners: RefCell<Vec<EventListener>>,
    clear_wait: RefCell<Option<Timeout>>,
}

/// `<section aria-labelledby="{id}-heading"><h2 id="{id}-heading">…</h2><p>help</p>`.
pub(crate) fn section(frame: &Frame, id: &str, heading: Text, help: Option<Text>) -> El {
    let heading_id = format!("{id}-heading");
    let section = frame
        .el("section")
        .attr("aria-labelledby", &heading_id)
        .child(&frame.say("h2", &heading).id(&heading_id).done());
    match help {
        Some(help) => section.child(&frame.say("p", &help).done()),
        None => section,
    }
}

/// `<label><span>label</span> control</label>`.
pub(crate) fn labelled(frame: &Frame, label: &Text, control: &Element, class: &str) -> Element {
    frame
        .el("label")
        .class(class)
        .child(&frame.say("span", label).done())
        .and_text(" ")
        .child(control)
        .done()
}

fn input(element: &Element) -> HtmlInputElement {
    element.clone().unchecked_into()
}

impl OptionsPage {
    pub fn new(
        root: Element,
        translate: Box<Translate>,
        language: String,
        on_action: OnPageAction,
    ) -> Result<OptionsPage, JsValue> {
        let frame = Frame::new(Page::Options, &root, translate, language, on_action)?;
        let f = &frame;

        let file = f
            .el("input")
            .id(FILE_INPUT_ID)
            .attr("type", "file")
            .attr("accept", ".csv,.vcf,.vcard,text/csv,text/vcard")
            .done();
        let progress = f
            .el("progress")
            .id("import-progress")
            .attr("max", "1")
            .attr("value", "0")
            .hidden(true)
            .done();
        let summary = f.el("div").id("import-summary").status().done();
        let count = f.el("strong").id("profile-count").done();
        let stored = f
            .el("p")
            .child(&f.say("span", &msg!("profilesStored")).done())
            .and_text(" ")
            .child(&count)
            .done();
        let import = section(f, "import", msg!("importHeading"), Some(msg!("importHelp")))
            .child(&labelled(f, &msg!("importChoose"), &file, "file"))
            .children([&progress, &summary, &stored]);

        let clear = f.button(&msg!("clearCrmData")).id("clear-crm").done();
        let clear_status = f.el("p").id("clear-status").status().done();
        let sync_status = f.el("ul").id("sync-status").status().done();
        let crm = section(f, "crm", msg!("crmDataHeading"), Some(msg!("crmDataHelp"))).children([
            &sync_status,
            &clear,
            &clear_status,
        ]);

        let write_back = WriteBackDom::new(f);
        let orgs = OrgsDom::new(f);
        let settings = SettingsDom::new(f);

        let inputs: Vec<Element> = MANUAL_FIELDS
            .iter()
            .map(|field| {
                f.el("input")
                    .attr("name", field.name)
                    .attr("type", field.input_type)
                    .attr("autocomplete", "off")
                    .done()
            })
            .collect();
        let labels: Vec<Element> = MANUAL_FIELDS
            .iter()
            .zip(&inputs)
            .map(|(field, input)| labelled(f, &field.label, input, ""))
            .collect();
        let manual_status = f.el("p").id("manual-status").status().done();
        let form = f
            .el("form")
            .id("manual-form")
            .children(&labels)
            .child(
                &f.say("button", &msg!("manualSave"))
                    .attr("type", "submit")
                    .done(),
            )
            .child(&manual_status)
            .done();
        let manual = section(f, "manual", msg!("manualHeading"), None).child(&form);

        let [settings_part, admin] = settings.sections(f);
        for part in [
            import,
            crm,
            orgs.section(f),
            write_back.section(f),
            settings_part,
            manual,
            admin,
        ] {
            root.append_child(&part.done())?;
        }

        let inner = Rc::new(Inner {
            file: input(&file),
            progress,
            summary,
            count,
            clear,
            clear_status,
            sync_status,
            write_back,
            orgs,
            settings,
            inputs: inputs.iter().map(input).collect(),
            manual_status,
            listeners: RefCell::new(Vec::new()),
            clear_wait: RefCell::new(None),
            model: RefCell::new(Options::default()),
            frame,
        });
        let mut listeners = vec![
            listen(&inner, &inner.clear, "click", |page, _| {
                page.clear_pressed()
            }),
            listen_submit(&inner, &form, |page| page.submit()),
        ];
        listeners.extend(write_back::listeners(&inner));
        listeners.extend(orgs::listeners(&inner));
        listeners.extend(settings::listeners(&inner));
        *inner.listeners.borrow_mut() = listeners;
        Ok(OptionsPage(inner))
    }

    /// Asks for what the page shows first.
    pub fn start(&self) {
        let actions = self.0.model.borrow().start();
        self.0.frame.emit(actions);
    }

    /// The background's answer to the message sent with `ticket`.
    pub fn answer(&self, ticket: u32, answer: JsValue) {
        if let Some(request) = self.0.frame.answered(ticket) {
            self.0.answer(&request, answer)
        }
    }

    /// The chosen file's name and text.
    pub fn file_read(&self, name: &str, text: String) {
        let actions = self.0.model.borrow_mut().file_read(name, text);
        self.0.render_import();
        self.0.frame.emit(actions);
    }

    /// An event of the background: the settings changed elsewhere (browser policy, another
    /// page, an org's admin), so the page asks for them, and the orgs, again.
    pub fn heard(&self, event: JsValue) {
        if super::page::concerns(crate::pages::Page::Options, event) {
            self.0.frame.emit(vec![
                crate::pages::options::settings::Settings::start(),
                crate::pages::options::orgs::Orgs::start(),
            ]);
        }
    }

    /// A message on the import port; true when the port can be closed.
    pub fn import_message(&self, message: JsValue) -> bool {
        let (over, actions) = self.0.model.borrow_mut().import_message(read(message));
        self.0.render_import();
        self.0.frame.emit(actions);
        over
    }
}

impl Inner {
    fn answer(&self, request: &Request, answer: JsValue) {
        let actions = {
            let mut model = self.model.borrow_mut();
            match request {
                Request::CountProfiles => {
                    model.counted(read(answer));
                    Vec::new()
                }
                Request::AddProfile { .. } => {
                    let (saved, then) = model.added(read(answer));
                    if saved {
                        self.inputs.iter().for_each(|i| i.set_value(""));
                    }
                    then
                }
                Request::ClearCrmData => {
                    model.cleared(read(answer));
                    Vec::new()
                }
                Request::ListOrgs => {
                    model.sync_status.listed(read(answer.clone()));
                    model.write_back.orgs_listed(read(answer));
                    Vec::new()
                }
                Request::PrepareOrg { .. } => {
                    model.write_back.prepared(read(answer));
                    Vec::new()
                }
                Request::TestWriteBack { .. } => {
                    model.write_back.tested(read(answer));
                    Vec::new()
                }
                Request::RemoveTestRecords { .. } => {
                    model.write_back.removed(read(answer));
                    Vec::new()
                }
                Request::GetSettings => {
                    model.settings.answered(read(answer), false);
                    Vec::new()
                }
                Request::SetSetting { .. } => {
                    model.settings.answered(read(answer), true);
                    Vec::new()
                }
                Request::PolicyFiles => model.settings.files(read(answer)),
                Request::OrgStatuses => {
                    model.orgs.listed(read(answer));
                    Vec::new()
                }
                Request::DisconnectOrg { .. } | Request::ReconnectOrg { .. } => {
                    model.orgs.changed(request, read(answer))
                }
                _ => Vec::new(),
            }
        };
        match request {
            Request::GetSettings | Request::SetSetting { .. } | Request::PolicyFiles => {
                self.settings.render(self)
            }
            Request::CountProfiles => self.render_count(),
            Request::AddProfile { .. } => self.render_manual(),
            Request::ClearCrmData => self.render_clear(),
            Request::ListOrgs => {
                self.render_sync_status();
                self.write_back.render(self, true);
                self.settings.render_admin_links(self);
            }
            Request::OrgStatuses | Request::DisconnectOrg { .. } | Request::ReconnectOrg { .. } => {
                self.orgs.render(self)
            }
            _ => self.write_back.render(self, false),
        }
        self.frame.emit(actions);
    }

    fn render_sync_status(&self) {
        let model = self.model.borrow();
        let lines: Vec<Element> = model
            .sync_status
            .lines()
            .iter()
            .map(|line| self.frame.say("li", line).done())
            .collect();
        fill(&self.sync_status, &lines);
    }

    fn render_count(&self) {
        let count = self.model.borrow().count();
        self.count.set_text_content(count.as_deref());
    }

    fn render_import(&self) {
        let model = self.model.borrow();
        set_disabled(&self.file, !model.import.can_start());
        if let Some((value, max)) = model.import.progress() {
            let _ = self.progress.set_attribute("max", &max.to_string());
            let _ = self.progress.set_attribute("value", &value.to_string());
            set_hidden(&self.progress, false);
        }
        let Some(report) = model.import.report() else {
            return;
        };
        let f = &self.frame;
        let line = f.say("p", &report.line).class_if(report.error, "error");
        let mut shown = vec![line.done()];
        if !report.skipped.is_empty() {
            let items: Vec<Element> = report
                .skipped
                .iter()
                .map(|s| f.say("li", s).done())
                .collect();
            shown.push(f.el("ul").class("skipped").children(&items).done());
        }
        fill(&self.summary, &shown);
    }

    fn submit(&self) {
        let values: [String; 6] = std::array::from_fn(|i| self.inputs[i].value());
        let actions = self.model.borrow_mut().submit(&values);
        self.frame.emit(actions);
    }

    fn render_manual(&self) {
        let model = self.model.borrow();
        self.frame.show(&self.manual_status, model.manual_status());
    }

    fn clear_pressed(self: &Rc<Inner>) {
        let (actions, armed) = {
            let mut model = self.model.borrow_mut();
            (model.clear_pressed(), model.armed())
        };
        self.render_clear();
        self.frame.emit(actions);
        // Unless pressed again, the button asks no more after a while.
        let page = Rc::downgrade(self);
        *self.clear_wait.borrow_mut() = armed.and_then(|press| {
            Timeout::new(CLEAR_CONFIRM_MS, move || {
                if let Some(page) = page.upgrade() {
                    page.clear_expired(press);
                }
            })
        });
    }

    fn clear_expired(&self, press: u32) {
        self.model.borrow_mut().clear_expired(press);
        self.render_clear();
    }

    fn render_clear(&self) {
        let model = self.model.borrow();
        self.clear
            .set_text_content(Some(&self.frame.t(&model.clear_label())));
        self.frame.show(&self.clear_status, model.clear_status());
    }
}
