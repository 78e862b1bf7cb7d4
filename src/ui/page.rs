//! What the extension's own pages share: the page's language, title, heading and links to
//! the other pages; text-only element building; times in the reader's language; timers; and
//! handing the page model's [`PageAction`]s to the page's JavaScript.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Event, EventTarget, HtmlElement};

use super::Translate;
use crate::message::Request;
use crate::pages::{Answer, Page, PageAction, Stamp, Text};

/// What a page asks its JavaScript to do: send `message` to the background and give its
/// answer back with `ticket`, or save a file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outgoing<'a> {
    Send { message: &'a Request, ticket: u32 },
    Download { filename: &'a str, text: &'a str },
}

/// Receives what a page asks its JavaScript to do.
pub type OnPageAction = Box<dyn Fn(&Outgoing)>;

/// An element being built. Tags and attribute names here are constants, so creating and
/// setting them cannot fail; text is only ever set as text.
pub struct El(pub Element);

impl El {
    pub fn id(self, id: &str) -> El {
        self.0.set_id(id);
        self
    }

    pub fn class(self, class: &str) -> El {
        self.0.set_class_name(class);
        self
    }

    /// Adds `class` when `on`.
    pub fn class_if(self, on: bool, class: &str) -> El {
        if on {
            let _ = self.0.class_list().add_1(class);
        }
        self
    }

    pub fn attr(self, name: &str, value: &str) -> El {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// A live region that reads out what changes in it.
    pub fn status(self) -> El {
        self.attr("role", "status").attr("aria-live", "polite")
    }

    pub fn hidden(self, hidden: bool) -> El {
        let _ = self.0.toggle_attribute_with_force("hidden", hidden);
        self
    }

    pub fn text(self, text: &str) -> El {
        self.0.set_text_content(Some(text));
        self
    }

    /// Appends `text` as a text node after what is there.
    pub fn and_text(self, text: &str) -> El {
        let _ = self.0.append_with_str_1(text);
        self
    }

    pub fn child(self, child: &Element) -> El {
        let _ = self.0.append_child(child);
        self
    }

    pub fn children<'a>(self, children: impl IntoIterator<Item = &'a Element>) -> El {
        for child in children {
            let _ = self.0.append_child(child);
        }
        self
    }

    pub fn done(self) -> Element {
        self.0
    }
}

/// Replaces what `parent` holds with `children`.
pub fn fill(parent: &Element, children: &[Element]) {
    parent.set_text_content(None);
    for child in children {
        let _ = parent.append_child(child);
    }
}

pub fn set_hidden(element: &Element, hidden: bool) {
    let _ = element.toggle_attribute_with_force("hidden", hidden);
}

pub fn set_disabled(element: &Element, disabled: bool) {
    let _ = element.toggle_attribute_with_force("disabled", disabled);
}

pub fn focus(element: &Element) {
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        let _ = element.focus();
    }
}

/// Calls `handler` with the page when `target` fires `event`, for as long as the listener
/// is kept; the listener does not keep the page alive.
pub fn listen<T: 'static>(
    page: &Rc<T>,
    target: &EventTarget,
    event: &'static str,
    handler: impl Fn(&Rc<T>, &Event) + 'static,
) -> EventListener {
    let page = Rc::downgrade(page);
    EventListener::new(target, event, move |e| {
        if let Some(page) = page.upgrade() {
            handler(&page, e);
        }
    })
}

/// [`listen`] for a form's `submit`: the page handles it and does not navigate.
pub fn listen_submit<T: 'static>(
    page: &Rc<T>,
    form: &EventTarget,
    handler: impl Fn(&Rc<T>) + 'static,
) -> EventListener {
    let page = Rc::downgrade(page);
    let options = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(form, "submit", options, move |e| {
        e.prevent_default();
        if let Some(page) = page.upgrade() {
            handler(&page);
        }
    })
}

/// A `setTimeout` that is cleared when dropped.
pub struct Timeout {
    handle: i32,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    pub fn new(ms: u32, callback: impl FnOnce() + 'static) -> Option<Timeout> {
        let callback = Closure::once(callback);
        let handle = gloo::utils::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                i32::try_from(ms).unwrap_or(i32::MAX),
            )
            .ok()?;
        Some(Timeout {
            handle,
            _callback: callback,
        })
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        gloo::utils::window().clear_timeout_with_handle(self.handle);
    }
}

/// Whether an event of the background on the panel port concerns `page`.
pub fn concerns(page: Page, event: JsValue) -> bool {
    let heard = serde_wasm_bindgen::from_value(event).unwrap_or_default();
    page.concerned_by(&heard)
}

/// Reads an answer from JavaScript; one that does not read as `T` is a refusal saying why.
pub fn read<T: Answer + DeserializeOwned>(value: JsValue) -> T {
    if value.is_null() || value.is_undefined() {
        return T::unreadable(String::new()); // no answer came: nothing more to say
    }
    serde_wasm_bindgen::from_value(value).unwrap_or_else(|e| T::unreadable(e.to_string()))
}

