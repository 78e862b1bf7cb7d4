//! Deleted records leave the local copy at the next sync, against the in-memory host and a
//! scripted Salesforce org and Dataverse org: the deleted resource in one composite call, a
//! purged log sending the sync to an id reconcile, a worker stopped mid-step, change
//! tracking's delta links, an expired link, and a merged Dataverse contact. What the user
//! made of a deleted record stays: the correction (marked deleted) and the items (waiting in
//! Unresolved Activities with the reason).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::{json, Value};

use super::handle::{handle, SenderInfo};
use super::{panel, Background};
use crate::crm::{Crm, HttpRequest};
use crate::host::fake::{block_on, FakeHost, FakeStore};
use crate::host::{Host, HttpAnswer, Key, Query, Write};
use crate::linking::Correction;
use crate::message::Request;
use crate::store::{Meta, Store};
use crate::writeback::item::NewItem;
use crate::writeback::ItemKind;

use super::outbox_tests::API as SF_API;
const ADA: &str = "003000000000001AAA";
const GRACE: &str = "003000000000002AAA";
const MINUTE: f64 = 60_000.0;

fn sf_page(id: &str) -> String {
    format!("https://acme.lightning.force.com/lightning/r/Contact/{id}/view")
}

fn answer(status: u16, body: Value) -> Option<HttpAnswer> {
    Some(HttpAnswer {
        status,
        body: body.to_string(),
        retry_after: None,
        headers: Default::default(),
    })
}

/// A Salesforce org: live contacts `(id, first, last)`, the delete log, and when it was last
/// purged (the deleted resource's `earliestDateAvailable`).
struct SalesforceOrg {
    live: RefCell<Vec<(&'static str, &'static str, &'static str)>>,
    log: RefCell<Vec<String>>,
    purged: RefCell<String>,
    hang_composite: Cell<bool>,
    /// The admin connected the org with CRM sync only for seat holders, and gave me no seat.
    no_seat: Cell<bool>,
}

impl SalesforceOrg {
    fn new() -> Rc<Self> {
        Rc::new(SalesforceOrg {
            live: RefCell::new(vec![(ADA, "Ada", "Lovelace"), (GRACE, "Grace", "Hopper")]),
            log: RefCell::new(Vec::new()),
            purged: RefCell::new("2026-01-01T00:00:00.000+0000".into()),
            hang_composite: Cell::new(false),
            no_seat: Cell::new(false),
        })
    }

    /// Deleted in the CRM: gone from queries, in the log (unless purged meanwhile).
    fn delete(&self, id: &str, logged: bool) {
        self.live.borrow_mut().retain(|(i, _, _)| *i != id);
        if logged {
            self.log.borrow_mut().push(id.to_string());
        }
    }

