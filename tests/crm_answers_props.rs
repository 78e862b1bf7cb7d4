//! Property tests of every reader of a CRM's answer (Salesforce REST and Dataverse Web API
//! JSON): sync pages, the panel's record, errors, the owner and notes look-ups, org setup,
//! Test Write-Back and the outbox's state machine. Answers are valid-ish shapes with hostile
//! values, mutated, or any JSON, under any status. Asserted: no panic, and what each reader
//! promises (a next page only on the same org, ids on every record, an outcome for every
//! item). The headers the core reads (`Sforce-Limit-Info`, `WWW-Authenticate`) take any text.
//! Shapes: docs/crm-apis.md A2, A8, A19, B3, B9.
#![cfg(not(target_arch = "wasm32"))]

mod hostile;

use crmsync::background::sync_job::{Progress, SyncJob};
use crmsync::crm::budget::{ApiUsage, OrgBudget};
use crmsync::crm::{dynamics, salesforce, Crm, OrgHost, RecordType};
use crmsync::host::HttpAnswer;
use crmsync::page::Page;
use crmsync::record_fetch;
use crmsync::sync::{self, Cursor};
use crmsync::writeback::item::Target;
use crmsync::writeback::outbox::{Batch, Entry};
use crmsync::writeback::{owner, setup, test_run, ItemKind};
use hostile::{config, json_value, mutated, object_with, odd_text};
use proptest::prelude::*;
use serde_json::{json, Value};

const SF_HOST: &str = "acme.my.salesforce.com";
const DYN_HOST: &str = "acme.crm.dynamics.com";

const SF_FIELDS: &[&str] = &[
    "Id",
    "Name",
    "FirstName",
    "LastName",
    "Email",
    "Title",
    "Phone",
    "Company",
    "Website",
    "MailingCity",
    "MailingCountry",
    "AccountId",
    "OwnerId",
    "LastModifiedDate",
    "Account",
    "StageName",
    "OpportunityContactRoles",
    "attributes",
];
const DYN_FIELDS: &[&str] = &[
    "contactid",
    "accountid",
    "leadid",
    "opportunityid",
    "fullname",
    "name",
    "firstname",
    "lastname",
    "emailaddress1",
    "jobtitle",
    "companyname",
    "telephone1",
    "address1_city",
    "address1_country",
    "_parentcustomerid_value",
    "_ownerid_value",
    "modifiedon",
    "websiteurl",
    "stepname",
    "_parentaccountid_value",
    "_parentcontactid_value",
];

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => prop::sample::select(&[200u16, 201, 204, 300, 400, 401, 403, 404, 409, 429, 500, 503][..]),
        1 => any::<u16>(),
    ]
}

fn record_type() -> impl Strategy<Value = RecordType> {
    prop::sample::select(&RecordType::ALL[..])
}

/// A link a page may name next: the real shape, mangled, or elsewhere.
fn next_link(real: &'static str) -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        3 => mutated(Just(real.to_string())),
        1 => Just("https://evil.test/api/data/v9.2/contacts".to_string()),
        1 => odd_text(),
    ])
}

fn salesforce_page() -> impl Strategy<Value = String> {
    let records = prop::collection::vec(object_with(SF_FIELDS), 0..6);
    let next = next_link("/services/data/v66.0/query/01gD0000000001-2000");
    (records, any::<bool>(), next).prop_map(|(records, done, next)| {
        json!({"totalSize": records.len(), "done": done, "nextRecordsUrl": next, "records": records})
            .to_string()
    })
}

fn dynamics_page() -> impl Strategy<Value = String> {
    let records = prop::collection::vec(object_with(DYN_FIELDS), 0..6);
    let next = next_link("https://acme.crm.dynamics.com/api/data/v9.2/contacts?$skiptoken=%3Ccookie%20pagenumber=%222%22/%3E");
    (records, next).prop_map(|(records, next)| {
        let mut page = json!({"@odata.context": "x", "value": records});
        if let Some(next) = next {
            page["@odata.nextLink"] = Value::from(next);
        }
        page.to_string()
    })
}

