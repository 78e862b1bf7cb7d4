//! The page's logged items, newest first: what, when, and where each stands in words, with
//! Retry on an item the CRM rejected. CRM and user text is only ever set as text.

use std::cell::RefCell;

use gloo::events::EventListener;
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::super::ctx::Ctx;
use super::super::Action;
use crate::activity_model::{
    direction_key, duration_text, entry_title, kind_key, reason_key, ActivityModel, Chip,
    HistoryEntry, Notice,
};
use crate::ui::dom::{append, element, local_time, replace_children, text_element};
use crate::writeback::ItemKind;

pub struct History {
    ctx: Ctx,
    pub element: Element,
    notice: Element,
    list: Element,
    /// The Retry buttons' listeners, replaced with the list.
    listeners: RefCell<Vec<EventListener>>,
}

impl History {
    pub fn new(ctx: &Ctx) -> Result<History, JsValue> {
        let doc = &ctx.doc;
        let section = element(doc, "section", "history")?;
        append(
            &section,
            &text_element(doc, "h3", "", &ctx.t("activityHistoryHeading"))?,
        )?;
        let notice = text_element(doc, "p", "outbox-notice", "")?;
        notice.set_attribute("role", "status")?;
        append(&section, &notice)?;
        let list = element(doc, "ol", "history-list")?;
        // The panel is a polite live region; a reloaded history is not news to read out.
        list.set_attribute("aria-live", "off")?;
        append(&section, &list)?;
        Ok(History {
            ctx: ctx.clone(),
            element: section,
            notice,
            list,
            listeners: RefCell::new(Vec::new()),
        })
    }

    pub fn render(&self, model: &ActivityModel) -> Result<(), JsValue> {
        let text = model
            .outbox
            .notice(js_sys::Date::now())
            .map(|n| self.notice_text(n));
        self.notice.set_text_content(text.as_deref());
        let _ = self
            .notice
            .toggle_attribute_with_force("hidden", text.is_none());
        let mut items = Vec::new();
        let mut listeners = Vec::new();
        for (index, entry) in model.entries.iter().enumerate() {
            let (item, retry) = self.entry(entry, index)?;
            items.push(item);
            listeners.extend(retry);
        }
        if items.is_empty() {
            items.push(text_element(
                &self.ctx.doc,
                "li",
                "no-history",
                &self.ctx.t("activityNoHistory"),
            )?);
        }
        replace_children(&self.list, &items)?;
        *self.listeners.borrow_mut() = listeners;
        Ok(())
    }

    fn notice_text(&self, notice: Notice) -> String {
        match notice {
            Notice::SignIn(waiting) => self.ctx.t1("activitySignIn", &waiting.to_string()),
            Notice::PausedUntil(ms) => self
                .ctx
                .t1("activityPaused", &local_time(&JsValue::from_f64(ms))),
        }
    }

    fn entry(
        &self,
        entry: &HistoryEntry,
        index: usize,
    ) -> Result<(Element, Option<EventListener>), JsValue> {
        let doc = &self.ctx.doc;
        let item = element(doc, "li", "entry")?;
        let head = element(doc, "p", "entry-head")?;
        append(
            &head,
            &text_element(doc, "span", "entry-kind", &self.ctx.t(kind_key(entry.kind)))?,
        )?;
        head.append_with_str_1(" ")?;
        let title = text_element(doc, "span", "entry-title", &entry_title(entry))?;
        let title_id = format!("entry-{index}");
        title.set_id(&title_id);
        append(&head, &title)?;
        append(&item, &head)?;
        append(&item, &self.meta(entry)?)?;
        let chip = Chip::of(entry);
        append(
            &item,
            &text_element(doc, "p", chip.class(), &self.chip_text(chip))?,
        )?;
        let retry = if chip.can_retry() {
            let button = text_element(doc, "button", "retry", &self.ctx.t("activityRetry"))?;
            button.set_attribute("type", "button")?;
            // "Retry" alone is ambiguous in a list: name which item.
            button.set_attribute("aria-describedby", &title_id)?;
            let id = entry.id.clone();
            let listener = self.ctx.listen(&button, "click", move |_| {
                Some(Action::RetryItem { id: id.clone() })
            });
            append(&item, &button)?;
            Some(listener)
        } else {
            None
        };
        Ok((item, retry))
    }

    /// When, and for a call how long, which way and how it went.
    fn meta(&self, entry: &HistoryEntry) -> Result<Element, JsValue> {
        let doc = &self.ctx.doc;
        let line = element(doc, "p", "entry-meta")?;
        if !entry.occurred_at.is_empty() {
            let when = local_time(&JsValue::from_str(&entry.occurred_at));
            let time = text_element(doc, "time", "", &when)?;
            time.set_attribute("datetime", &entry.occurred_at)?;
            append(&line, &time)?;
        }
        if let (ItemKind::Call, Some(call)) = (entry.kind, &entry.call) {
            let mut parts = vec![
                duration_text(call.duration_seconds),
                self.ctx.t(direction_key(call.direction)),
            ];
            parts.extend((!call.outcome.trim().is_empty()).then(|| call.outcome.clone()));
            line.append_with_str_1(&format!(" · {}", parts.join(" · ")))?;
        }
        Ok(line)
    }

    fn chip_text(&self, chip: Chip) -> String {
        match chip {
            Chip::NotCopied(Some(reason)) => {
                self.ctx.t1(chip.key(), &self.ctx.t(reason_key(reason)))
            }
            Chip::Rejected(message) if !message.is_empty() => self.ctx.t1(chip.key(), message),
            _ => self.ctx.t(chip.key()),
        }
    }
}