    fn serve(&self, request: &HttpRequest) -> Option<HttpAnswer> {
        let url = &request.url;
        if url.contains("/userinfo") {
            return answer(200, json!({"user_id": "005000000000001AAA"}));
        }
        if url.ends_with("/composite") && self.no_seat.get() && !asks_deleted(request) {
            return answer(200, no_seat_view());
        }
        // The deletions step's composite; any other seat view is answered NOT_FOUND below
        // (unreadable: no settings apply, as before any admin).
        if url.ends_with("/composite") && asks_deleted(request) {
            if self.hang_composite.replace(false) {
                return None;
            }
            let subs: Vec<Value> = ["Account", "Contact", "Lead", "Opportunity"]
                .iter()
                .map(|object| {
                    let ids: Vec<Value> = match *object {
                        "Contact" => self.log.borrow().iter().map(|id| json!({"id": id, "deletedDate": "2026-11-24T08:00:00.000+0000"})).collect(),
                        _ => Vec::new(),
                    };
                    json!({"httpStatusCode": 200, "referenceId": object, "body": {
                        "deletedRecords": ids, "earliestDateAvailable": *self.purged.borrow(),
                        "latestDateCovered": "2099-01-01T00:00:00.000+0000"}})
                })
                .collect();
            return answer(200, json!({ "compositeResponse": subs }));
        }
        if url.contains("/query?q=SELECT+Id+FROM+Contact") {
            let records: Vec<Value> = self
                .live
                .borrow()
                .iter()
                .map(|(id, ..)| json!({"Id": id}))
                .collect();
            return answer(
                200,
                json!({"done": true, "totalSize": records.len(), "records": records}),
            );
        }
        if url.contains("/query?q=SELECT+Id%2C+Name%2C+FirstName") && url.contains("FROM+Contact") {
            let records: Vec<Value> = self
                .live
                .borrow()
                .iter()
                .map(|(id, first, last)| {
                    json!({"Id": id, "Name": format!("{first} {last}"),
                    "FirstName": first, "LastName": last,
                    "Email": format!("{}@acme.test", first.to_lowercase()),
                    "LastModifiedDate": "2026-11-02T10:00:00.000+0000"})
                })
                .collect();
            return answer(
                200,
                json!({"done": true, "totalSize": records.len(), "records": records}),
            );
        }
        if url.contains("/query") {
            return answer(200, json!({"done": true, "totalSize": 0, "records": []}));
        }
        if let Some((_, id)) = url.split_once("/sobjects/Contact/") {
            let id = id.split('?').next().unwrap_or_default();
            let live = self.live.borrow();
            let Some((_, first, last)) = live.iter().find(|(i, ..)| *i == id) else {
                return answer(
                    404,
                    json!([{"errorCode": "ENTITY_IS_DELETED", "message": "entity is deleted"}]),
                );
            };
            return answer(
                200,
                json!({"attributes": {"type": "Contact"}, "Id": id, "Name": format!("{first} {last}")}),
            );
        }
        answer(404, json!([{"errorCode": "NOT_FOUND", "message": url}]))
    }
}

/// The seat view of a user without a seat in an org whose admin keeps CRM sync to seat
/// holders (CRM-APIS A16, as `crm::admin::salesforce` reads it).
fn no_seat_view() -> Value {
    let doc = json!({"crmsync": 1, "state": "connected", "settings": {"autoSyncAll": false}});
    let settings = json!({"totalSize": 1, "done": true, "records": [{"Id": "a00", "Json__c": doc.to_string()}]});
    let seat = json!({"totalSize": 0, "done": true, "records": []});
    json!({"compositeResponse": [
        {"referenceId": "settings", "httpStatusCode": 200, "httpHeaders": {}, "body": settings},
        {"referenceId": "seat", "httpStatusCode": 200, "httpHeaders": {}, "body": seat},
    ]})
}

/// A request to Salesforce's deleted resource (in a composite call).
fn asks_deleted(request: &HttpRequest) -> bool {
    request
        .body
        .as_deref()
        .is_some_and(|b| b.contains("/deleted/"))
}

fn salesforce(store: &Rc<FakeStore>, org: &Rc<SalesforceOrg>) -> Rc<Background<FakeHost>> {
    let served = Rc::clone(org);
    super::outbox_tests::background_serving(store, move |request| served.serve(request))
}

fn add_profile(bg: &Background<FakeHost>, id: &str, first: &str, last: &str, email: &str) {
    let profile = json!({"person": {"id": id, "first_name": first, "last_name": last, "email": email}, "origin": "connectionsExport"});
    block_on(bg.host.write(vec![Write::Put {
        store: Store::Profiles,
        value: profile,
    }]))
    .unwrap();
}

fn request(bg: &Rc<Background<FakeHost>>, url: &str, request: Request) -> Value {
    let answer = block_on(handle(bg, request, SenderInfo::in_tab(url))).unwrap();
    bg.host.run_until_stalled();
    answer
}

fn sync_now(bg: &Rc<Background<FakeHost>>, url: &str) {
    request(bg, url, Request::SyncNow { url: url.into() });
}

fn meta(bg: &Background<FakeHost>, meta: Meta<'_>) -> Option<Value> {
    block_on(bg.host.get(Store::Meta, &Key::Text(meta.key()))).unwrap()
}

fn record_ids(bg: &Background<FakeHost>) -> Vec<String> {
    let mut ids: Vec<String> = bg
        .host
        .values(Store::Records)
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids
}

fn matched(bg: &Background<FakeHost>, api: &str, ids: &[&str]) -> Vec<String> {
    let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let crm = if api == DV_API {
        Crm::Dynamics
    } else {
        Crm::Salesforce
    };
    block_on(panel::matched_records(&bg.host, crm, api, &ids)).unwrap()
}

fn requests_since(bg: &Background<FakeHost>, from: usize) -> Vec<String> {
    bg.host.requests.borrow()[from..]
        .iter()
        .map(|r| r.url.clone())
        .collect()
}

/// Ada and Grace synced and matched; a profile the user linked to Grace by hand; a note
/// logged on Grace's record waiting to be copied.
fn synced_salesforce(store: &Rc<FakeStore>, org: &Rc<SalesforceOrg>) -> Rc<Background<FakeHost>> {
    let bg = salesforce(store, org);
    add_profile(&bg, "url:in/ada", "Ada", "Lovelace", "ada@acme.test");
    add_profile(&bg, "url:in/grace", "Grace", "Hopper", "grace@acme.test");
    add_profile(
        &bg,
        "url:in/amazing-grace",
        "Amazing",
        "Grace",
        "ag@else.test",
    );
    sync_now(&bg, &sf_page(ADA));
    assert_eq!(matched(&bg, SF_API, &[ADA, GRACE]), vec![ADA, GRACE]);
    let grace = sf_page(GRACE);
    let link = Correction::Link {
        profile_id: "url:in/amazing-grace".into(),
    };
    request(
        &bg,
        &grace,
        Request::CorrectMatch {
            url: grace.clone(),
            correction: link,
        },
    );
    let item = NewItem {
        kind: ItemKind::Note,
        subject: "Met at the conference".into(),
        body: "Asked for a demo".into(),
        occurred_at: "2026-11-24T09:30:00.000Z".into(),
        call: None,
        tags: vec![],
    };
    let logged = request(
        &bg,
        &grace,
        Request::LogItem {
            url: grace.clone(),
            item,
            copy_to_crm: true,
        },
    );
    assert_eq!(logged["ok"]["state"], "queued", "{logged}");
    bg
}

fn the_note(bg: &Background<FakeHost>) -> Value {
    bg.host.values(Store::Items).into_iter().next().unwrap()
}

#[test]
fn a_record_deleted_in_salesforce_leaves_at_the_next_sync_in_one_extra_request() {
    let store = Rc::new(FakeStore::default());
    let org = SalesforceOrg::new();
    let bg = synced_salesforce(&store, &org);
    org.delete(GRACE, true);
    bg.host.clock.set(bg.host.clock.get() + 10.0 * MINUTE);
    let before = bg.host.requests.borrow().len();
    sync_now(&bg, &sf_page(ADA));

    let asked = requests_since(&bg, before);
    assert_eq!(
        asked.len(),
        6,
        "the seat view, four queries and one composite: {asked:#?}"
    );
    assert!(asked[5].ends_with("/composite"));
    assert!(asks_deleted(bg.host.requests.borrow().last().unwrap()));
    assert_eq!(record_ids(&bg), vec![ADA]);
    // Neither the model's match nor the user's link badges the deleted record any more.
    assert_eq!(matched(&bg, SF_API, &[ADA, GRACE]), vec![ADA]);
    let matches = bg.host.values(Store::Matches);
    assert!(
        matches.iter().all(|m| m["recordId"] != GRACE),
        "{matches:#?}"
    );
    // The user's correction is kept, and says the record was deleted.
    let overrides = bg.host.values(Store::Overrides);
    assert_eq!(overrides[0]["links"]["url:in/amazing-grace"], GRACE);
    let (shown, _) = block_on(panel::profile_panel(&bg, "url:in/amazing-grace")).unwrap();
    assert_eq!(shown.in_crm.len(), 1);
    let grace = &shown.in_crm[0];
    assert!(grace.deleted && grace.name == "Grace Hopper" && grace.url.is_empty());
    assert!(!shown.matched(), "a deleted record is no badge");
    // The note waits in Unresolved Activities with the reason, and stays there.
    let note = the_note(&bg);
    assert_eq!(
        (note["state"].as_str(), note["reason"].as_str()),
        (Some("unresolved"), Some("recordDeleted"))
    );
    assert_eq!(bg.host.badge.borrow().as_ref().map(|b| b.count), Some(1));
    // The next check starts where this one was complete.
    let mark = meta(&bg, Meta::Deletions(SF_API)).unwrap();
    assert!(mark["value"]["checkedUntil"].as_str().unwrap() > "2026-11-24");
    // Syncing again finds nothing more to remove and leaves what the user has.
    bg.host.clock.set(bg.host.clock.get() + 10.0 * MINUTE);
    sync_now(&bg, &sf_page(ADA));
    assert_eq!(the_note(&bg)["state"], "unresolved");
    assert_eq!(
        bg.host.values(Store::Overrides)[0]["links"]["url:in/amazing-grace"],
        GRACE
    );
}

#[test]
fn a_note_kept_here_until_sync_is_on_waits_for_another_record_when_its_record_is_deleted() {
    let store = Rc::new(FakeStore::default());
    let org = SalesforceOrg::new();
    let bg = synced_salesforce(&store, &org);
    // The admin keeps CRM sync to seat holders and gives me none: the note stays here.
    org.no_seat.set(true);
    bg.host.clock.set(bg.host.clock.get() + 10.0 * MINUTE);
    sync_now(&bg, &sf_page(ADA));
    super::outbox_tests::flush(&bg);
    let note = the_note(&bg);
    assert_eq!(
        (note["state"].as_str(), note["reason"].as_str()),
        (Some("local"), Some("userNotEnabled")),
        "{note}"
    );
    org.delete(GRACE, true);
    bg.host.clock.set(bg.host.clock.get() + 10.0 * MINUTE);
    sync_now(&bg, &sf_page(ADA));
    let note = the_note(&bg);
    assert_eq!(
        (note["state"].as_str(), note["reason"].as_str()),
        (Some("unresolved"), Some("recordDeleted")),
        "not written to a record that is gone once the seat comes: {note}"
    );
}

#[test]
fn a_first_sync_asks_nothing_about_deletions() {
    let store = Rc::new(FakeStore::default());
    let org = SalesforceOrg::new();
    let bg = salesforce(&store, &org);
    sync_now(&bg, &sf_page(ADA));
    let requests = bg.host.requests.borrow();
    assert!(requests.iter().all(|r| !asks_deleted(r)), "{requests:#?}");
    drop(requests);
    let mark = meta(&bg, Meta::Deletions(SF_API)).unwrap();
    assert!(mark["value"]["checkedUntil"].is_string());
}

#[test]
fn a_purged_delete_log_sends_the_sync_to_an_id_reconcile() {
    let store = Rc::new(FakeStore::default());
    let org = SalesforceOrg::new();
    let bg = synced_salesforce(&store, &org);
    // Deleted, then the recycle bin emptied: the log no longer reaches back to the last check.
    org.delete(GRACE, false);
    *org.purged.borrow_mut() = "2099-01-01T00:00:00.000+0000".into();
    bg.host.clock.set(bg.host.clock.get() + 10.0 * MINUTE);
    let before = bg.host.requests.borrow().len();
    sync_now(&bg, &sf_page(ADA));
    let asked = requests_since(&bg, before);
    let listings = asked
        .iter()
        .filter(|u| u.contains("q=SELECT+Id+FROM+"))
        .count();
    // The seat view, four queries, the composite, four listings.
    assert_eq!((asked.len(), listings), (10, 4), "{asked:#?}");
    assert_eq!(record_ids(&bg), vec![ADA]);
    assert_eq!(the_note(&bg)["reason"], "recordDeleted");
    let reconcile = Query::Prefix {
        prefix: Meta::reconcile_prefix(SF_API),
    };
    assert!(
        block_on(bg.host.keys(Store::Meta, &reconcile))
            .unwrap()
            .is_empty(),
        "the listing goes after its sweep"
    );
    assert!(meta(&bg, Meta::SyncJob(SF_API)).is_none());
}

#[test]
fn a_worker_stopped_during_the_step_resumes_it_without_reading_pages_again() {
    let store = Rc::new(FakeStore::default());
    let org = SalesforceOrg::new();
    let bg = synced_salesforce(&store, &org);
    org.delete(GRACE, true);
    org.hang_composite.set(true);
    bg.host.clock.set(bg.host.clock.get() + 10.0 * MINUTE);
    sync_now(&bg, &sf_page(ADA));
    let checkpoint = meta(&bg, Meta::SyncJob(SF_API)).unwrap();
    assert_eq!(
        checkpoint["value"]["step"]["step"], "deletions",
        "{checkpoint}"
    );
    assert_eq!(record_ids(&bg), vec![ADA, GRACE], "nothing removed yet");

    // The browser stopped the worker; a new one starts from the store.
    let bg = salesforce(&store, &org);
    block_on(bg.start()).unwrap();
    bg.host.run_until_stalled();
    let asked = requests_since(&bg, 0);
    assert_eq!(asked.len(), 1, "only the step's request: {asked:#?}");
    assert_eq!(record_ids(&bg), vec![ADA]);
    assert_eq!(the_note(&bg)["reason"], "recordDeleted");
    assert!(meta(&bg, Meta::SyncJob(SF_API)).is_none());
}

// ---- Dataverse ----

const DV_API: &str = "acme.crm.dynamics.com";
const BASE: &str = "https://acme.crm.dynamics.com/api/data/v9.2";

fn guid(n: u32) -> String {
    format!("00000002-0000-4000-8000-{n:012}")
}

fn dv_page(n: u32) -> String {
    format!(
        "https://{DV_API}/main.aspx?etn=contact&id={}&pagetype=entityrecord",
        guid(n)
    )
}

/// A Dataverse org with change tracking: live contacts by number (and whether merged), the
/// deleted rows with the version they left at, and the version tokens still honoured from.
struct DataverseOrg {
    live: RefCell<Vec<(u32, bool, u32)>>,
    deleted: RefCell<Vec<(u32, u32)>>,
    version: Cell<u32>,
    honoured_from: Cell<u32>,
}

impl DataverseOrg {
    fn new() -> Rc<Self> {
        Rc::new(DataverseOrg {
            live: RefCell::new((1..=4).map(|n| (n, false, 1)).collect()),
            deleted: RefCell::new(Vec::new()),
            version: Cell::new(1),
            honoured_from: Cell::new(0),
        })
    }

