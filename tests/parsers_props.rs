//! Property tests of every parser a file, a page or a message reaches (the CRM's answers are
//! in `tests/crm_answers_props.rs`): generated valid-ish input, mutated, truncated anywhere.
//! Each asserts no panic (the wasm aborts on one) and an invariant of its parser. They are the
//! `fuzz/` targets' reach inside `cargo test`; docs/fuzzing.md says how both run.
#![cfg(not(target_arch = "wasm32"))]

mod hostile;

use crmsync::matching::csv_input::read_people;
use crmsync::matching::{MatchIndex, Person};
use crmsync::message::{self, ImportFormat, Sender};
use crmsync::page::{self, AnyPage, Page};
use crmsync::profiles::api::parse_file;
use crmsync::profiles::capture::{from_page, PageData};
use crmsync::profiles::Parsed;
use hostile::{config, csv_field, every_prefix, json_value, mutated, odd_text, SNIPPETS};
use proptest::prelude::*;
use serde_json::{json, Value};

const HEADER: &str = "First Name,Last Name,URL,Email Address,Company,Position,Connected On";

/// What every import must hold: skips name real lines in order, profiles are keyed once.
fn check_parsed(text: &str, parsed: &Parsed) {
    let lines = text.split('\n').count();
    let mut previous = 0;
    for skip in &parsed.skipped {
        assert!(
            skip.line >= 1 && skip.line <= lines,
            "{skip:?} of {lines} lines"
        );
        assert!(skip.line >= previous, "skips in line order");
        previous = skip.line;
    }
    let mut ids: Vec<&str> = parsed
        .profiles
        .iter()
        .map(|p| p.person.id.as_str())
        .collect();
    assert!(ids.iter().all(|id| !id.is_empty()));
    ids.sort_unstable();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "each profile once");
}

/// A row of the export: first, last, company, position (the URL keys it uniquely).
fn export_row() -> impl Strategy<Value = [String; 4]> {
    let first = "[A-Za-zÀ-ÿ]{1,10}";
    let last = "[A-Za-zÀ-ÿ' -]{0,6}[A-Za-z]";
    (first, last, odd_text(), odd_text()).prop_map(|(f, l, c, p)| [f, l, c, p])
}

/// The export as a spreadsheet may save it: notes first or not, CRLF or LF, quoting where
/// needed or everywhere, a final line end or none.
fn export_text(
    rows: &[[String; 4]],
    crlf: bool,
    quote_all: bool,
    notes: bool,
    last_end: bool,
) -> String {
    let end = if crlf { "\r\n" } else { "\n" };
    let mut text = String::new();
    if notes {
        text.push_str(&format!(
            "Notes:{end}\"Some e-mail addresses may be missing.\"{end}{end}"
        ));
    }
    text.push_str(HEADER);
    for (i, [first, last, company, position]) in rows.iter().enumerate() {
        let url = format!("https://www.linkedin.com/in/p{i}");
        let cells = [first, last, &url, "", company, position, "01 Jan 2020"];
        let cells: Vec<String> = cells.iter().map(|c| csv_field(c, quote_all)).collect();
        text.push_str(end);
        text.push_str(&cells.join(","));
    }
    if last_end {
        text.push_str(end);
    }
    text
}

