use serde_json::json;

use super::import::{format_of, PortMessage};
use super::write_back::{Op, TestRun};
use super::*;
use crate::message::ImportFormat;
use crate::pages::{assert_sendable, english};
use crate::profiles::api::parse_file;

fn port(json: serde_json::Value) -> PortMessage {
    serde_json::from_value(json).unwrap()
}

/// As the views read an answer (src/ui/page.rs).
fn reply<T: crate::pages::Answer + serde::de::DeserializeOwned>(json: serde_json::Value) -> T {
    serde_json::from_value(json).unwrap_or_else(|e| T::unreadable(e.to_string()))
}

/// Imports `text` as the background would answer it: progress, then the summary built from
/// what the core's parser skipped, carried as JSON like the port carries it.
fn imported(options: &mut Options, text: &str) -> import::Report {
    let actions = options.file_read("Connections.csv", text.to_string());
    assert_sendable(&actions);
    let parsed = parse_file(ImportFormat::ConnectionsCsv, text);
    let total = parsed.profiles.len();
    let (over, _) = options.import_message(port(json!({"progress": {"done": 0, "total": total}})));
    assert!(!over);
    let summary = json!({"summary": {"ok": {"added": total, "updated": 0, "unchanged": 0,
        "skipped": parsed.skipped, "changedIds": null}}});
    let (over, then) = options.import_message(port(summary));
    assert!(over);
    assert_eq!(then, [PageAction::Send(Request::CountProfiles)]);
    options.import.report().unwrap()
}

#[test]
fn a_repeated_row_names_the_line_it_repeats() {
    let mut options = Options::default();
    let csv = "First Name,Last Name,URL\n\
               Ada,Lovelace,https://www.linkedin.com/in/ada\n\
               Grace,Hopper,https://www.linkedin.com/in/grace\n\
               Ada,Lovelace,https://www.linkedin.com/in/ada\n";
    let report = imported(&mut options, csv);
    assert!(!report.error);
    assert_eq!(
        english(&report.line),
        "Imported 2 new, updated 0, 0 unchanged, skipped 1."
    );
    let skipped: Vec<String> = report.skipped.iter().map(english).collect();
    assert_eq!(skipped, ["Line 4: the same profile as line 2"]);
    assert_eq!(options.import.progress(), Some((2, 2)));
}

#[test]
fn every_skip_reason_reads_with_its_line() {
    let mut options = Options::default();
    let csv = "First Name,Last Name,URL\n,,\nLinus\n";
    let skipped: Vec<String> = imported(&mut options, csv)
        .skipped
        .iter()
        .map(english)
        .collect();
    assert_eq!(
        skipped,
        [
            "Line 2: no name or profile URL",
            "Line 3: expected 3 fields, found 1"
        ]
    );
    let malformed = imported(&mut options, "no header here");
    assert!(english(&malformed.skipped[0]).starts_with("Line 1: "));
    let unclosed = imported(&mut options, "First Name,Last Name\nAda,\"Lovelace\n");
    assert_eq!(
        english(&unclosed.skipped[0]),
        "Line 2: a quote opened here never closes; the lines after it were read again"
    );
    let too_many = crate::profiles::Skipped {
        line: 100_001,
        reason: crate::profiles::SkipReason::TooManyRows { max: 100_000 },
    };
    assert_eq!(
        english(&import::skipped_text(&too_many)),
        "Line 100001: the file has more than 100000 rows or cards, so none of it was imported: split it and import each part"
    );
}

#[test]
fn a_file_over_the_import_limit_says_the_limit_and_sends_nothing() {
    let mut options = Options::default();
    let huge = "x".repeat(crate::message::MAX_IMPORT_BYTES + 1);
    assert!(options.file_read("Connections.csv", huge).is_empty());
    let report = options.import.report().unwrap();
    assert!(report.error);
    let limit =
        "The file is larger than 32 MiB, the most an import takes: split it and import each part.";
    assert_eq!(english(&report.line), limit);
    assert!(options.import.can_start(), "another file may be chosen");
    // The background's own refusal reads the same.
    options.file_read("a.csv", "x".into());
    options.import_message(port(json!({"refused": "tooLarge:importFile:33554432"})));
    assert_eq!(english(&options.import.report().unwrap().line), limit);
}

