//! What the panel's activity section shows, as data: the `getActivity` answer
//! (docs/writeback.md) and the pure choices made from it (which words an item's state reads
//! as, what to call an entry). Rendered by `ui::panel::activity`; tested natively here.

pub mod draft;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::writeback::item::{Call, Direction};
use crate::writeback::{ItemKind, ItemState};

/// The `ok` payload of `getActivity`.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityModel {
    /// The page's items, newest first.
    #[serde(default)]
    pub entries: Vec<HistoryEntry>,
    /// The Copy to CRM switch to offer for a new item of each kind.
    #[serde(default)]
    pub toggles: BTreeMap<ItemKind, Toggle>,
    #[serde(default)]
    pub outbox: Outbox,
}

/// A stored item, as much of it as the panel shows; other fields are ignored.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub id: String,
    pub kind: ItemKind,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub occurred_at: String,
    #[serde(default)]
    pub call: Option<Call>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub state: ItemState,
    #[serde(default)]
    pub reason: Option<Reason>,
    #[serde(default)]
    pub error: Option<ItemError>,
}

/// Why an item is kept locally only, or why no switch is offered.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Reason {
    ToggleOff,
    OffForOrg,
    KindNotSynced,
    /// CRM sync is not enabled for the user in the org (kept here, written once enabled).
    UserNotEnabled,
    /// The never-log list names the person or record.
    NeverLogged,
    /// The CRM deleted the record it was about: the user picks another.
    RecordDeleted,
    /// The org is disconnected, by its admin or on this computer (kept here, written once
    /// connected again).
    OrgDisconnected,
}

impl Reason {
    /// An item kept here for this reason is written when CRM sync is on for the user again.
    pub fn waits_for_access(self) -> bool {
        matches!(self, Reason::UserNotEnabled | Reason::OrgDisconnected)
    }
}

/// The last failure of an item; only its words are shown (as text).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemError {
    pub message: String,
}

/// `toggles[kind]` of `getActivity`.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Toggle {
    pub offered: bool,
    pub on: bool,
    pub reason: Option<Reason>,
}

/// The outbox as the user needs to know it.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Outbox {
    /// Items waiting to be copied.
    pub waiting: u32,
    /// The CRM session expired: nothing is copied until the user signs in again.
    #[serde(deserialize_with = "flag")]
    pub needs_sign_in: bool,
    /// Milliseconds since the epoch until which the CRM asked us to wait.
    pub paused_until: Option<f64>,
}

/// A yes/no that may also arrive as a count (a count above zero means yes).
fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Count(f64),
        Null(()),
    }
    Ok(match Flag::deserialize(deserializer)? {
        Flag::Bool(b) => b,
        Flag::Count(n) => n > 0.0,
        Flag::Null(()) => false,
    })
}

impl ActivityModel {
    /// The switch for a new item of `kind`; a kind the background did not mention is not
    /// offered (a switch that might do nothing would mislead).
    pub fn toggle(&self, kind: ItemKind) -> Toggle {
        toggle_of(&self.toggles, kind)
    }

    /// Puts `entry` in place of the item with its id, or first (it is the newest).
    pub fn upsert(&mut self, entry: HistoryEntry) {
        match self.entries.iter_mut().find(|e| e.id == entry.id) {
            Some(old) => *old = entry,
            None => self.entries.insert(0, entry),
        }
    }
}

/// What the history says about the outbox as a whole.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Notice {
    /// Sign in to the CRM again so this many waiting items can be copied.
    SignIn(u32),
    /// The CRM asked us to wait until then (ms since the epoch).
    PausedUntil(f64),
}

impl Outbox {
    pub fn notice(&self, now_ms: f64) -> Option<Notice> {
        if self.needs_sign_in {
            return Some(Notice::SignIn(self.waiting));
        }
        self.paused_until
            .filter(|until| *until > now_ms)
            .map(Notice::PausedUntil)
    }
}

