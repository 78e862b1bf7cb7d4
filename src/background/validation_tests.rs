//! A data validation pass against the in-memory host and a scripted Dataverse org: only the
//! seat holder's scope, only changed flags, 200 per request, refusals kept and not resent,
//! and an org without the flag told apart.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde_json::{json, Value};

use super::validation::{pass, OrgValidation, ALARM};
use super::Background;
use crate::crm::HttpRequest;
use crate::host::fake::{block_on, FakeHost, FakeStore};
use crate::host::{Host, HttpAnswer, Key, Write};
use crate::store::{Meta, Store};
use crate::validation::dynamics::FLAG_COLUMN;

const API: &str = "acme.crm.dynamics.com";
const ME: &str = "00000000-0000-0000-0000-0000000000ee";
const ACME: &str = "00000000-0000-0000-0000-0000000000a1";
const GLOBEX: &str = "00000000-0000-0000-0000-0000000000a2";

fn contact_id(n: u32) -> String {
    format!("00000000-0000-0000-0000-{n:012}")
}

/// The org's flags, what it refuses, and the requests it saw.
#[derive(Default)]
struct Org {
    flags: RefCell<BTreeMap<String, bool>>,
    refuse: RefCell<BTreeSet<String>>,
    not_set_up: RefCell<bool>,
    batches: RefCell<u32>,
}

impl Org {
    fn serve(&self, request: &HttpRequest) -> Option<HttpAnswer> {
        if request.url.contains(&format!("$filter={FLAG_COLUMN}")) {
            if *self.not_set_up.borrow() {
                let message = format!("Could not find a property named '{FLAG_COLUMN}' on type 'Microsoft.Dynamics.CRM.contact'.");
                return Some(HttpAnswer::new(
                    400,
                    json!({"error": {"code": "0x0", "message": message}}).to_string(),
                ));
            }
            let value: Vec<Value> = self
                .flags
                .borrow()
                .iter()
                .filter(|(_, on)| **on)
                .map(|(id, _)| json!({"contactid": id}))
                .collect();
            return Some(HttpAnswer::new(200, json!({"value": value}).to_string()));
        }
        if request.url.ends_with("/$batch") {
            *self.batches.borrow_mut() += 1;
            return Some(HttpAnswer::new(
                200,
                self.batch(request.body.as_deref().unwrap_or("")),
            ));
        }
        Some(HttpAnswer::new(404, "{}"))
    }

    fn batch(&self, body: &str) -> String {
        let mut answer = String::new();
        for part in body.split("PATCH ").skip(1) {
            let id = part
                .split("contacts(")
                .nth(1)
                .and_then(|r| r.split(')').next())
                .unwrap_or("");
            let on = part.contains(&format!("\"{FLAG_COLUMN}\":true"));
            let (status, reply) = if self.refuse.borrow().contains(id) {
                (
                    "400 Bad Request",
                    r#"{"error":{"code":"0x80040265","message":"Key contacts are checked by hand."}}"#,
                )
            } else {
                self.flags.borrow_mut().insert(id.to_string(), on);
                ("204 No Content", "")
            };
            answer.push_str(&format!(
                "--r\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 {status}\r\n\r\n{reply}\r\n"
            ));
        }
        answer + "--r--\r\n"
    }
}

fn put(bg: &Background<FakeHost>, store: Store, value: Value) {
    block_on(bg.host.write(vec![Write::Put { store, value }])).unwrap();
}

fn meta(bg: &Background<FakeHost>, key: Meta<'_>, value: Value) {
    put(bg, Store::Meta, json!({"key": key.key(), "value": value}));
}

fn account(bg: &Background<FakeHost>, id: &str, name: &str) {
    put(
        bg,
        Store::Records,
        json!({"apiHost": API, "recordType": "account", "id": id, "name": name,
        "company": {"id": id, "name": name}, "ownerId": "someone-else"}),
    );
}

/// A contact at Acme, owned by `owner`, linked to a profile that works at `now_at`.
fn contact(bg: &Background<FakeHost>, n: u32, owner: &str, now_at: &str) {
    let id = contact_id(n);
    put(
        bg,
        Store::Records,
        json!({"apiHost": API, "recordType": "contact", "id": id, "name": format!("Person {n}"),
        "person": {"id": id, "last_name": format!("Person {n}")}, "accountId": ACME, "ownerId": owner,
        "modified": "2026-11-01T00:00:00Z"}),
    );
    let profile = format!("url:in/person-{n}");
    put(
        bg,
        Store::Profiles,
        json!({"person": {"id": profile, "last_name": format!("Person {n}"), "company": now_at}, "origin": "connectionsExport"}),
    );
    put(
        bg,
        Store::Matches,
        json!({"apiHost": API, "profileId": profile, "recordId": id, "score": 0.99, "level": "match",
        "agreed": [], "differed": [], "companyChanged": now_at != "Acme", "source": "model"}),
    );
}

