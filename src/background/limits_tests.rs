//! The org's limits against the in-memory host. Its API budget: a sync steps aside once the
//! org has used 80 % of its daily allowance, resumes from its checkpoint when usage falls or
//! an hour later looks again with one request, waits out Dataverse's throttling by its
//! `Retry-After`, while the user's own requests still go. Refused sessions (CRM-APIS A19):
//! the panel says what the admin must allow, and the sync stops until a session is accepted.
//! The options page says which and why.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::{json, Value};

use super::handle::{handle, SenderInfo};
use super::sync_run::ALARM;
use super::Background;
use crate::crm::HttpRequest;
use crate::host::fake::{block_on, FakeHost, FakeStore};
use crate::host::{Host, HttpAnswer, Key};
use crate::message::Request;
use crate::store::{Meta, Store};

const SF_API: &str = "acme.my.salesforce.com";
const SF_PAGE: &str =
    "https://acme.lightning.force.com/lightning/r/Contact/003000000000001AAA/view";
const DYN_API: &str = "acme.crm.dynamics.com";
const DYN_PAGE: &str = "https://acme.crm.dynamics.com/main.aspx?etn=contact&id=00000000-0000-0000-0000-000000000001&pagetype=entityrecord";

/// A CRM whose answers report `used` of a 15,000 daily allowance (Salesforce), that throttles
/// the requests numbered in `throttle` (Dataverse, 429 with `Retry-After: 120`) and, while
/// `not_member`, refuses the Dataverse user as not a member of the environment.
#[derive(Default)]
struct Org {
    not_member: Cell<bool>,
    used: Cell<u64>,
    /// After this many requests, the usage jumps to `jump_to` (another integration's burst).
    jump_after: Cell<Option<(usize, u64)>>,
    throttle: RefCell<Vec<usize>>,
    seen: Cell<usize>,
}

const CONTACTS: usize = 30;
const PER_PAGE: usize = 10;

fn sf_contact(n: usize) -> Value {
    json!({"Id": format!("003{n:012}AAA"), "Name": format!("Person {n}"), "LastName": format!("N{n}"), "Title": "Engineer",
        "LastModifiedDate": format!("2026-11-01T00:00:{:02}.000+0000", n % 60)})
}

fn dyn_contact(n: usize) -> Value {
    json!({"contactid": format!("00000000-0000-0000-0000-{n:012}"), "fullname": format!("Person {n}"),
        "lastname": format!("N{n}"), "modifiedon": format!("2026-11-01T00:00:{:02}Z", n % 60)})
}

/// A page `page` of the contacts, and whether more follow.
fn slice(page: usize) -> (std::ops::Range<usize>, bool) {
    let start = page * PER_PAGE;
    let end = (start + PER_PAGE).min(CONTACTS);
    (start..end, end < CONTACTS)
}

/// A seat view's sub-answer (`crm::admin::salesforce`).
fn sub(reference: &str, status: u16, body: Value) -> Value {
    json!({"referenceId": reference, "httpStatusCode": status, "httpHeaders": {}, "body": body})
}

fn salesforce(org: &Org, url: &str) -> Value {
    if url.contains("/sobjects/Contact/") {
        return sf_contact(1);
    }
    if url.ends_with("/composite") {
        // The seat view of an org whose admin never connected crmsync.
        return json!({"compositeResponse": [
            sub("settings", 400, json!([{"errorCode": "INVALID_TYPE", "message": "sObject type 'crmsync_Settings__c' is not supported."}])),
            sub("seat", 200, json!({"totalSize": 0, "done": true, "records": []})),
        ]});
    }
    let page = match url.split_once("/query/01gCONTACTS-") {
        Some((_, n)) => n.parse().unwrap_or(0),
        None if url.contains("FROM+Contact") => 0,
        None => return json!({"totalSize": 0, "done": true, "records": []}),
    };
    let _ = org;
    let (range, more) = slice(page);
    let mut body = json!({"totalSize": CONTACTS, "done": !more, "records": range.map(sf_contact).collect::<Vec<_>>()});
    if more {
        body["nextRecordsUrl"] = json!(format!(
            "/services/data/v66.0/query/01gCONTACTS-{}",
            page + 1
        ));
    }
    body
}

