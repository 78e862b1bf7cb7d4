//! The core's Copy to CRM mappings accepted by the emulated CRMs as they would be by the real
//! ones: every field name, type and lookup in the bodies exists, and Dataverse keys make a
//! repeated create meet the row it already made instead of duplicating it.

mod common;

use common::writeback::{item, prepare_salesforce_org};
use common::Harness;
use crmsync::crm::RecordType;
use crmsync::writeback::item::Target;
use crmsync::writeback::{dynamics, salesforce, ItemKind};
use serde_json::json;

const SF_CONTACT: &str = "0035g0000000001AAA";
const SF_ACCOUNT: &str = "0015g0000000001AAA";
const DYN_CONTACT: &str = "00000002-0000-4000-8000-000000000001";
const DYN_USER: &str = "00000008-0000-4000-8000-000000000001";

#[test]
fn salesforce_accepts_every_task_kind_owned_by_the_seat_holder() {
    let h = Harness::new();
    prepare_salesforce_org(&h);
    let owner = h
        .soql("SELECT Id FROM User WHERE Username = 'demo@acme.com'")
        .body["records"][0]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let target = Target {
        record_type: RecordType::Contact,
        record_id: SF_CONTACT.into(),
        related_id: Some(SF_ACCOUNT.into()),
        owner_id: owner.clone(),
    };
    for (n, kind) in [
        ItemKind::InMail,
        ItemKind::Message,
        ItemKind::Call,
        ItemKind::Tag,
    ]
    .into_iter()
    .enumerate()
    {
        let [write] = salesforce::writes(&item(n, kind), &target)
            .try_into()
            .unwrap();
        let made = h.sf(
            "POST",
            &format!("/sobjects/{}", write.object),
            Some(write.body),
        );
        assert_eq!(made.status, 201, "{kind:?}: {}", made.body);
    }
    let tasks = h.soql(&format!("SELECT Subject, TaskSubtype, WhoId, WhatId, OwnerId, Status, CallDurationInSeconds FROM Task WHERE {} != null ORDER BY Subject", salesforce::ITEM_ID_FIELD));
    let rows = tasks.body["records"].as_array().unwrap();
    assert_eq!(rows.len(), 4, "{}", tasks.body);
    let call = rows.iter().find(|r| r["TaskSubtype"] == "Call").unwrap();
    assert_eq!(call["CallDurationInSeconds"], 95);
    assert!(rows.iter().all(|r| r["OwnerId"] == owner.as_str()
        && r["WhoId"] == SF_CONTACT
        && r["Status"] == "Completed"));
}

#[test]
fn salesforce_notes_are_content_notes_linked_in_one_composite_request() {
    let h = Harness::new();
    prepare_salesforce_org(&h);
    let target = Target {
        record_type: RecordType::Contact,
        record_id: SF_CONTACT.into(),
        related_id: None,
        owner_id: String::new(),
    };
    let [note, link] = salesforce::writes(&item(9, ItemKind::Note), &target)
        .try_into()
        .unwrap();
    let composite = json!({"allOrNone": true, "compositeRequest": [
        {"method": "POST", "url": "/services/data/v66.0/sobjects/ContentNote", "referenceId": "note", "body": note.body},
        {"method": "POST", "url": "/services/data/v66.0/sobjects/ContentDocumentLink", "referenceId": "link", "body": link.body},
    ]});
    let answer = h.sf("POST", "/composite", Some(composite));
    assert_eq!(answer.status, 200);
    let codes: Vec<_> = answer.body["compositeResponse"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["httpStatusCode"].clone())
        .collect();
    assert_eq!(codes, vec![json!(201), json!(201)], "{}", answer.body);
    let links = h.soql(&format!(
        "SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '{SF_CONTACT}'"
    ));
    assert_eq!(links.body["totalSize"], 1, "{}", links.body);
}

#[test]
fn dataverse_accepts_activities_and_a_repeated_create_does_not_duplicate() {
    let h = Harness::new();
    let target = Target {
        record_type: RecordType::Contact,
        record_id: DYN_CONTACT.into(),
        related_id: None,
        owner_id: DYN_USER.into(),
    };
    for (n, kind) in [ItemKind::Message, ItemKind::Call, ItemKind::Note]
        .into_iter()
        .enumerate()
    {
        for write in dynamics::writes(&item(n, kind), &target) {
            let done = h.dy(
                write.method,
                &format!("/{}", write.path),
                &[],
                Some(write.body),
            );
            assert!(
                done.status.is_success(),
                "{kind:?} {}: {} {}",
                write.path,
                done.status,
                done.body
            );
        }
    }
    let call = h.dy("GET", "/phonecalls(6f1c2d3e-0000-4000-8000-000000000001)?$select=statecode,actualdurationminutes,directioncode", &[], None);
    assert_eq!(call.body["statecode"], 1, "{}", call.body);
    assert_eq!(call.body["actualdurationminutes"], 2);
    // A retry after a lost answer: the same key meets the existing row.
    let [again, _] = dynamics::writes(&item(0, ItemKind::Message), &target)
        .try_into()
        .unwrap();
    let retry = h.dy(
        again.method,
        &format!("/{}", again.path),
        &[],
        Some(again.body),
    );
    assert!(
        !retry.status.is_success(),
        "a second create with the same key must not succeed"
    );
    let tasks = h.dy(
        "GET",
        "/tasks?$filter=activityid%20eq%206f1c2d3e-0000-4000-8000-000000000000&$count=true",
        &[],
        None,
    );
    assert_eq!(
        tasks.body["value"].as_array().unwrap().len(),
        1,
        "{}",
        tasks.body
    );
}
