//! The background core against the in-memory host: syncs that resume after the worker is
//! stopped, failures that keep their place, panels that never say "syncing" when nothing
//! runs, links and corrections.

use std::cell::Cell;
use std::rc::Rc;

use serde_json::{json, Value};

use super::handle::{handle, SenderInfo};
use super::links as bg_links;
use super::sync_run::ALARM;
use super::{Background, Event};
use crate::host::fake::{block_on, FakeHost, FakeStore};
use crate::host::{Host, HttpAnswer, Key, Write};
use crate::message::Request;
use crate::store::{Meta, Store};

const API: &str = "acme.crm.dynamics.com";
const RECORD_PAGE: &str =
    "https://acme.crm.dynamics.com/main.aspx?etn=contact&id=00000000-0000-0000-0000-000000000007&pagetype=entityrecord";

/// A Dataverse org with `contacts` contacts served `per_page` at a time; the request with
/// index `hang_at` (0-based, counting every request) never gets an answer.
struct Org {
    contacts: usize,
    per_page: usize,
    hang_at: Option<usize>,
    /// Status and body for every query page request from `fail_from` on.
    fail_from: Option<(usize, u16, &'static str)>,
}

fn guid(n: usize) -> String {
    format!("00000000-0000-0000-0000-{n:012}")
}

fn contact(n: usize) -> Value {
    json!({
        "contactid": guid(n), "fullname": format!("Person {n}"), "firstname": "Person",
        "lastname": format!("N{n}"), "emailaddress1": format!("p{n}@acme.test"),
        "modifiedon": format!("2026-11-01T00:{:02}:{:02}Z", n / 60 % 60, n % 60),
    })
}

fn crm(org: Org) -> impl FnMut(&crate::crm::HttpRequest) -> Option<HttpAnswer> {
    let seen = Rc::new(Cell::new(0usize));
    move |request| {
        let n = seen.get();
        seen.set(n + 1);
        if org.hang_at == Some(n) {
            return None;
        }
        if let Some((from, status, body)) = org.fail_from {
            if n >= from {
                return Some(HttpAnswer::new(status, body));
            }
        }
        let url = &request.url;
        if url.ends_with("/WhoAmI") {
            let body = json!({"UserId": guid(99)});
            return Some(HttpAnswer::new(200, body.to_string()));
        }
        if url.contains("/contacts(") {
            let body = json!({"contactid": guid(7), "fullname": "Person 7", "emailaddress1": "p7@acme.test"});
            return Some(HttpAnswer::new(200, body.to_string()));
        }
        let values = if url.contains("/contacts?") {
            let page: usize = url
                .split("page=")
                .nth(1)
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            let start = page * org.per_page;
            let end = (start + org.per_page).min(org.contacts);
            let mut body = json!({"value": (start..end).map(contact).collect::<Vec<_>>()});
            if end < org.contacts {
                body["@odata.nextLink"] = json!(format!(
                    "https://{API}/api/data/v9.2/contacts?page={}",
                    page + 1
                ));
            }
            body
        } else {
            json!({"value": []})
        };
        Some(HttpAnswer::new(200, values.to_string()))
    }
}

fn background(store: &Rc<FakeStore>, org: Org) -> Rc<Background<FakeHost>> {
    Background::new(FakeHost::new(Rc::clone(store), crm(org)))
}

fn sync_now(bg: &Rc<Background<FakeHost>>) {
    let request = Request::SyncNow {
        url: RECORD_PAGE.into(),
    };
    block_on(handle(bg, request, SenderInfo::in_tab(RECORD_PAGE))).unwrap();
    bg.host.run_until_stalled();
}

fn urls_asked(requests: &[crate::crm::HttpRequest]) -> Vec<String> {
    requests.iter().map(|r| r.url.clone()).collect()
}

fn meta(bg: &Background<FakeHost>, meta: Meta<'_>) -> Option<Value> {
    block_on(bg.host.get(Store::Meta, &Key::Text(meta.key()))).unwrap()
}

fn contacts_stored(bg: &Background<FakeHost>) -> usize {
    bg.host
        .values(Store::Records)
        .iter()
        .filter(|r| r["recordType"] == "contact")
        .count()
}

fn profile_value(n: usize) -> Value {
    json!({"person": {"id": format!("url:in/p{n}"), "first_name": "Person", "last_name": format!("N{n}"), "email": format!("p{n}@acme.test")}, "origin": "connectionsExport"})
}

fn add_profile(bg: &Background<FakeHost>, n: usize) {
    block_on(bg.host.write(vec![Write::Put {
        store: Store::Profiles,
        value: profile_value(n),
    }]))
    .unwrap();
}

fn org(contacts: usize) -> Org {
    Org {
        contacts,
        per_page: 10,
        hang_at: None,
        fail_from: None,
    }
}

#[test]
fn a_first_sync_stores_every_page_links_and_forgets_its_checkpoint() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(35));
    add_profile(&bg, 7);
    sync_now(&bg);
    assert_eq!(contacts_stored(&bg), 35, "{:?}", bg.host.events.borrow());
    assert!(meta(&bg, Meta::LastSynced(API)).is_some());
    assert!(
        meta(&bg, Meta::SyncJob(API)).is_none(),
        "a finished sync leaves no checkpoint"
    );
    assert!(meta(&bg, Meta::Index(API)).is_some());
    let matches = bg.host.values(Store::Matches);
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0]["recordId"], guid(7));
    assert!(!bg.is_syncing(API));
    assert_eq!(
        bg.host.alarms.borrow().get(ALARM),
        Some(&None),
        "no wake-up left behind"
    );
    assert!(
        bg.host.keep_alives.get() >= 7,
        "the worker is kept awake between pages"
    );
    assert!(bg.host.events.borrow().contains(&Event::LinksChanged {
        api_host: API.into()
    }));
}

