//! Bulk API 2.0 through the whole router (CRM-APIS A21): query jobs read in locator sets,
//! ingest jobs with one CSV upload and per-row outcomes.

mod common;

use common::{Harness, SF, V};
use crmsync::crm::HttpRequest;
use serde_json::{json, Value};

const ADA: &str = "0035g0000000001AAA";

fn csv_put(h: &Harness, path: &str, csv: &str) -> common::Answer {
    h.perform(&HttpRequest {
        method: "PUT".into(),
        url: format!("https://{SF}{V}{path}"),
        headers: vec![
            ("Authorization".into(), format!("Bearer {}", h.sf_token)),
            ("Content-Type".into(), "text/csv".into()),
        ],
        body: Some(csv.into()),
        with_cookies: false,
    })
}

fn query_job(h: &Harness, soql: &str) -> common::Answer {
    h.sf(
        "POST",
        "/jobs/query",
        Some(json!({"operation": "query", "query": soql})),
    )
}

fn poll(h: &Harness, path: &str) -> Value {
    for _ in 0..5 {
        let job = h.sf("GET", path, None).body;
        if job["state"] != "InProgress" && job["state"] != "UploadComplete" {
            return job;
        }
    }
    panic!("{path} never finished");
}

#[test]
fn a_query_job_answers_csv_in_locator_sets() {
    let h = Harness::new();
    let job = query_job(&h, "SELECT Id, LastName, Account.Name FROM Contact");
    assert_eq!(job.status, 200, "{}", job.raw);
    assert_eq!(job.body["state"], "UploadComplete");
    let id = job.body["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("750"), "{id}");
    let early = h.sf("GET", &format!("/jobs/query/{id}/results"), None);
    assert_eq!(early.status, 412, "results wait for the job");
    let first_poll = h.sf("GET", &format!("/jobs/query/{id}"), None).body;
    assert_eq!(first_poll["state"], "InProgress");
    assert_eq!(
        poll(&h, &format!("/jobs/query/{id}"))["state"],
        "JobComplete"
    );

    let mut rows = Vec::new();
    let mut locator: Option<String> = None;
    let mut sets = 0;
    loop {
        let path = match &locator {
            Some(l) => format!("/jobs/query/{id}/results?maxRecords=100&locator={l}"),
            None => format!("/jobs/query/{id}/results?maxRecords=100"),
        };
        let set = h.sf("GET", &path, None);
        assert_eq!(set.status, 200);
        assert_eq!(set.headers["content-type"], "text/csv");
        let mut lines = set.raw.lines();
        assert_eq!(lines.next(), Some("\"Id\",\"LastName\",\"Account.Name\""));
        let these: Vec<String> = lines.map(str::to_string).collect();
        assert_eq!(
            set.headers["sforce-numberofrecords"].to_str().unwrap(),
            these.len().to_string()
        );
        rows.extend(these);
        sets += 1;
        match set.headers["sforce-locator"].to_str().unwrap() {
            "null" => break,
            next => locator = Some(next.to_string()),
        }
    }
    let count = h
        .emu
        .db()
        .count(emulator::state::db::Crm::Salesforce, "Contact")
        .unwrap();
    assert_eq!(rows.len() as u64, count);
    assert_eq!(sets as u64, count.div_ceil(100));
    assert!(rows.contains(&format!("\"{ADA}\",\"Lovelace\",\"Acme Corporation\"")));
}

#[test]
fn a_query_job_refuses_what_bulk_queries_cannot_do() {
    let h = Harness::new();
    let ordered = query_job(&h, "SELECT Id FROM Contact ORDER BY Name");
    assert_eq!(ordered.status, 400);
    assert!(ordered.body[0]["message"]
        .as_str()
        .unwrap()
        .contains("ORDER BY"));
    let unknown = query_job(&h, "SELECT Id, Nope__c FROM Contact");
    assert_eq!(unknown.body[0]["errorCode"], "INVALID_FIELD");
    assert_eq!(
        h.sf("GET", "/jobs/query/750000000000000AAA", None).status,
        404
    );
}

#[test]
fn an_ingest_job_updates_rows_and_reports_each_failure_with_the_crms_words() {
    let h = Harness::new();
    let grace = h
        .emu
        .db()
        .list_ci(emulator::state::db::Crm::Salesforce, "Contact")
        .unwrap()[1]
        .0
        .clone();
    // Grace loses her e-mail; then the rule "Contact requires Email" refuses her update.
    assert_eq!(
        h.sf(
            "PATCH",
            &format!("/sobjects/Contact/{grace}"),
            Some(json!({"Email": null}))
        )
        .status,
        204
    );
    h.send(
        "POST",
        SF,
        "/_emulator/rules/Contact_requires_Email?active=true",
        &[],
        None,
    );

    let job = h.sf(
        "POST",
        "/jobs/ingest",
        Some(json!({"object": "Contact", "operation": "update", "contentType": "CSV", "lineEnding": "LF"})),
    );
    assert_eq!(job.body["state"], "Open", "{}", job.raw);
    let id = job.body["id"].as_str().unwrap().to_string();
    let csv = format!("Id,Title\n{ADA},Countess\n{grace},CTO\n0035g00000009ZZAAA,Nobody\n");
    assert_eq!(
        csv_put(&h, &format!("/jobs/ingest/{id}/batches"), &csv).status,
        201
    );
    let again = csv_put(&h, &format!("/jobs/ingest/{id}/batches"), &csv);
    assert!(again.body[0]["message"]
        .as_str()
        .unwrap()
        .contains("multiple contents"));
    let closed = h.sf(
        "PATCH",
        &format!("/jobs/ingest/{id}"),
        Some(json!({"state": "UploadComplete"})),
    );
    assert_eq!(closed.status, 200, "{}", closed.raw);
    let done = poll(&h, &format!("/jobs/ingest/{id}"));
    assert_eq!(done["state"], "JobComplete");
    assert_eq!(done["numberRecordsProcessed"], 3);
    assert_eq!(done["numberRecordsFailed"], 2);

    let ok = h.sf(
        "GET",
        &format!("/jobs/ingest/{id}/successfulResults/"),
        None,
    );
    assert_eq!(
        ok.raw,
        format!("\"sf__Id\",\"sf__Created\",\"Id\",\"Title\"\n\"{ADA}\",\"false\",\"{ADA}\",\"Countess\"\n")
    );
    let failed = h.sf("GET", &format!("/jobs/ingest/{id}/failedResults/"), None);
    assert!(
        failed.raw.contains(&format!(
            "\"{grace}\",\"FIELD_CUSTOM_VALIDATION_EXCEPTION:Contact requires an email address.:"
        )),
        "{}",
        failed.raw
    );
    assert!(
        failed.raw.contains("\"0035g00000009ZZAAA\",\"NOT_FOUND:"),
        "{}",
        failed.raw
    );
    let ada = h.sf("GET", &format!("/sobjects/Contact/{ADA}"), None);
    assert_eq!(ada.body["Title"], "Countess");
}

#[test]
fn an_upload_naming_an_unknown_field_fails_the_job() {
    let h = Harness::new();
    let job = h.sf(
        "POST",
        "/jobs/ingest",
        Some(json!({"object": "Contact", "operation": "update"})),
    );
    let id = job.body["id"].as_str().unwrap().to_string();
    csv_put(
        &h,
        &format!("/jobs/ingest/{id}/batches"),
        &format!("Id,Nope__c\n{ADA},1\n"),
    );
    h.sf(
        "PATCH",
        &format!("/jobs/ingest/{id}"),
        Some(json!({"state": "UploadComplete"})),
    );
    let done = h.sf("GET", &format!("/jobs/ingest/{id}"), None).body;
    assert_eq!(done["state"], "Failed");
    assert_eq!(
        done["errorMessage"],
        "InvalidBatch : Field name not found : Nope__c"
    );
}
