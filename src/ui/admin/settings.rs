//! The admin page's settings section: each of the org's settings with its control (locked
//! ones disabled, with "Set by your administrator"), the org's never-log list and Publish.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement, HtmlSelectElement};

use super::{act, checkbox, Inner};
use crate::crm::admin::OrgState;
use crate::msg;
use crate::pages::admin::form::{Control, Field};
use crate::settings::SettingKey;
use crate::ui::never_log::{name, removed, NeverLogDom};
use crate::ui::options::kinds_fieldset;
use crate::ui::options::section;
use crate::ui::page::{fill, listen, listen_submit, set_disabled, set_hidden, El, Frame};
use crate::writeback::ItemKind;

pub struct SettingsDom {
    fields: Element,
    never_log: NeverLogDom,
    publish: Element,
    publish_note: Element,
}

impl SettingsDom {
    pub fn new(f: &Frame) -> SettingsDom {
        SettingsDom {
            fields: f.el("div").id("admin-fields").done(),
            never_log: NeverLogDom::new(f, "admin-never-log", "admin-never-log-form"),
            publish: f.button(&msg!("adminPublish")).id("admin-publish").done(),
            publish_note: f
                .say("p", &msg!("adminPublishNeedsConnect"))
                .class("help")
                .done(),
        }
    }

    pub fn section(&self, f: &Frame) -> El {
        section(
            f,
            "admin-settings",
            msg!("adminSettingsHeading"),
            Some(msg!("adminSettingsHelp")),
        )
        .child(&self.fields)
        .child(&f.say("h3", &msg!("neverLogHeading")).done())
        .child(&f.say("p", &msg!("adminNeverLogHelp")).done())
        .children(&self.never_log.parts(f))
        .child(&f.el("p").class("actions").child(&self.publish).done())
        .child(&self.publish_note)
    }

    pub fn render(&self, page: &Inner) {
        let model = page.model.borrow();
        let f = &page.frame;
        let fields: Vec<Element> = model.fields().iter().map(|field| row(f, field)).collect();
        fill(&self.fields, &fields);
        self.never_log.render(f, &model.never_log());
        let shown = model.view().is_some();
        let connected = model.state() == Some(OrgState::Connected);
        set_hidden(&self.publish, !connected);
        set_disabled(&self.publish, model.busy().is_some());
        set_hidden(&self.publish_note, !shown || connected);
        set_hidden(&self.never_log.form, !shown);
    }
}

fn disabled(el: El, locked: bool) -> El {
    if locked {
        el.attr("disabled", "")
    } else {
        el
    }
}

/// `<div class="setting" data-key data-locked>`: the control and, when locked, why.
fn row(f: &Frame, field: &Field) -> Element {
    let key_name = field.key.name();
    let id = format!("admin-setting-{key_name}");
    let label = f.say("span", &field.label).done();
    let control = match &field.control {
        Control::Switch(on) => {
            let tick = checkbox(f, *on, field.locked)
                .attr("data-key", key_name)
                .id(&id);
            f.el("label")
                .child(&tick.done())
                .and_text(" ")
                .child(&label)
        }
        Control::Select(options) => {
            let options = f.options(options);
            let select = f
                .el("select")
                .attr("data-key", key_name)
                .id(&id)
                .children(&options);
            f.el("label")
                .child(&label)
                .and_text(" ")
                .child(&disabled(select, field.locked).done())
        }
        Control::Kinds(kinds) => {
            let boxes = kinds
                .iter()
                .map(|(kind, on)| {
                    let tick = checkbox(f, *on, field.locked)
                        .attr("data-key", key_name)
                        .id(&format!("{id}-{}", name(kind)));
                    (tick, *kind)
                })
                .collect();
            kinds_fieldset(f, &label, boxes)
        }
    };
    let mut line = f
        .el("div")
        .class("setting")
        .attr("data-key", key_name)
        .attr("data-locked", if field.locked { "true" } else { "false" })
        .child(&control.done());
    if let Some(note) = &field.note {
        line = line
            .and_text(" ")
            .child(&f.say("span", note).class("source").done());
    }
    line.done()
}

fn target(event: &Event) -> Option<Element> {
    event.target()?.dyn_into::<Element>().ok()
}

fn changed(page: &Rc<Inner>, event: &Event) {
    let Some(el) = target(event) else { return };
    let Some(key) = el
        .get_attribute("data-key")
        .and_then(|k| SettingKey::from_name(&k))
    else {
        return;
    };
    let kind = el
        .get_attribute("data-kind")
        .and_then(|k| serde_json::from_value::<ItemKind>(k.into()).ok());
    let taken = {
        let mut model = page.model.borrow_mut();
        if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
            model.chose(key, &select.value())
        } else if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
            match kind {
                Some(kind) => model.kind_switched(kind, input.checked()),
                None => model.switched(key, input.checked()),
            }
        } else {
            false
        }
    };
    // A change the model took is already on screen; one it refused is drawn back.
    if !taken {
        page.settings.render(page);
    }
}

pub fn listeners(page: &Rc<Inner>) -> Vec<EventListener> {
    let dom = &page.settings;
    vec![
        listen(page, &dom.fields, "change", changed),
        listen(page, &dom.never_log.list, "click", |page, event| {
            if let Some((kind, value)) = removed(event) {
                page.model.borrow_mut().remove_never_log(kind, &value);
                page.settings.render(page);
            }
        }),
        listen(page, &dom.publish, "click", |page, _| {
            act(page, |m| m.publish())
        }),
        listen_submit(page, &dom.never_log.form, |page| {
            let Some((kind, text)) = page.settings.never_log.submitted() else {
                return;
            };
            if page.model.borrow_mut().add_never_log(kind, &text) {
                page.settings.never_log.taken();
            }
            page.settings.render(page);
            page.render_org();
        }),
    ]
}