fn dynamics(url: &str) -> Value {
    if url.contains("/contacts(") {
        return dyn_contact(1);
    }
    if url.ends_with("/WhoAmI") {
        return json!({"UserId": "00000000-0000-0000-0000-000000000099"});
    }
    if !url.contains("/contacts?") {
        return json!({"value": []});
    }
    let page = url
        .split("page=")
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let (range, more) = slice(page);
    let mut body = json!({"value": range.map(dyn_contact).collect::<Vec<_>>()});
    if more {
        body["@odata.nextLink"] = json!(format!(
            "https://{DYN_API}/api/data/v9.2/contacts?page={}",
            page + 1
        ));
    }
    body
}

fn serve(org: &Org, request: &HttpRequest) -> Option<HttpAnswer> {
    let n = org.seen.get();
    org.seen.set(n + 1);
    if let Some((after, to)) = org.jump_after.get() {
        if n >= after {
            org.used.set(to);
            org.jump_after.set(None);
        }
    }
    let url = &request.url;
    if url.contains(DYN_API) {
        if org.not_member.get() {
            let body = json!({"error": {"code": "0x80072560", "message": "The user is not a member of the organization."}});
            return Some(HttpAnswer::new(403, body.to_string()));
        }
        if org.throttle.borrow().contains(&n) {
            let body = json!({"error": {"code": "0x80072322", "message": "Number of requests exceeded the limit of 6000 over time window of 300 seconds."}});
            let mut answer = HttpAnswer::new(429, body.to_string());
            answer.retry_after = Some(120);
            return Some(answer);
        }
        return Some(HttpAnswer::new(200, dynamics(url).to_string()));
    }
    org.used.set(org.used.get() + 1);
    let mut answer = HttpAnswer::new(200, salesforce(org, url).to_string());
    let info = format!(
        "api-usage={}/15000; per-app-api-usage=3/250(appName=other-app)",
        org.used.get()
    );
    answer.headers.push(("sforce-limit-info".into(), info));
    Some(answer)
}

fn background(store: &Rc<FakeStore>, org: &Rc<Org>) -> Rc<Background<FakeHost>> {
    let org = Rc::clone(org);
    let host = FakeHost::new(Rc::clone(store), move |request| serve(&org, request));
    host.sign_in_to_salesforce("acme.lightning.force.com", SF_API);
    Background::new(host)
}

/// The panel of `page`, as the user opens it; spawned work runs until it waits.
fn panel(bg: &Rc<Background<FakeHost>>, page: &str) -> Value {
    let request = Request::GetPanel { url: page.into() };
    let answer = block_on(handle(bg, request, SenderInfo::in_tab(page))).unwrap();
    bg.host.run_until_stalled();
    answer
}

fn later(bg: &Background<FakeHost>, ms: f64) {
    bg.host.clock.set(bg.host.clock.get() + ms);
}

fn meta(bg: &Background<FakeHost>, meta: Meta<'_>) -> Option<Value> {
    block_on(bg.host.get(Store::Meta, &Key::Text(meta.key()))).unwrap()
}

fn contacts_stored(bg: &Background<FakeHost>) -> usize {
    let contacts = bg.host.values(Store::Records);
    contacts
        .iter()
        .filter(|r| r["recordType"] == "contact")
        .count()
}

fn urls(bg: &Background<FakeHost>) -> Vec<String> {
    bg.host
        .requests
        .borrow()
        .iter()
        .map(|r| r.url.clone())
        .collect()
}

/// When the `sync` alarm will wake the worker.
fn sync_alarm(bg: &Background<FakeHost>) -> f64 {
    let alarms = bg.host.alarms.borrow();
    alarms.get(ALARM).copied().flatten().expect("a sync alarm")
}

/// The `_locales` key a failed answer's words take.
fn words(answer: &Value) -> &'static str {
    let problem: crate::answer::Problem = serde_json::from_value(answer["error"].clone()).unwrap();
    problem.words().key
}

