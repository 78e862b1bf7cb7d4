//! The never-log list's part of a page (the options page's, the admin page's): the entries
//! with where each comes from and a Remove button on those the page may change, and a form
//! to add one. The page's model decides what is listed and whether an entry is one.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement, HtmlSelectElement};

use crate::msg;
use crate::pages::options::settings::{kind_label, Listed};
use crate::settings::NeverLogKind;
use crate::ui::options::labelled;
use crate::ui::page::{fill, El, Frame};

pub struct NeverLogDom {
    pub list: Element,
    pub form: Element,
    kind: Element,
    entry: Element,
}

/// A serde name (`inMail`, `domain`) for `data-*` attributes.
pub fn name<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn read<T: serde::de::DeserializeOwned>(el: &Element, attr: &str) -> Option<T> {
    serde_json::from_value(el.get_attribute(attr)?.into()).ok()
}

impl NeverLogDom {
    /// The list and the form, with these ids.
    pub fn new(f: &Frame, list_id: &str, form_id: &str) -> NeverLogDom {
        let kinds: Vec<Element> = NeverLogKind::ALL
            .iter()
            .map(|k| {
                f.say("option", &kind_label(*k))
                    .attr("value", &name(k))
                    .done()
            })
            .collect();
        NeverLogDom {
            list: f.el("ul").id(list_id).done(),
            form: f.el("form").id(form_id).done(),
            kind: f.el("select").attr("name", "kind").children(&kinds).done(),
            entry: f
                .el("input")
                .attr("name", "entry")
                .attr("type", "text")
                .done(),
        }
    }

    /// The list then the form, for the page's section.
    pub fn parts(&self, f: &Frame) -> [Element; 2] {
        let form = El(self.form.clone())
            .child(&labelled(f, &msg!("neverLogKind"), &self.kind, ""))
            .and_text(" ")
            .child(&labelled(f, &msg!("neverLogEntry"), &self.entry, ""))
            .child(
                &f.say("button", &msg!("neverLogAdd"))
                    .attr("type", "submit")
                    .done(),
            );
        [self.list.clone(), form.done()]
    }

    pub fn render(&self, f: &Frame, listed: &[Listed]) {
        let items: Vec<Element> = if listed.is_empty() {
            vec![f.say("li", &msg!("neverLogEmpty")).done()]
        } else {
            listed.iter().map(|e| entry(f, e)).collect()
        };
        fill(&self.list, &items);
    }

    /// The form's kind and text, when submitted.
    pub fn submitted(&self) -> Option<(NeverLogKind, String)> {
        let kind: &HtmlSelectElement = self.kind.unchecked_ref();
        let entry: &HtmlInputElement = self.entry.unchecked_ref();
        let kind = serde_json::from_value(kind.value().into()).ok()?;
        Some((kind, entry.value()))
    }

    /// Empties the form's text once its entry was taken.
    pub fn taken(&self) {
        self.entry.unchecked_ref::<HtmlInputElement>().set_value("");
    }
}

/// The entry whose Remove button was clicked.
pub fn removed(event: &Event) -> Option<(NeverLogKind, String)> {
    let button = event.target()?.dyn_into::<Element>().ok()?;
    if button.get_attribute("data-action").as_deref() != Some("remove") {
        return None;
    }
    let item = button.parent_element()?;
    Some((read(&item, "data-kind")?, item.get_attribute("data-value")?))
}

fn entry(f: &Frame, e: &Listed) -> Element {
    let line = f
        .el("li")
        .attr("data-kind", &name(e.kind))
        .attr("data-value", &e.value)
        .child(&f.say("span", &kind_label(e.kind)).done())
        .and_text(": ")
        .child(&f.el("strong").text(&e.value).done());
    let line = match &e.note {
        Some(note) => line
            .and_text(" ")
            .child(&f.say("span", note).class("source").done()),
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
}
