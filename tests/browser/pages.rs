//! The extension pages' views in real browsers, in English from `_locales`: the options page
//! reads an import summary from the Rust types (a repeated row names its first line), keeps
//! file and CRM text as text, and sends what its buttons ask; Unresolved Activities asks in
//! the page before discarding and gives focus back; the audit log names its export by day.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crmsync::ui::audit::AuditPage;
use crmsync::ui::options::OptionsPage;
use crmsync::ui::page::{OnPageAction, Outgoing};
use crmsync::ui::unresolved::UnresolvedPage;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

use super::{root, text};

const PAYLOAD: &str = "<img src=x onerror=\"window.__pwned=1\">";

/// `i18n.getMessage` over the English messages.
fn english() -> Box<crmsync::ui::Translate> {
    let json: HashMap<String, Value> =
        serde_json::from_str(include_str!("../../extension/_locales/en/messages.json")).unwrap();
    Box::new(move |key: &str, subs: &[&str]| {
        let mut message = json[key]["message"].as_str().unwrap().to_string();
        for (i, sub) in subs.iter().enumerate().rev() {
            message = message.replace(&format!("${}", i + 1), sub);
        }
        message
    })
}

/// What the page asked its JavaScript to do, as JSON.
type Sent = Rc<RefCell<Vec<Value>>>;

fn recorder() -> (OnPageAction, Sent) {
    let sent: Sent = Rc::default();
    let sink = sent.clone();
    let on_action: OnPageAction = Box::new(move |action: &Outgoing| {
        sink.borrow_mut()
            .push(serde_json::to_value(action).unwrap());
    });
    (on_action, sent)
}

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

/// The ticket of the last message of `type` sent.
fn ticket(sent: &Sent, kind: &str) -> u32 {
    sent.borrow()
        .iter()
        .rev()
        .find(|a| a["send"]["message"]["type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {:?}", sent.borrow()))["send"]["ticket"]
        .as_u64()
        .unwrap() as u32
}

fn click(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector}"))
        .unchecked_into::<HtmlElement>()
        .click();
}

/// The button with these words.
fn button(root: &Element, words: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .find(|b| b.text_content().as_deref() == Some(words))
        .unwrap_or_else(|| panic!("no button {words}"))
        .unchecked_into()
}

fn active_text() -> String {
    gloo::utils::document()
        .active_element()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn the_import_summary_names_the_line_a_row_repeats() {
    let root = root();
    let (on_action, sent) = recorder();
    let page = OptionsPage::new(root.clone(), english(), "en".into(), on_action).unwrap();
    page.start();
    assert_eq!(text(&root, "h1"), "crmsync settings");
    assert_eq!(text(&root, "#profile-count"), "", "unknown until answered");
    page.answer(ticket(&sent, "countProfiles"), js(r#"{"ok":5}"#));
    assert_eq!(text(&root, "#profile-count"), "5");

    page.file_read("Connections.csv", "First Name,Last Name\nAda,L\n".into());
    let import = sent.borrow().last().unwrap()["send"]["message"].clone();
    assert_eq!(import["type"], "importProfiles");
    assert_eq!(import["format"], "connectionsCsv");
    assert!(!page.import_message(js(r#"{"progress":{"done":0,"total":2}}"#)));
    let summary = format!(
        r#"{{"summary":{{"ok":{{"added":2,"updated":0,"unchanged":0,"skipped":[
            {{"line":4,"reason":{{"kind":"duplicate","firstLine":2}}}},
            {{"line":1,"reason":{{"kind":"malformed","detail":"{}"}}}}]}}}}}}"#,
        PAYLOAD.replace('"', "\\\"")
    );
    assert!(page.import_message(js(&summary)));
    let shown = text(&root, "#import-summary");
    assert!(
        shown.starts_with("Imported 2 new, updated 0, 0 unchanged, skipped 2."),
        "{shown}"
    );
    assert_eq!(
        text(&root, ".skipped li"),
        "Line 4: the same profile as line 2"
    );
    assert!(shown.contains(PAYLOAD), "file text stays text");
    assert!(root.query_selector("img").unwrap().is_none());
    assert_eq!(
        sent.borrow().last().unwrap()["send"]["message"]["type"],
        "countProfiles",
        "the count is asked for again"
    );
}

#[wasm_bindgen_test]
fn test_write_back_is_sent_for_the_chosen_org_and_shows_the_crm_words() {
    let root = root();
    let (on_action, sent) = recorder();
    let page = OptionsPage::new(root.clone(), english(), "en".into(), on_action).unwrap();
    page.start();
    page.answer(
        ticket(&sent, "listOrgs"),
        js(r#"{"ok":[{"apiHost":"acme.my.salesforce.com","crm":"salesforce"}]}"#),
    );
    let prepare = root.query_selector("#prepare-org").unwrap().unwrap();
    assert!(
        !prepare.has_attribute("hidden"),
        "a Salesforce org is prepared"
    );
    click(&root, "#test-write-back");
    assert!(prepare.has_attribute("disabled"), "one request at a time");
    assert_eq!(text(&root, "#writeback-result"), "Working…");
    let message = &sent.borrow().last().unwrap()["send"]["message"].clone();
    assert_eq!(message["apiHost"], "acme.my.salesforce.com");
    let answer = format!(
        r#"{{"ok":{{"contact":{{"ok":{{"object":"Contact","id":"003A","url":"https://acme.lightning.force.com/lightning/r/Contact/003A/view"}}}},
            "activities":[{{"kind":"call","error":{{"code":"crm","crm":{{"kind":"rejected","code":"V","message":"{}","status":400,"retryAfter":null}}}}}}]}}}}"#,
        PAYLOAD.replace('"', "\\\"")
    );
    page.answer(ticket(&sent, "testWriteBack"), js(&answer));
    assert!(!prepare.has_attribute("disabled"));
    let link = root.query_selector("#writeback-result a").unwrap().unwrap();
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://acme.lightning.force.com/lightning/r/Contact/003A/view")
    );
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener"));
    let call = root
        .query_selector("#writeback-result li")
        .unwrap()
        .unwrap();
    assert_eq!(call.get_attribute("data-kind").as_deref(), Some("call"));
    assert!(call.text_content().unwrap().contains(PAYLOAD));
    assert!(root.query_selector("img").unwrap().is_none());
}