fn list_orgs(bg: &Rc<Background<FakeHost>>) -> Value {
    let answer = block_on(handle(bg, Request::ListOrgs, SenderInfo::default())).unwrap();
    answer["ok"].clone()
}

#[test]
fn a_sync_steps_aside_from_eighty_percent_while_the_users_panel_still_reads() {
    let (store, org) = (Rc::new(FakeStore::default()), Rc::new(Org::default()));
    org.used.set(11_000);
    // The record, the seat view, Accounts, then the first Contacts page: usage jumps to 85 %
    // with it.
    org.jump_after.set(Some((3, 12_749)));
    let bg = background(&store, &org);
    let first = panel(&bg, SF_PAGE);
    assert_eq!(first["ok"]["record"]["name"], "Person 1", "{first}");
    assert_eq!(
        contacts_stored(&bg),
        PER_PAGE,
        "the page that said 85 % is kept"
    );
    assert!(!bg.is_syncing(SF_API));
    let job = meta(&bg, Meta::SyncJob(SF_API)).expect("held at its checkpoint");
    assert!(job["value"]["step"]["next"]
        .as_str()
        .unwrap()
        .ends_with("01gCONTACTS-1"));
    assert!(
        meta(&bg, Meta::SyncError(SF_API)).is_none(),
        "waiting is no failure"
    );
    let now = bg.host.clock.get();
    let alarm = sync_alarm(&bg);
    assert_eq!(
        alarm,
        now + crate::crm::budget::RECHECK_MS,
        "looks again in an hour"
    );
    let orgs = list_orgs(&bg);
    assert_eq!(
        orgs[0]["status"]["syncHeld"],
        json!({"apiUsage": {"percent": 85}}),
        "{orgs}"
    );
    assert_eq!(
        orgs[0]["status"]["apiUsage"],
        json!({"used": 12_750, "limit": 15_000})
    );

    // The user's own request still goes; the sync does not.
    let requests = urls(&bg).len();
    let again = panel(&bg, SF_PAGE);
    assert_eq!(again["ok"]["record"]["name"], "Person 1");
    let sent = urls(&bg)[requests..].to_vec();
    assert_eq!(sent.len(), 1, "only the record: {sent:?}");
    assert!(sent[0].contains("/sobjects/Contact/"));

    // Usage fell (a day's calls aged out): the next panel's answer says so, and the sync
    // carries on from its checkpoint.
    org.used.set(3_000);
    let requests = urls(&bg).len();
    panel(&bg, SF_PAGE);
    let sent = urls(&bg)[requests..].to_vec();
    assert!(
        sent[1].ends_with("/query/01gCONTACTS-1"),
        "resumed, not restarted: {sent:?}"
    );
    assert_eq!(contacts_stored(&bg), CONTACTS);
    assert!(meta(&bg, Meta::LastSynced(SF_API)).is_some());
    assert_eq!(list_orgs(&bg)[0]["status"].get("syncHeld"), None);
}

#[test]
fn an_hour_later_one_request_looks_again_and_a_malformed_header_changes_nothing() {
    let (store, org) = (Rc::new(FakeStore::default()), Rc::new(Org::default()));
    org.used.set(13_000);
    let bg = background(&store, &org);
    panel(&bg, SF_PAGE);
    let sent = urls(&bg);
    assert_eq!(
        sent.len(),
        1,
        "the record said 87 %: the sync sent nothing: {sent:?}"
    );
    assert!(
        meta(&bg, Meta::SyncJob(SF_API)).is_some(),
        "a checkpoint waits"
    );
    // Nothing more until the reading is an hour old; then the alarm lets one page look.
    later(&bg, 60_000.0);
    block_on(bg.on_alarm(ALARM)).unwrap();
    bg.host.run_until_stalled();
    assert_eq!(urls(&bg).len(), 1);
    later(&bg, crate::crm::budget::RECHECK_MS);
    block_on(bg.on_alarm(ALARM)).unwrap();
    bg.host.run_until_stalled();
    let sent = urls(&bg);
    assert_eq!(sent.len(), 2, "one request, still 87 %: held again");
    assert!(sent[1].ends_with("/composite"), "the seat view: {sent:?}");
    assert!(meta(&bg, Meta::SyncJob(SF_API)).is_some());
    // A header that does not read leaves the stored budget as it was.
    let before = meta(&bg, Meta::ApiBudget(SF_API));
    let mut odd = HttpAnswer::new(200, "{}");
    odd.headers
        .push(("sforce-limit-info".into(), "api-usage=lots/none".into()));
    assert!(block_on(super::budget::noted(&bg.host, SF_API, &odd))
        .unwrap()
        .is_none());
    assert_eq!(meta(&bg, Meta::ApiBudget(SF_API)), before);
}

