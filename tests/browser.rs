//! wasm-bindgen tests in real browsers (Chromium and Firefox): the panel UI renders CRM text
//! as text, shows errors with advice, and the page detection works compiled to wasm.
#![cfg(target_arch = "wasm32")]

use crmsync::crm::{CrmError, CrmErrorKind, RecordSummary, RecordType};
use crmsync::page;
use crmsync::ui::panel::Panel;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

fn root() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el = doc.create_element("main").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

/// Translation that shows which key was asked for.
fn panel(root: &Element) -> Panel {
    Panel::new(root.clone(), Box::new(|key: &str| format!("[{key}]"))).unwrap()
}

fn record(name: &str) -> RecordSummary {
    RecordSummary {
        record_type: RecordType::Contact,
        id: "0035g0000000001AAA".into(),
        name: name.into(),
        fields: vec![("Title".into(), "CTO".into())],
    }
}

#[wasm_bindgen_test]
fn shows_the_record_name_type_and_fields() {
    let root = root();
    panel(&root).show_record(&record("Ada Lovelace")).unwrap();
    let name = root.query_selector(".record-name").unwrap().unwrap();
    assert_eq!(name.text_content().unwrap(), "Ada Lovelace");
    let text = root.text_content().unwrap();
    assert!(text.contains("[recordType_Contact]"), "{text}");
    assert!(text.contains("[field_Title]CTO"), "{text}");
    assert_eq!(root.get_attribute("aria-busy").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
fn markup_in_crm_fields_stays_text() {
    let root = root();
    let payload = "<img src=x onerror=\"window.__pwned=1\"></script>";
    panel(&root).show_record(&record(payload)).unwrap();
    assert!(root.query_selector("img").unwrap().is_none());
    let name = root.query_selector(".record-name").unwrap().unwrap();
    assert_eq!(name.text_content().unwrap(), payload);
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
    panel(&root).show_error(&error).unwrap();
    let alert = root.query_selector("[role=alert]").unwrap().unwrap();
    let text = alert.text_content().unwrap();
    assert!(text.contains("[errorSignIn]"), "{text}");
    assert!(text.contains("Session expired or invalid"), "{text}");
}

#[wasm_bindgen_test]
fn loading_replaces_previous_content() {
    let root = root();
    let view = panel(&root);
    view.show_record(&record("Ada")).unwrap();
    view.show_loading().unwrap();
    assert!(root.query_selector(".record-name").unwrap().is_none());
    assert_eq!(root.get_attribute("aria-busy").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
fn page_detection_works_in_wasm() {
    let detected = page::detect(
        "https://acme.crm4.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id={5A1B2C3D-0000-4E5F-8A9B-0C1D2E3F4A5B}",
    );
    assert!(matches!(detected, Some(page::Page::Record { .. })));
}
