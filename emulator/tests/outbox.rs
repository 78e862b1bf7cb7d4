//! The core's outbox flushes against the emulated CRMs: batched writes, items found again
//! after an answer was lost (never duplicated), rejected items parked with the CRM's message,
//! and whole-request failures read as sign in / pause / retry.

mod common;

use common::writeback::{item, prepare_salesforce_org};
use common::Harness;
use crmsync::crm::salesforce::Session;
use crmsync::crm::{Crm, RecordType};
use crmsync::writeback::item::Target;
use crmsync::writeback::outbox::{Batch, Entry, Outcome};
use crmsync::writeback::salesforce::NoteStyle;
use crmsync::writeback::{owner, salesforce, ItemKind};
use serde_json::json;

const SF_CONTACT: &str = "0035g0000000001AAA";
const DYN_CONTACT: &str = "00000002-0000-4000-8000-000000000001";
const DYN_USER: &str = "00000008-0000-4000-8000-000000000001";

const KINDS: [ItemKind; 5] = [
    ItemKind::Message,
    ItemKind::InMail,
    ItemKind::Call,
    ItemKind::Tag,
    ItemKind::Note,
];

fn entries(h: &Harness, crm: Crm, count: usize) -> Vec<Entry> {
    let (record_id, owner_id) = match crm {
        Crm::Salesforce => (SF_CONTACT.to_string(), sf_user(h)),
        Crm::Dynamics => (DYN_CONTACT.to_string(), DYN_USER.to_string()),
    };
    (0..count)
        .map(|n| Entry {
            item: item(n, KINDS[n % KINDS.len()]),
            target: Target {
                record_type: RecordType::Contact,
                record_id: record_id.clone(),
                related_id: None,
                owner_id: owner_id.clone(),
            },
            uncertain: false,
            progress: Default::default(),
        })
        .collect()
}

