//! The org-wide validation run (`crmsync::orgwide`, the `crm-validate` command's core)
//! against the emulated org's Bulk API 2.0: its requests as the command sends them.

mod common;

use common::{Harness, SF};
use crmsync::crm::salesforce::Session;
use crmsync::crm::OrgHost;
use crmsync::host::HttpAnswer;
use crmsync::matching::Person;
use crmsync::orgwide::run::RunError;
use crmsync::orgwide::{Report, Step, Target, ValidationRun};
use crmsync::validation::salesforce::{field_request, FLAG_FIELD};
use emulator::state::db::Crm;
use serde_json::{json, Value};

const ADA: &str = "0035g0000000001AAA";

fn run(h: &Harness, profiles: Vec<Person>, dry_run: bool) -> Result<Report, RunError> {
    let target = Target::new(&format!("https://{SF}"), &h.sf_token).unwrap();
    let mut run = ValidationRun::new(target, profiles, dry_run);
    loop {
        match run.next() {
            Step::Send { request, .. } => {
                let a = h.perform(&request);
                let headers = a
                    .headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                    .collect();
                run.answer(&HttpAnswer {
                    status: a.status.as_u16(),
                    body: a.raw,
                    retry_after: None,
                    headers,
                });
            }
            Step::Done(report) => return Ok(report),
            Step::Failed(e) => return Err(e),
        }
    }
}

fn text(fields: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    fields.get(key).and_then(Value::as_str).map(String::from)
}

/// A profile for each demo contact, at its Account; Ada's says she moved to Globex.
fn profiles(h: &Harness) -> Vec<Person> {
    let db = h.emu.db();
    let accounts: std::collections::HashMap<String, String> = db
        .list_ci(Crm::Salesforce, "Account")
        .unwrap()
        .into_iter()
        .filter_map(|(id, f)| Some((id, text(&f, "Name")?)))
        .collect();
    db.list_ci(Crm::Salesforce, "Contact")
        .unwrap()
        .into_iter()
        .map(|(id, f)| {
            let at = text(&f, "AccountId").and_then(|a| accounts.get(&a).cloned());
            Person {
                id: format!("profile-{id}"),
                first_name: text(&f, "FirstName"),
                last_name: text(&f, "LastName"),
                email: text(&f, "Email"),
                title: text(&f, "Title"),
                city: text(&f, "MailingCity"),
                country: text(&f, "MailingCountry"),
                company: if id == ADA {
                    Some("Globex Inc".into())
                } else {
                    at
                },
                ..Person::default()
            }
        })
        .collect()
}

fn set_up(h: &Harness) {
    let session = Session {
        api_host: OrgHost::salesforce(SF).unwrap(),
        token: h.sf_token.clone(),
    };
    let made = h.perform(&field_request(&session));
    assert!(made.status.is_success(), "{}", made.raw);
}

/// The flag as the org holds it (a new checkbox reads false on older records).
fn flag_of(h: &Harness, id: &str) -> bool {
    let row = h.emu.db().row(Crm::Salesforce, id).unwrap().unwrap();
    row.fields
        .get(FLAG_FIELD)
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

#[test]
fn an_org_without_the_flag_is_told_to_set_up_data_validation() {
    let h = Harness::new();
    let e = run(&h, profiles(&h), false).unwrap_err();
    assert_eq!(e.code, "INVALID_FIELD");
    assert!(e.hint.contains("Set up data validation"), "{e}");
}

#[test]
fn a_job_changer_is_flagged_once_and_a_second_run_writes_nothing() {
    let h = Harness::new();
    set_up(&h);
    let planned = run(&h, profiles(&h), true).unwrap();
    assert_eq!(
        planned.changes,
        vec![(ADA.to_string(), true)],
        "{planned:?}"
    );
    assert!(!flag_of(&h, ADA), "a dry run writes nothing");
    assert_eq!(planned.requests, 4, "create, two polls, one result set");

    let done = run(&h, profiles(&h), false).unwrap();
    assert_eq!((done.set, done.cleared), (1, 0));
    assert!(done.refused.is_empty());
    assert!(flag_of(&h, ADA));
    assert!(done.requests <= 10, "{}", done.requests);
    assert!(done.contacts > 100 && done.linked > 100, "{done:?}");

    let again = run(&h, profiles(&h), false).unwrap();
    assert!(again.changes.is_empty());
    assert_eq!(again.requests, 4, "no ingest job without changes");

    // Back at the account: the next run clears the flag.
    let mut back = profiles(&h);
    let ada = back
        .iter_mut()
        .find(|p| p.id == format!("profile-{ADA}"))
        .unwrap();
    ada.company = Some("ACME Corp.".into());
    let cleared = run(&h, back, false).unwrap();
    assert_eq!((cleared.set, cleared.cleared), (0, 1));
    assert!(!flag_of(&h, ADA));
}

#[test]
fn rows_the_org_refuses_come_back_with_its_message() {
    let h = Harness::new();
    set_up(&h);
    // A duplicate record of Ada, then the org's duplicate rule: neither may be saved now.
    let dup = h.sf(
        "POST",
        "/sobjects/Contact",
        Some(json!({"FirstName": "Ada", "LastName": "Lovelace", "Email": "ada.lovelace@acme.com", "MailingCity": "London"})),
    );
    assert_eq!(dup.status, 201, "{}", dup.raw);
    let on = h.send(
        "POST",
        SF,
        "/_emulator/rules/Standard_Contact_Duplicate_Rule?active=true",
        &[],
        None,
    );
    assert_eq!(on.status, 204);
    let report = run(&h, profiles(&h), false).unwrap();
    let refused: Vec<&str> = report
        .refused
        .iter()
        .map(|r| r.contact_id.as_str())
        .collect();
    assert!(refused.contains(&ADA), "{report:?}");
    assert!(report
        .refused
        .iter()
        .all(|r| r.code == "DUPLICATES_DETECTED"));
    assert!(!report.refused[0].message.is_empty());
    assert_eq!(report.set, report.changes.len() - report.refused.len());
    assert!(!flag_of(&h, ADA), "nothing half-written");
}
