//! CSV exports of the Unresolved Activities list and of the audit log. Written with
//! `csv-core` (the `csv` crate is kept out of the wasm build); every cell is quoted and
//! defused ([`defused`]) so a spreadsheet never runs item or CRM text as a formula.

use std::borrow::Cow;

use csv_core::{QuoteStyle, Terminator, Writer, WriterBuilder};
use serde::Deserialize;

use crate::escape::csv_cell::defused;

/// What an item was logged on (`about` in docs/writeback.md); only what the export shows.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExportedAbout {
    pub profile_name: Option<String>,
    pub record_name: Option<String>,
}

/// A stored item as the export reads it; other fields are ignored. Kinds, states, CRMs and
/// record types are written as stored (their camelCase names), so they stay text here.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportItem {
    pub id: String,
    pub kind: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub occurred_at: String,
    #[serde(default)]
    pub about: ExportedAbout,
    pub state: String,
    #[serde(default)]
    pub error: Option<ErrorText>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Why it waits here, when it says (the CRM deleted its record).
    #[serde(default)]
    pub reason: Option<crate::activity_model::Reason>,
}

/// A stored `CrmError`, read leniently: an export must not fail on an odd error shape.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ErrorText {
    pub code: String,
    pub message: String,
}

/// A row of the `audit` store; `written_at` arrives as ISO 8601 text.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditRow {
    pub written_at: Option<String>,
    pub kind: Option<String>,
    pub subject: String,
    pub crm: Option<String>,
    pub api_host: String,
    pub record_type: Option<String>,
    pub record_id: String,
    pub record_name: String,
    pub crm_ids: Vec<String>,
    pub by: Option<String>,
}

const ITEM_HEADER: [&str; 8] = [
    "id",
    "kind",
    "subject",
    "body",
    "occurredAt",
    "about",
    "state",
    "error",
];

const AUDIT_HEADER: [&str; 10] = [
    "writtenAt",
    "kind",
    "subject",
    "crm",
    "org",
    "recordType",
    "recordId",
    "recordName",
    "crmIds",
    "by",
];

pub fn items_csv(items: &[ExportItem]) -> String {
    let mut csv = Csv::new(&ITEM_HEADER);
    for item in items {
        csv.record(&[
            &item.id,
            &item.kind,
            &subject_of(item),
            &item.body,
            &item.occurred_at,
            about_of(&item.about),
            &item.state,
            item.error.as_ref().map_or("", error_text),
        ]);
    }
    csv.finish()
}

pub fn audit_csv(rows: &[AuditRow]) -> String {
    let mut csv = Csv::new(&AUDIT_HEADER);
    for row in rows {
        csv.record(&[
            row.written_at.as_deref().unwrap_or_default(),
            row.kind.as_deref().unwrap_or_default(),
            &row.subject,
            row.crm.as_deref().unwrap_or_default(),
            &row.api_host,
            row.record_type.as_deref().unwrap_or_default(),
            &row.record_id,
            &row.record_name,
            &row.crm_ids.join(" "),
            row.by.as_deref().unwrap_or_default(),
        ]);
    }
    csv.finish()
}

/// Tags have no subject of their own: the tags are what was logged.
fn subject_of(item: &ExportItem) -> Cow<'_, str> {
    if item.kind == "tag" && item.subject.is_empty() {
        Cow::Owned(item.tags.join(", "))
    } else {
        Cow::Borrowed(&item.subject)
    }
}

/// The CRM record once resolved, else the network profile it was logged on.
pub(crate) fn about_of(about: &ExportedAbout) -> &str {
    about
        .record_name
        .as_deref()
        .or(about.profile_name.as_deref())
        .unwrap_or_default()
}

/// The CRM's own words, else its code.
pub(crate) fn error_text(error: &ErrorText) -> &str {
    if error.message.is_empty() {
        &error.code
    } else {
        &error.message
    }
}