#[test]
fn a_refused_import_says_why_and_recounts() {
    let mut options = Options::default();
    options.file_read("a.csv", "x".into());
    assert!(!options.import.can_start());
    assert!(
        options.file_read("b.csv", "y".into()).is_empty(),
        "one at a time"
    );
    let (over, then) = options.import_message(port(json!({"refused": "file larger than 64 MiB"})));
    assert!(over);
    assert_eq!(then.len(), 1);
    let report = options.import.report().unwrap();
    assert!(report.error);
    assert_eq!(
        english(&report.line),
        "The file could not be imported: file larger than 64 MiB"
    );
    // A message after the end (a late disconnect) changes nothing.
    assert_eq!(
        options.import_message(port(json!({"refused": "gone"}))),
        (true, vec![])
    );
    assert!(options.import.can_start());
}

#[test]
fn progress_shows_the_stored_share() {
    let mut options = Options::default();
    assert_eq!(options.import.progress(), None);
    options.file_read("Connections.csv", "First Name\nAda\n".into());
    assert_eq!(options.import.progress(), Some((0, 1)));
    options.import_message(port(json!({"progress": {"done": 500, "total": 1200}})));
    assert_eq!(options.import.progress(), Some((500, 1200)));
}

#[test]
fn vcards_are_known_by_name_or_first_line() {
    assert_eq!(format_of("contacts.VCF", ""), ImportFormat::VCard);
    assert_eq!(format_of("card.vcard", ""), ImportFormat::VCard);
    assert_eq!(
        format_of("export.txt", "\u{feff}\r\n begin:vcard\nFN:Ada"),
        ImportFormat::VCard
    );
    assert_eq!(
        format_of("Connections.csv", "First Name,Last Name"),
        ImportFormat::ConnectionsCsv
    );
    assert_eq!(format_of("x", "BEGIN:VC"), ImportFormat::ConnectionsCsv);
}

#[test]
fn a_typed_profile_leaves_out_empty_fields_and_says_what_happened() {
    let mut options = Options::default();
    let values = [" Margaret ", "Hamilton", "", "  ", "", ""].map(String::from);
    let actions = options.submit(&values);
    assert_sendable(&actions);
    let PageAction::Send(Request::AddProfile { person }) = &actions[0] else {
        panic!("{actions:?}")
    };
    assert_eq!(person.first_name.as_deref(), Some("Margaret"));
    assert_eq!(
        (person.company.as_ref(), person.title.as_ref()),
        (None, None)
    );
    assert!(options.submit(&values).is_empty(), "one save at a time");

    let (reset, then) = options.added(reply(
        json!({"ok": {"added": 1, "updated": 0, "unchanged": 0}}),
    ));
    assert!(reset);
    assert_eq!(then, [PageAction::Send(Request::CountProfiles)]);
    assert_eq!(english(options.manual_status().unwrap()), "Profile saved.");

    options.submit(&Default::default());
    let (reset, _) = options.added(reply(json!({"error": {"code": "noName"}})));
    assert!(!reset, "the form keeps what was typed");
    assert_eq!(
        english(options.manual_status().unwrap()),
        "Enter a name or a profile URL."
    );
    options.submit(&Default::default());
    options.added(Reply::no_answer("the background stopped"));
    assert_eq!(
        english(options.manual_status().unwrap()),
        "That did not go through: the background stopped"
    );
}

#[test]
fn the_form_fields_have_labels_in_the_locales() {
    let names: Vec<&str> = MANUAL_FIELDS.iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "first_name",
            "last_name",
            "company",
            "title",
            "email",
            "profile_url"
        ]
    );
    assert_eq!(english(&MANUAL_FIELDS[5].label), "Profile URL");
}

#[test]
fn the_count_is_shown_once_known() {
    let mut options = Options::default();
    assert_eq!(
        options.start().len(),
        4,
        "count, orgs, their statuses, settings"
    );
    assert_sendable(&options.start());
    assert_eq!(options.count(), None);
    options.counted(Reply::ok(5.0));
    assert_eq!(options.count().as_deref(), Some("5"));
    options.counted(Reply::no_answer("x"));
    assert_eq!(options.count().as_deref(), Some("5"));
}

