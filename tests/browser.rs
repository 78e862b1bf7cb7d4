//! wasm-bindgen tests in real browsers (Chromium and Firefox): the panel renders CRM and
//! profile text as text, explains matches in the user's words, reports the user's actions,
//! and shows errors with advice. The activity section's tests are in `browser/activity.rs`,
//! the extension pages' in `browser/pages.rs`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use crmsync::crm::{CrmError, CrmErrorKind, RecordSummary, RecordType};
use crmsync::linking::ProfileMatch;
use crmsync::matching::{Field, MatchLevel, MatchSource, Person};
use crmsync::page;
use crmsync::panel_model::{Linked, PanelModel};
use crmsync::profiles::{Origin, Profile};
use crmsync::settings::seat::Access;
use crmsync::ui::panel::{Action, Panel};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "browser/activity.rs"]
mod activity;
#[path = "browser/pages.rs"]
mod pages;

fn root() -> Element {
    let doc = gloo::utils::document();
    let el = doc.create_element("main").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

/// A panel whose translations show the key asked for, and whose actions are recorded.
fn panel(root: &Element) -> (Panel, Rc<RefCell<Vec<Action>>>) {
    let actions = Rc::new(RefCell::new(Vec::new()));
    let sink = actions.clone();
    let translate = Box::new(|key: &str, subs: &[&str]| match key {
        "matchedOn" => format!("Matched on {}.", subs[0]),
        "listAnd" => " and ".to_string(),
        other if subs.is_empty() => format!("[{other}]"),
        other => format!("[{other} {}]", subs.join(" ")),
    });
    let panel = Panel::new(
        root.clone(),
        translate,
        Rc::new(move |a| sink.borrow_mut().push(a)),
    )
    .unwrap();
    (panel, actions)
}

fn record(name: &str) -> RecordSummary {
    RecordSummary {
        record_type: RecordType::Contact,
        id: "0035g0000000001AAA".into(),
        name: name.into(),
        fields: vec![("Title".into(), "CTO".into())],
    }
}

fn linked(name: &str, url: &str) -> Linked {
    Linked {
        profile: Profile {
            person: Person {
                id: "url:in/ada".into(),
                full_name: Some(name.into()),
                company: Some("Acme".into()),
                profile_url: Some(url.into()),
                ..Person::default()
            },
            origin: Origin::ConnectionsExport,
            connected_on: None,
        },
        link: ProfileMatch {
            profile_id: "url:in/ada".into(),
            record_id: Some("0035g0000000001AAA".into()),
            score: 0.97,
            level: MatchLevel::Match,
            agreed: vec![
                Field::LastName,
                Field::Company,
                Field::Email,
                Field::FirstName,
            ],
            differed: vec![],
            company_changed: true,
            source: MatchSource::Model,
        },
    }
}

fn model(linked: Option<Linked>) -> PanelModel {
    PanelModel {
        record: record("Ada Lovelace"),
        linked,
        people: vec![],
        syncing: false,
        last_synced: None,
        sync_error: None,
        access: Access::Enabled,
    }
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector}"))
        .text_content()
        .unwrap()
}