/// Room for a delimiter, terminator or closing quote (with the quote ending a field).
const SMALL_STEP: usize = 4;

/// A CSV document built in memory: UTF-8 with a byte-order mark (so spreadsheets read
/// accents right), CRLF line ends, every field quoted (a `;`-separated locale then cannot
/// split a cell in two).
struct Csv {
    writer: Writer,
    out: Vec<u8>,
    scratch: Vec<u8>,
}

impl Csv {
    fn new(header: &[&str]) -> Csv {
        let writer = WriterBuilder::new()
            .terminator(Terminator::CRLF)
            .quote_style(QuoteStyle::Always)
            .build();
        let mut csv = Csv {
            writer,
            out: "\u{feff}".as_bytes().to_vec(),
            scratch: Vec::new(),
        };
        csv.record(header);
        csv
    }

    fn record(&mut self, cells: &[&str]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.write(SMALL_STEP, |w, out| w.delimiter(out).1);
            }
            let cell = defused(cell);
            // A field of quotes doubles, plus its opening quote.
            let room = 1 + 2 * cell.len();
            self.write(room, |w, out| w.field(cell.as_bytes(), out).2);
        }
        self.write(SMALL_STEP, |w, out| w.terminator(out).1);
    }

    /// Runs one writer step with `room` for its worst case, so no step stops half-way.
    fn write(&mut self, room: usize, step: impl FnOnce(&mut Writer, &mut [u8]) -> usize) {
        self.scratch.resize(room, 0);
        let n = step(&mut self.writer, &mut self.scratch);
        self.out.extend_from_slice(&self.scratch[..n]);
    }

    fn finish(mut self) -> String {
        self.write(SMALL_STEP, |w, out| w.finish(out).1);
        String::from_utf8(self.out).expect("CSV of UTF-8 text is UTF-8")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(subject: &str, body: &str) -> ExportItem {
        ExportItem {
            id: "i-1".into(),
            kind: "inMail".into(),
            subject: subject.into(),
            body: body.into(),
            occurred_at: "2026-11-24T09:30:00Z".into(),
            about: ExportedAbout {
                profile_name: Some("Ada Lovelace".into()),
                record_name: None,
            },
            state: "unresolved".into(),
            error: None,
            tags: Vec::new(),
            reason: None,
        }
    }

    /// Rows read back with the `csv` crate, the way a spreadsheet import would.
    fn read(csv: &str) -> Vec<Vec<String>> {
        let text = csv.strip_prefix('\u{feff}').expect("starts with a BOM");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn items_have_a_header_and_one_row_each() {
        let rows = read(&items_csv(&[item("Intro", "Hello")]));
        assert_eq!(rows[0], ITEM_HEADER);
        assert_eq!(
            rows[1],
            [
                "i-1",
                "inMail",
                "Intro",
                "Hello",
                "2026-11-24T09:30:00Z",
                "Ada Lovelace",
                "unresolved",
                ""
            ]
        );
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn quotes_commas_and_newlines_survive_a_round_trip() {
        let body = "Said \"hi\", then:\r\nbye, é";
        let rows = read(&items_csv(&[item("a,b", body)]));
        assert_eq!(rows[1][2], "a,b");
        assert_eq!(rows[1][3], body);
    }

    #[test]
    fn formula_cells_are_defused() {
        for danger in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            let rows = read(&items_csv(&[item(danger, danger)]));
            assert_eq!(rows[1][2], format!("'{danger}"), "{danger:?}");
            assert_eq!(rows[1][3], format!("'{danger}"), "{danger:?}");
        }
        assert_eq!(read(&items_csv(&[item("a=b", "")]))[1][2], "a=b");
    }

    #[test]
    fn formulas_behind_blanks_invisible_marks_or_look_alikes_are_defused() {
        for danger in [
            " =1+2",
            "\u{a0}=1+2",
            "\u{200b}=1+2",
            "\u{feff}@SUM(A1)",
            "＝1+2",
            "＋1",
            "－1",
            "＠x",
        ] {
            let rows = read(&items_csv(&[item(danger, danger)]));
            assert_eq!(rows[1][2], format!("'{danger}"), "{danger:?}");
            let audit = AuditRow {
                record_name: danger.into(),
                record_id: danger.into(),
                ..AuditRow::default()
            };
            let rows = read(&audit_csv(&[audit]));
            assert_eq!(rows[1][6], format!("'{danger}"), "{danger:?}");
            assert_eq!(rows[1][7], format!("'{danger}"), "{danger:?}");
        }
    }

    #[test]
    fn every_cell_is_quoted_so_a_semicolon_locale_cannot_split_one() {
        let csv = items_csv(&[item("a;=1+2", "x")]);
        assert!(csv.contains("\"a;=1+2\""), "{csv}");
        assert!(csv.starts_with("\u{feff}\"id\",\"kind\""), "{csv}");
    }

    #[test]
    fn parked_items_show_the_crms_words_and_their_record() {
        let mut parked = item("Call", "");
        parked.state = "parked".into();
        parked.about.record_name = Some("Ada L. (Contact)".into());
        parked.error = Some(ErrorText {
            code: "FIELD_CUSTOM_VALIDATION_EXCEPTION".into(),
            message: "Subject is required".into(),
        });
        let rows = read(&items_csv(&[parked]));
        assert_eq!(rows[1][5], "Ada L. (Contact)");
        assert_eq!(rows[1][6], "parked");
        assert_eq!(rows[1][7], "Subject is required");
    }

    #[test]
    fn tags_export_their_tags_as_the_subject() {
        let mut tag = item("", "");
        tag.kind = "tag".into();
        tag.tags = vec!["hot".into(), "q4".into()];
        assert_eq!(read(&items_csv(&[tag]))[1][2], "hot, q4");
    }

    #[test]
    fn audit_rows_list_what_went_where() {
        let row = AuditRow {
            written_at: Some("2026-11-24T10:00:00.000Z".into()),
            kind: Some("note".into()),
            subject: "-follow up".into(),
            crm: Some("salesforce".into()),
            api_host: "acme.my.salesforce.com".into(),
            record_type: Some("contact".into()),
            record_id: "003000000000001AAA".into(),
            record_name: "Ada Lovelace".into(),
            crm_ids: vec!["069A".into(), "06AB".into()],
            by: Some("demo@acme.com".into()),
        };
        let rows = read(&audit_csv(&[row, AuditRow::default()]));
        assert_eq!(rows[0], AUDIT_HEADER);
        assert_eq!(
            rows[1],
            [
                "2026-11-24T10:00:00.000Z",
                "note",
                "'-follow up",
                "salesforce",
                "acme.my.salesforce.com",
                "contact",
                "003000000000001AAA",
                "Ada Lovelace",
                "069A 06AB",
                "demo@acme.com"
            ]
        );
        assert_eq!(rows[2], vec![""; AUDIT_HEADER.len()]);
    }

    #[test]
    fn rows_parse_from_the_stored_json() {
        let json = r#"{"id":"x","kind":"call","subject":"S","body":"","occurredAt":"t",
            "about":{"profileId":"url:in/ada","profileName":"Ada"},"copy":true,
            "state":"parked","reason":null,"attempts":3,"crmIds":[],
            "error":{"kind":"rejected","code":"X","message":"","status":400,"retryAfter":null}}"#;
        let parsed: ExportItem = serde_json::from_str(json).unwrap();
        assert_eq!(parsed.about.profile_name.as_deref(), Some("Ada"));
        assert_eq!(error_text(parsed.error.as_ref().unwrap()), "X");
        let audit: AuditRow = serde_json::from_str(r#"{"seq":4,"itemId":"x"}"#).unwrap();
        assert_eq!(audit, AuditRow::default());
    }
}