#[test]
fn a_sync_whose_worker_was_stopped_resumes_at_the_next_page() {
    let store = Rc::new(FakeStore::default());
    // Requests: WhoAmI (0) and the seat view (1) pick up the org's settings, then accounts
    // (2), contacts pages 0..3 (3..6): the worker stops in page 2.
    let stopped = background(
        &store,
        Org {
            hang_at: Some(5),
            ..org(35)
        },
    );
    sync_now(&stopped);
    assert!(stopped.is_syncing(API));
    assert_eq!(
        contacts_stored(&stopped),
        20,
        "two pages were stored before the stop"
    );
    let alarm = stopped.host.alarms.borrow().get(ALARM).copied().flatten();
    assert!(alarm.is_some(), "an alarm will wake the stopped worker");
    drop(stopped);

    let woken = background(&store, org(35));
    block_on(woken.start()).unwrap();
    assert!(
        woken.is_syncing(API),
        "the checkpoint is picked up at start"
    );
    woken.host.run_until_stalled();
    let first = woken.host.requests.borrow()[0].url.clone();
    assert!(
        first.ends_with("contacts?page=2"),
        "resumed at the page it stopped in: {first}"
    );
    assert_eq!(contacts_stored(&woken), 35);
    assert!(meta(&woken, Meta::SyncJob(API)).is_none());
    assert!(meta(&woken, Meta::LastSynced(API)).is_some());
}

#[test]
fn a_failed_page_keeps_its_place_and_the_panel_does_not_say_syncing() {
    let store = Rc::new(FakeStore::default());
    let expired = r#"{"error":{"code":"0x80072322","message":"Your session expired"}}"#;
    let bg = background(
        &store,
        Org {
            // WhoAmI, the seat view, accounts, contacts page 0; page 1 fails.
            fail_from: Some((4, 401, expired)),
            ..org(35)
        },
    );
    sync_now(&bg);
    assert!(!bg.is_syncing(API));
    let error = meta(&bg, Meta::SyncError(API)).expect("the error is kept for the panel");
    assert_eq!(error["value"]["kind"], "sessionExpired");
    assert!(
        meta(&bg, Meta::SyncJob(API)).is_some(),
        "the checkpoint stays"
    );
    let failed = bg
        .host
        .events
        .borrow()
        .iter()
        .any(|e| matches!(e, Event::SyncFailed { .. }));
    assert!(failed, "open panels hear of it");
    drop(bg);

    // A new worker does not retry a failed sync by itself; the next Sync now resumes it.
    let again = background(&store, org(35));
    block_on(again.start()).unwrap();
    assert!(!again.is_syncing(API));
    sync_now(&again);
    let urls = urls_asked(again.host.requests.borrow().as_slice());
    assert!(
        urls[0].ends_with("/$batch"),
        "the org's settings first: {urls:?}"
    );
    assert!(
        urls[1].ends_with("contacts?page=1"),
        "resumed, not restarted: {urls:?}"
    );
    assert_eq!(contacts_stored(&again), 35);
    assert!(meta(&again, Meta::SyncError(API)).is_none());
}

