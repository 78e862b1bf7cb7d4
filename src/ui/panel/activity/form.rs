//! The log form: kind, subject, body, a call's details or the tags, the Copy to CRM switch
//! and Save. It checks the draft itself and never drops typed text: only a save the
//! background confirmed clears it.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use super::super::ctx::Ctx;
use super::super::Action;
use super::fields::{field, number_input, select, text_input};
use super::switch::Switch;
use crate::activity_model::draft::{
    direction_from_value, direction_value, iso_seconds, kind_from_value, kind_value, validate,
    Draft, Invalid, FORM_KINDS,
};
use crate::activity_model::{direction_key, kind_key, Toggle};
use crate::ui::dom::{append, element, text_element};
use crate::writeback::item::Direction;
use crate::writeback::ItemKind;

/// A call's own fields, shown only for calls.
struct CallFields {
    element: Element,
    minutes: HtmlInputElement,
    seconds: HtmlInputElement,
    direction: HtmlSelectElement,
    outcome: HtmlInputElement,
}

pub struct Form {
    ctx: Ctx,
    pub element: Element,
    kind: HtmlSelectElement,
    subject: HtmlInputElement,
    body: HtmlTextAreaElement,
    call: CallFields,
    tags_field: Element,
    tags: HtmlInputElement,
    switch: Switch,
    error: Element,
    status: Element,
    /// Sent, not yet answered: another Save would log the item twice.
    saving: Cell<bool>,
}

impl Form {
    pub fn new(ctx: &Ctx) -> Result<Rc<Form>, JsValue> {
        let doc = &ctx.doc;
        let form = element(doc, "form", "log-form")?;
        form.set_attribute("novalidate", "")?;
        append(
            &form,
            &text_element(doc, "h3", "", &ctx.t("activityLogHeading"))?,
        )?;
        let kinds: Vec<(&str, String)> = FORM_KINDS
            .iter()
            .map(|k| (kind_value(*k), ctx.t(kind_key(*k))))
            .collect();
        let kind = select(ctx, "kind", &kinds)?;
        add_field(ctx, &form, "kind-field", "activityKind", &kind)?;
        let subject = text_input(ctx, "subject")?;
        add_field(ctx, &form, "subject-field", "activitySubject", &subject)?;
        let body: HtmlTextAreaElement = element(doc, "textarea", "body")?.dyn_into()?;
        body.set_rows(4);
        add_field(ctx, &form, "body-field", "activityBody", &body)?;
        let call = call_fields(ctx)?;
        append(&form, &call.element)?;
        let tags = text_input(ctx, "tags")?;
        let tags_field = add_field(ctx, &form, "tags-field", "activityTags", &tags)?;
        let switch = Switch::new(ctx)?;
        append(&form, &switch.element)?;
        let (error, status) = footer(ctx, &form)?;
        let form = Rc::new(Form {
            ctx: ctx.clone(),
            element: form,
            kind,
            subject,
            body,
            call,
            tags_field,
            tags,
            switch,
            error,
            status,
            saving: Cell::new(false),
        });
        form.show_fields_of_kind();
        Ok(form)
    }

    /// Kind changes, switch flips and Save; the caller keeps them alive.
    pub fn listeners(self: &Rc<Self>) -> Vec<EventListener> {
        let (on_kind, on_switch, on_submit) = (self.clone(), self.clone(), self.clone());
        vec![
            self.ctx.listen(&self.kind, "change", move |_| {
                on_kind.kind_changed();
                None
            }),
            self.ctx.listen(&self.switch.input, "change", move |_| {
                on_switch.switch.touch();
                None
            }),
            self.ctx
                .on_submit(&self.element, move || on_submit.submit()),
        ]
    }

    fn kind(&self) -> ItemKind {
        kind_from_value(&self.kind.value()).unwrap_or(ItemKind::Note)
    }

    fn kind_changed(&self) {
        self.show_fields_of_kind();
        self.switch.reset(self.kind());
        self.show_error("");
        self.show_status("");
    }

    fn show_fields_of_kind(&self) {
        let kind = self.kind();
        let _ = (self.call.element).toggle_attribute_with_force("hidden", kind != ItemKind::Call);
        let _ = self
            .tags_field
            .toggle_attribute_with_force("hidden", kind != ItemKind::Tag);
    }

    pub fn set_toggles(&self, toggles: std::collections::BTreeMap<ItemKind, Toggle>) {
        self.switch.set_toggles(toggles, self.kind());
    }

    fn draft(&self) -> Draft {
        Draft {
            kind: self.kind(),
            subject: self.subject.value(),
            body: self.body.value(),
            minutes: self.call.minutes.value(),
            seconds: self.call.seconds.value(),
            direction: direction_from_value(&self.call.direction.value()),
            outcome: self.call.outcome.value(),
            tags: self.tags.value(),
        }
    }