fn unresolved_page(root: &Element) -> (UnresolvedPage, Sent) {
    let (on_action, sent) = recorder();
    let page = UnresolvedPage::new(root.clone(), english(), "en".into(), on_action).unwrap();
    page.start();
    let items = format!(
        r#"{{"ok":[{{"id":"u-1","kind":"note","subject":"{}","occurredAt":"2026-11-24T09:30:00Z",
             "about":{{"profileName":"Ada"}},"state":"unresolved","tags":[]}}]}}"#,
        PAYLOAD.replace('"', "\\\"")
    );
    let first = sent.borrow()[0]["send"]["ticket"].as_u64().unwrap() as u32;
    page.answer(first, js(&items));
    page.answer(first + 1, js(r#"{"ok":[]}"#));
    (page, sent)
}

#[wasm_bindgen_test]
fn discarding_asks_in_the_page_and_escape_gives_focus_back() {
    let root = root();
    let (page, sent) = unresolved_page(&root);
    assert_eq!(text(&root, "#unresolved-list strong"), PAYLOAD);
    assert!(root.query_selector("img").unwrap().is_none());
    assert!(!root
        .query_selector("#parked-empty")
        .unwrap()
        .unwrap()
        .has_attribute("hidden"));
    let time = root
        .query_selector("#unresolved-list time")
        .unwrap()
        .unwrap();
    assert_eq!(
        time.get_attribute("datetime").as_deref(),
        Some("2026-11-24T09:30:00.000Z")
    );

    let discard = button(&root, "Discard");
    discard.click();
    assert!(text(&root, ".tray [role=group]").starts_with("Discard “"));
    assert_eq!(active_text(), "Yes, discard");
    let sent_before = sent.borrow().len();
    let init = KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let escape = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    gloo::utils::document()
        .active_element()
        .unwrap()
        .dispatch_event(&escape)
        .unwrap();
    assert!(root.query_selector(".tray [role=group]").unwrap().is_none());
    assert_eq!(active_text(), "Discard", "focus is back on the button");
    assert_eq!(sent.borrow().len(), sent_before, "nothing was sent");

    discard.click();
    button(&root, "Yes, discard").click();
    let message = sent.borrow().last().unwrap()["send"]["message"].clone();
    assert_eq!(
        message,
        serde_json::json!({"type": "discardItem", "id": "u-1"})
    );
    page.answer(
        ticket(&sent, "discardItem"),
        js(r#"{"ok":{"id":"u-1","kind":"note","subject":"x","state":"discarded"}}"#),
    );
    assert_eq!(text(&root, "#status"), "Discarded “x”.");
    assert!(root.query_selector(".tray [role=group]").unwrap().is_none());
}

#[wasm_bindgen_test]
fn the_audit_log_lists_rows_and_names_its_export_by_day() {
    let root = root();
    let (on_action, sent) = recorder();
    let page = AuditPage::new(root.clone(), english(), "en".into(), on_action).unwrap();
    page.start();
    page.answer(
        ticket(&sent, "listAudit"),
        js(r#"{"ok":[{"kind":"call","subject":"newer","apiHost":"acme.crm.dynamics.com","recordType":"contact",
               "recordName":"Written Person","crmIds":["a-1"],"writtenAt":1764000000000,"by":"me"}]}"#),
    );
    assert!(!root
        .query_selector("#audit-table")
        .unwrap()
        .unwrap()
        .has_attribute("hidden"));
    assert_eq!(text(&root, "#audit-rows td:nth-child(2)"), "Call: newer");
    assert_eq!(
        text(&root, "#audit-rows td:nth-child(3)"),
        "Written Person Contact · acme.crm.dynamics.com"
    );
    assert!(!text(&root, "#audit-rows time").is_empty());
    click(&root, "#export-audit");
    page.answer(ticket(&sent, "exportAudit"), js(r#"{"ok":"a,b"}"#));
    let download = sent.borrow().last().unwrap()["download"].clone();
    let filename = download["filename"].as_str().unwrap();
    assert!(
        filename.starts_with("crm-audit-") && filename.ends_with(".csv"),
        "{filename}"
    );
    assert_eq!(filename.len(), "crm-audit-2026-11-24.csv".len());
    assert_eq!(download["text"], "a,b");
    assert_eq!(text(&root, "#status"), "The CSV file was saved.");
}