/// One page's document, words and way to its JavaScript.
pub struct Frame {
    pub doc: Document,
    translate: Box<Translate>,
    on_action: OnPageAction,
    language: String,
    /// The messages out, by ticket.
    pending: RefCell<Vec<(u32, Request)>>,
    tickets: Cell<u32>,
}

impl Frame {
    /// Sets the document's language and title; `root` gets the heading and the links to the
    /// other pages.
    pub fn new(
        page: Page,
        root: &Element,
        translate: Box<Translate>,
        language: String,
        on_action: OnPageAction,
    ) -> Result<Frame, JsValue> {
        let doc = root
            .owner_document()
            .ok_or_else(|| JsValue::from_str("the page root is not in a document"))?;
        let frame = Frame {
            doc,
            translate,
            on_action,
            language,
            pending: RefCell::new(Vec::new()),
            tickets: Cell::new(0),
        };
        if let Some(html) = frame.doc.document_element() {
            html.set_attribute("lang", &frame.language)?;
        }
        let title = frame.t(&page.title());
        frame.doc.set_title(&title);
        let links: Vec<Element> = page
            .others()
            .map(|other| {
                frame
                    .el("a")
                    .attr("href", other.file())
                    .text(&frame.t(&other.title()))
                    .done()
            })
            .collect();
        let nav = frame
            .el("nav")
            .attr("aria-label", &frame.t(&crate::msg!("pagesNav")))
            .children(&links);
        fill(root, &[frame.el("h1").text(&title).done(), nav.done()]);
        Ok(frame)
    }

    pub fn t(&self, text: &Text) -> String {
        text.render(&*self.translate)
    }

    pub fn el(&self, tag: &str) -> El {
        El(self.doc.create_element(tag).expect("a known tag"))
    }

    /// `<tag>` holding `text`, translated.
    pub fn say(&self, tag: &str, text: &Text) -> El {
        self.el(tag).text(&self.t(text))
    }

    /// A select's `<option>`s from `(value, label, selected)`.
    pub fn options(&self, choices: &[(String, Text, bool)]) -> Vec<Element> {
        choices
            .iter()
            .map(|(value, label, selected)| {
                let option = self.el("option").attr("value", value).text(&self.t(label));
                if *selected {
                    option.attr("selected", "")
                } else {
                    option
                }
                .done()
            })
            .collect()
    }

    pub fn button(&self, text: &Text) -> El {
        self.say("button", text).attr("type", "button")
    }

    /// Sets `element`'s text to `text` (nothing when `None`).
    pub fn show(&self, element: &Element, text: Option<&Text>) {
        element.set_text_content(text.map(|t| self.t(t)).as_deref());
    }

    /// Hands `actions` to the page's JavaScript. Call with no model borrowed: an answer may
    /// come back at once.
    pub fn emit(&self, actions: Vec<PageAction>) {
        for action in actions {
            match &action {
                PageAction::Send(message) => {
                    let ticket = self.tickets.get().wrapping_add(1);
                    self.tickets.set(ticket);
                    // An import's answers come on its port, one by one.
                    if !matches!(message, Request::ImportProfiles { .. }) {
                        self.pending.borrow_mut().push((ticket, message.clone()));
                    }
                    (self.on_action)(&Outgoing::Send { message, ticket });
                }
                PageAction::Download { filename, text } => {
                    (self.on_action)(&Outgoing::Download { filename, text })
                }
            }
        }
    }

    /// The message an answer with `ticket` answers (once).
    pub fn answered(&self, ticket: u32) -> Option<Request> {
        let mut pending = self.pending.borrow_mut();
        let at = pending.iter().position(|(t, _)| *t == ticket)?;
        Some(pending.swap_remove(at).1)
    }

    /// A `<time>` showing `stamp` in the reader's language (empty when it is no time).
    pub fn time(&self, stamp: Option<&Stamp>) -> Element {
        let time = self.el("time").done();
        let value = match stamp {
            Some(Stamp::Ms(ms)) => JsValue::from_f64(*ms),
            Some(Stamp::Iso(iso)) => JsValue::from_str(iso),
            None => return time,
        };
        let date = js_sys::Date::new(&value);
        if date.get_time().is_nan() {
            return time;
        }
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
        let _ = time.set_attribute("datetime", &String::from(date.to_iso_string()));
        time.set_text_content(Some(&String::from(
            date.to_locale_string(&self.language, &options),
        )));
        time
    }

    /// Today's date (UTC), for export file names.
    pub fn today(&self) -> String {
        let iso = String::from(js_sys::Date::new_0().to_iso_string());
        iso.get(..10).unwrap_or_default().to_string()
    }
}
