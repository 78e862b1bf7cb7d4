//! Profiles in the background core, against the in-memory host: imports in batches with
//! progress and duplicates, captures and manual entry, the typeahead, pasted profile URLs,
//! and every change re-matched in the synced orgs.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{json, Value};

use super::handle::{handle, handle_reporting, SenderInfo};
use super::profiles::BATCH;
use super::{Background, Event};
use crate::host::fake::{block_on, FakeHost, FakeStore};
use crate::host::{Host, Key, Query, Write};
use crate::matching::Person;
use crate::message::{ImportFormat, Request};
use crate::profiles::api::ImportProgress;
use crate::profiles::capture::PageData;
use crate::store::{Meta, Store};

const SF: &str = "acme.my.salesforce.com";
const CONTACT: &str = "0035g00000ABCDeAAP";
const RECORD_PAGE: &str =
    "https://acme.lightning.force.com/lightning/r/Contact/0035g00000ABCDeAAP/view";

fn background() -> Rc<Background<FakeHost>> {
    // No CRM: profile work never asks one.
    Background::new(FakeHost::new(Rc::new(FakeStore::default()), |_| None))
}

fn ask(bg: &Rc<Background<FakeHost>>, request: Request) -> Value {
    ask_in(bg, request, RECORD_PAGE)
}

/// `request` from a sender in a tab showing `tab_url`.
fn ask_in(bg: &Rc<Background<FakeHost>>, request: Request, tab_url: &str) -> Value {
    block_on(handle(bg, request, SenderInfo::in_tab(tab_url))).unwrap()
}

/// Ada Lovelace's member page, as its structured data says.
fn ada_page_data() -> PageData {
    PageData {
        json_ld: vec![
            r#"{"@type":"Person","name":"Ada Lovelace","email":"ada@acme.test","url":"https://www.linkedin.com/in/ada-lovelace"}"#.into(),
        ],
        ..PageData::default()
    }
}

/// A synced Salesforce org holding Ada Lovelace's Contact.
fn synced_org(bg: &Background<FakeHost>) {
    let record = json!({"apiHost": SF, "recordType": "contact", "id": CONTACT, "name": "Ada Lovelace",
        "person": {"id": CONTACT, "first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.test",
            "company": "Acme"}});
    let synced = json!({"key": Meta::LastSynced(SF).key(), "value": 1.0, "crm": "salesforce"});
    block_on(bg.host.write(vec![
        Write::Put {
            store: Store::Records,
            value: record,
        },
        Write::Put {
            store: Store::Meta,
            value: synced,
        },
    ]))
    .unwrap();
}

fn match_of(bg: &Background<FakeHost>, profile_id: &str) -> Option<Value> {
    block_on(bg.host.get(Store::Matches, &Key::pair(SF, profile_id))).unwrap()
}

fn csv(rows: usize) -> String {
    let mut text = String::from("First Name,Last Name,URL,Email Address,Company,Position\n");
    for n in 0..rows {
        text.push_str(&format!(
            "Person,N{n},https://www.linkedin.com/in/p{n},,Co {n},Role\n"
        ));
    }
    text
}

fn import(bg: &Rc<Background<FakeHost>>, text: String) -> (Value, Vec<ImportProgress>) {
    let (answer, steps) = import_answer(bg, text);
    (answer["ok"].clone(), steps)
}

/// The import's whole answer (`{ok}` or `{error}`), and its progress.
fn import_answer(bg: &Rc<Background<FakeHost>>, text: String) -> (Value, Vec<ImportProgress>) {
    let steps = RefCell::new(Vec::new());
    let request = Request::ImportProfiles {
        format: ImportFormat::ConnectionsCsv,
        text,
    };
    let report = |step| steps.borrow_mut().push(step);
    let summary = block_on(handle_reporting(
        bg,
        request,
        SenderInfo::default(),
        &report,
    ))
    .unwrap();
    (summary, steps.into_inner())
}

