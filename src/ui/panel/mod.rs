//! The Embedded Profile panel: the record page's matched profile, why it matched, the
//! record's key fields, its people, and the user's correction controls. Every user action
//! is reported as an [`Action`]; the panel never talks to the background itself. On a
//! network profile page it shows the person and whether they are in the CRM. Both modes end
//! with the activity section (log form and history).

mod activity;
mod correction;
mod ctx;
pub mod live;
mod profile_card;
mod profile_page;

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

use super::dom::{
    append, element, local_time, replace_children, replace_children_before, text_element,
};
use super::Translate;
use crate::activity_model::{ActivityModel, HistoryEntry};
use crate::answer::Problem;
use crate::crm::RecordSummary;
use crate::panel_model::{Linked, PanelModel, ProfilePanelView};
use crate::profiles::Profile;
use crate::writeback::item::NewItem;
use activity::Activity;
use ctx::Ctx;

/// What the user asked for in the panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Action {
    /// "Not this person" for the shown profile.
    Reject { profile_id: String },
    /// Remove the user's own link.
    Unlink { profile_id: String },
    /// Link this profile to the record.
    Link { profile_id: String },
    /// Link the profile at this URL (created if unknown).
    LinkUrl { url: String },
    /// Typeahead: find profiles.
    Search { query: String },
    /// Sync the org now instead of waiting for the copy to grow stale.
    SyncNow,
    /// Log an item on this page; copy it to the CRM if `copy_to_crm`.
    LogItem { item: NewItem, copy_to_crm: bool },
    /// Send an item the CRM rejected again.
    RetryItem { id: String },
}

pub type OnAction = Rc<dyn Fn(Action)>;

pub struct Panel {
    ctx: Ctx,
    doc: Document,
    root: Element,
    listeners: RefCell<Vec<EventListener>>,
    results: RefCell<Option<Element>>,
    /// Kept across re-renders of the rest of the panel, so typed text survives a reload.
    activity: RefCell<Option<Activity>>,
    /// Where the profile page's badges go (the panel's header, shown when collapsed too).
    badges: Option<Element>,
}

impl Panel {
    pub fn new(
        root: Element,
        translate: Box<Translate>,
        on_action: OnAction,
    ) -> Result<Panel, JsValue> {
        let doc = root
            .owner_document()
            .ok_or_else(|| JsValue::from_str("panel root is not in a document"))?;
        Ok(Panel {
            ctx: Ctx::new(doc.clone(), Rc::from(translate), on_action),
            doc,
            root,
            listeners: RefCell::new(Vec::new()),
            results: RefCell::new(None),
            activity: RefCell::new(None),
            badges: None,
        })
    }

    /// The element the profile page's "In …" badges are drawn in.
    pub fn with_badges(self, badges: Element) -> Panel {
        let _ = badges.set_attribute("aria-label", &self.t("badgeInCrm"));
        Panel {
            badges: Some(badges),
            ..self
        }
    }

    fn show_badges(&self, badges: &[Element]) -> Result<(), JsValue> {
        match &self.badges {
            Some(place) => replace_children(place, badges),
            None => Ok(()),
        }
    }

    fn t(&self, key: &str) -> String {
        self.ctx.t(key)
    }

    fn t1(&self, key: &str, value: &str) -> String {
        self.ctx.t1(key, value)
    }

    /// Calls `action` when `target` fires `event`; the listener lives until the next render.
    fn on(
        &self,
        target: &Element,
        event: &'static str,
        action: impl Fn(&web_sys::Event) -> Option<Action> + 'static,
    ) {
        let listener = self.ctx.listen(target, event, action);
        self.listeners.borrow_mut().push(listener);
    }

    /// Drops the previous render's listeners and badges; call before building a new one.
    fn begin(&self) {
        self.listeners.borrow_mut().clear();
        self.results.borrow_mut().take();
        let _ = self.show_badges(&[]);
    }

    /// Shows `children`, then the activity section if there is one (left where it is, so
    /// focus and typed text stay).
    fn render(&self, children: &[Element], busy: bool) -> Result<(), JsValue> {
        self.root
            .set_attribute("aria-busy", if busy { "true" } else { "false" })?;
        match self.activity.borrow().as_ref() {
            Some(activity) => replace_children_before(&self.root, children, activity.section()),
            None => replace_children(&self.root, children),
        }
    }

    /// Loading another page: its activity is another record's or person's.
    pub fn show_loading(&self) -> Result<(), JsValue> {
        self.begin();
        self.activity.borrow_mut().take();
        let status = text_element(&self.doc, "p", "status", &self.t("panelLoading"))?;
        status.set_attribute("role", "status")?;
        self.render(&[status], true)
    }

    pub fn show(&self, model: &PanelModel) -> Result<(), JsValue> {
        self.begin();
        let mut sections = Vec::new();
        let read_only = model.access.read_only_key();
        if let Some(key) = read_only {
            let notice = text_element(&self.doc, "p", "read-only", &self.t(key))?;
            notice.set_attribute("role", "status")?;
            sections.push(notice);
        }
        if let Some(linked) = &model.linked {
            sections.push(profile_card::render(self, linked, read_only.is_none())?);
        } else if model.people.is_empty() {
            sections.push(text_element(
                &self.doc,
                "p",
                "no-profile",
                &self.t("noProfile"),
            )?);
        }
        sections.push(self.record_section(&model.record)?);
        if !model.people.is_empty() {
            sections.push(self.people_section(&model.people)?);
        }
        let correctable = matches!(
            model.record.record_type,
            crate::crm::RecordType::Contact | crate::crm::RecordType::Lead
        );
        if correctable && read_only.is_none() {
            sections.push(correction::render(self)?);
        }
        sections.push(self.sync_status(model)?);
        self.render(&sections, false)
    }