#[test]
fn clearing_asks_first_and_a_stale_wait_does_not_disarm_a_new_press() {
    let mut options = Options::default();
    assert!(options.clear_pressed().is_empty());
    let first = options.armed().unwrap();
    assert_eq!(
        english(&options.clear_label()),
        "Press again to remove all CRM records and matches"
    );
    let actions = options.clear_pressed();
    assert_eq!(actions, [PageAction::Send(Request::ClearCrmData)]);
    assert_sendable(&actions);
    assert_eq!(
        english(&options.clear_label()),
        "Clear all imported CRM data"
    );

    options.clear_pressed();
    let second = options.armed().unwrap();
    options.clear_expired(first);
    assert_eq!(options.armed(), Some(second));
    options.clear_expired(second);
    assert_eq!(options.armed(), None);

    options.cleared(reply(json!({"ok": true})));
    assert_eq!(
        english(options.clear_status().unwrap()),
        "All imported CRM data was removed."
    );
    options.cleared(reply(
        json!({"error": {"code": "backgroundFailed", "detail": "busy"}}),
    ));
    assert_eq!(
        english(options.clear_status().unwrap()),
        "That did not go through: busy"
    );
}

fn with_orgs() -> Options {
    let mut options = Options::default();
    options.write_back.orgs_listed(Reply::from_json(json!({"ok": json!([
        {"apiHost": "acme.crm.dynamics.com", "crm": "dynamics", "pageHost": "acme.crm.dynamics.com"},
        {"apiHost": "acme.my.salesforce.com", "crm": "salesforce", "pageHost": "acme.lightning.force.com"}
    ])})));
    options
}

#[test]
fn orgs_are_offered_and_prepare_is_for_salesforce_only() {
    let mut options = with_orgs();
    let wb = &mut options.write_back;
    let labels: Vec<(String, bool)> = wb
        .choices()
        .iter()
        .map(|(_, label, selected)| (english(label), *selected))
        .collect();
    assert_eq!(
        labels,
        [
            ("acme.crm.dynamics.com (Dynamics 365)".to_string(), true),
            ("acme.my.salesforce.com (Salesforce)".to_string(), false)
        ]
    );
    assert!(!wb.prepare_offered());
    wb.select("acme.my.salesforce.com");
    assert!(wb.prepare_offered());
    wb.select("unknown.example.com");
    assert!(wb.prepare_offered(), "only a listed org is selected");
}

#[test]
fn each_org_seen_links_its_admin_page() {
    let options = with_orgs();
    let links: Vec<(String, String)> = options
        .write_back
        .admin_links()
        .iter()
        .map(|(href, text)| (href.clone(), english(text)))
        .collect();
    assert_eq!(
        links[1],
        (
            "admin.html?org=acme.my.salesforce.com".to_string(),
            "Administer acme.my.salesforce.com (Salesforce)".to_string()
        )
    );
}

#[test]
fn without_an_org_the_section_says_where_one_comes_from() {
    let mut options = Options::default();
    options.write_back.orgs_listed(Reply::ok(Vec::new()));
    assert!(options.write_back.run(Op::Test).is_empty());
    let report = options.write_back.report().unwrap();
    assert_eq!(
        report.line,
        [write_back::Inline::Text(msg!("writeBackNoOrg"))]
    );
}

#[test]
fn one_request_at_a_time_and_prepare_reads_as_ready() {
    let mut options = with_orgs();
    let wb = &mut options.write_back;
    wb.select("acme.my.salesforce.com");
    let actions = wb.run(Op::Prepare);
    assert_sendable(&actions);
    assert_eq!(
        actions,
        [PageAction::Send(Request::PrepareOrg {
            api_host: "acme.my.salesforce.com".into()
        })]
    );
    assert!(!wb.enabled());
    assert!(wb.run(Op::Test).is_empty());
    wb.prepared(reply(json!({"ok": true})));
    assert!(wb.enabled());
    let line = text_of(&wb.report().unwrap().line);
    assert!(line.starts_with("The org is ready"), "{line}");

    wb.run(Op::Remove);
    wb.removed(reply(json!({"ok": {"removed": 6}})));
    assert_eq!(
        text_of(&wb.report().unwrap().line),
        "Removed 6 test records."
    );
}