#[test]
fn an_import_stores_batches_with_progress_skips_repeats_and_changes_nothing_twice() {
    let bg = background();
    let mut text = csv(1_200);
    text.push_str("Person,N7,https://www.linkedin.com/in/p7,,Co 7,Role\n");
    let (summary, steps) = import(&bg, text.clone());
    assert_eq!(summary["added"], 1_200);
    assert_eq!(summary["updated"], 0);
    assert_eq!(
        summary["skipped"],
        json!([{"line": 1_202, "reason": {"kind": "duplicate", "firstLine": 9}}])
    );
    let done: Vec<(usize, usize)> = steps.iter().map(|s| (s.done, s.total)).collect();
    assert_eq!(
        done,
        [
            (0, 1_200),
            (BATCH, 1_200),
            (2 * BATCH, 1_200),
            (1_200, 1_200)
        ]
    );
    // The worker is kept alive between batches (IndexedDB alone does not count).
    assert!(bg.host.keep_alives.get() >= 3);
    assert_eq!(ask(&bg, Request::CountProfiles)["ok"], 1_200);

    let (again, _) = import(&bg, text);
    assert_eq!(
        (again["added"].clone(), again["unchanged"].clone()),
        (json!(0), json!(1_200))
    );
}

/// The endings a file saved from a spreadsheet has (no last line end, a header alone) and an
/// unclosed quote: the user gets their rows, or a skip with its line; the core never traps.
#[test]
fn an_import_of_a_file_that_ends_badly_keeps_every_row_it_can_read() {
    let header = "First Name,Last Name,URL";
    let bg = background();
    let (summary, _) = import(
        &bg,
        format!("{header}\r\nAda,Lovelace,https://www.linkedin.com/in/ada"),
    );
    assert_eq!(
        (summary["added"].clone(), summary["skipped"].clone()),
        (json!(1), json!([]))
    );

    let (summary, _) = import(&bg, header.into());
    assert_eq!(
        (summary["added"].clone(), summary["skipped"].clone()),
        (json!(0), json!([]))
    );

    let unclosed = format!(
        "{header}\nGrace,\"Hopper,https://www.linkedin.com/in/grace\nAlan,Turing,https://www.linkedin.com/in/alan"
    );
    let (summary, _) = import(&bg, unclosed);
    assert_eq!(summary["added"], 1, "Alan, after the broken row");
    assert_eq!(
        summary["skipped"],
        json!([{"line": 2, "reason": {"kind": "unclosedQuote"}}])
    );
    assert_eq!(ask(&bg, Request::CountProfiles)["ok"], 2);
}

#[test]
fn an_import_merges_with_stored_profiles_and_relinks_what_changed() {
    let bg = background();
    synced_org(&bg);
    let first = "First Name,Last Name,URL,Email Address,Company,Position\n\
                 Augusta,King,https://www.linkedin.com/in/ada,,,\n";
    import(&bg, first.into());
    assert_eq!(
        match_of(&bg, "url:in/ada").unwrap()["recordId"],
        Value::Null
    );
    bg.host.events.borrow_mut().clear();

    // The same profile with its e-mail now: updated, and matched to the Contact.
    let second = "First Name,Last Name,URL,Email Address,Company,Position\n\
                  Ada,Lovelace,https://www.linkedin.com/in/ada,ada@acme.test,Acme,CTO\n";
    let (summary, _) = import(&bg, second.into());
    assert_eq!(
        (summary["added"].clone(), summary["updated"].clone()),
        (json!(0), json!(1))
    );
    let found = match_of(&bg, "url:in/ada").unwrap();
    assert_eq!(found["recordId"], CONTACT);
    assert_eq!(
        *bg.host.events.borrow(),
        [Event::LinksChanged {
            api_host: SF.into()
        }]
    );
}

#[test]
fn a_capture_is_keyed_like_the_tabs_page_and_answers_only_that_it_was_stored() {
    let bg = background();
    synced_org(&bg);
    let ada_page = "https://www.linkedin.com/in/ada-lovelace/?trk=x";
    let page = ada_page_data();
    let answer = ask_in(&bg, Request::CaptureProfile { page }, ada_page);
    // Nothing of the CRM: the content script's page must not learn who is in which CRM.
    assert_eq!(answer, json!({"ok": true}));
    assert!(match_of(&bg, "url:in/ada-lovelace").is_some());

    let og_only = PageData {
        open_graph: vec![(
            "og:title".into(),
            "Grace Hopper - Admiral | LinkedIn".into(),
        )],
        ..PageData::default()
    };
    let grace_page = "https://www.linkedin.com/in/grace-hopper/";
    assert_eq!(
        ask_in(&bg, Request::CaptureProfile { page: og_only }, grace_page),
        json!({"ok": true})
    );
    let stored = block_on(
        bg.host
            .get(Store::Profiles, &Key::from("url:in/grace-hopper")),
    )
    .unwrap()
    .unwrap();
    assert_eq!(stored["origin"], "pageCapture");
    assert_eq!(stored["person"]["profile_url"], grace_page);

    // A page that names nobody stores nothing.
    let nobody = PageData {
        title: "Page not found | LinkedIn".into(),
        ..PageData::default()
    };
    let nobody_page = "https://www.linkedin.com/in/nobody";
    assert_eq!(
        ask_in(&bg, Request::CaptureProfile { page: nobody }, nobody_page),
        json!({"ok": false})
    );
    assert_eq!(ask(&bg, Request::CountProfiles)["ok"], 2);
}

