//! The settings and administrators' sections of the options page, rendered from
//! [`crate::pages::options::settings::Settings`]. Rows are drawn again after every answer;
//! one listener per section reads the control's `data-key` (and `data-kind`), so no row
//! holds a listener of its own.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement};

use super::{section, Inner};
use crate::activity_model::kind_key;
use crate::msg;
use crate::pages::key;
use crate::pages::options::settings::{Control, Row, HEADING, HELP};
use crate::settings::SettingKey;
use crate::ui::never_log::{name, removed, NeverLogDom};
use crate::ui::page::{fill, listen, listen_submit, El, Frame};
use crate::writeback::ItemKind;

pub struct SettingsDom {
    problems: Element,
    rows: Element,
    status: Element,
    never_log: NeverLogDom,
    download: Element,
    admin_orgs: Element,
}

impl SettingsDom {
    pub fn new(f: &Frame) -> SettingsDom {
        SettingsDom {
            problems: f.el("div").id("policy-problems").status().done(),
            rows: f.el("div").id("settings-list").done(),
            status: f.el("p").id("settings-status").status().done(),
            never_log: NeverLogDom::new(f, "never-log-list", "never-log-form"),
            download: f
                .button(&msg!("downloadPolicy"))
                .id("download-policy")
                .done(),
            admin_orgs: f.el("ul").id("admin-orgs").done(),
        }
    }

    pub fn sections(&self, f: &Frame) -> [El; 2] {
        let settings = section(f, "settings", HEADING, Some(HELP))
            .children([&self.problems, &self.rows, &self.status])
            .child(&f.say("h3", &msg!("neverLogHeading")).done())
            .child(&f.say("p", &msg!("neverLogHelp")).done())
            .children(&self.never_log.parts(f));
        let admin = section(f, "admin", msg!("adminHeading"), Some(msg!("adminHelp")))
            .child(&self.download)
            .child(&f.say("p", &msg!("adminOrgsLead")).done())
            .child(&self.admin_orgs);
        [settings, admin]
    }

    /// A link to the admin page of each org seen.
    pub fn render_admin_links(&self, page: &Inner) {
        let f = &page.frame;
        let links: Vec<Element> = page
            .model
            .borrow()
            .write_back
            .admin_links()
            .iter()
            .map(|(href, text)| {
                let link = f.say("a", text).attr("href", href).done();
                f.el("li").child(&link).done()
            })
            .collect();
        fill(&self.admin_orgs, &links);
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
        self.never_log.render(f, &settings.never_log());
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
            let boxes = kinds
                .iter()
                .map(|(kind, on)| {
                    let tick = checked(input(f, row, "checkbox"), *on).id(&format!(
                        "setting-{}-{}",
                        row.key.name(),
                        name(kind)
                    ));
                    (tick, *kind)
                })
                .collect();
            kinds_fieldset(f, &label, boxes)
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

/// `<fieldset>` of one box per item kind, each with `data-kind`.
pub(crate) fn kinds_fieldset(f: &Frame, legend: &Element, boxes: Vec<(El, ItemKind)>) -> El {
    let labels: Vec<Element> = boxes
        .into_iter()
        .map(|(tick, kind)| {
            f.el("label")
                .child(&tick.attr("data-kind", &name(kind)).done())
                .and_text(" ")
                .child(&f.say("span", &key(kind_key(kind))).done())
                .done()
        })
        .collect();
    f.el("fieldset")
        .child(&f.el("legend").child(legend).done())
        .children(&labels)
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
        _ => return,
    };
    page.frame.emit(actions);
}

pub fn listeners(page: &Rc<Inner>) -> Vec<EventListener> {
    let dom = &page.settings;
    vec![
        listen(page, &dom.rows, "change", changed),
        listen(page, &dom.rows, "click", clicked),
        listen(page, &dom.never_log.list, "click", |page, event| {
            let Some((kind, value)) = removed(event) else {
                return;
            };
            let actions = page.model.borrow().settings.remove_never_log(kind, &value);
            page.frame.emit(actions);
        }),
        listen_submit(page, &dom.never_log.form, |page| {
            let Some((kind, text)) = page.settings.never_log.submitted() else {
                return;
            };
            let actions = page.model.borrow_mut().settings.add_never_log(kind, &text);
            if !actions.is_empty() {
                page.settings.never_log.taken();
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