    /// The item to log, or the reason it cannot be, shown at the field to fix.
    fn submit(&self) -> Option<Action> {
        if self.saving.get() {
            return None;
        }
        self.mark_invalid(None);
        let now = String::from(js_sys::Date::new_0().to_iso_string());
        match validate(&self.draft(), iso_seconds(&now)) {
            Err(invalid) => {
                self.mark_invalid(Some(invalid));
                self.show_error(&self.ctx.t(invalid.key()));
                None
            }
            Ok(item) => {
                self.show_error("");
                self.saving.set(true);
                self.show_status(&self.ctx.t("activitySaving"));
                let copy_to_crm = self.switch.copy_to_crm(item.kind);
                Some(Action::LogItem { item, copy_to_crm })
            }
        }
    }

    /// Flags the field `invalid` names (and focuses it), or clears every flag.
    fn mark_invalid(&self, invalid: Option<Invalid>) {
        let fields: [(&HtmlElement, Invalid); 5] = [
            (&self.body, Invalid::EmptyBody),
            (&self.body, Invalid::TooLong),
            (&self.tags, Invalid::NoTags),
            (&self.call.minutes, Invalid::BadDuration),
            (&self.call.seconds, Invalid::BadDuration),
        ];
        for (el, _) in fields {
            let _ = el.remove_attribute("aria-invalid");
        }
        let Some(invalid) = invalid else { return };
        let flagged: Vec<&HtmlElement> = fields
            .iter()
            .filter(|(_, i)| *i == invalid)
            .map(|(el, _)| *el)
            .collect();
        for el in &flagged {
            let _ = el.set_attribute("aria-invalid", "true");
        }
        if let Some(first) = flagged.first() {
            let _ = first.focus();
        }
    }

    fn show_error(&self, text: &str) {
        self.error.set_text_content(Some(text));
    }

    fn show_status(&self, text: &str) {
        self.status.set_text_content(Some(text));
    }

    /// The background stored the item: a fresh form for the next one.
    pub fn saved(&self) {
        self.saving.set(false);
        for input in [
            &self.subject,
            &self.call.minutes,
            &self.call.seconds,
            &self.call.outcome,
            &self.tags,
        ] {
            input.set_value("");
        }
        self.body.set_value("");
        self.switch.reset(self.kind());
        self.show_error("");
        self.show_status(&self.ctx.t("activitySaved"));
    }

    /// Saving or retrying failed: say so (`text`, already in words); everything typed stays.
    pub fn failed(&self, text: &str) {
        self.saving.set(false);
        self.show_status("");
        self.show_error(text);
    }
}

fn call_fields(ctx: &Ctx) -> Result<CallFields, JsValue> {
    let element = element_with_legend(ctx, "call-fields", &ctx.t("activityKindCall"))?;
    let duration = element_with_legend(ctx, "duration", &ctx.t("activityDuration"))?;
    let minutes = number_input(ctx, "minutes")?;
    add_field(ctx, &duration, "minutes-field", "activityMinutes", &minutes)?;
    let seconds = number_input(ctx, "seconds")?;
    add_field(ctx, &duration, "seconds-field", "activitySeconds", &seconds)?;
    append(&element, &duration)?;
    let directions = [Direction::Outbound, Direction::Inbound]
        .map(|d| (direction_value(d), ctx.t(direction_key(d))));
    let direction = select(ctx, "direction", &directions)?;
    add_field(
        ctx,
        &element,
        "direction-field",
        "activityDirection",
        &direction,
    )?;
    let outcome = text_input(ctx, "outcome")?;
    add_field(ctx, &element, "outcome-field", "activityOutcome", &outcome)?;
    Ok(CallFields {
        element,
        minutes,
        seconds,
        direction,
        outcome,
    })
}

/// Appends `control`, labelled with the message `label_key`, to `parent`; returns the field.
fn add_field(
    ctx: &Ctx,
    parent: &Element,
    class: &str,
    label_key: &str,
    control: &Element,
) -> Result<Element, JsValue> {
    let wrap = field(ctx, class, &ctx.t(label_key), control)?;
    append(parent, &wrap)?;
    Ok(wrap)
}

/// The inline error (an alert), Save, and the polite status ("Saved").
fn footer(ctx: &Ctx, form: &Element) -> Result<(Element, Element), JsValue> {
    let error = text_element(&ctx.doc, "p", "form-error", "")?;
    error.set_attribute("role", "alert")?;
    append(form, &error)?;
    let save = text_element(&ctx.doc, "button", "save", &ctx.t("activitySave"))?;
    save.set_attribute("type", "submit")?;
    append(form, &save)?;
    let status = text_element(&ctx.doc, "p", "form-status", "")?;
    status.set_attribute("role", "status")?;
    append(form, &status)?;
    Ok((error, status))
}

fn element_with_legend(ctx: &Ctx, class: &str, legend: &str) -> Result<Element, JsValue> {
    let set = element(&ctx.doc, "fieldset", class)?;
    append(&set, &text_element(&ctx.doc, "legend", "", legend)?)?;
    Ok(set)
}