#[test]
fn dataverse_throttling_holds_the_sync_for_its_retry_after_then_it_resumes() {
    let (store, org) = (Rc::new(FakeStore::default()), Rc::new(Org::default()));
    // The record (0), WhoAmI and the seat view (1, 2), Accounts (3), Contacts page 0 (4),
    // page 1 (5) is throttled.
    org.throttle.borrow_mut().push(5);
    let bg = background(&store, &org);
    panel(&bg, DYN_PAGE);
    assert_eq!(contacts_stored(&bg), PER_PAGE);
    assert!(!bg.is_syncing(DYN_API));
    assert!(meta(&bg, Meta::SyncError(DYN_API)).is_none());
    let now = bg.host.clock.get();
    let alarm = sync_alarm(&bg);
    assert_eq!(alarm, now + 120_000.0, "Retry-After: 120");
    let orgs = list_orgs(&bg);
    assert!(
        orgs[0]["status"]["syncHeld"]["throttled"]["until"].is_number(),
        "{orgs}"
    );
    // The alarm fires early (the browser may): nothing is sent before the wait is over.
    later(&bg, 30_000.0);
    block_on(bg.on_alarm(ALARM)).unwrap();
    bg.host.run_until_stalled();
    assert_eq!(urls(&bg).len(), 6);
    later(&bg, 90_000.0);
    block_on(bg.on_alarm(ALARM)).unwrap();
    bg.host.run_until_stalled();
    assert!(urls(&bg)[6].ends_with("contacts?page=1"), "{:?}", urls(&bg));
    assert_eq!(contacts_stored(&bg), CONTACTS);
    assert!(meta(&bg, Meta::LastSynced(DYN_API)).is_some());
}

#[test]
fn a_refused_user_reads_what_the_admin_must_allow_and_the_sync_waits_for_a_session() {
    let (store, org) = (Rc::new(FakeStore::default()), Rc::new(Org::default()));
    org.not_member.set(true);
    let bg = background(&store, &org);
    let refused = panel(&bg, DYN_PAGE);
    let error = &refused["error"]["crm"];
    assert_eq!(
        (error["kind"].as_str(), error["code"].as_str()),
        (Some("blocked"), Some("0x80072560")),
        "{refused}"
    );
    assert_eq!(words(&refused), "errorNotMemberOfOrg");
    assert_eq!(urls(&bg).len(), 1, "no sync starts on a refused session");
    let orgs = list_orgs(&bg);
    assert_eq!(orgs[0]["apiHost"], DYN_API);
    assert_eq!(orgs[0]["status"]["refused"]["code"], "0x80072560", "{orgs}");
    // Nothing retries by itself.
    later(&bg, 3_600_000.0);
    block_on(bg.start()).unwrap();
    bg.host.run_until_stalled();
    assert_eq!(urls(&bg).len(), 1);
    // The admin added the user: the next panel reads, the sync runs and the refusal is gone.
    org.not_member.set(false);
    assert_eq!(panel(&bg, DYN_PAGE)["ok"]["record"]["name"], "Person 1");
    assert_eq!(contacts_stored(&bg), CONTACTS);
    assert_eq!(list_orgs(&bg)[0]["status"].get("refused"), None);
}