#[test]
fn an_incremental_sync_counts_only_moved_records_and_keeps_the_matches() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(12));
    add_profile(&bg, 3);
    sync_now(&bg);
    let index_before = meta(&bg, Meta::Index(API));
    let watermark = meta(&bg, Meta::Watermark(API, crate::crm::RecordType::Contact)).unwrap();
    assert_eq!(watermark["value"], "2026-11-01T00:00:11Z");
    drop(bg);
    let again = background(&store, org(12));
    sync_now(&again);
    let filtered = again
        .host
        .requests
        .borrow()
        .iter()
        .any(|r| r.url.contains("modifiedon%20ge%202026-11-01T00:00:11Z"));
    assert!(filtered, "the next sync starts at the watermark");
    assert_eq!(
        meta(&again, Meta::Index(API)),
        index_before,
        "nothing changed: no rebuild"
    );
    assert_eq!(again.host.values(Store::Matches).len(), 1);
}

#[test]
fn a_profile_saved_while_a_first_sync_matches_is_matched_in_that_org() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(35));
    // The sync's link step reads the profiles (none yet); the profile is saved, and asks to
    // be matched in every synced org, before the sync has written its matches.
    let saving = Rc::clone(&bg);
    bg.host.meanwhile(
        Store::Profiles,
        Box::pin(async move {
            let profile = serde_json::from_value(profile_value(7)).unwrap();
            super::profiles::save(&saving, profile).await.unwrap();
        }),
    );
    sync_now(&bg);
    assert!(meta(&bg, Meta::LastSynced(API)).is_some());
    let matches = bg.host.values(Store::Matches);
    assert!(
        matches
            .iter()
            .any(|m| m["profileId"] == "url:in/p7" && m["recordId"] == guid(7)),
        "the profile saved meanwhile is matched: {matches:?}"
    );
}

#[test]
fn clearing_an_orgs_data_while_its_sync_matches_leaves_no_match_behind() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(35));
    add_profile(&bg, 7);
    // The user clears the org's data right after the sync's link step read the profiles,
    // before it wrote its matches.
    let clearing = Rc::clone(&bg);
    bg.host.meanwhile(
        Store::Profiles,
        Box::pin(async move {
            super::links::clear_org_data(&clearing, API).await.unwrap();
        }),
    );
    sync_now(&bg);
    let matches = bg.host.values(Store::Matches);
    assert!(
        matches.is_empty(),
        "a clear removes every match of the org: {matches:?}"
    );
    assert!(bg.host.values(Store::Records).is_empty());
    assert_eq!(meta(&bg, Meta::LastSynced(API)), None);
}