fn org_with(contacts: &[(u32, &str, &str)]) -> (Rc<Background<FakeHost>>, Rc<Org>) {
    let org = Rc::new(Org::default());
    let served = Rc::clone(&org);
    let host = FakeHost::new(Rc::new(FakeStore::default()), move |r| served.serve(r));
    let bg = Background::new(host);
    meta(
        &bg,
        Meta::Org(API),
        json!({"crm": "dynamics", "pageHost": API}),
    );
    meta(&bg, Meta::Owner(API), json!(ME));
    meta(&bg, Meta::UserSettings, json!({"dataValidation": true}));
    account(&bg, ACME, "Acme Corporation");
    account(&bg, GLOBEX, "Globex GmbH");
    for (n, owner, now_at) in contacts {
        contact(&bg, *n, owner, now_at);
    }
    (bg, org)
}

fn state(bg: &Background<FakeHost>) -> OrgValidation {
    let entry = block_on(
        bg.host
            .get(Store::Meta, &Key::Text(Meta::Validation(API).key())),
    )
    .unwrap()
    .expect("a pass stores its outcome");
    serde_json::from_value(entry["value"].clone()).unwrap()
}

#[test]
fn a_pass_flags_the_people_who_left_in_scope_and_clears_the_ones_back() {
    let (bg, org) = org_with(&[
        (1, ME, "Globex"),
        (2, "someone-else", "Globex"),
        (3, ME, "ACME Inc."),
    ]);
    org.flags.borrow_mut().insert(contact_id(3), true);
    block_on(pass(&bg, API)).unwrap();
    let flags = org.flags.borrow().clone();
    assert_eq!(flags.get(&contact_id(1)), Some(&true));
    assert_eq!(
        flags.get(&contact_id(2)),
        None,
        "another owner's contact is out of scope"
    );
    assert_eq!(
        flags.get(&contact_id(3)),
        Some(&false),
        "back at the account: cleared"
    );
    let s = state(&bg);
    assert_eq!((s.written, s.write_requests), (2, 1));
    assert_eq!(s.flagged, vec![contact_id(1)]);
    assert_eq!(s.findings[0].suggested_account.as_deref(), Some(GLOBEX));
    assert!(s.problem.is_none());
    let alarm = bg
        .host
        .alarms
        .borrow()
        .get(ALARM)
        .copied()
        .flatten()
        .unwrap();
    assert_eq!(alarm, bg.host.now_ms() + 24.0 * 3600.0 * 1000.0);
    block_on(pass(&bg, API)).unwrap();
    assert_eq!(
        state(&bg).write_requests,
        0,
        "nothing changed, nothing written"
    );
    assert_eq!(*org.batches.borrow(), 1);
}

#[test]
fn four_hundred_flags_take_two_requests() {
    let people: Vec<(u32, &str, &str)> = (1..=400).map(|n| (n, ME, "Globex")).collect();
    let (bg, org) = org_with(&people);
    block_on(pass(&bg, API)).unwrap();
    let s = state(&bg);
    assert_eq!((s.written, s.write_requests), (400, 2));
    assert_eq!(org.flags.borrow().values().filter(|on| **on).count(), 400);
}

#[test]
fn a_refused_flag_is_reported_once_and_not_sent_again() {
    let (bg, org) = org_with(&[(1, ME, "Globex"), (2, ME, "Globex")]);
    org.refuse.borrow_mut().insert(contact_id(1));
    block_on(pass(&bg, API)).unwrap();
    let s = state(&bg);
    assert_eq!(s.written, 1);
    assert_eq!(s.refused.len(), 1);
    assert_eq!(
        s.refused[0].error.message,
        "Key contacts are checked by hand."
    );
    block_on(pass(&bg, API)).unwrap();
    let s = state(&bg);
    assert_eq!(
        s.write_requests, 0,
        "the refusal stands while the contact is unchanged"
    );
    assert_eq!(s.refused.len(), 1);
}

#[test]
fn an_org_without_the_flag_says_setup_is_needed_and_writes_nothing() {
    let (bg, org) = org_with(&[(1, ME, "Globex")]);
    *org.not_set_up.borrow_mut() = true;
    block_on(pass(&bg, API)).unwrap();
    let s = state(&bg);
    assert_eq!(
        s.problem.as_ref().map(|p| p.code.as_str()),
        Some("NOT_SET_UP")
    );
    assert_eq!(*org.batches.borrow(), 0);
}

#[test]
fn with_data_validation_off_no_pass_runs() {
    let (bg, org) = org_with(&[(1, ME, "Globex")]);
    meta(&bg, Meta::UserSettings, json!({}));
    block_on(pass(&bg, API)).unwrap();
    assert!(block_on(
        bg.host
            .get(Store::Meta, &Key::Text(Meta::Validation(API).key()))
    )
    .unwrap()
    .is_none());
    assert!(org.flags.borrow().is_empty());
}