fn text_of(parts: &[write_back::Inline]) -> String {
    parts
        .iter()
        .map(|p| match p {
            write_back::Inline::Text(t) | write_back::Inline::Error(t) => english(t),
            write_back::Inline::Link { text, url } => format!("[{}]({url})", english(text)),
        })
        .collect()
}

#[test]
fn a_test_run_links_what_it_made_and_says_why_an_activity_was_refused() {
    let mut options = with_orgs();
    let wb = &mut options.write_back;
    wb.select("acme.my.salesforce.com");
    wb.run(Op::Test);
    let run: Reply<TestRun> = reply(json!({"ok": {
    "contact": {"ok": {"object": "Contact", "id": "003A", "url": "https://acme.lightning.force.com/lightning/r/Contact/003A/view"}},
    "activities": [
        {"kind": "note", "ok": {"object": "ContentNote", "id": "069A", "kind": "note", "url": "https://acme.lightning.force.com/lightning/r/ContentNote/069A/view"}},
        {"kind": "inMail", "ok": {"object": "Task", "id": "00TA", "kind": "inMail", "url": "javascript:alert(1)"}},
        {"kind": "call", "error": {"code": "crm", "crm": {"kind": "rejected", "code": "FIELD_CUSTOM_VALIDATION_EXCEPTION", "message": "Calls need a Status", "status": 400, "retryAfter": null}}},
        {"kind": "tag", "error": {"code": "crm"}}
    ]}}));
    wb.tested(run);
    let report = wb.report().unwrap();
    assert!(!report.error);
    assert_eq!(
        text_of(&report.line),
        "Test Contact created. [View in CRM](https://acme.lightning.force.com/lightning/r/Contact/003A/view)"
    );
    let lines: Vec<(&str, String)> = report
        .activities
        .iter()
        .map(|l| (l.kind.as_str(), text_of(&l.parts)))
        .collect();
    assert_eq!(lines[0], ("note", "Note: written [View in CRM](https://acme.lightning.force.com/lightning/r/ContentNote/069A/view)".to_string()));
    assert_eq!(
        lines[1],
        ("inMail", "InMail: written".to_string()),
        "only https links"
    );
    assert!(lines[2]
        .1
        .starts_with("Call: Your CRM says: “Calls need a Status” A validation rule"));
    assert_eq!(
        lines[3].1,
        "Tags: That did not go through. Please try again."
    );
    assert!(matches!(
        report.activities[2].parts[1],
        write_back::Inline::Error(_)
    ));
}

#[test]
fn a_refused_contact_or_a_lost_session_says_what_to_do() {
    let mut options = with_orgs();
    let wb = &mut options.write_back;
    wb.select("acme.my.salesforce.com");
    wb.run(Op::Test);
    wb.tested(reply(json!({"ok": {"contact": {"error": {"code": "crm", "crm": {"kind": "rejected", "code": "V", "message": "Email is required", "status": 400, "retryAfter": null}}}, "activities": []}})));
    let report = wb.report().unwrap();
    assert!(report.error);
    let line = text_of(&report.line);
    assert!(
        line.starts_with(
            "The CRM did not accept the test Contact. Your CRM says: “Email is required”"
        ),
        "{line}"
    );

    wb.run(Op::Test);
    wb.tested(reply(json!({"error": {"code": "crm", "crm": {"kind": "sessionExpired", "code": "NO_SESSION", "message": "", "status": 401, "retryAfter": null}}})));
    assert_eq!(
        text_of(&wb.report().unwrap().line),
        "Sign in to Salesforce in this browser, then try again."
    );

    wb.run(Op::Remove);
    wb.removed(Reply::no_answer("no answer"));
    assert_eq!(
        text_of(&wb.report().unwrap().line),
        "That did not go through: no answer"
    );
}
