use serde_json::{json, Value};

use super::*;
use crate::pages::{assert_sendable, english};

fn item(id: &str, state: &str, subject: &str) -> Value {
    json!({"id": id, "kind": "note", "subject": subject, "body": "Met at the expo",
        "occurredAt": "2026-11-24T09:30:00Z", "call": null, "tags": [], "createdAt": 1,
        "about": {"profileId": format!("url:in/{id}"), "profileName": format!("Person {id}")},
        "state": state, "error": null, "crmIds": []})
}

/// As the views read an answer (src/ui/page.rs).
fn read<T: crate::pages::Answer + serde::de::DeserializeOwned>(json: serde_json::Value) -> T {
    serde_json::from_value(json).unwrap_or_else(|e| T::unreadable(e.to_string()))
}

/// A page that listed two unresolved items and a parked one.
fn page() -> Unresolved {
    let mut page = Unresolved::default();
    let actions = page.start();
    assert_sendable(&actions);
    assert_eq!(actions.len(), 2);
    page.listed(
        ItemState::Unresolved,
        Reply::from_json(json!({"ok": json!([
            item("u-1", "unresolved", "Intro call notes"),
            item("u-2", "unresolved", "")
        ])})),
    );
    let mut parked = item("p-1", "parked", "Quarterly review");
    parked["about"] = json!({"profileName": "Person p-1", "recordName": "Somebody"});
    parked["error"] = json!({"kind": "rejected", "code": "REQUIRED_FIELD_MISSING",
        "message": "Required fields are missing: [Status]", "status": 400, "retryAfter": null});
    page.listed(
        ItemState::Parked,
        Reply::from_json(json!({"ok": json!([parked])})),
    );
    page
}

#[test]
fn lists_say_what_each_item_is_about_and_what_the_crm_said() {
    let page = page();
    let unresolved = page.items(ItemState::Unresolved).unwrap();
    assert_eq!(english(&unresolved[0].title), "Intro call notes");
    assert_eq!(english(&unresolved[0].about), "About Person u-1");
    assert_eq!(unresolved[0].crm_said, None);
    assert_eq!(
        english(&unresolved[1].title),
        "Note",
        "no subject: its kind"
    );
    assert_eq!(
        unresolved[0].actions,
        [ItemAction::Resolve, ItemAction::Discard]
    );
    let parked = page.items(ItemState::Parked).unwrap();
    assert_eq!(english(&parked[0].about), "About Somebody");
    assert_eq!(
        english(parked[0].crm_said.as_ref().unwrap()),
        "The CRM said: Required fields are missing: [Status]"
    );
    assert_eq!(parked[0].actions, [ItemAction::Retry, ItemAction::Discard]);
}

#[test]
fn an_item_whose_crm_record_was_deleted_says_so() {
    let mut page = Unresolved::default();
    page.start();
    let mut orphan = item("u-3", "unresolved", "Follow-up");
    orphan["about"] = json!({"profileName": "Grace", "recordName": "Grace Hopper"});
    orphan["reason"] = json!("recordDeleted");
    page.listed(
        ItemState::Unresolved,
        Reply::from_json(json!({"ok": [orphan, item("u-4", "unresolved", "")]})),
    );
    let listed = page.items(ItemState::Unresolved).unwrap();
    assert_eq!(english(&listed[0].about), "About Grace Hopper");
    assert_eq!(
        english(listed[0].why.as_ref().unwrap()),
        "the CRM record was deleted: pick another record or discard it"
    );
    assert_eq!(
        listed[0].actions,
        [ItemAction::Resolve, ItemAction::Discard]
    );
    assert_eq!(listed[1].why, None, "no match yet is the list's own reason");
}

#[test]
fn a_list_is_unknown_until_answered() {
    let mut page = Unresolved::default();
    assert_eq!(page.items(ItemState::Parked), None);
    page.listed(ItemState::Parked, Reply::ok(Vec::new()));
    assert_eq!(page.items(ItemState::Parked), Some(Vec::new()));
    page.listed(ItemState::Parked, Reply::no_answer("gone"));
    assert_eq!(
        english(page.status().unwrap()),
        "That did not go through: gone"
    );
}

