//! Incremental sync of the CRM records the user can see: which request reads the next page
//! of an object, and what a page holds. Pages are followed to the end; the newest
//! modification time seen becomes the watermark the next sync starts from.

pub mod deletions;
pub mod dynamics;
pub mod record;
pub mod salesforce;

use serde::{Deserialize, Serialize};

pub use record::CrmRecord;

use crate::crm::salesforce::Session;
use crate::crm::{Crm, CrmError, HttpRequest, RecordType};

/// The objects a sync reads, in the order it reads them (accounts first so contacts can
/// name theirs).
pub const SYNC_ORDER: [RecordType; 4] = [
    RecordType::Account,
    RecordType::Contact,
    RecordType::Lead,
    RecordType::Opportunity,
];

/// Where a sync of one object stands.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cursor {
    pub crm: Crm,
    pub api_host: String,
    pub record_type: RecordType,
    /// Only records modified at or after this time (the CRM's own timestamp format).
    pub watermark: Option<String>,
    /// The next page's URL, once the first page named one.
    pub next: Option<String>,
}

/// One page of records.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncPage {
    pub records: Vec<CrmRecord>,
    /// The cursor for the next page, or `None` when the object is done.
    pub next: Option<Cursor>,
    /// The newest modification time on this page.
    pub newest: Option<String>,
    /// Records that left on this page (Dataverse: merged into another, B19).
    #[serde(default)]
    pub removed: Vec<String>,
}

/// The request for the cursor's next page.
pub fn request(cursor: &Cursor, session: Option<&Session>) -> Result<HttpRequest, CrmError> {
    match cursor.crm {
        Crm::Salesforce => salesforce::request(cursor, session),
        Crm::Dynamics => dynamics::request(cursor),
    }
}

pub fn read(cursor: &Cursor, status: u16, body: &str) -> Result<SyncPage, CrmError> {
    match cursor.crm {
        Crm::Salesforce => salesforce::read(cursor, status, body),
        Crm::Dynamics => dynamics::read(cursor, status, body),
    }
}

/// A UTC datetime literal (`2026-11-24T08:00:00Z`, valid in SOQL and OData) from a CRM's own
/// timestamp (`…00.000+0000` or `…00Z`); `None` for anything else, so text from a response
/// never reaches a query unchecked. Fractional seconds are dropped: queries use `>=`.
pub fn utc_literal(timestamp: &str) -> Option<String> {
    let (date_time, offset) = timestamp.split_at_checked(19)?;
    let shape_ok = date_time.char_indices().all(|(i, c)| match i {
        4 | 7 => c == '-',
        10 => c == 'T',
        13 | 16 => c == ':',
        _ => c.is_ascii_digit(),
    });
    let offset = offset.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let utc = matches!(offset, "" | "Z" | "+0000" | "+00:00");
    (shape_ok && utc).then(|| format!("{date_time}Z"))
}

/// A page of records, with the newest modification time among them.
impl SyncPage {
    pub fn new(records: Vec<CrmRecord>, next: Option<Cursor>) -> SyncPage {
        let newest = records.iter().map(|r| r.modified.clone()).fold(None, later);
        SyncPage {
            records,
            next,
            newest,
            removed: Vec::new(),
        }
    }
}

/// A non-empty, trimmed text field of a JSON record (both APIs send `null` or `""` for unset).
pub(crate) fn text(value: &serde_json::Value, field: &str) -> Option<String> {
    value
        .get(field)
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// The later of two timestamps of the same CRM (both are ISO-8601 in UTC, so they order
/// as text once their formats agree).
pub fn later(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b > a { b } else { a }),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_literals_come_only_from_utc_timestamps() {
        assert_eq!(
            utc_literal("2026-11-24T08:00:00.000+0000").as_deref(),
            Some("2026-11-24T08:00:00Z")
        );
        assert_eq!(
            utc_literal("2026-11-24T08:00:00Z").as_deref(),
            Some("2026-11-24T08:00:00Z")
        );
        assert_eq!(utc_literal("2026-11-24T08:00:00Z OR Name != null"), None);
        assert_eq!(utc_literal("2026-11-24T08:00:00+0100"), None);
        assert_eq!(utc_literal("2026-11-24"), None);
    }
}
