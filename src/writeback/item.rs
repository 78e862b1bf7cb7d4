//! A logged item and where it goes, as the outbox hands them to a CRM mapping.

use serde::{Deserialize, Serialize};

use super::ItemKind;
use crate::crm::RecordType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    pub duration_seconds: u32,
    pub direction: Direction,
    /// The user's words for how it went ("Left voicemail", "Booked a demo").
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedItem {
    /// A GUID made when the item is saved; every retry writes under it, so a write whose
    /// outcome was lost is recognised instead of duplicated.
    pub id: String,
    pub kind: ItemKind,
    pub subject: String,
    pub body: String,
    /// When it happened, ISO 8601 UTC (`2026-11-24T09:30:00Z`).
    pub occurred_at: String,
    #[serde(default)]
    pub call: Option<Call>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// What the panel sends when the user logs something; the background gives it its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewItem {
    pub kind: ItemKind,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    pub occurred_at: String,
    #[serde(default)]
    pub call: Option<Call>,
    #[serde(default)]
    pub tags: Vec<String>,
}

impl NewItem {
    /// The stored item, under the id made for it.
    pub fn with_id(self, id: String) -> LoggedItem {
        LoggedItem {
            id,
            kind: self.kind,
            subject: self.subject,
            body: self.body,
            occurred_at: self.occurred_at,
            call: self.call,
            tags: self.tags,
        }
    }
}

/// Where an item stands (see `docs/writeback.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ItemState {
    /// Kept locally only.
    Local,
    /// Waiting in the outbox, or being sent.
    Queued,
    /// Wanted in the CRM, but its person or company has no match.
    Unresolved,
    /// The CRM rejected it; the user fixes and retries.
    Parked,
    Written,
    Discarded,
}

/// The CRM records an item is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// The person (Contact or Lead) or company (Account) the item is about.
    pub record_type: RecordType,
    pub record_id: String,
    /// An Account or Opportunity the activity also relates to, where set.
    #[serde(default)]
    pub related_id: Option<String>,
    /// The seat holder's CRM user, who owns the activity.
    pub owner_id: String,
}

impl LoggedItem {
    /// The activity's subject line: the kind, then the user's subject.
    pub fn subject_line(&self) -> String {
        let kind = match self.kind {
            ItemKind::InMail => "InMail",
            ItemKind::Message => "Message",
            ItemKind::Note => "Note",
            ItemKind::Call => "Call",
            ItemKind::Tag => "Tags",
        };
        let detail = if self.kind == ItemKind::Tag {
            self.tags.join(", ")
        } else {
            self.subject.clone()
        };
        if detail.trim().is_empty() {
            kind.to_string()
        } else {
            format!("{kind}: {}", detail.trim())
        }
    }

    /// The date part (`YYYY-MM-DD`) for date-only CRM fields.
    pub fn date(&self) -> &str {
        self.occurred_at.get(..10).unwrap_or(&self.occurred_at)
    }
}
