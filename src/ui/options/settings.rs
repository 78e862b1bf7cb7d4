//! The settings and administrators' sections of the options page, rendered from
//! [`crate::pages::options::settings::Settings`]. Rows are drawn again after every answer;
//! one listener per section reads the control's `data-key` (and `data-kind`), so no row
//! holds a listener of its own.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement, HtmlSelectElement};

use super::{labelled, section, Inner};
use crate::activity_model::kind_key;
use crate::msg;
use crate::pages::key;
use crate::pages::options::settings::{kind_label, Control, Row, HEADING, HELP};
use crate::settings::{NeverLogKind, SettingKey};
use crate::ui::page::{fill, listen, listen_submit, El, Frame};
use crate::writeback::ItemKind;

pub struct SettingsDom {
    problems: Element,
    rows: Element,
    status: Element,
    never_log: Element,
    form: Element,
    kind: Element,
    entry: Element,
    download: Element,
}

fn name<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

impl SettingsDom {
    pub fn new(f: &Frame) -> SettingsDom {
        let kinds: Vec<Element> = NeverLogKind::ALL
            .iter()
            .map(|k| {
                f.say("option", &kind_label(*k))
                    .attr("value", &name(k))
                    .done()
            })
            .collect();
        SettingsDom {
            problems: f.el("div").id("policy-problems").status().done(),
            rows: f.el("div").id("settings-list").done(),
            status: f.el("p").id("settings-status").status().done(),
            never_log: f.el("ul").id("never-log-list").done(),
            form: f.el("form").id("never-log-form").done(),
            kind: f.el("select").attr("name", "kind").children(&kinds).done(),
            entry: f
                .el("input")
                .attr("name", "entry")
                .attr("type", "text")
                .done(),
            download: f
                .button(&msg!("downloadPolicy"))
                .id("download-policy")
                .done(),
        }
    }

    pub fn sections(&self, f: &Frame) -> [El; 2] {
        let form = El(self.form.clone())
            .child(&labelled(f, &msg!("neverLogKind"), &self.kind, ""))
            .and_text(" ")
            .child(&labelled(f, &msg!("neverLogEntry"), &self.entry, ""))
            .child(
                &f.say("button", &msg!("neverLogAdd"))
                    .attr("type", "submit")
                    .done(),
            );
        let settings = section(f, "settings", HEADING, Some(HELP))
            .children([&self.problems, &self.rows, &self.status])
            .child(&f.say("h3", &msg!("neverLogHeading")).done())
            .child(&f.say("p", &msg!("neverLogHelp")).done())
            .child(&self.never_log)
            .child(&form.done());
        let admin = section(f, "admin", msg!("adminHeading"), Some(msg!("adminHelp")))
            .child(&self.download);
        [settings, admin]
    }

    pub fn render(&self, page: &Inner) {
        let model = page.model.borrow();
        let settings = &model.settings;
        let f = &page.frame;
        let problems = settings.problems();
        let mut shown = Vec::new();
        if !problems.is_empty() {
            shown.push(
                f.say("p", &msg!("policyProblemsHeading"))
                    .class("error")
                    .done(),
            );
            let items: Vec<Element> = problems.iter().map(|p| f.say("li", p).done()).collect();
            shown.push(f.el("ul").children(&items).done());
        }
        fill(&self.problems, &shown);
        let rows: Vec<Element> = settings.rows().iter().map(|r| row(f, r)).collect();
        fill(&self.rows, &rows);
        match settings.status() {
            Some((text, error)) => {
                self.status.set_text_content(Some(&f.t(text)));
                self.status.set_class_name(if error { "error" } else { "" });
            }
            None => self.status.set_text_content(None),
        }
        let listed = settings.never_log();
        let items: Vec<Element> = if listed.is_empty() {
            vec![f.say("li", &msg!("neverLogEmpty")).done()]
        } else {
            listed
                .iter()
                .map(|e| {
                    let line = f
                        .el("li")
                        .attr("data-kind", &name(e.kind))
                        .attr("data-value", &e.value)
                        .child(&f.say("span", &kind_label(e.kind)).done())
                        .and_text(": ")
                        .child(&f.el("strong").text(&e.value).done());
                    let line = match &e.note {
                        Some(note) => line.and_text(" ").child(&source(f, note)),
                        None => line,
                    };
                    if e.removable {
                        let remove = f
                            .button(&msg!("neverLogRemove"))
                            .attr("data-action", "remove");
                        line.and_text(" ").child(&remove.done())
                    } else {
                        line
                    }
                    .done()
                })
                .collect()
        };
        fill(&self.never_log, &items);
    }
}

fn source(f: &Frame, note: &crate::pages::Text) -> Element {
    f.say("span", note).class("source").done()
}

fn input(f: &Frame, row: &Row, kind: &str) -> El {
    let el = f
        .el("input")
        .attr("type", kind)
        .attr("data-key", row.key.name())
        .id(&format!("setting-{}", row.key.name()));
    if row.locked() {
        el.attr("disabled", "")
    } else {
        el
    }
}

