//! What the panel's widgets need in their event handlers: the document, translations and
//! the action sink. Cheap to clone, so a handler owns its copy.

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use web_sys::{Document, Element, Event};

use super::{Action, OnAction};
use crate::ui::Translate;

#[derive(Clone)]
pub struct Ctx {
    pub doc: Document,
    translate: Rc<Translate>,
    on_action: OnAction,
}

impl Ctx {
    pub fn new(doc: Document, translate: Rc<Translate>, on_action: OnAction) -> Ctx {
        Ctx {
            doc,
            translate,
            on_action,
        }
    }

    pub fn t(&self, key: &str) -> String {
        (self.translate)(key, &[])
    }

    /// `key` with `$1` filled in (messages carry their own word order per language).
    pub fn t1(&self, key: &str, value: &str) -> String {
        (self.translate)(key, &[value])
    }

    /// Reports what `action` returns when `target` fires `event`; the listener lives as
    /// long as the caller keeps it.
    pub fn listen(
        &self,
        target: &Element,
        event: &'static str,
        action: impl Fn(&Event) -> Option<Action> + 'static,
    ) -> EventListener {
        let on_action = self.on_action.clone();
        EventListener::new(target, event, move |e| {
            if let Some(a) = action(e) {
                on_action(a);
            }
        })
    }

    /// Like [`Ctx::listen`] for a form's `submit`, which the panel handles itself: the page
    /// must not navigate (listeners are passive unless asked, so this one is not).
    pub fn on_submit(
        &self,
        form: &Element,
        action: impl Fn() -> Option<Action> + 'static,
    ) -> EventListener {
        let on_action = self.on_action.clone();
        let options = EventListenerOptions::enable_prevent_default();
        EventListener::new_with_options(form, "submit", options, move |e| {
            e.prevent_default();
            if let Some(a) = action() {
                on_action(a);
            }
        })
    }
}