fn trimmed(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn an_export_as_a_spreadsheet_saves_it_imports_every_row(
        rows in prop::collection::vec(export_row(), 0..12),
        (crlf, quote_all, notes, last_end) in any::<(bool, bool, bool, bool)>(),
    ) {
        let text = export_text(&rows, crlf, quote_all, notes, last_end);
        let parsed = parse_file(ImportFormat::ConnectionsCsv, &text);
        check_parsed(&text, &parsed);
        prop_assert_eq!(&parsed.skipped, &vec![]);
        prop_assert_eq!(parsed.profiles.len(), rows.len());
        for (profile, [first, last, company, position]) in parsed.profiles.iter().zip(&rows) {
            prop_assert_eq!(&profile.person.first_name, &trimmed(first));
            prop_assert_eq!(&profile.person.last_name, &trimmed(last));
            prop_assert_eq!(&profile.person.company, &trimmed(company));
            prop_assert_eq!(&profile.person.title, &trimmed(position));
        }
    }

    #[test]
    fn a_mangled_export_imports_what_it_can_and_names_the_rest(
        text in mutated(
            (prop::collection::vec(export_row(), 0..8), any::<(bool, bool, bool, bool)>())
                .prop_map(|(rows, (a, b, c, d))| export_text(&rows, a, b, c, d)),
        ),
    ) {
        check_parsed(&text, &parse_file(ImportFormat::ConnectionsCsv, &text));
    }

    #[test]
    fn any_text_read_as_either_format_never_panics(text in odd_text()) {
        check_parsed(&text, &parse_file(ImportFormat::ConnectionsCsv, &text));
        check_parsed(&text, &parse_file(ImportFormat::VCard, &text));
    }
}

/// A card with a name, an e-mail and a profile URL; long lines folded at random places.
fn vcard_text(cards: &[(String, String)], fold_at: usize, crlf: bool) -> String {
    let end = if crlf { "\r\n" } else { "\n" };
    let mut text = String::new();
    for (i, (name, org)) in cards.iter().enumerate() {
        let escaped = |t: &str| {
            t.replace('\\', "\\\\")
                .replace(',', "\\,")
                .replace(';', "\\;")
        };
        let lines = [
            "BEGIN:VCARD".to_string(),
            "VERSION:3.0".to_string(),
            format!("FN:{}", escaped(name)),
            format!("ORG:{};Sales", escaped(org)),
            format!("X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/c{i}"),
            "END:VCARD".to_string(),
        ];
        for line in lines {
            let chars: Vec<char> = line.chars().collect();
            for (n, chunk) in chars.chunks(fold_at.max(2)).enumerate() {
                text.push_str(if n == 0 { "" } else { " " });
                text.extend(chunk);
                text.push_str(end);
            }
        }
    }
    text
}

fn card_text() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÿ,;:\\\\]{1,12}( [A-Za-zÀ-ÿ]{1,12})?"
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn cards_unfold_and_unescape_to_what_was_written(
        cards in prop::collection::vec((card_text(), card_text()), 0..8),
        fold_at in 2usize..80,
        crlf in any::<bool>(),
    ) {
        let text = vcard_text(&cards, fold_at, crlf);
        let parsed = parse_file(ImportFormat::VCard, &text);
        check_parsed(&text, &parsed);
        prop_assert_eq!(parsed.profiles.len(), cards.len());
        for (profile, (name, org)) in parsed.profiles.iter().zip(&cards) {
            prop_assert_eq!(&profile.person.full_name, &trimmed(name));
            prop_assert_eq!(&profile.person.company, &trimmed(org));
        }
    }

    #[test]
    fn mangled_cards_never_panic(
        text in mutated(
            (prop::collection::vec((card_text(), odd_text()), 0..6), 2usize..80, any::<bool>())
                .prop_map(|(cards, fold, crlf)| vcard_text(&cards, fold, crlf)),
        ),
    ) {
        check_parsed(&text, &parse_file(ImportFormat::VCard, &text));
    }
}

#[test]
fn files_cut_at_every_character_never_panic() {
    let rows = [
        [
            "João".into(),
            "da Silva".into(),
            "Construtora \"SJ\", Ltda".into(),
            "Diretor\nComercial".into(),
        ],
        ["Ada".into(), "Lovelace".into(), "Acme".into(), "CTO".into()],
    ];
    let export = export_text(&rows, true, false, true, true);
    for prefix in every_prefix(&export) {
        check_parsed(prefix, &parse_file(ImportFormat::ConnectionsCsv, prefix));
    }
    let cards = vcard_text(&[("Jürgen Weiß".into(), "Müller\\, Söhne".into())], 9, true);
    for prefix in every_prefix(&cards) {
        check_parsed(prefix, &parse_file(ImportFormat::VCard, prefix));
    }
}