fn sf_user(h: &Harness) -> String {
    h.soql("SELECT Id FROM User WHERE Username = 'demo@acme.com'")
        .body["records"][0]["Id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn batch(h: &Harness, crm: Crm, entries: Vec<Entry>) -> Batch {
    match crm {
        Crm::Salesforce => Batch::new(crm, common::SF, Some(h.sf_token.clone()), entries),
        Crm::Dynamics => Batch::new(crm, common::DYN, None, entries),
    }
}

/// Runs a flush to its end; `lose(n)` says whether the answer to request `n` is lost after
/// the CRM acted on it.
fn flush(h: &Harness, mut batch: Batch, lose: impl Fn(u32) -> bool) -> Batch {
    while let Some(request) = batch.next_request() {
        let answer = h.perform(&request);
        if lose(batch.requests) {
            batch.read_response(0, "connection closed", None);
        } else {
            batch.read_response(answer.status.as_u16(), &answer.raw, None);
        }
    }
    batch
}

fn written(batch: &Batch) -> usize {
    batch
        .outcomes
        .values()
        .filter(|o| matches!(o, Outcome::Written { .. }))
        .count()
}

fn sf_count(h: &Harness, object: &str) -> u64 {
    let soql = format!(
        "SELECT COUNT() FROM {object} WHERE {} != null",
        salesforce::ITEM_ID_FIELD
    );
    h.soql(&soql).body["totalSize"].as_u64().unwrap()
}

#[test]
fn salesforce_writes_200_items_in_three_requests() {
    let h = Harness::new();
    prepare_salesforce_org(&h);
    let done = flush(
        &h,
        batch(&h, Crm::Salesforce, entries(&h, Crm::Salesforce, 200)),
        |_| false,
    );
    assert_eq!(written(&done), 200, "{:?}", done.outcomes.values().next());
    assert_eq!(
        done.requests, 2,
        "one collection of creates, one of note links"
    );
    assert_eq!(sf_count(&h, "Task"), 160);
    assert_eq!(sf_count(&h, "ContentNote"), 40);
    let links = h.soql(&format!(
        "SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '{SF_CONTACT}'"
    ));
    assert_eq!(links.body["totalSize"], 40);
}

#[test]
fn salesforce_finds_writes_whose_answer_was_lost_instead_of_duplicating() {
    let h = Harness::new();
    prepare_salesforce_org(&h);
    // The create lands but its answer is lost: every item is uncertain and retried.
    let lost = flush(
        &h,
        batch(&h, Crm::Salesforce, entries(&h, Crm::Salesforce, 10)),
        |n| n == 1,
    );
    assert_eq!(written(&lost), 0);
    assert!(lost.entries.iter().all(|e| e.uncertain));
    // The link of the notes is lost the next time.
    let retry = flush(&h, batch(&h, Crm::Salesforce, lost.entries.clone()), |n| {
        n == 4
    });
    let again = flush(
        &h,
        batch(&h, Crm::Salesforce, retry.entries.clone()),
        |_| false,
    );
    assert_eq!(written(&again), 10, "{:?}", again.outcomes);
    assert_eq!(sf_count(&h, "Task"), 8, "no Task written twice");
    assert_eq!(sf_count(&h, "ContentNote"), 2);
    let links = h.soql(&format!(
        "SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '{SF_CONTACT}'"
    ));
    assert_eq!(links.body["totalSize"], 2, "no note linked twice");
}

#[test]
fn salesforce_parks_what_a_validation_rule_rejects_and_writes_the_rest() {
    let h = Harness::new();
    prepare_salesforce_org(&h);
    let rule = json!({"validation": [{"name": "Task_requires_Description", "crm": "salesforce", "object": "Task", "field": "Description", "message": "Describe what happened.", "active": true}], "duplicate": []});
    h.send("PUT", common::SF, "/_emulator/rules", &[], Some(rule));
    let mut items = entries(&h, Crm::Salesforce, 3);
    items[1].item.body.clear();
    let done = flush(&h, batch(&h, Crm::Salesforce, items), |_| false);
    assert_eq!(written(&done), 2);
    let parked = &done.outcomes[&done.entries[1].item.id];
    let Outcome::Park { error } = parked else {
        panic!("not parked: {parked:?}")
    };
    assert_eq!(error.code, "FIELD_CUSTOM_VALIDATION_EXCEPTION");
    assert_eq!(error.message, "Describe what happened.");
}

#[test]
fn salesforce_without_the_item_id_field_parks_with_the_crm_message() {
    let h = Harness::new();
    let done = flush(
        &h,
        batch(&h, Crm::Salesforce, entries(&h, Crm::Salesforce, 1)),
        |_| false,
    );
    let Outcome::Park { error } = &done.outcomes[&done.entries[0].item.id] else {
        panic!("{:?}", done.outcomes)
    };
    assert!(
        error.message.contains(salesforce::ITEM_ID_FIELD),
        "{error:?}"
    );
}

#[test]
fn whole_request_failures_keep_every_item_for_later() {
    let h = Harness::new();
    prepare_salesforce_org(&h);
    let mut expired = batch(&h, Crm::Salesforce, entries(&h, Crm::Salesforce, 3));
    expired.token = Some("00D5g000004XyZa!expired".into());
    let done = flush(&h, expired, |_| false);
    assert!(done
        .outcomes
        .values()
        .all(|o| matches!(o, Outcome::SignIn { .. })));
    let no_session = flush(
        &h,
        Batch::new(
            Crm::Salesforce,
            common::SF,
            None,
            entries(&h, Crm::Salesforce, 2),
        ),
        |_| false,
    );
    assert_eq!(no_session.requests, 0);
    assert!(no_session
        .outcomes
        .values()
        .all(|o| matches!(o, Outcome::SignIn { .. })));
    let later = entries(&h, Crm::Salesforce, 2);
    h.send(
        "POST",
        common::SF,
        "/_emulator/limits?salesforceDaily=10&salesforceUsed=10",
        &[],
        None,
    );
    let spent = flush(&h, batch(&h, Crm::Salesforce, later), |_| false);
    assert!(
        spent
            .outcomes
            .values()
            .all(|o| matches!(o, Outcome::Pause { .. })),
        "{:?}",
        spent.outcomes
    );
    h.send(
        "POST",
        common::SF,
        "/_emulator/limits?salesforceDaily=15000&salesforceUsed=0",
        &[],
        None,
    );
    assert_eq!(sf_count(&h, "Task"), 0);
}

#[test]
fn dynamics_writes_a_batch_in_one_request_and_a_lost_answer_is_not_a_duplicate() {
    let h = Harness::new();
    let lost = flush(
        &h,
        batch(&h, Crm::Dynamics, entries(&h, Crm::Dynamics, 10)),
        |_| true,
    );
    assert_eq!(written(&lost), 0);
    let done = flush(&h, batch(&h, Crm::Dynamics, lost.entries.clone()), |_| {
        false
    });
    assert_eq!(done.requests, 1);
    assert_eq!(written(&done), 10, "{:?}", done.outcomes);
    let tasks = h.dy("GET", &format!("/tasks?$select=subject,statecode&$filter={}", common::enc("startswith(subject,'Message: Item') or startswith(subject,'InMail: Item') or startswith(subject,'Tags: ')")), &[], None);
    let rows = tasks.body["value"].as_array().unwrap();
    assert_eq!(rows.len(), 6, "{}", tasks.raw);
    assert!(
        rows.iter().all(|r| r["statecode"] == 1),
        "tasks are completed"
    );
    let calls = h.dy(
        "GET",
        &format!(
            "/phonecalls?$select=subject&$filter={}",
            common::enc("startswith(subject,'Call: Item')")
        ),
        &[],
        None,
    );
    assert_eq!(calls.body["value"].as_array().unwrap().len(), 2);
    let notes = h.dy(
        "GET",
        &format!(
            "/annotations?$select=subject&$filter={}",
            common::enc("startswith(subject,'Note: Item')")
        ),
        &[],
        None,
    );
    assert_eq!(notes.body["value"].as_array().unwrap().len(), 2);
}

#[test]
fn dynamics_parks_a_rejected_item_and_writes_the_others() {
    let h = Harness::new();
    let rule = json!({"validation": [{"name": "task_requires_description", "crm": "dynamics", "object": "task", "field": "description", "message": "Describe what happened.", "active": true}], "duplicate": []});
    h.send("PUT", common::SF, "/_emulator/rules", &[], Some(rule));
    let mut items = entries(&h, Crm::Dynamics, 2);
    items[0].item.body.clear();
    let done = flush(&h, batch(&h, Crm::Dynamics, items), |_| false);
    assert_eq!(written(&done), 1, "{:?}", done.outcomes);
    let Outcome::Park { error } = &done.outcomes[&done.entries[0].item.id] else {
        panic!("{:?}", done.outcomes)
    };
    assert_eq!(error.message, "Describe what happened.");
}

#[test]
fn a_connection_dropped_after_commit_is_found_on_the_next_flush() {
    let h = Harness::new();
    prepare_salesforce_org(&h);
    let fault = json!({"path": "/services/data/v66.0/composite/sobjects", "dropAfterCommit": true, "count": 1});
    h.send("POST", common::SF, "/_emulator/faults", &[], Some(fault));
    let mut first = batch(&h, Crm::Salesforce, entries(&h, Crm::Salesforce, 4));
    while let Some(request) = first.next_request() {
        let answer = h.perform(&request);
        // In-process the dropped connection is a body that fails: no answer, as a browser sees.
        let status = if answer.raw.is_empty() {
            0
        } else {
            answer.status.as_u16()
        };
        first.read_response(status, &answer.raw, None);
    }
    assert_eq!(written(&first), 0);
    assert_eq!(sf_count(&h, "Task"), 4, "the CRM committed them");
    let second = flush(
        &h,
        batch(&h, Crm::Salesforce, first.entries.clone()),
        |_| false,
    );
    assert_eq!(written(&second), 4);
    assert_eq!(second.requests, 1, "one look-up finds all four");
    assert_eq!(sf_count(&h, "Task"), 4, "none written twice");
}

#[test]
fn dataverse_batches_stop_at_the_first_failure_unless_asked_to_go_on() {
    let h = Harness::new();
    let mut items = entries(&h, Crm::Dynamics, 3);
    items[0].target.record_id = "00000002-0000-4000-8000-00000000dead".into();
    let mut batch = batch(&h, Crm::Dynamics, items);
    let mut request = batch.next_request().unwrap();
    request.headers.retain(|(name, _)| name != "Prefer");
    let answer = h.perform(&request);
    assert_eq!(answer.raw.matches("HTTP/1.1 ").count(), 1, "{}", answer.raw);
    batch.read_response(answer.status.as_u16(), &answer.raw, None);
    assert!(matches!(
        batch.outcomes.values().next(),
        Some(Outcome::Park { .. })
    ));
    let rest = batch.outcomes.values().skip(1);
    assert!(
        rest.into_iter().all(|o| matches!(o, Outcome::Retry { .. })),
        "{:?}",
        batch.outcomes
    );
}

#[test]
fn a_worker_stopped_after_the_link_landed_neither_relinks_nor_rewrites() {
    let h = Harness::new();
    prepare_salesforce_org(&h);
    let start = entries(&h, Crm::Salesforce, 10);
    // Request 2 (the links) lands, then the worker stops: nothing of the flush was stored
    // except that the items were being written.
    let _ = flush(&h, batch(&h, Crm::Salesforce, start.clone()), |n| n == 2);
    let restarted: Vec<Entry> = start
        .into_iter()
        .map(|e| Entry {
            uncertain: true,
            ..e
        })
        .collect();
    let done = flush(&h, batch(&h, Crm::Salesforce, restarted), |_| false);
    assert_eq!(written(&done), 10, "{:?}", done.outcomes);
    assert_eq!(sf_count(&h, "Task"), 8);
    let links = h.soql(&format!(
        "SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '{SF_CONTACT}'"
    ));
    assert_eq!(links.body["totalSize"], 2);
}

#[test]
fn the_crm_refuses_a_second_write_of_an_item_or_a_second_link() {
    let h = Harness::new();
    prepare_salesforce_org(&h);
    let entry = &entries(&h, Crm::Salesforce, 5)[4]; // a note
    let [note, link] = salesforce::writes(&entry.item, &entry.target)
        .try_into()
        .unwrap();
    let made = h.sf("POST", "/sobjects/ContentNote", Some(note.body.clone()));
    assert_eq!(made.status, 201);
    let again = h.sf("POST", "/sobjects/ContentNote", Some(note.body));
    assert_eq!(
        again.body[0]["errorCode"], "DUPLICATE_VALUE",
        "{}",
        again.raw
    );
    let mut link = link.body;
    link["ContentDocumentId"] = made.body["id"].clone();
    assert_eq!(
        h.sf("POST", "/sobjects/ContentDocumentLink", Some(link.clone()))
            .status,
        201
    );
    let twice = h.sf("POST", "/sobjects/ContentDocumentLink", Some(link));
    assert_eq!(
        twice.body[0]["errorCode"], "DUPLICATE_VALUE",
        "{}",
        twice.raw
    );
}

#[test]
fn orgs_without_lightning_notes_get_classic_notes_written_once() {
    let h = Harness::new();
    h.send(
        "POST",
        common::SF,
        "/_emulator/features?lightningNotes=false",
        &[],
        None,
    );
    prepare_salesforce_org(&h);
    let session = Session {
        api_host: crmsync::crm::OrgHost::salesforce(common::SF).unwrap(),
        token: h.sf_token.clone(),
    };
    let probe = h.perform(&owner::notes_request(&session));
    let notes = owner::read_notes(probe.status.as_u16(), &probe.raw).unwrap();
    assert_eq!(notes, NoteStyle::Classic);
    let items = entries(&h, Crm::Salesforce, 10);
    let classic = |entries: Vec<Entry>| batch(&h, Crm::Salesforce, entries).with_notes(notes);
    let lost = flush(&h, classic(items), |n| n == 1);
    assert_eq!(written(&lost), 0);
    let done = flush(&h, classic(lost.entries.clone()), |_| false);
    assert_eq!(written(&done), 10, "{:?}", done.outcomes);
    let rows = h.soql(&format!(
        "SELECT Id, Title FROM Note WHERE ParentId = '{SF_CONTACT}'"
    ));
    assert_eq!(
        rows.body["totalSize"], 2,
        "one classic Note per note item: {}",
        rows.raw
    );
    assert_eq!(sf_count(&h, "Task"), 8);
}