/// `toggles[kind]`, not offered when missing.
pub fn toggle_of(toggles: &BTreeMap<ItemKind, Toggle>, kind: ItemKind) -> Toggle {
    toggles.get(&kind).copied().unwrap_or_default()
}

/// An entry's state in words: the chip under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chip<'a> {
    Written,
    Queued,
    NotCopied(Option<Reason>),
    Unresolved,
    /// The CRM rejected it, in the CRM's words (may be empty).
    Rejected(&'a str),
    Discarded,
}

impl Chip<'_> {
    pub fn of(entry: &HistoryEntry) -> Chip<'_> {
        match entry.state {
            ItemState::Written => Chip::Written,
            ItemState::Queued => Chip::Queued,
            ItemState::Local => Chip::NotCopied(entry.reason),
            ItemState::Unresolved => Chip::Unresolved,
            ItemState::Parked => {
                Chip::Rejected(entry.error.as_ref().map_or("", |e| e.message.trim()))
            }
            ItemState::Discarded => Chip::Discarded,
        }
    }

    /// The `_locales` key of the chip's words; `$1` is the reason or the CRM's message.
    pub fn key(self) -> &'static str {
        match self {
            Chip::Written => "activityStateWritten",
            Chip::Queued => "activityStateQueued",
            Chip::NotCopied(None) => "activityStateLocal",
            Chip::NotCopied(Some(_)) => "activityStateLocalWhy",
            Chip::Unresolved => "activityStateUnresolved",
            Chip::Rejected("") => "activityStateParked",
            Chip::Rejected(_) => "activityStateParkedWhy",
            Chip::Discarded => "activityStateDiscarded",
        }
    }

    /// A CSS class naming the state, for colour.
    pub fn class(self) -> &'static str {
        match self {
            Chip::Written => "chip chip-written",
            Chip::Queued => "chip chip-queued",
            Chip::NotCopied(_) | Chip::Discarded => "chip chip-local",
            Chip::Unresolved => "chip chip-unresolved",
            Chip::Rejected(_) => "chip chip-rejected",
        }
    }

    /// Only a rejected item is the user's to send again; the outbox retries the others.
    pub fn can_retry(self) -> bool {
        matches!(self, Chip::Rejected(_))
    }
}

/// The `_locales` key of a reason, as a short phrase.
pub fn reason_key(reason: Reason) -> &'static str {
    match reason {
        Reason::ToggleOff => "activityReasonToggleOff",
        Reason::OffForOrg => "activityReasonOffForOrg",
        Reason::KindNotSynced => "activityReasonKindNotSynced",
        Reason::UserNotEnabled => "activityReasonUserNotEnabled",
        Reason::NeverLogged => "activityReasonNeverLogged",
        Reason::RecordDeleted => "activityReasonRecordDeleted",
        Reason::OrgDisconnected => "activityReasonOrgDisconnected",
    }
}

/// The `_locales` key of a kind's name.
pub fn kind_key(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Note => "activityKindNote",
        ItemKind::Message => "activityKindMessage",
        ItemKind::InMail => "activityKindInMail",
        ItemKind::Call => "activityKindCall",
        ItemKind::Tag => "activityKindTag",
    }
}

/// The `_locales` key of a call direction's name.
pub fn direction_key(direction: Direction) -> &'static str {
    match direction {
        Direction::Outbound => "activityOutbound",
        Direction::Inbound => "activityInbound",
    }
}

/// The line naming an entry: its subject, else its tags, else the start of its body.
pub fn entry_title(entry: &HistoryEntry) -> String {
    const LONGEST: usize = 80;
    let subject = entry.subject.trim();
    if !subject.is_empty() {
        return subject.to_string();
    }
    if !entry.tags.is_empty() {
        return entry.tags.join(", ");
    }
    let first_line = entry.body.trim().lines().next().unwrap_or_default();
    match first_line.char_indices().nth(LONGEST) {
        Some((cut, _)) => format!("{}…", &first_line[..cut]),
        None => first_line.to_string(),
    }
}

/// `m:ss` for a call's duration.
pub fn duration_text(seconds: u32) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

#[cfg(test)]
mod tests;