/// A JSON-LD `Person` as a profile page embeds it, alone, in an array or in `@graph`.
fn json_ld() -> impl Strategy<Value = String> {
    let person =
        (odd_text(), odd_text(), odd_text(), json_value()).prop_map(|(name, job, org, extra)| {
            json!({"@context": "http://schema.org", "@type": "Person", "name": name,
            "jobTitle": [job], "worksFor": [{"@type": "Organization", "name": org}],
            "url": "https://www.linkedin.com/in/someone", "extra": extra})
        });
    (person, 0..3usize).prop_map(|(person, wrap)| {
        match wrap {
            0 => person,
            1 => json!([{"@type": "WebPage"}, person]),
            _ => json!({"@graph": [person]}),
        }
        .to_string()
    })
}

/// A page's data and the URL of the tab it came from (the profile's key).
fn page_data() -> impl Strategy<Value = (String, PageData)> {
    (
        mutated(Just("https://www.linkedin.com/in/someone".to_string())),
        prop::option::of(odd_text()),
        odd_text(),
        prop::collection::vec(
            (
                prop::sample::select(&["og:title", "og:url", "profile:first_name", "x"][..]),
                odd_text(),
            ),
            0..4,
        ),
        prop::collection::vec(mutated(json_ld()), 0..3),
    )
        .prop_map(|(url, canonical_url, title, og, json_ld)| {
            let page = PageData {
                canonical_url,
                title,
                open_graph: og.into_iter().map(|(p, c)| (p.to_string(), c)).collect(),
                json_ld,
            };
            (url, page)
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_page_capture_is_a_keyed_profile_or_nobody((tab_url, page) in page_data()) {
        if let Some(profile) = from_page(&tab_url, &page) {
            prop_assert!(!profile.person.id.is_empty());
        }
    }
}

/// URLs of the shapes page detection knows, and mangled ones.
fn page_url() -> impl Strategy<Value = String> {
    let real = prop::sample::select(&[
        "https://acme.lightning.force.com/lightning/r/Contact/0035g00000ABCDeAAP/view",
        "https://acme--uat.sandbox.lightning.force.com/lightning/r/Lead/00Q5g00000ABCDeEAP/view",
        "https://acme.lightning.force.com/lightning/o/Account/list?filterName=Recent",
        "https://acme.crm.dynamics.com/main.aspx?appid=1&pagetype=entityrecord&etn=contact&id=8f1b2c3d-0000-0000-0000-000000000001",
        "https://acme.crm4.dynamics.com/main.aspx?pagetype=entitylist&etn=account",
        "https://www.linkedin.com/in/ada-lovelace/",
        "https://de.linkedin.com/in/j%C3%BCrgen",
    ][..]).prop_map(String::from);
    prop_oneof![3 => mutated(real), 1 => odd_text()]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_detected_page_names_its_org_and_record(url in page_url()) {
        match page::detect_any(&url) {
            Some(AnyPage::Crm(Page::Record { page_host, api_host, record_id, .. })) => {
                prop_assert!(!page_host.is_empty() && !api_host.is_empty());
                prop_assert!(!record_id.is_empty());
            }
            Some(AnyPage::Crm(Page::List { api_host, .. })) => prop_assert!(!api_host.is_empty()),
            Some(AnyPage::Network(_)) | None => {}
        }
        prop_assert_eq!(page::detect_any(&url), page::detect_any(&url));
    }
}

/// Messages of every kind as the extension sends them, with hostile values.
fn message_json() -> impl Strategy<Value = String> {
    let url = page_url();
    let kinds = (url, odd_text(), odd_text(), prop::collection::vec(odd_text(), 0..5)).prop_map(
        |(url, text, other, list)| {
            let pick: Vec<Value> = vec![
                json!({"detectPage": {"url": url}}),
                json!({"getPanel": {"url": url}}),
                json!({"captureProfile": {"page": {"url": url, "title": text, "jsonLd": list}}}),
                json!({"matchedRecords": {"url": url, "ids": list}}),
                json!({"importProfiles": {"format": "connectionsCsv", "text": text}}),
                json!({"importProfiles": {"format": "vCard", "text": text}}),
                json!({"searchProfiles": {"query": text}}),
                json!({"addProfile": {"person": {"id": "", "first_name": text, "last_name": other}}}),
                json!({"logItem": {"url": url, "copyToCrm": true,
                    "item": {"kind": "note", "subject": other, "body": text, "occurredAt": "2026-11-24T09:30:00Z", "tags": list}}}),
                json!({"linkProfileUrl": {"url": url, "profileUrl": text}}),
                json!({"retryItem": {"id": text}}),
                json!({"listItems": {"state": other}}),
                json!("countProfiles"),
            ];
            pick
        },
    );
    (kinds, any::<prop::sample::Index>()).prop_map(|(kinds, i)| i.get(&kinds).to_string())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_message_parses_to_one_its_sender_may_send_or_is_refused(
        json in prop_oneof![3 => mutated(message_json()), 1 => json_value().prop_map(|v| v.to_string())],
        from_page in any::<bool>(),
    ) {
        let sender = if from_page { Sender::ContentScript } else { Sender::ExtensionPage };
        if let Ok(request) = message::parse(&json, sender) {
            prop_assert!(request.allowed_from(sender));
            let again = serde_json::to_string(&request).unwrap();
            prop_assert_eq!(message::parse(&again, sender), Ok(request));
        }
    }
}

/// A people CSV as `crm-match` reads it.
fn people_csv() -> impl Strategy<Value = String> {
    let row = (odd_text(), odd_text(), odd_text());
    prop::collection::vec(row, 0..8).prop_map(|rows| {
        let mut text = String::from("id,first_name,last_name,company\n");
        for (i, (first, last, company)) in rows.iter().enumerate() {
            let cells = [
                format!("p{i}"),
                csv_field(first, false),
                csv_field(last, false),
                csv_field(company, false),
            ];
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        text
    })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn the_matching_csv_reader_gives_unique_people_or_a_line(text in mutated(people_csv())) {
        match read_people(text.as_bytes()) {
            Ok(people) => {
                let mut ids: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
                ids.sort_unstable();
                let n = ids.len();
                ids.dedup();
                prop_assert_eq!(ids.len(), n);
            }
            Err(e) => prop_assert!(e.line as usize <= text.split('\n').count() + 1, "{e}"),
        }
    }
}

fn index_bytes() -> Vec<u8> {
    let person = |id: &str, first: &str, last: &str| Person {
        id: id.into(),
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        company: Some("Acme".into()),
        ..Person::default()
    };
    MatchIndex::build(&[
        person("r1", "Ada", "Lovelace"),
        person("r2", "Grace", "Hopper"),
    ])
    .to_bytes()
}

fn query_does_not_panic(index: &MatchIndex) {
    let probe = Person {
        id: "p".into(),
        full_name: Some("Ada Lovelace".into()),
        ..Person::default()
    };
    let _ = index.query(&probe);
}

#[test]
fn a_stored_index_cut_at_every_byte_is_refused_or_answers() {
    let bytes = index_bytes();
    let index = MatchIndex::from_bytes(&bytes).expect("its own bytes read back");
    assert_eq!(index.to_bytes(), bytes, "round trip");
    for end in 0..bytes.len() {
        if let Ok(index) = MatchIndex::from_bytes(&bytes[..end]) {
            query_does_not_panic(&index);
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_corrupted_stored_index_is_refused_or_answers(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let mut bytes = index_bytes();
        for (at, byte) in flips {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        if let Ok(index) = MatchIndex::from_bytes(&bytes) {
            query_does_not_panic(&index);
        }
    }
}

#[test]
fn snippets_alone_never_panic_any_file_parser() {
    for s in SNIPPETS {
        for format in [ImportFormat::ConnectionsCsv, ImportFormat::VCard] {
            check_parsed(s, &parse_file(format, s));
        }
    }
}
