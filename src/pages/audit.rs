//! The audit log: everything crmsync wrote to a CRM, newest first (as the background lists
//! it), with a CSV export.

use serde::Deserialize;

use crate::crm::RecordType;
use crate::message::Request;
use crate::msg;
use crate::pages::{csv_name, key, kind_text, record_type_text, PageAction, Reply};
use crate::pages::{Stamp, Text};

/// The table's column headings.
pub const COLUMNS: [Text; 5] = [
    key("auditWhen"),
    key("auditWhat"),
    key("auditRecord"),
    key("auditCrmIds"),
    key("auditBy"),
];

/// A row of the `audit` store, as much as the page shows; other fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Written {
    pub written_at: Option<Stamp>,
    pub kind: Option<String>,
    pub subject: Option<String>,
    pub api_host: Option<String>,
    pub record_type: Option<RecordType>,
    pub record_name: Option<String>,
    pub crm_ids: Vec<String>,
    pub by: Option<String>,
}

/// A row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub when: Option<Stamp>,
    /// `Call: Intro` (or the kind alone).
    pub what: Text,
    pub record_name: String,
    /// `Contact · acme.crm.dynamics.com`.
    pub record_details: Text,
    pub crm_ids: String,
    pub by: String,
}

fn row(written: &Written) -> Row {
    let kind = written.kind.as_deref().map(kind_text);
    let subject = written.subject.clone().unwrap_or_default();
    let what = match kind {
        Some(kind) if !subject.is_empty() => Text::joined("", [kind, ": ".into(), subject.into()]),
        Some(kind) => kind,
        None => subject.into(),
    };
    Row {
        when: written.written_at.clone(),
        what,
        record_name: written.record_name.clone().unwrap_or_default(),
        record_details: Text::joined(
            " · ",
            [
                written.record_type.map_or("".into(), record_type_text),
                written.api_host.clone().unwrap_or_default().into(),
            ],
        ),
        crm_ids: written.crm_ids.join(", "),
        by: written.by.clone().unwrap_or_default(),
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Audit {
    rows: Option<Vec<Written>>,
    status: Option<Text>,
}

impl Audit {
    pub fn start(&self) -> Vec<PageAction> {
        vec![PageAction::Send(Request::ListAudit)]
    }

    pub fn listed(&mut self, answer: Reply<Vec<Written>>) {
        match answer.ok {
            Some(rows) => self.rows = Some(rows),
            None => {
                self.rows.get_or_insert_with(Vec::new);
                self.status = Some(answer.failure());
            }
        }
    }

    /// The table's rows; `None` until the answer (then neither table nor "nothing yet").
    pub fn rows(&self) -> Option<Vec<Row>> {
        Some(self.rows.as_ref()?.iter().map(row).collect())
    }

    pub fn status(&self) -> Option<&Text> {
        self.status.as_ref()
    }

    pub fn export(&self) -> Vec<PageAction> {
        vec![PageAction::Send(Request::ExportAudit)]
    }

    /// The `exportAudit` answer: saved as `crm-audit-<today>.csv`.
    pub fn exported(&mut self, today: &str, answer: Reply<String>) -> Vec<PageAction> {
        let Some(csv) = answer.ok.clone() else {
            self.status = Some(answer.failure());
            return Vec::new();
        };
        self.status = Some(msg!("exportDone"));
        vec![PageAction::Download {
            filename: csv_name("crm-audit", today),
            text: csv,
        }]
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::pages::{assert_sendable, english};

    #[test]
    fn rows_say_what_was_written_on_which_record() {
        let mut audit = Audit::default();
        assert_sendable(&audit.start());
        assert_eq!(audit.rows(), None);
        let rows = json!([
            {"itemId": "w-1", "kind": "call", "subject": "newer", "crm": "dynamics", "apiHost": "acme.crm.dynamics.com",
             "recordType": "contact", "recordId": "c-1", "recordName": "Written Person", "crmIds": ["a-1", "a-2"],
             "writtenAt": "2026-11-21T08:00:00Z", "by": "demo@acme.onmicrosoft.com"},
            {"kind": "tag", "subject": "", "writtenAt": 1_764_000_000_000_u64, "recordName": null}
        ]);
        audit.listed(Reply::from_json(json!({"ok": rows})));
        let rows = audit.rows().unwrap();
        assert_eq!(english(&rows[0].what), "Call: newer");
        assert_eq!(rows[0].record_name, "Written Person");
        assert_eq!(
            english(&rows[0].record_details),
            "Contact · acme.crm.dynamics.com"
        );
        assert_eq!(rows[0].crm_ids, "a-1, a-2");
        assert_eq!(rows[0].by, "demo@acme.onmicrosoft.com");
        assert_eq!(
            rows[0].when,
            Some(Stamp::Iso("2026-11-21T08:00:00Z".into()))
        );
        assert_eq!(english(&rows[1].what), "Tags");
        assert_eq!(english(&rows[1].record_details), "");
        assert_eq!(rows[1].when, Some(Stamp::Ms(1_764_000_000_000.0)));
    }

    #[test]
    fn the_export_is_named_by_the_day() {
        let mut audit = Audit::default();
        assert_sendable(&audit.export());
        let answer = Reply::from_json(json!({"ok": "x"}));
        let then = audit.exported("2026-11-24", answer);
        assert_eq!(
            then,
            [PageAction::Download {
                filename: "crm-audit-2026-11-24.csv".into(),
                text: "x".into()
            }]
        );
        audit.exported("2026-11-24", Reply::no_answer("no"));
        assert_eq!(
            english(audit.status().unwrap()),
            "That did not go through: no"
        );
        for column in &COLUMNS {
            assert!(!english(column).is_empty());
        }
    }
}