#[test]
fn a_page_cannot_write_a_profile_its_tab_does_not_show() {
    let bg = background();
    let claims = |url: &str| PageData {
        json_ld: vec![format!(
            r#"{{"@type":"Person","name":"Mallory","email":"mallory@evil.test","url":"{url}"}}"#
        )],
        ..PageData::default()
    };
    let ada_page = "https://www.linkedin.com/in/ada-lovelace/";
    let bob = "https://www.linkedin.com/in/bob";
    // JSON-LD naming another member than the tab shows; a tab off the network or on another
    // network page; no tab at all: nothing is stored under any key.
    for (tab, page) in [
        (ada_page, claims(bob)),
        ("https://evil.example/in/bob", claims(bob)),
        ("https://www.linkedin.com/feed/", claims(bob)),
        ("", claims(bob)),
    ] {
        assert_eq!(
            ask_in(&bg, Request::CaptureProfile { page }, tab),
            json!({"ok": false}),
            "{tab}"
        );
    }
    assert_eq!(ask(&bg, Request::CountProfiles)["ok"], 0);
}

#[test]
fn a_typed_in_profile_needs_a_name_and_is_merged_like_any_other() {
    let bg = background();
    let nameless = Request::AddProfile {
        person: Person::default(),
    };
    assert_eq!(ask(&bg, nameless), json!({"error": {"code": "noName"}}));
    let ada = Person {
        full_name: Some("Ada Lovelace".into()),
        company: Some("Acme".into()),
        ..Person::default()
    };
    let added = ask(
        &bg,
        Request::AddProfile {
            person: ada.clone(),
        },
    );
    assert_eq!(
        added,
        json!({"ok": {"added": 1, "updated": 0, "unchanged": 0}})
    );
    let again = ask(&bg, Request::AddProfile { person: ada });
    assert_eq!(
        again,
        json!({"ok": {"added": 0, "updated": 0, "unchanged": 1}})
    );
}

#[test]
fn the_typeahead_follows_profile_changes() {
    let bg = background();
    let search = |query: &str| {
        let found = ask(
            &bg,
            Request::SearchProfiles {
                query: query.into(),
            },
        );
        let ids: Vec<String> = found["ok"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["person"]["id"].as_str().unwrap().to_string())
            .collect();
        ids
    };
    import(&bg, csv(20));
    assert_eq!(
        search("person n1"),
        [
            "url:in/p1",
            "url:in/p10",
            "url:in/p11",
            "url:in/p12",
            "url:in/p13",
            "url:in/p14",
            "url:in/p15",
            "url:in/p16"
        ]
    );
    assert!(search("ada").is_empty());
    // A new profile drops the cached profiles: the next keystroke finds it.
    let ada = Person {
        full_name: Some("Ada Lovelace".into()),
        ..Person::default()
    };
    ask(&bg, Request::AddProfile { person: ada });
    assert_eq!(search("ada"), ["name:ada lovelace|"]);
}