#[test]
fn discarding_asks_first_then_focuses_the_list_it_left() {
    let mut page = page();
    assert!(page.act("p-1", ItemAction::Discard).is_empty());
    let Some(Tray::Discard { question, .. }) = page.tray() else {
        panic!()
    };
    assert_eq!(
        english(question),
        "Discard “Quarterly review”? It stays on this computer and is not written to the CRM."
    );
    let actions = page.confirm();
    assert_sendable(&actions);
    let PageAction::Send(request) = &actions[0] else {
        panic!()
    };
    assert_eq!(request, &Request::DiscardItem { id: "p-1".into() });
    let mut discarded = item("p-1", "discarded", "Quarterly review");
    discarded["about"] = json!({});
    let then = page.item_answer(request, read(json!({ "ok": discarded })));
    assert_eq!(then.len(), 2, "both lists are asked for again");
    assert_eq!(page.tray(), None);
    assert_eq!(
        english(page.status().unwrap()),
        "Discarded “Quarterly review”."
    );
    let mut listed = |state| page.listed(state, Reply::ok(Vec::new()));
    assert_eq!(listed(ItemState::Unresolved), Redraw::List);
    assert_eq!(listed(ItemState::Parked), Redraw::ListAndFocus);
    assert_eq!(listed(ItemState::Parked), Redraw::List, "once");
}

#[test]
fn a_failed_action_says_why_and_keeps_the_question_open() {
    let mut page = page();
    page.act("u-1", ItemAction::Discard);
    let request = Request::DiscardItem { id: "u-1".into() };
    let then = page.item_answer(
        &request,
        read(json!({"error": {"code": "wrongState", "state": "queued"}})),
    );
    assert!(then.is_empty());
    assert!(page.tray().is_some());
    assert_eq!(
        english(page.status().unwrap()),
        "This item cannot be sent again now: it was already copied, discarded or is not waiting."
    );
}

#[test]
fn lists_wait_while_a_tray_is_open_and_refresh_when_it_closes() {
    let mut page = page();
    assert_eq!(page.changed().len(), 2);
    page.act("u-1", ItemAction::Discard);
    assert!(page.changed().is_empty());
    assert_eq!(page.close().len(), 2, "the change is caught up");
    page.act("u-1", ItemAction::Discard);
    assert!(page.close().is_empty(), "nothing changed meanwhile");
    page.act("u-1", ItemAction::Discard);
    assert_eq!(
        page.listed(ItemState::Parked, Reply::ok(Vec::new())),
        Redraw::Not,
        "an answer on its way is not drawn under the question"
    );
    assert_eq!(page.close().len(), 2);
}