fn error_body() -> impl Strategy<Value = String> {
    (odd_text(), odd_text()).prop_flat_map(|(code, message)| {
        prop::sample::select(vec![
            json!([{"message": message, "errorCode": code}]).to_string(),
            json!({"error": {"code": code, "message": message}}).to_string(),
            message.clone(),
            String::new(),
        ])
    })
}

/// Any answer body: a page of either CRM, an error, any JSON, mangled or not.
fn answer() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => mutated(salesforce_page()),
        2 => mutated(dynamics_page()),
        1 => error_body(),
        1 => json_value().prop_map(|v| v.to_string()),
        1 => mutated(Just(r#"[{"id":"00T000000000001AAA","success":true,"errors":[]}]"#.to_string())),
    ]
}

fn cursor(crm: Crm, record_type: RecordType, next: bool) -> Cursor {
    let api_host = match crm {
        Crm::Salesforce => SF_HOST,
        Crm::Dynamics => DYN_HOST,
    };
    Cursor {
        crm,
        api_host: api_host.into(),
        record_type,
        watermark: Some("2026-11-24T08:00:00.000+0000".into()),
        next: next.then(|| "/services/data/v66.0/query/01g-2000".into()),
    }
}

fn crm() -> impl Strategy<Value = Crm> {
    prop::sample::select(&[Crm::Salesforce, Crm::Dynamics][..])
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn a_sync_page_names_only_records_with_ids_and_a_next_page_of_the_same_org(
        crm in crm(), record_type in record_type(), has_next in any::<bool>(),
        status in status(), body in answer(),
    ) {
        let cursor = cursor(crm, record_type, has_next);
        match sync::read(&cursor, status, &body) {
            Ok(page) => {
                prop_assert!(page.records.iter().all(|r| !r.id.is_empty()));
                if let Some(next) = page.next {
                    prop_assert_eq!((next.crm, &next.api_host, next.record_type), (crm, &cursor.api_host, record_type));
                    let link = next.next.unwrap_or_default();
                    let own = match crm {
                        Crm::Salesforce => "/services/data/".to_string(),
                        Crm::Dynamics => format!("https://{DYN_HOST}/api/data/"),
                    };
                    prop_assert!(link.starts_with(&own), "{link}");
                }
            }
            Err(error) => prop_assert_eq!(error.status, status),
        }
    }

    #[test]
    fn the_panels_record_has_its_id_and_type_or_an_error(
        crm in crm(), record_type in record_type(), status in status(),
        body in prop_oneof![
            answer(),
            object_with(SF_FIELDS).prop_map(|v| v.to_string()),
            object_with(DYN_FIELDS).prop_map(|v| v.to_string()),
        ],
        retry_after in prop::option::of(any::<u32>()),
    ) {
        let page = Page::Record {
            crm,
            page_host: "acme.lightning.force.com".into(),
            api_host: SF_HOST.into(),
            record_type,
            record_id: "0035g00000ABCDeAAP".into(),
        };
        if let Ok(record) = record_fetch::read(&page, status, &body, retry_after) {
            prop_assert!(!record.id.is_empty());
            prop_assert_eq!(record.record_type, record_type);
        }
    }

    #[test]
    fn errors_keep_the_status_they_came_with(
        status in status(), body in prop_oneof![error_body(), answer()], retry_after in prop::option::of(0u32..3600),
    ) {
        prop_assert_eq!(salesforce::read_error(status, &body).status, status);
        let error = dynamics::read_error(status, &body, retry_after);
        prop_assert_eq!(error.status, status);
    }

    #[test]
    fn look_ups_setup_and_test_write_back_read_any_answer(
        crm in crm(), status in status(), retry_after in prop::option::of(0u32..3600),
        body in prop_oneof![
            answer(),
            odd_text().prop_map(|id| json!({"user_id": id, "UserId": id, "id": id, "createable": true}).to_string()),
        ],
    ) {
        let _ = owner::read(crm, status, &body, retry_after);
        let _ = owner::read_notes(status, &body);
        let _ = setup::read(status, &body);
        let org = match crm {
            Crm::Salesforce => OrgHost::salesforce(SF_HOST),
            Crm::Dynamics => OrgHost::dynamics(DYN_HOST),
        }
        .expect("a valid org host");
        let _ = test_run::read_contact(crm, &org, status, &body, retry_after, "8f1b2c3d-0000-0000-0000-000000000001");
        let _ = test_run::read_delete(crm, status, &body);
    }
}