#[test]
fn a_pasted_profile_url_is_stored_matched_and_linked_to_the_record() {
    let bg = background();
    synced_org(&bg);
    let link = |profile_url: &str| {
        ask(
            &bg,
            Request::LinkProfileUrl {
                url: RECORD_PAGE.into(),
                profile_url: profile_url.into(),
            },
        )
    };
    assert_eq!(
        link("Ada Lovelace"),
        json!({"error": {"code": "notAProfileUrl"}})
    );
    // A member-shaped path off the network is no profile: the panel would link off-site.
    assert_eq!(
        link("https://evil.example/in/countess-ada"),
        json!({"error": {"code": "notAProfileUrl"}})
    );
    assert_eq!(ask(&bg, Request::CountProfiles)["ok"], 0);

    assert_eq!(
        link("https://www.linkedin.com/in/countess-ada/"),
        json!({"ok": true})
    );
    let overrides = block_on(bg.host.get_all(Store::Overrides, &Query::All)).unwrap();
    assert_eq!(overrides.len(), 1);
    assert_eq!(overrides[0]["links"]["url:in/countess-ada"], CONTACT);
    assert_eq!(
        match_of(&bg, "url:in/countess-ada").unwrap()["recordId"],
        CONTACT
    );

    // Not on a record page: refused before anything is stored.
    let home = "https://acme.lightning.force.com/lightning/page/home";
    let elsewhere = Request::LinkProfileUrl {
        url: home.into(),
        profile_url: "https://www.linkedin.com/in/someone".into(),
    };
    assert_eq!(ask_in(&bg, elsewhere, home)["error"]["code"], "notAPage");
    assert_eq!(ask(&bg, Request::CountProfiles)["ok"], 1);
}

#[test]
fn a_profile_panel_reads_each_store_entry_once() {
    let bg = background();
    synced_org(&bg);
    let ada_page = "https://www.linkedin.com/in/ada-lovelace/";
    let page = ada_page_data();
    ask_in(&bg, Request::CaptureProfile { page }, ada_page);
    bg.host.reads.take();
    let url = ada_page.to_string();
    let answer = ask_in(&bg, Request::GetPanel { url }, ada_page);
    assert_eq!(answer["ok"]["inCrm"][0]["name"], "Ada Lovelace", "{answer}");
    assert_eq!(answer["ok"]["activity"]["about"]["recordId"], CONTACT);
    assert_eq!(super::tests::repeated_reads(&bg.host), Vec::<String>::new());
}

/// The import runs in the rare module (rare.rs); the start module re-matches what changed.
#[test]
fn an_import_by_the_rare_module_reaches_the_start_modules_typeahead_and_matches() {
    let bg = background();
    synced_org(&bg);
    let search = |query: &str| {
        ask(
            &bg,
            Request::SearchProfiles {
                query: query.into(),
            },
        )
    };
    assert_eq!(search("ada")["ok"], json!([]));
    let file = "First Name,Last Name,URL,Email Address,Company,Position\n\
                Ada,Lovelace,https://www.linkedin.com/in/ada,ada@acme.test,Acme,CTO\n";
    let (summary, _) = import(&bg, file.into());
    assert_eq!(summary["added"], 1);
    assert_eq!(search("ada")["ok"][0]["person"]["id"], "url:in/ada");
    assert_eq!(match_of(&bg, "url:in/ada").unwrap()["recordId"], CONTACT);
}

#[test]
fn the_rare_module_matches_and_leaves_panels_and_items_to_the_start_module() {
    let bg = background();
    synced_org(&bg);
    let message = json!({"importProfiles": {"format": "connectionsCsv",
        "text": "First Name,Last Name,URL\nAda,Lovelace,https://www.linkedin.com/in/ada\n"}});
    let reply = block_on(super::rare::answer(
        bg.host.clone(),
        Default::default(),
        &message.to_string(),
        SenderInfo::default(),
        &|_| {},
    ))
    .unwrap();
    assert_eq!(reply.answer["ok"]["added"], 1);
    assert_eq!(reply.relink, ["url:in/ada"]);
    assert_eq!(match_of(&bg, "url:in/ada").unwrap()["recordId"], CONTACT);
    assert_eq!(
        reply.links_changed,
        [SF],
        "the start module tells the org's panels"
    );
    assert!(
        bg.host.events.borrow().is_empty(),
        "no panel told from there"
    );
}

#[test]
fn an_import_without_the_rare_module_says_so_and_works_once_it_is_back() {
    let bg = background();
    synced_org(&bg);
    let file = "First Name,Last Name,URL\nAda,Lovelace,https://www.linkedin.com/in/ada\n";
    bg.host.rare_missing.set(true);
    let (answer, _) = import_answer(&bg, file.into());
    assert_eq!(answer["error"]["code"], "partNotLoaded", "{answer}");
    assert_eq!(answer["error"]["detail"], "TypeError: Failed to fetch");
    assert_eq!(ask(&bg, Request::CountProfiles)["ok"], 0, "nothing stored");
    bg.host.rare_missing.set(false);
    let (summary, _) = import(&bg, file.into());
    assert_eq!(summary["added"], 1);
}