#[test]
fn the_record_search_answers_only_the_query_in_the_box_and_resolves_to_the_pick() {
    let mut page = page();
    let warm = page.act("u-1", ItemAction::Resolve);
    assert_eq!(
        warm,
        [PageAction::Send(Request::SearchRecords {
            query: String::new()
        })]
    );
    // The warming answer (and any other for an empty box) shows nothing.
    page.found("", Reply::ok(Vec::new()));
    assert_eq!(page.found_count(), None);

    let actions = page.search("ad");
    assert_sendable(&actions);
    page.search("ada");
    let records: Vec<FoundRecord> = serde_json::from_value(json!([
        {"apiHost": "acme.crm.dynamics.com", "id": "c-1", "recordType": "contact", "name": "Ada Lovelace", "crm": "dynamics", "company": "Acme"},
        {"apiHost": "acme.my.salesforce.com", "id": "001A", "recordType": "account", "name": "Ada Corp", "crm": "salesforce", "company": null}
    ])).unwrap();
    page.found("ad", Reply::ok(records[..1].to_vec()));
    assert_eq!(
        page.found_count(),
        None,
        "an older query's answer is dropped"
    );
    page.found("ada", Reply::ok(records.clone()));
    assert_eq!(english(&page.found_count().unwrap()), "Records found: 2");
    assert_eq!(
        english(&records[0].details()),
        "Contact · Acme · acme.crm.dynamics.com"
    );
    assert_eq!(
        english(&records[1].details()),
        "Account · acme.my.salesforce.com"
    );

    let pick = page.choose(0);
    assert_sendable(&pick);
    let PageAction::Send(request) = &pick[0] else {
        panic!()
    };
    assert_eq!(
        request,
        &Request::ResolveItem {
            id: "u-1".into(),
            api_host: "acme.crm.dynamics.com".into(),
            record_type: RecordType::Contact,
            record_id: "c-1".into()
        }
    );
    let mut queued = item("u-1", "queued", "Intro call notes");
    queued["about"]["recordName"] = json!("Ada Lovelace");
    page.item_answer(request, read(json!({ "ok": queued })));
    assert_eq!(english(page.status().unwrap()), "Queued for Ada Lovelace.");
    assert_eq!(
        page.listed(ItemState::Unresolved, Reply::ok(Vec::new())),
        Redraw::ListAndFocus
    );

    page.act("u-2", ItemAction::Resolve);
    page.search("  ");
    assert!(page.choose(0).is_empty());
}

#[test]
fn retry_is_sent_at_once_and_names_the_item() {
    let mut page = page();
    let actions = page.act("p-1", ItemAction::Retry);
    assert_sendable(&actions);
    let PageAction::Send(request) = &actions[0] else {
        panic!()
    };
    page.item_answer(
        request,
        read(json!({"ok": item("p-1", "queued", "Quarterly review")})),
    );
    assert_eq!(
        english(page.status().unwrap()),
        "“Quarterly review” will be sent again."
    );
    assert_eq!(
        page.listed(ItemState::Parked, Reply::ok(Vec::new())),
        Redraw::ListAndFocus
    );
}

#[test]
fn exports_download_as_state_activities_today() {
    let mut page = page();
    let actions = page.export(ItemState::Parked);
    assert_sendable(&actions);
    let then = page.exported(
        ItemState::Parked,
        "2026-11-24",
        read(json!({"ok": "id,kind\r\n"})),
    );
    assert_eq!(
        then,
        [PageAction::Download {
            filename: "parked-activities-2026-11-24.csv".into(),
            text: "id,kind\r\n".into()
        }]
    );
    assert_eq!(english(page.status().unwrap()), "The CSV file was saved.");
    let none = page.exported(
        ItemState::Unresolved,
        "x",
        read(json!({"error": {"code": "noAnswer", "detail": "no"}})),
    );
    assert!(none.is_empty());
    assert_eq!(
        english(page.status().unwrap()),
        "That did not go through: no"
    );
}

#[test]
fn sections_have_their_words() {
    let names: Vec<&str> = SECTIONS.iter().map(|s| s.name).collect();
    assert_eq!(names, ["unresolved", "parked"]);
    for s in &SECTIONS {
        for text in [&s.heading, &s.help, &s.empty, &s.export] {
            assert!(!english(text).is_empty());
        }
    }
}

#[test]
fn resolving_to_a_record_on_the_never_log_list_says_it_stays_here() {
    let mut page = page();
    let request = Request::ResolveItem {
        id: "u-1".into(),
        api_host: "acme.my.salesforce.com".into(),
        record_type: RecordType::Contact,
        record_id: "003000000000001AAA".into(),
    };
    let mut kept = item("u-1", "local", "Intro call notes");
    kept["about"]["recordName"] = json!("Rival CEO");
    kept["reason"] = json!("neverLogged");
    page.item_answer(&request, read(json!({ "ok": kept })));
    assert_eq!(
        english(page.status().unwrap()),
        "Not written to the CRM: Rival CEO is on the never-log list. The activity stays on this computer."
    );
}