#[test]
fn an_incremental_sync_updates_the_index_in_place_and_matches_the_new_records() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(100));
    add_profile(&bg, 3);
    add_profile(&bg, 103);
    sync_now(&bg);
    let matched = |bg: &Background<FakeHost>, n: usize| {
        bg.host
            .values(Store::Matches)
            .iter()
            .find(|m| m["profileId"] == format!("url:in/p{n}"))
            .and_then(|m| m["recordId"].as_str().map(String::from))
    };
    assert_eq!(matched(&bg, 103), None);
    drop(bg);
    // Four contacts more, modified after the watermark: the only records this sync touches
    // (4 % of the org: an update in place).
    let again = background(&store, org(104));
    sync_now(&again);
    let job = meta(&again, Meta::SyncJob(API));
    assert_eq!(job, None, "the sync finished");
    assert_eq!(matched(&again, 103), Some(guid(103)));
    assert_eq!(matched(&again, 3), Some(guid(3)));
    let took = &meta(&again, Meta::LastSynced(API)).unwrap()["took"];
    assert!(
        took["linkMs"].is_u64() && took["networkMs"].is_u64(),
        "{took}"
    );
    // The index's bytes stay as they were; the ids updated since are kept beside them.
    let pending = meta(&again, Meta::IndexPending(API)).unwrap();
    assert_eq!(
        pending["value"].as_array().map(Vec::len),
        Some(4),
        "{pending}"
    );
    drop(again);
    // A worker that starts afresh reads the bytes and applies them again.
    let fresh = background(&store, org(104));
    let p103 = ["url:in/p103".to_string()];
    block_on(bg_links::rebuild(
        &fresh,
        API,
        bg_links::Scope::Profiles(&p103),
    ))
    .unwrap();
    assert_eq!(matched(&fresh, 103), Some(guid(103)));
}

#[test]
fn clearing_crm_data_keeps_profiles_and_forgets_every_sync() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(5));
    add_profile(&bg, 1);
    sync_now(&bg);
    block_on(handle(&bg, Request::ClearCrmData, SenderInfo::default())).unwrap();
    assert_eq!(contacts_stored(&bg), 0);
    assert!(bg.host.values(Store::Matches).is_empty());
    assert!(meta(&bg, Meta::LastSynced(API)).is_none());
    assert!(meta(&bg, Meta::Watermark(API, crate::crm::RecordType::Contact)).is_none());
    assert_eq!(bg.host.values(Store::Profiles).len(), 1);
}

#[test]
fn the_panel_is_only_answered_inside_its_own_page() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(5));
    let ask = |tab: Option<&str>| {
        let sender = SenderInfo {
            tab_url: tab.map(String::from),
            cookie_store: None,
        };
        block_on(handle(
            &bg,
            Request::GetPanel {
                url: RECORD_PAGE.into(),
            },
            sender,
        ))
        .unwrap()
    };
    assert_eq!(
        ask(Some("https://evil.example/"))["error"]["code"],
        "panelNotFramed"
    );
    assert_eq!(ask(None)["error"]["code"], "panelNotFramed");
    let other_record = RECORD_PAGE.replace("0007", "0008");
    assert_eq!(
        ask(Some(&other_record))["error"]["code"],
        "notThisPage",
        "framed in another record's page"
    );
    let answer = ask(Some(RECORD_PAGE));
    assert_eq!(answer["ok"]["record"]["name"], "Person 7", "{answer}");
    assert_eq!(
        answer["ok"]["syncing"], true,
        "a first sync started and runs"
    );
    // One answer per page view: the activity section and the badge decision come with it.
    assert!(answer["ok"]["activity"]["entries"].is_array(), "{answer}");
    assert_eq!(answer["ok"]["matched"], false, "nobody is linked yet");
    // The core says when to ask again: after the background stops, while the sync runs.
    assert_eq!(answer["ok"]["askAgain"]["afterStopMs"], 3000);
    assert_eq!(answer["ok"]["askAgain"]["org"], API);
    bg.host.run_until_stalled();
    let answer = ask(Some(RECORD_PAGE));
    assert_eq!(answer["ok"]["syncing"], false);
    assert_eq!(answer["ok"]["askAgain"]["afterStopMs"], Value::Null);
    assert!(answer["ok"]["lastSynced"].is_number());
}

#[test]
fn dynamics_is_not_asked_for_a_tab_in_a_container_or_private_window() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(5));
    for cookie_store in ["firefox-container-1", "firefox-private", "1"] {
        let sender = SenderInfo {
            tab_url: Some(RECORD_PAGE.into()),
            cookie_store: Some(cookie_store.into()),
        };
        let request = Request::GetPanel {
            url: RECORD_PAGE.into(),
        };
        let answer = block_on(handle(&bg, request, sender)).unwrap();
        // The background's request would carry the normal window's session: not sent.
        assert_eq!(answer["error"]["code"], "otherCookieStore", "{answer}");
    }
    bg.host.run_until_stalled();
    assert!(bg.host.requests.borrow().is_empty(), "no request sent");
}