#[wasm_bindgen_test]
fn shows_the_matched_profile_and_why() {
    let root = root();
    panel(&root)
        .0
        .show(&model(Some(linked(
            "Ada Lovelace",
            "https://www.linkedin.com/in/ada",
        ))))
        .unwrap();
    assert_eq!(text(&root, ".profile-name"), "Ada Lovelace");
    assert_eq!(
        text(&root, ".explanation"),
        "Matched on [factName], [factCompany] and [factEmail]."
    );
    assert_eq!(text(&root, ".level"), "[levelMatch] · [confidence 97]");
    assert_eq!(text(&root, ".company-changed"), "[companyChanged]");
    assert_eq!(text(&root, ".record-name"), "Ada Lovelace");
    assert_eq!(
        root.query_selector(".profile-link")
            .unwrap()
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("https://www.linkedin.com/in/ada/")
    );
    assert_eq!(root.get_attribute("aria-busy").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
fn view_profile_links_only_to_the_network() {
    // An imported file or a CRM field may hold any https URL; the panel links to none of them.
    for url in [
        "https://evil.example/in/ada",
        "https://linkedin.com.evil.example/in/ada",
    ] {
        let root = root();
        panel(&root)
            .0
            .show(&model(Some(linked("Ada Lovelace", url))))
            .unwrap();
        assert!(
            root.query_selector(".profile-link").unwrap().is_none(),
            "{url} must not become a link"
        );
    }
}

#[wasm_bindgen_test]
fn markup_and_script_urls_stay_inert() {
    let root = root();
    let payload = "<img src=x onerror=\"window.__pwned=1\"></script>";
    panel(&root)
        .0
        .show(&model(Some(linked(payload, "javascript:window.__pwned=1"))))
        .unwrap();
    assert!(root.query_selector("img").unwrap().is_none());
    assert_eq!(text(&root, ".profile-name"), payload);
    assert!(
        root.query_selector(".profile-link").unwrap().is_none(),
        "javascript: URL must not become a link"
    );
}

#[wasm_bindgen_test]
fn actions_are_reported_not_performed() {
    let root = root();
    let (view, actions) = panel(&root);
    view.show(&model(Some(linked(
        "Ada",
        "https://www.linkedin.com/in/ada",
    ))))
    .unwrap();
    root.query_selector("button.reject")
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    let input: HtmlInputElement = root
        .query_selector(".profile-search input")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value("joao");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    assert_eq!(
        *actions.borrow(),
        vec![
            Action::Reject {
                profile_id: "url:in/ada".into()
            },
            Action::Search {
                query: "joao".into()
            }
        ]
    );
}

#[wasm_bindgen_test]
fn no_match_invites_correction() {
    let root = root();
    panel(&root).0.show(&model(None)).unwrap();
    assert_eq!(text(&root, ".no-profile"), "[noProfile]");
    assert!(root
        .query_selector(".profile-search input")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
fn a_user_crm_sync_is_not_on_for_sees_the_matches_read_only_and_why() {
    let root = root();
    let read_only = PanelModel {
        access: Access::NotEnabled,
        ..model(Some(linked("Ada", "https://www.linkedin.com/in/ada")))
    };
    panel(&root).0.show(&read_only).unwrap();
    assert_eq!(text(&root, ".read-only"), "[panelNotEnabled]");
    assert_eq!(text(&root, ".profile-name"), "Ada", "the match is shown");
    for control in ["button.reject", ".profile-search input"] {
        assert!(root.query_selector(control).unwrap().is_none(), "{control}");
    }
}

#[wasm_bindgen_test]
fn expired_session_asks_to_sign_in_and_shows_the_crm_message() {
    let root = root();
    let error = CrmError::new(
        CrmErrorKind::SessionExpired,
        401,
        "INVALID_SESSION_ID",
        "Session expired or invalid",
    );
    panel(&root).0.show_error(&error.into()).unwrap();
    let alert = text(&root, "[role=alert]");
    assert!(alert.contains("[errorSignIn]"), "{alert}");
    assert!(alert.contains("Session expired or invalid"), "{alert}");
}

#[wasm_bindgen_test]
fn a_refusal_of_the_core_reads_in_its_words_never_its_code() {
    let root = root();
    let problem = crmsync::answer::Problem::new(crmsync::answer::Code::NotThisPage);
    panel(&root).0.show_error(&problem).unwrap();
    assert_eq!(text(&root, "[role=alert]"), "[failNotThisPage]");
}

#[wasm_bindgen_test]
fn page_detection_works_in_wasm() {
    let detected = page::detect(
        "https://acme.crm4.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id={5A1B2C3D-0000-4E5F-8A9B-0C1D2E3F4A5B}",
    );
    assert!(matches!(detected, Some(page::Page::Record { .. })));
}