/// The user was removed from the environment since the last sync: the next sync's seat view
/// is refused, and the sync stops there with the reason, sending no page; the next panel
/// reads the record and says what the admin must allow.
#[test]
fn a_refused_seat_view_stops_the_sync_before_any_page() {
    let (store, org) = (Rc::new(FakeStore::default()), Rc::new(Org::default()));
    let bg = background(&store, &org);
    panel(&bg, DYN_PAGE);
    assert!(meta(&bg, Meta::LastSynced(DYN_API)).is_some());
    org.not_member.set(true);
    later(&bg, 16.0 * 60_000.0);
    let before = urls(&bg).len();
    let drawn = panel(&bg, DYN_PAGE);
    assert_eq!(drawn["ok"]["record"]["name"], "Person 1", "from the copy");
    let sent = urls(&bg)[before..].to_vec();
    assert_eq!(sent.len(), 1, "only the seat view: {sent:?}");
    assert!(sent[0].ends_with("/$batch"), "{sent:?}");
    let stopped = meta(&bg, Meta::SyncError(DYN_API)).expect("the reason is kept");
    assert_eq!(stopped["value"]["kind"], "blocked", "{stopped}");
    let refused = panel(&bg, DYN_PAGE);
    assert_eq!(words(&refused), "errorNotMemberOfOrg");
}

#[test]
fn a_salesforce_org_behind_a_session_proxy_is_told_apart_without_a_request() {
    let (store, org) = (Rc::new(FakeStore::default()), Rc::new(Org::default()));
    let bg = background(&store, &org);
    let proxied =
        "https://acme.lightning.force.com.mcas.ms/lightning/r/Contact/003000000000001AAA/view";
    let answer = panel(&bg, proxied);
    assert_eq!(
        answer["error"]["crm"]["code"], "SESSION_PROXIED",
        "{answer}"
    );
    assert!(urls(&bg).is_empty(), "{:?}", urls(&bg));
    assert_eq!(words(&answer), "errorSessionProxied");
    assert_eq!(
        list_orgs(&bg)[0]["status"]["refused"]["code"],
        "SESSION_PROXIED"
    );
}

/// Once a sync has finished, a synced contact's panel is drawn from the copy: no API call
/// (most of a seat's daily calls were record views, CRM-APIS A8), the same fields.
#[test]
fn a_synced_contacts_panel_costs_the_org_no_call() {
    let (store, org) = (Rc::new(FakeStore::default()), Rc::new(Org::default()));
    let bg = background(&store, &org);
    let first = panel(&bg, SF_PAGE);
    assert!(meta(&bg, Meta::LastSynced(SF_API)).is_some(), "{first}");
    let requests = urls(&bg).len();
    let again = panel(&bg, SF_PAGE);
    assert_eq!(
        urls(&bg).len(),
        requests,
        "no call: {:?}",
        &urls(&bg)[requests..]
    );
    assert_eq!(
        again["ok"]["record"], first["ok"]["record"],
        "the same as the record read"
    );
    // Once the session is known to be gone, the record is read: the panel says to sign in,
    // or a read that works wakes the outbox waiting for it.
    let waiting = json!({"key": Meta::Outbox(SF_API).key(), "value": {"needsSignIn": true}});
    store.put(Store::Meta, waiting);
    panel(&bg, SF_PAGE);
    assert_eq!(
        urls(&bg).len(),
        requests + 1,
        "read while the outbox waits for sign-in"
    );
    assert!(
        block_on(super::outbox::org_state(&bg.host, SF_API))
            .unwrap()
            .woken
    );
    // A tab in another cookie store may be another user: not shown the copy; its own
    // session is looked for (this one has none: sign in).
    let container = SenderInfo {
        tab_url: Some(SF_PAGE.into()),
        cookie_store: Some("firefox-container-1".into()),
    };
    let request = Request::GetPanel {
        url: SF_PAGE.into(),
    };
    let answer = block_on(handle(&bg, request, container)).unwrap();
    assert_eq!(answer["error"]["crm"]["kind"], "sessionExpired", "{answer}");
}