    fn bump(&self) -> u32 {
        self.version.set(self.version.get() + 1);
        self.version.get()
    }

    fn delete(&self, n: u32, logged: bool) {
        self.live.borrow_mut().retain(|(i, ..)| *i != n);
        let at = self.bump();
        if logged {
            self.deleted.borrow_mut().push((n, at));
        }
    }

    fn merge(&self, n: u32) {
        let at = self.bump();
        for contact in self.live.borrow_mut().iter_mut().filter(|c| c.0 == n) {
            *contact = (n, true, at);
        }
    }

    fn contact(&self, n: u32, merged: bool, at: u32) -> Value {
        json!({"contactid": guid(n), "fullname": format!("Person {n}"), "firstname": "Person",
            "lastname": format!("N{n}"), "emailaddress1": format!("p{n}@acme.test"),
            "merged": merged, "modifiedon": format!("2026-11-0{at}T00:00:00Z")})
    }

    /// A delta answer of `set` since `token`.
    fn changes(&self, set: &str, token: u32) -> (u16, Value) {
        if token < self.honoured_from.get() {
            return (
                400,
                json!({"error": {"code": "0x80044352", "message": "Version stamp associated with the client has expired. Please perform a full sync."}}),
            );
        }
        let mut value = Vec::new();
        if set == "contacts" {
            for (n, _) in self.deleted.borrow().iter().filter(|(_, at)| *at > token) {
                value.push(json!({"@odata.context": format!("{BASE}/$metadata#contacts/$deletedEntity"), "id": guid(*n), "reason": "deleted"}));
            }
        }
        let link = format!(
            "{BASE}/{set}?$select={}id&$deltatoken={}",
            &set[..set.len() - 1],
            self.version.get()
        );
        (200, json!({"value": value, "@odata.deltaLink": link}))
    }