    fn record_section(&self, record: &RecordSummary) -> Result<Element, JsValue> {
        let section = element(&self.doc, "section", "record")?;
        let kind_key = format!("recordType_{:?}", record.record_type);
        append(
            &section,
            &text_element(&self.doc, "p", "record-type", &self.t(&kind_key))?,
        )?;
        append(
            &section,
            &text_element(&self.doc, "h2", "record-name", &record.name)?,
        )?;
        let fields = element(&self.doc, "dl", "record-fields")?;
        for (label, value) in &record.fields {
            append(
                &fields,
                &text_element(&self.doc, "dt", "", &self.t(&format!("field_{label}")))?,
            )?;
            append(&fields, &text_element(&self.doc, "dd", "", value)?)?;
        }
        append(&section, &fields)?;
        Ok(section)
    }

    fn people_section(&self, people: &[Linked]) -> Result<Element, JsValue> {
        let section = element(&self.doc, "section", "people")?;
        append(
            &section,
            &text_element(&self.doc, "h2", "", &self.t("peopleHeading"))?,
        )?;
        let list = element(&self.doc, "ul", "people-list")?;
        for linked in people {
            let item = element(&self.doc, "li", "")?;
            append(&item, &profile_card::name_line(self, &linked.profile)?)?;
            append(&item, &profile_card::job_line(self, &linked.profile)?)?;
            append(&list, &item)?;
        }
        append(&section, &list)?;
        Ok(section)
    }

    fn sync_status(&self, model: &PanelModel) -> Result<Element, JsValue> {
        let text = match (model.syncing, model.last_synced) {
            (true, _) => self.t("syncing"),
            (false, _) if model.sync_error.is_some() => {
                let error = model.sync_error.as_ref();
                // A refused session (CRM-APIS A19) says what the admin must allow.
                let message = match error {
                    Some(e) if e.kind == crate::crm::CrmErrorKind::Blocked => {
                        self.t(crate::answer::advice_of(e))
                    }
                    _ => error.map(|e| e.message.clone()).unwrap_or_default(),
                };
                self.t1("syncFailed", &message)
            }
            (false, Some(ms)) => self.t1("lastSynced", &local_time(&JsValue::from_f64(ms))),
            (false, None) => self.t("neverSynced"),
        };
        let line = element(&self.doc, "div", "sync")?;
        let p = text_element(&self.doc, "p", "sync-status", &text)?;
        p.set_attribute("role", "status")?;
        append(&line, &p)?;
        if !model.syncing {
            let button = profile_card::button(self, "sync-now", &self.t("syncNow"))?;
            self.on(&button, "click", |_| Some(Action::SyncNow));
            append(&line, &button)?;
        }
        Ok(line)
    }

    /// A network profile page: the person, and their CRM records or that they have none.
    pub fn show_profile(&self, model: &ProfilePanelView) -> Result<(), JsValue> {
        self.begin();
        self.show_badges(&profile_page::badges(self, &model.in_crm)?)?;
        self.render(&profile_page::render(self, model)?, false)
    }

    /// The page's items and the switches to offer (the `getActivity` answer). The form is
    /// built once per page and keeps what the user typed.
    pub fn show_activity(&self, model: ActivityModel) -> Result<(), JsValue> {
        let mut slot = self.activity.borrow_mut();
        let activity = match slot.take() {
            Some(activity) => activity,
            None => {
                let activity = Activity::new(self.ctx.clone())?;
                append(&self.root, activity.section())?;
                activity
            }
        };
        let shown = activity.show(model);
        *slot = Some(activity);
        shown
    }

    /// The background stored the logged item: clear the form, say so, list it.
    pub fn activity_saved(&self, item: HistoryEntry) -> Result<(), JsValue> {
        self.with_activity(|a| a.saved(item))
    }

    /// Saving or retrying failed: say why, in the user's words; the form keeps its text.
    pub fn activity_failed(&self, problem: &Problem) -> Result<(), JsValue> {
        let text = self.words(&problem.words());
        self.with_activity(|a| a.failed(&text))
    }

    /// An item changed (e.g. retried): show its new state.
    pub fn activity_item(&self, item: HistoryEntry) -> Result<(), JsValue> {
        self.with_activity(|a| a.updated(item))
    }

    fn with_activity(
        &self,
        f: impl FnOnce(&Activity) -> Result<(), JsValue>,
    ) -> Result<(), JsValue> {
        self.activity.borrow().as_ref().map_or(Ok(()), f)
    }

    /// The typeahead's results under the search box.
    pub fn show_search_results(&self, profiles: &[Profile]) -> Result<(), JsValue> {
        let Some(list) = self.results.borrow().clone() else {
            return Ok(());
        };
        correction::fill_results(self, &list, profiles)
    }

    /// Why the panel has nothing to show: the advice, then the CRM's own words if any.
    pub fn show_error(&self, problem: &Problem) -> Result<(), JsValue> {
        self.begin();
        let (advice, detail) = match &problem.crm {
            Some(error) => (
                self.t(crate::answer::advice_of(error)),
                error.message.clone(),
            ),
            None => (self.words(&problem.words()), String::new()),
        };
        let alert = element(&self.doc, "div", "error")?;
        alert.set_attribute("role", "alert")?;
        append(&alert, &text_element(&self.doc, "p", "advice", &advice)?)?;
        if !detail.is_empty() {
            append(&alert, &text_element(&self.doc, "p", "detail", &detail)?)?;
        }
        self.render(&[alert], false)
    }

    fn words(&self, words: &crate::answer::Words) -> String {
        match &words.detail {
            Some(detail) => self.t1(words.key, detail),
            None => self.t(words.key),
        }
    }
}