fn checked(el: El, on: bool) -> El {
    if on {
        el.attr("checked", "")
    } else {
        el
    }
}

/// `<div class="setting" data-key data-source>`: the control, where the value comes from,
/// and "Use the default" for the user's own choice.
fn row(f: &Frame, row: &Row) -> Element {
    let label = f.say("span", &row.label).done();
    let control = match &row.control {
        Control::Switch(on) => f
            .el("label")
            .child(&checked(input(f, row, "checkbox"), *on).done())
            .and_text(" ")
            .child(&label),
        Control::Choice(name) => {
            let text = input(f, row, "text")
                .attr("value", name)
                .attr("placeholder", &f.t(&msg!("settingNotSure")));
            f.el("label")
                .child(&label)
                .and_text(" ")
                .child(&text.done())
        }
        Control::Lines(lines) => {
            let text = input(f, row, "text").attr("value", &lines.join(", "));
            f.el("label")
                .child(&label)
                .and_text(" ")
                .child(&text.done())
        }
        Control::Kinds(kinds) => {
            let boxes: Vec<Element> = kinds
                .iter()
                .map(|(kind, on)| {
                    let tick = checked(input(f, row, "checkbox"), *on)
                        .id(&format!("setting-{}-{}", row.key.name(), name(kind)))
                        .attr("data-kind", &name(kind));
                    f.el("label")
                        .child(&tick.done())
                        .and_text(" ")
                        .child(&f.say("span", &key(kind_key(*kind))).done())
                        .done()
                })
                .collect();
            f.el("fieldset")
                .child(&f.el("legend").child(&label).done())
                .children(&boxes)
        }
    };
    let mut line = f
        .el("div")
        .class("setting")
        .attr("data-key", row.key.name())
        .attr("data-source", &name(row.source))
        .child(&control.done());
    if let Some(note) = &row.note {
        line = line.and_text(" ").child(&source(f, note));
    }
    if row.resettable() {
        let reset = f
            .button(&msg!("settingReset"))
            .attr("data-action", "reset")
            .attr("data-key", row.key.name());
        line = line.and_text(" ").child(&reset.done());
    }
    line.done()
}

fn target(event: &Event) -> Option<Element> {
    event.target()?.dyn_into::<Element>().ok()
}

fn read_key(el: &Element) -> Option<SettingKey> {
    SettingKey::from_name(&el.get_attribute("data-key")?)
}

fn read<T: serde::de::DeserializeOwned>(el: &Element, attr: &str) -> Option<T> {
    serde_json::from_value(el.get_attribute(attr)?.into()).ok()
}

fn changed(page: &Rc<Inner>, event: &Event) {
    let Some(el) = target(event) else { return };
    let Some(key) = read_key(&el) else { return };
    let Some(input) = el.dyn_ref::<HtmlInputElement>() else {
        return;
    };
    let actions = {
        let model = page.model.borrow();
        let settings = &model.settings;
        match (input.type_().as_str(), read::<ItemKind>(&el, "data-kind")) {
            ("checkbox", Some(kind)) => settings.kind_switched(kind, input.checked()),
            ("checkbox", None) => settings.switched(key, input.checked()),
            _ => settings.typed(key, &input.value()),
        }
    };
    page.frame.emit(actions);
}

fn clicked(page: &Rc<Inner>, event: &Event) {
    let Some(el) = target(event) else { return };
    let actions = match el.get_attribute("data-action").as_deref() {
        Some("reset") => match read_key(&el) {
            Some(key) => page.model.borrow().settings.reset(key),
            None => return,
        },
        Some("remove") => {
            let Some(item) = el.parent_element() else {
                return;
            };
            let (Some(kind), Some(value)) = (
                read::<NeverLogKind>(&item, "data-kind"),
                item.get_attribute("data-value"),
            ) else {
                return;
            };
            page.model.borrow().settings.remove_never_log(kind, &value)
        }
        _ => return,
    };
    page.frame.emit(actions);
}

pub fn listeners(page: &Rc<Inner>) -> Vec<EventListener> {
    let dom = &page.settings;
    vec![
        listen(page, &dom.rows, "change", changed),
        listen(page, &dom.rows, "click", clicked),
        listen(page, &dom.never_log, "click", clicked),
        listen_submit(page, &dom.form, |page| {
            let dom = &page.settings;
            let kind: &HtmlSelectElement = dom.kind.unchecked_ref();
            let entry: &HtmlInputElement = dom.entry.unchecked_ref();
            let kind = serde_json::from_value::<NeverLogKind>(kind.value().into());
            let Ok(kind) = kind else { return };
            let actions = page
                .model
                .borrow_mut()
                .settings
                .add_never_log(kind, &entry.value());
            if !actions.is_empty() {
                entry.set_value("");
            }
            page.settings.render(page);
            page.frame.emit(actions);
        }),
        listen(page, &dom.download, "click", |page, _| {
            let actions = page.model.borrow().settings.download();
            page.frame.emit(actions);
        }),
    ]
}