#[test]
fn a_dynamics_item_from_a_container_tab_is_parked_not_sent() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(5));
    let sender = SenderInfo {
        tab_url: Some(RECORD_PAGE.into()),
        cookie_store: Some("firefox-container-1".into()),
    };
    let item = crate::writeback::item::NewItem {
        kind: crate::writeback::ItemKind::Note,
        subject: String::new(),
        body: "from a container tab".into(),
        occurred_at: "2026-11-24T09:30:00.000Z".into(),
        call: None,
        tags: vec![],
    };
    let request = Request::LogItem {
        url: RECORD_PAGE.into(),
        item,
        copy_to_crm: true,
    };
    let answer = block_on(handle(&bg, request, sender)).unwrap();
    assert_eq!(answer["ok"]["state"], "queued", "{answer}");
    block_on(bg.on_timer(super::outbox::TIMER)).unwrap();
    bg.host.run_until_stalled();
    let items = bg.host.values(Store::Items);
    assert_eq!(items[0]["state"], "parked", "{}", items[0]);
    assert!(
        bg.host.requests.borrow().is_empty(),
        "nothing sent as another user"
    );
}

#[test]
fn dataverse_asks_whoami_once_per_org_and_reads_the_seat_view_once_per_sync() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(3));
    sync_now(&bg);
    sync_now(&bg);
    let urls = urls_asked(bg.host.requests.borrow().as_slice());
    let count = |end: &str| urls.iter().filter(|u| u.ends_with(end)).count();
    assert_eq!(count("/WhoAmI"), 1, "my user id is remembered: {urls:?}");
    assert_eq!(count("/$batch"), 2, "one seat view per sync");
}

/// The store reads one request made that read the same entry (or ran the same query) before.
pub(crate) fn repeated_reads(host: &FakeHost) -> Vec<String> {
    let reads = host.reads.take();
    let mut repeated: Vec<String> = reads
        .iter()
        .enumerate()
        .filter(|(i, read)| reads[..*i].contains(read))
        .map(|(_, read)| read.clone())
        .collect();
    repeated.dedup();
    repeated
}

#[test]
fn a_record_panel_reads_each_store_entry_once() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(5));
    let ask = || {
        let request = Request::GetPanel {
            url: RECORD_PAGE.into(),
        };
        block_on(handle(&bg, request, SenderInfo::in_tab(RECORD_PAGE))).unwrap()
    };
    ask();
    bg.host.run_until_stalled();
    bg.host.reads.take();
    let answer = ask();
    assert_eq!(answer["ok"]["record"]["name"], "Person 7", "{answer}");
    let reads = bg.host.reads.borrow().clone();
    assert_eq!(
        repeated_reads(&bg.host),
        Vec::<String>::new(),
        "of {reads:#?}"
    );
}

#[test]
fn a_list_view_asks_for_its_rows_as_the_page_writes_their_ids() {
    let store = Rc::new(FakeStore::default());
    let bg = background(&store, org(10));
    add_profile(&bg, 7);
    sync_now(&bg);
    let list = "https://acme.crm.dynamics.com/main.aspx?etn=contact&pagetype=entitylist";
    // A Unified Interface grid's record links write one GUID braced, upper-case or
    // percent-encoded; the header row and rows of other records name nobody matched.
    let braced = format!("{{{}}}", guid(7).to_uppercase());
    let encoded = format!("%7B{}%7D", guid(7));
    let ids = vec![braced.clone(), encoded.clone(), guid(8), "HEADER".into()];
    let request = Request::MatchedRecords {
        url: list.into(),
        ids,
    };
    let answer = block_on(handle(&bg, request, SenderInfo::in_tab(list))).unwrap();
    assert_eq!(answer["ok"], json!([braced, encoded]), "{answer}");
}