fn entries() -> Vec<Entry> {
    let ids: Vec<String> = ItemKind::ALL
        .iter()
        .map(|k| format!("item-{k:?}"))
        .collect();
    let target = Target {
        record_type: RecordType::Contact,
        record_id: "0035g00000ABCDeAAP".into(),
        related_id: None,
        owner_id: "0055g00000OWNERAAA".into(),
    };
    test_run::sample_items(&ItemKind::ALL, &ids, "2026-11-24T09:30:00Z")
        .into_iter()
        .map(|item| Entry {
            item,
            target: target.clone(),
            uncertain: false,
            progress: Default::default(),
        })
        .collect()
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn the_outbox_ends_with_an_outcome_for_every_item_whatever_the_crm_answers(
        crm in crm(),
        answers in prop::collection::vec((status(), answer(), prop::option::of(0u32..3600)), 1..8),
    ) {
        let entries = entries();
        let mut batch = Batch::new(crm, SF_HOST, Some("token".into()), entries.clone());
        let mut requests = 0;
        while batch.next_request().is_some() {
            let (status, body, retry_after) = &answers[requests % answers.len()];
            batch.read_response(*status, body, *retry_after);
            requests += 1;
            prop_assert!(requests <= 16, "a batch ends in a few requests");
        }
        for entry in &entries {
            prop_assert!(batch.outcomes.contains_key(&entry.item.id), "{:?} has no outcome", entry.item.id);
        }
    }

    #[test]
    fn a_sync_job_moves_forward_or_stops_whatever_the_crm_answers(
        crm in crm(),
        answers in prop::collection::vec((status(), answer()), 1..12),
    ) {
        let mut job = SyncJob::new(crm, SF_HOST, "acme.lightning.force.com", None);
        let mut done = job.objects_done();
        for (status, body) in &answers {
            if job.cursor().is_none() {
                break;
            }
            if let Progress::Failed(_) = job.read(*status, body) {
                break;
            }
            prop_assert!(job.objects_done() >= done);
            done = job.objects_done();
        }
        prop_assert!(done <= sync::SYNC_ORDER.len());
    }

    /// A limit header of any text never panics: it reads as a usage at most 100 % of a
    /// non-zero allowance it names, or as nothing, and nothing else changes the budget.
    #[test]
    fn any_limit_info_reads_as_a_usage_or_nothing(
        header in prop_oneof![odd_text(), "[ a-z-]{0,12}=[0-9]{0,21}/[0-9]{0,21}[;,( a-z=)]{0,20}"],
        now in 0.0f64..1e13,
    ) {
        if let Some(usage) = ApiUsage::from_limit_info(&header) {
            prop_assert!(usage.limit > 0);
            let _ = usage.percent();
        }
        let mut budget = OrgBudget::default();
        let changed = budget.note_limit_info(Some(&header), now);
        prop_assert_eq!(changed, ApiUsage::from_limit_info(&header).is_some());
        let _ = budget.hold(now);
    }

    /// Any `WWW-Authenticate` on any status is read without panicking; only a 401 with a
    /// claims challenge becomes the blocked-session status.
    #[test]
    fn any_challenge_reads_as_a_status(status in status(), challenge in odd_text()) {
        let port = json!({"status": status, "body": "", "headers": [["www-authenticate", challenge]]});
        let answer: HttpAnswer = serde_json::from_value(port).unwrap();
        let challenged = crmsync::crm::error::is_claims_challenge(&challenge);
        let expected = if status == 401 && challenged { crmsync::crm::error::CLAIMS_CHALLENGE } else { status };
        prop_assert_eq!(answer.status, expected);
        let _ = dynamics::read_error(answer.status, &answer.body, None);
    }
}
