//! A logged item and where it goes, as the outbox hands them to a CRM mapping.

use serde::{Deserialize, Serialize};

use super::ItemKind;
use crate::crm::RecordType;

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    Inbound,
    Outbound,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    pub duration_seconds: u32,
    pub direction: Direction,
    /// The user's words for how it went ("Left voicemail", "Booked a demo").
    pub outcome: String,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
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
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
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

/// Why a new item cannot be saved as typed (the panel keeps the text for the user to fix).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ItemProblem {
    EmptyBody,
    NoTags,
    NoCallDetails,
    BadTime,
}

impl NewItem {
    pub fn problem(&self) -> Option<ItemProblem> {
        let blank = self.body.trim().is_empty();
        match self.kind {
            _ if !is_utc_timestamp(&self.occurred_at) => Some(ItemProblem::BadTime),
            ItemKind::Tag if self.tags.iter().all(|t| t.trim().is_empty()) => {
                Some(ItemProblem::NoTags)
            }
            ItemKind::Call if self.call.is_none() => Some(ItemProblem::NoCallDetails),
            ItemKind::Note | ItemKind::Message | ItemKind::InMail if blank => {
                Some(ItemProblem::EmptyBody)
            }
            _ => None,
        }
    }

    /// The stored item under the id made for it, or why it cannot be saved as typed.
    pub fn into_logged(self, id: String) -> Result<LoggedItem, ItemProblem> {
        match self.problem() {
            Some(problem) => Err(problem),
            None => Ok(self.with_id(id)),
        }
    }

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
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
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
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
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

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z`, as `Date.prototype.toISOString` makes.
fn is_utc_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && text.ends_with('Z')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(kind: ItemKind, body: &str) -> NewItem {
        NewItem {
            kind,
            subject: String::new(),
            body: body.into(),
            occurred_at: "2026-11-24T09:30:00.000Z".into(),
            call: None,
            tags: vec![],
        }
    }

    #[test]
    fn a_valid_item_is_stored_under_its_id_and_a_bad_one_says_why() {
        let stored = new(ItemKind::Note, "Met at the expo").into_logged("id-1".into());
        assert_eq!(stored.map(|i| i.id), Ok("id-1".to_string()));
        let empty = new(ItemKind::Message, " ").into_logged("id-2".into());
        assert_eq!(empty.map(|i| i.id), Err(ItemProblem::EmptyBody));
    }

    #[test]
    fn items_need_what_their_kind_is_about() {
        assert_eq!(
            new(ItemKind::Note, "  ").problem(),
            Some(ItemProblem::EmptyBody)
        );
        assert_eq!(new(ItemKind::Note, "Met at the expo").problem(), None);
        assert_eq!(new(ItemKind::Tag, "").problem(), Some(ItemProblem::NoTags));
        assert_eq!(
            new(ItemKind::Call, "").problem(),
            Some(ItemProblem::NoCallDetails)
        );
        let mut bad_time = new(ItemKind::Note, "x");
        bad_time.occurred_at = "yesterday".into();
        assert_eq!(bad_time.problem(), Some(ItemProblem::BadTime));
    }
}