    fn serve(&self, request: &HttpRequest) -> Option<HttpAnswer> {
        let url = request.url.as_str();
        let body = request.body.clone().unwrap_or_default();
        if url.ends_with("/WhoAmI") {
            return answer(200, json!({"UserId": guid(99)}));
        }
        if url.ends_with("/$batch") {
            let mut out = String::new();
            for line in body.lines().filter(|l| l.starts_with("GET ")) {
                let path = line
                    .trim_start_matches("GET ")
                    .trim_end_matches(" HTTP/1.1");
                let set = path
                    .trim_start_matches(&format!("{BASE}/"))
                    .split('?')
                    .next()
                    .unwrap();
                // The seat view's parts find no rows: nothing is published here.
                let (status, json) = match path.split_once("$deltatoken=") {
                    Some((_, token)) => self.changes(set, token.parse().unwrap()),
                    None => (200, json!({"value": []})),
                };
                out.push_str(&format!("--batchresponse_1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 {status} X\r\nContent-Type: application/json\r\n\r\n{json}\r\n"));
            }
            out.push_str("--batchresponse_1--\r\n");
            return Some(HttpAnswer {
                status: 200,
                body: out,
                retry_after: None,
                headers: Default::default(),
            });
        }
        let tracked = request
            .headers
            .iter()
            .any(|(k, v)| k == "Prefer" && v.contains("odata.track-changes"));
        let set = url
            .trim_start_matches(&format!("{BASE}/"))
            .split(['?', '('])
            .next()
            .unwrap_or_default();
        if url.contains("/contacts(") {
            let n = self.live.borrow().first().map(|c| c.0).unwrap_or(1);
            return answer(200, self.contact(n, false, 1));
        }
        let rows: Vec<Value> = match set {
            "contacts" if tracked => self
                .live
                .borrow()
                .iter()
                .map(|(n, ..)| json!({"contactid": guid(*n)}))
                .collect(),
            "contacts" => self
                .live
                .borrow()
                .iter()
                .map(|(n, merged, at)| self.contact(*n, *merged, *at))
                .collect(),
            _ => Vec::new(),
        };
        let mut body = json!({ "value": rows });
        if tracked {
            let key = &set[..set.len() - 1];
            body["@odata.deltaLink"] = json!(format!(
                "{BASE}/{set}?$select={key}id&$deltatoken={}",
                self.version.get()
            ));
        }
        answer(200, body)
    }
}

fn dataverse(store: &Rc<FakeStore>, org: &Rc<DataverseOrg>) -> Rc<Background<FakeHost>> {
    let served = Rc::clone(org);
    Background::new(FakeHost::new(Rc::clone(store), move |request| {
        served.serve(request)
    }))
}

fn contact_ids(bg: &Background<FakeHost>) -> Vec<String> {
    record_ids(bg)
}

#[test]
fn dataverse_follows_delta_links_in_one_batch_and_a_merged_contact_leaves_too() {
    let store = Rc::new(FakeStore::default());
    let org = DataverseOrg::new();
    let bg = dataverse(&store, &org);
    for n in 1..=4 {
        add_profile(
            &bg,
            &format!("url:in/p{n}"),
            "Person",
            &format!("N{n}"),
            &format!("p{n}@acme.test"),
        );
    }
    sync_now(&bg, &dv_page(1));
    let first = requests_since(&bg, 0);
    assert_eq!(
        first.len(),
        10,
        "WhoAmI and the seat view, then four reads and four id listings set up the links: {first:#?}"
    );
    let mark = meta(&bg, Meta::Deletions(DV_API)).unwrap();
    assert_eq!(mark["value"]["deltaLinks"].as_array().unwrap().len(), 4);
    assert_eq!(contact_ids(&bg).len(), 4);

    org.delete(2, true);
    org.merge(3);
    let before = bg.host.requests.borrow().len();
    sync_now(&bg, &dv_page(1));
    let asked = requests_since(&bg, before);
    assert_eq!(
        asked.len(),
        6,
        "the seat view, four reads and one $batch: {asked:#?}"
    );
    assert!(asked[5].ends_with("/$batch"));
    assert_eq!(contact_ids(&bg), vec![guid(1), guid(4)]);
    assert_eq!(
        matched(&bg, DV_API, &[&guid(1), &guid(2), &guid(3)]),
        vec![guid(1)]
    );
}

#[test]
fn an_expired_delta_link_is_replaced_by_a_reconcile() {
    let store = Rc::new(FakeStore::default());
    let org = DataverseOrg::new();
    let bg = dataverse(&store, &org);
    sync_now(&bg, &dv_page(1));
    // Deleted while no link could tell (it expired before the next sync).
    org.delete(4, false);
    org.honoured_from.set(org.bump());
    let before = bg.host.requests.borrow().len();
    sync_now(&bg, &dv_page(1));
    let asked = requests_since(&bg, before);
    assert_eq!(
        asked.len(),
        10,
        "the seat view, reads, the refused $batch, four listings: {asked:#?}"
    );
    assert_eq!(contact_ids(&bg), vec![guid(1), guid(2), guid(3)]);
    let links = meta(&bg, Meta::Deletions(DV_API)).unwrap()["value"]["deltaLinks"].clone();
    let token = format!("$deltatoken={}", org.version.get());
    assert!(
        links[1].as_str().unwrap().ends_with(&token),
        "new links: {links}"
    );
}
