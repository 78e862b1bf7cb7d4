//! The panel's activity section: the log form and the page's history. Built once per page
//! and kept across reloads of the rest of the panel, so nothing typed is lost.

mod fields;
mod form;
mod history;
mod switch;

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::ctx::Ctx;
use crate::activity_model::{ActivityModel, HistoryEntry};
use crate::ui::dom::{append, element, text_element};
use form::Form;
use history::History;

pub struct Activity {
    section: Element,
    form: Rc<Form>,
    history: History,
    /// The last answer, with saved and retried items put in as they come.
    model: RefCell<ActivityModel>,
    _listeners: Vec<EventListener>,
}

impl Activity {
    pub fn new(ctx: Ctx) -> Result<Activity, JsValue> {
        let section = element(&ctx.doc, "section", "activity")?;
        append(
            &section,
            &text_element(&ctx.doc, "h2", "", &ctx.t("activityHeading"))?,
        )?;
        let form = Form::new(&ctx)?;
        append(&section, &form.element)?;
        let history = History::new(&ctx)?;
        append(&section, &history.element)?;
        Ok(Activity {
            section,
            _listeners: form.listeners(),
            form,
            history,
            model: RefCell::new(ActivityModel::default()),
        })
    }

    pub fn section(&self) -> &Element {
        &self.section
    }

    pub fn show(&self, model: ActivityModel) -> Result<(), JsValue> {
        self.form.set_toggles(model.toggles.clone());
        *self.model.borrow_mut() = model;
        self.history.render(&self.model.borrow())
    }

    pub fn saved(&self, item: HistoryEntry) -> Result<(), JsValue> {
        self.form.saved();
        self.updated(item)
    }

    pub fn failed(&self, message: &str) -> Result<(), JsValue> {
        self.form.failed(message);
        Ok(())
    }

    pub fn updated(&self, item: HistoryEntry) -> Result<(), JsValue> {
        self.model.borrow_mut().upsert(item);
        self.history.render(&self.model.borrow())
    }
}
