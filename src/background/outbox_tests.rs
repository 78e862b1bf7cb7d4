//! The outbox and the activity requests against the in-memory host and a scripted
//! Salesforce org: each item written once, lost answers looked up before writing again,
//! backoff, sign-in waits, spent allowances, a worker stopped mid-flush, items changed
//! meanwhile, and the panel's per-org count.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{json, Value};

use super::handle::{handle, SenderInfo};
use super::{outbox, Background};
use crate::crm::HttpRequest;
use crate::host::fake::{block_on, FakeHost, FakeStore};
use crate::host::{Host, HttpAnswer, Key, Locked};
use crate::message::Request;
use crate::store::{Meta, Store};
use crate::writeback::item::NewItem;
use crate::writeback::salesforce::ITEM_ID_FIELD;
use crate::writeback::ItemKind;

pub(super) const API: &str = "acme.my.salesforce.com";
pub(super) const PAGE: &str =
    "https://acme.lightning.force.com/lightning/r/Contact/003000000000001AAA/view";
pub(super) const OTHER_API: &str = "beta.my.salesforce.com";
pub(super) const OTHER_PAGE: &str =
    "https://beta.lightning.force.com/lightning/r/Contact/003000000000002AAA/view";

/// What the next write (composite create) request meets.
#[derive(Clone, Copy, PartialEq)]
enum Fault {
    /// 401 INVALID_SESSION_ID.
    SignIn,
    /// 403 REQUEST_LIMIT_EXCEEDED: the daily allowance is spent.
    Limit,
    /// 403 REQUEST_LIMIT_EXCEEDED: too many concurrent long requests (short-term).
    Concurrent,
    /// 403 API_CURRENTLY_DISABLED: the user's profile lacks "API Enabled" (A19).
    ApiDisabled,
    /// 503.
    Down,
    /// Written, but the answer is lost (status 0).
    LostAnswer,
    /// Redirected to the sign-in page: the port reports the opaque redirect it did not follow.
    Redirected,
    /// Written, and the request never answers (the worker is stopped in it).
    Hang,
}

/// A Salesforce org: the Tasks made (item id → Task id) and the faults still to come.
#[derive(Default)]
pub(super) struct Org {
    tasks: RefCell<Vec<(String, String)>>,
    creates: RefCell<u32>,
    faults: RefCell<Vec<Fault>>,
    /// Called with each create request before it is answered (a change "meanwhile").
    during_create: RefCell<Option<Box<dyn Fn()>>>,
    /// Hosts whose every request answers 503.
    down_hosts: RefCell<Vec<String>>,
}

fn answer(status: u16, body: Value) -> Option<HttpAnswer> {
    Some(HttpAnswer::new(status, body.to_string()))
}

pub(super) fn serve(org: &Org, request: &HttpRequest) -> Option<HttpAnswer> {
    let url = &request.url;
    if org
        .down_hosts
        .borrow()
        .iter()
        .any(|h| url.contains(h.as_str()))
    {
        return answer(
            503,
            json!([{"errorCode": "SERVER_UNAVAILABLE", "message": "down"}]),
        );
    }
    if url.contains("/userinfo") {
        return answer(200, json!({"user_id": "005000000000001AAA"}));
    }
    if url.contains("/query") {
        let records: Vec<Value> = org
            .tasks
            .borrow()
            .iter()
            .map(|(item, id)| json!({"Id": id, ITEM_ID_FIELD: item}))
            .collect();
        return answer(
            200,
            json!({"records": records, "done": true, "totalSize": records.len()}),
        );
    }
    if url.contains("/composite/sobjects") {
        if let Some(during) = org.during_create.borrow().as_ref() {
            during();
        }
        let fault = {
            let mut faults = org.faults.borrow_mut();
            (!faults.is_empty()).then(|| faults.remove(0))
        };
        match fault {
            Some(Fault::SignIn) => {
                return answer(
                    401,
                    json!([{"errorCode": "INVALID_SESSION_ID", "message": "Session expired"}]),
                )
            }
            Some(Fault::Limit) => {
                return answer(
                    403,
                    json!([{"errorCode": "REQUEST_LIMIT_EXCEEDED", "message": "TotalRequests Limit exceeded."}]),
                )
            }
            Some(Fault::Concurrent) => {
                return answer(
                    403,
                    json!([{"errorCode": "REQUEST_LIMIT_EXCEEDED", "message": "ConcurrentPerOrgLongTxn Limit exceeded."}]),
                )
            }
            Some(Fault::ApiDisabled) => {
                return answer(
                    403,
                    json!([{"errorCode": "API_CURRENTLY_DISABLED", "message": "API is disabled for this User"}]),
                )
            }
            Some(Fault::Down) => {
                return answer(
                    503,
                    json!([{"errorCode": "SERVER_UNAVAILABLE", "message": "down"}]),
                )
            }
            Some(Fault::Redirected) => {
                let port = json!({"status": 0, "body": "", "redirected": true});
                return Some(serde_json::from_value(port).unwrap());
            }
            _ => {}
        }
        *org.creates.borrow_mut() += 1;
        let body: Value = serde_json::from_str(request.body.as_deref().unwrap_or("{}")).unwrap();
        let mut results = Vec::new();
        for record in body["records"].as_array().unwrap() {
            let item = record[ITEM_ID_FIELD].as_str().unwrap().to_string();
            let mut tasks = org.tasks.borrow_mut();
            if tasks.iter().any(|(i, _)| *i == item) {
                results.push(json!({"success": false, "errors": [{"statusCode": "DUPLICATE_VALUE", "message": "duplicate"}]}));
                continue;
            }
            let id = format!("00T{:015}", tasks.len() + 1);
            tasks.push((item, id.clone()));
            results.push(json!({"id": id, "success": true, "errors": []}));
        }
        return match fault {
            Some(Fault::LostAnswer) => Some(HttpAnswer::new(0, "connection reset")),
            Some(Fault::Hang) => None,
            _ => answer(200, Value::from(results)),
        };
    }
    answer(404, json!([{"errorCode": "NOT_FOUND", "message": url}]))
}

pub(super) fn background(store: &Rc<FakeStore>, org: &Rc<Org>) -> Rc<Background<FakeHost>> {
    let org = Rc::clone(org);
    background_serving(store, move |request| serve(&org, request))
}

/// A background signed in to both Salesforce orgs, whose CRM answers with `crm`.
pub(super) fn background_serving(
    store: &Rc<FakeStore>,
    crm: impl FnMut(&HttpRequest) -> Option<HttpAnswer> + 'static,
) -> Rc<Background<FakeHost>> {
    let host = FakeHost::new(Rc::clone(store), crm);
    host.sign_in_to_salesforce("acme.lightning.force.com", API);
    host.sign_in_to_salesforce("beta.lightning.force.com", OTHER_API);
    Background::new(host)
}

/// Logs an item with Copy to CRM on, from the tab showing `url`; the answer as it came.
pub(super) fn log_answer(
    bg: &Rc<Background<FakeHost>>,
    url: &str,
    kind: ItemKind,
    body: &str,
) -> Value {
    let item = NewItem {
        kind,
        subject: String::new(),
        body: body.into(),
        occurred_at: "2026-11-24T09:30:00.000Z".into(),
        call: None,
        tags: vec![],
    };
    let request = Request::LogItem {
        url: url.into(),
        item,
        copy_to_crm: true,
    };
    block_on(handle(bg, request, SenderInfo::in_tab(url))).unwrap()
}

/// A message logged and queued: the item.
pub(super) fn log(bg: &Rc<Background<FakeHost>>, url: &str, body: &str) -> Value {
    let answer = log_answer(bg, url, ItemKind::Message, body);
    assert_eq!(answer["ok"]["state"], "queued", "{answer}");
    answer["ok"].clone()
}

pub(super) fn flush(bg: &Rc<Background<FakeHost>>) {
    block_on(bg.on_timer(outbox::TIMER)).unwrap();
}

fn later(bg: &Background<FakeHost>, ms: f64) {
    bg.host.clock.set(bg.host.clock.get() + ms);
}

pub(super) fn item(bg: &Background<FakeHost>, id: &Value) -> Value {
    let id = id.as_str().unwrap();
    block_on(bg.host.get(Store::Items, &Key::from(id)))
        .unwrap()
        .unwrap()
}

pub(super) fn activity(bg: &Rc<Background<FakeHost>>, url: &str) -> Value {
    let request = Request::GetActivity { url: url.into() };
    block_on(handle(bg, request, SenderInfo::in_tab(url))).unwrap()["ok"].clone()
}

pub(super) fn creates(org: &Org) -> u32 {
    *org.creates.borrow()
}

/// A request naming `url`, sent from a tab showing `tab_url`.
fn ask_from_tab(bg: &Rc<Background<FakeHost>>, request: Request, tab_url: &str) -> Value {
    block_on(handle(bg, request, SenderInfo::in_tab(tab_url))).unwrap()
}

#[test]
fn requests_naming_another_page_than_the_senders_tab_are_refused() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    // The host page rewrote the panel frame's URL: the panel names OTHER_PAGE, the tab shows PAGE.
    let note = NewItem {
        kind: ItemKind::Note,
        subject: String::new(),
        body: "about someone else".into(),
        occurred_at: "2026-11-24T09:30:00.000Z".into(),
        call: None,
        tags: vec![],
    };
    let forged = Request::LogItem {
        url: OTHER_PAGE.into(),
        item: note,
        copy_to_crm: true,
    };
    assert_eq!(
        ask_from_tab(&bg, forged, PAGE),
        json!({"error": {"code": "notThisPage"}})
    );
    assert!(bg.host.values(Store::Items).is_empty(), "nothing stored");
    let correct = Request::CorrectMatch {
        url: OTHER_PAGE.into(),
        correction: crate::linking::Correction::Link {
            profile_id: "url:in/mallory".into(),
        },
    };
    assert_eq!(
        ask_from_tab(&bg, correct, PAGE)["error"]["code"],
        "notThisPage"
    );
    assert!(bg.host.values(Store::Overrides).is_empty(), "no link made");
    let read = Request::GetActivity {
        url: OTHER_PAGE.into(),
    };
    assert_eq!(
        ask_from_tab(&bg, read, PAGE),
        json!({"error": {"code": "notThisPage"}})
    );
    // The tab's own page: answered about it.
    let id = log(&bg, PAGE, "hello")["id"].clone();
    let about = item(&bg, &id)["about"].clone();
    assert_eq!(about["apiHost"], API, "{about}");
}

#[test]
fn a_flush_writes_each_item_once_in_one_request_with_audit_rows() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    let ids: Vec<Value> = (0..3)
        .map(|n| log(&bg, PAGE, &format!("hello {n}"))["id"].clone())
        .collect();
    assert!(
        bg.host.timers.borrow().contains_key(outbox::TIMER),
        "a flush is due soon"
    );
    flush(&bg);
    assert_eq!(creates(&org), 1);
    assert_eq!(org.tasks.borrow().len(), 3);
    for id in &ids {
        let stored = item(&bg, id);
        assert_eq!(stored["state"], "written");
        assert_eq!(stored["ownerId"], "005000000000001AAA");
    }
    assert_eq!(bg.host.values(Store::Audit).len(), 3);
    flush(&bg);
    assert_eq!(creates(&org), 1, "nothing is written twice");
    assert_eq!(bg.host.alarms.borrow().get(outbox::ALARM), Some(&None));
    assert_eq!(activity(&bg, PAGE)["outbox"]["waiting"], 0);
}

#[test]
fn a_lost_answer_is_looked_up_before_writing_again() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    org.faults.borrow_mut().push(Fault::LostAnswer);
    let id = log(&bg, PAGE, "hello")["id"].clone();
    flush(&bg);
    let stored = item(&bg, &id);
    assert_eq!(
        (stored["state"].as_str(), stored["uncertain"].as_bool()),
        (Some("queued"), Some(true))
    );
    later(&bg, 10_000.0);
    flush(&bg);
    assert_eq!(item(&bg, &id)["state"], "written");
    assert_eq!(creates(&org), 1, "found by its item id, not created again");
    assert_eq!(org.tasks.borrow().len(), 1);
}

#[test]
fn a_retry_waits_with_backoff() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    org.faults.borrow_mut().extend([Fault::Down, Fault::Down]);
    let id = log(&bg, PAGE, "hello")["id"].clone();
    flush(&bg);
    let first = item(&bg, &id);
    assert_eq!(first["attempts"], 1);
    let wait = first["nextAttemptAt"].as_f64().unwrap() - bg.host.clock.get();
    assert_eq!(wait, 1_500.0, "2 s with equal jitter at 0.5");
    let requests = bg.host.requests.borrow().len();
    flush(&bg);
    assert_eq!(
        bg.host.requests.borrow().len(),
        requests,
        "not due yet: nothing sent"
    );
    later(&bg, wait);
    flush(&bg);
    let second = item(&bg, &id);
    assert_eq!(second["attempts"], 2);
    let wait = second["nextAttemptAt"].as_f64().unwrap() - bg.host.clock.get();
    assert_eq!(wait, 3_000.0, "the wait doubles");
    later(&bg, wait);
    flush(&bg);
    assert_eq!(item(&bg, &id)["state"], "written");
}

#[test]
fn an_expired_session_waits_for_sign_in_and_resumes_on_a_cookie_or_a_panel() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    org.faults
        .borrow_mut()
        .extend([Fault::SignIn, Fault::SignIn]);
    let id = log(&bg, PAGE, "hello")["id"].clone();
    flush(&bg);
    let outbox = &activity(&bg, PAGE)["outbox"];
    assert_eq!(outbox["needsSignIn"], true);
    assert_eq!(outbox["waiting"], 1);
    assert_eq!(item(&bg, &id)["state"], "queued");
    let requests = bg.host.requests.borrow().len();
    later(&bg, 5_000.0);
    flush(&bg);
    assert_eq!(bg.host.requests.borrow().len(), requests, "the org waits");
    // Another cookie changing does not wake it, nor a sid in another cookie store (a container
    // tab's sign-in is no session for this item); a new sid in the item's store does.
    block_on(outbox::cookie_changed(&bg, "other", false, None)).unwrap();
    block_on(outbox::cookie_changed(
        &bg,
        "sid",
        false,
        Some("firefox-container-1"),
    ))
    .unwrap();
    flush(&bg);
    assert_eq!(bg.host.requests.borrow().len(), requests);
    block_on(outbox::cookie_changed(
        &bg,
        "sid",
        false,
        Some("firefox-default"),
    ))
    .unwrap();
    assert_eq!(
        bg.host.timers.borrow().get(outbox::TIMER),
        Some(&bg.host.clock.get())
    );
    flush(&bg);
    assert_eq!(
        activity(&bg, PAGE)["outbox"]["needsSignIn"],
        true,
        "still expired"
    );
    // A panel of the org read its record with a working session (record_panel wakes it).
    block_on(outbox::session_seen(&bg, API)).unwrap();
    flush(&bg);
    assert_eq!(item(&bg, &id)["state"], "written");
    assert_eq!(activity(&bg, PAGE)["outbox"]["needsSignIn"], false);
}

#[test]
fn a_spent_allowance_pauses_the_org_until_the_user_retries() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    org.faults.borrow_mut().push(Fault::Limit);
    let id = log(&bg, PAGE, "hello")["id"].clone();
    flush(&bg);
    let outbox = activity(&bg, PAGE)["outbox"].clone();
    let paused = outbox["pausedUntil"].as_f64().unwrap() - bg.host.clock.get();
    assert_eq!(paused, 3_600_000.0);
    assert_eq!(outbox["lastError"]["code"], "REQUEST_LIMIT_EXCEEDED");
    later(&bg, 600_000.0);
    let requests = bg.host.requests.borrow().len();
    flush(&bg);
    assert_eq!(
        bg.host.requests.borrow().len(),
        requests,
        "paused: nothing sent"
    );
    let request = Request::RetryItem {
        id: id.as_str().unwrap().into(),
    };
    block_on(handle(&bg, request, SenderInfo::default())).unwrap();
    flush(&bg);
    assert_eq!(item(&bg, &id)["state"], "written");
}

#[test]
fn salesforces_concurrent_request_limit_is_retried_soon_not_paused() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    org.faults.borrow_mut().push(Fault::Concurrent);
    let id = log(&bg, PAGE, "hello")["id"].clone();
    flush(&bg);
    assert_eq!(
        activity(&bg, PAGE)["outbox"]["pausedUntil"],
        0.0,
        "not paused"
    );
    let stored = item(&bg, &id);
    assert_eq!(stored["attempts"], 1, "retried with backoff");
    later(&bg, 2_000.0);
    flush(&bg);
    assert_eq!(item(&bg, &id)["state"], "written");
}

/// An org that refuses the session (A19) keeps the items and sends nothing more, by no timer,
/// until the user signs in again (a new `sid`), a panel of the org loads, or the user retries.
#[test]
fn a_refused_session_keeps_the_items_and_waits_for_the_session_to_change() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    org.faults
        .borrow_mut()
        .extend([Fault::ApiDisabled, Fault::ApiDisabled]);
    let id = log(&bg, PAGE, "hello")["id"].clone();
    flush(&bg);
    let outbox = activity(&bg, PAGE)["outbox"].clone();
    assert_eq!(outbox["blocked"], true, "{outbox}");
    assert_eq!(outbox["needsSignIn"], false);
    assert_eq!(outbox["lastError"]["code"], "API_CURRENTLY_DISABLED");
    assert_eq!(item(&bg, &id)["state"], "queued");
    assert_eq!(
        bg.host.timers.borrow().get(outbox::TIMER),
        None,
        "no timer wakes a refused org"
    );
    assert_eq!(bg.host.alarms.borrow().get(outbox::ALARM), Some(&None));
    let requests = bg.host.requests.borrow().len();
    later(&bg, 24.0 * 3_600_000.0);
    flush(&bg);
    assert_eq!(bg.host.requests.borrow().len(), requests, "not retried");
    // The user signed in again: tried once, refused again, waiting again.
    block_on(outbox::cookie_changed(&bg, "sid", false, None)).unwrap();
    flush(&bg);
    assert!(bg.host.requests.borrow().len() > requests);
    assert_eq!(activity(&bg, PAGE)["outbox"]["blocked"], true);
    let requests = bg.host.requests.borrow().len();
    flush(&bg);
    assert_eq!(bg.host.requests.borrow().len(), requests);
    // The admin allowed it and the user retries.
    let request = Request::RetryItem {
        id: id.as_str().unwrap().into(),
    };
    block_on(handle(&bg, request, SenderInfo::default())).unwrap();
    flush(&bg);
    assert_eq!(item(&bg, &id)["state"], "written");
    assert_eq!(activity(&bg, PAGE)["outbox"]["blocked"], false);
}

/// A Salesforce org behind a Defender for Cloud Apps proxy has no usable session (A18): the
/// item waits with that reason, and nothing is sent.
#[test]
fn a_proxied_salesforce_org_is_refused_without_a_request() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    let proxied =
        "https://acme.lightning.force.com.mcas.ms/lightning/r/Contact/003000000000001AAA/view";
    let answer = log_answer(&bg, proxied, ItemKind::Message, "hello");
    let id = answer["ok"]["id"].clone();
    flush(&bg);
    let requests = bg.host.requests.borrow().len();
    assert_eq!(requests, 0, "{:?}", bg.host.requests.borrow());
    assert_eq!(item(&bg, &id)["error"]["code"], "SESSION_PROXIED");
    assert_eq!(activity(&bg, proxied)["outbox"]["blocked"], true);
}

#[test]
fn a_worker_stopped_mid_flush_resumes_and_writes_exactly_once() {
    let (store, org) = (Rc::new(FakeStore::default()), Rc::new(Org::default()));
    let first = background(&store, &org);
    org.faults.borrow_mut().push(Fault::Hang);
    let ids: Vec<Value> = (0..2)
        .map(|n| log(&first, PAGE, &format!("hi {n}"))["id"].clone())
        .collect();
    let running = Rc::clone(&first);
    first.host.spawn(Box::pin(async move {
        let _ = running.on_timer(outbox::TIMER).await;
    }));
    first.host.run_until_stalled();
    assert_eq!(
        org.tasks.borrow().len(),
        2,
        "the CRM has them, the worker never heard"
    );
    assert_eq!(
        item(&first, &ids[0])["uncertain"],
        true,
        "marked before the request"
    );
    drop(first);

    let second = background(&store, &org);
    block_on(second.start()).unwrap();
    assert!(
        second.host.timers.borrow().contains_key(outbox::TIMER),
        "starting flushes soon"
    );
    flush(&second);
    for id in &ids {
        assert_eq!(item(&second, id)["state"], "written");
    }
    assert_eq!(creates(&org), 1);
    assert_eq!(org.tasks.borrow().len(), 2, "exactly once");
}

#[test]
fn an_item_changed_during_the_flush_is_not_overwritten_by_its_outcome() {
    let store = Rc::new(FakeStore::default());
    let org = Rc::new(Org::default());
    let bg = background(&store, &org);
    let id = log(&bg, PAGE, "hello")["id"].clone();
    let mut discarded = item(&bg, &id);
    discarded["state"] = json!("discarded");
    let (meanwhile, changed) = (Rc::clone(&store), discarded.clone());
    *org.during_create.borrow_mut() = Some(Box::new(move || {
        meanwhile.put(Store::Items, changed.clone())
    }));
    flush(&bg);
    assert_eq!(creates(&org), 1);
    assert_eq!(item(&bg, &id), discarded, "kept as the user left it");
    assert!(bg.host.values(Store::Audit).is_empty());
}

#[test]
fn the_rare_modules_flush_waits_while_the_start_module_changes_an_item() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    let id = log(&bg, PAGE, "hello")["id"].clone();
    // A user's discard or resolve in the start module holds the items lock.
    let held = block_on(bg.host.lock(Locked::Items));
    let flushing = Rc::clone(&bg);
    bg.host.spawn(Box::pin(async move {
        flushing.on_timer(outbox::TIMER).await.unwrap();
    }));
    bg.host.run_until_stalled();
    assert_eq!(creates(&org), 0, "the flush waits for the lock");
    assert_eq!(item(&bg, &id)["state"], "queued");
    drop(held);
    bg.host.run_until_stalled();
    assert_eq!(creates(&org), 1);
    assert_eq!(item(&bg, &id)["state"], "written");
}

/// A CRM that redirects the write (to its sign-in page) did nothing: the item waits for the
/// user to sign in, and is not taken for one that may have been written.
#[test]
fn a_redirected_write_waits_for_sign_in() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    org.faults.borrow_mut().push(Fault::Redirected);
    let id = log(&bg, PAGE, "hello")["id"].clone();
    flush(&bg);
    let outbox = &activity(&bg, PAGE)["outbox"];
    assert_eq!(outbox["needsSignIn"], true);
    assert_eq!(item(&bg, &id)["state"], "queued");
    assert_eq!(
        item(&bg, &id)["uncertain"],
        false,
        "nothing may have been written"
    );
    assert_eq!(*org.creates.borrow(), 0);
}

#[test]
fn the_sign_in_notice_counts_this_orgs_items_only() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    org.faults.borrow_mut().push(Fault::SignIn);
    org.down_hosts.borrow_mut().push(OTHER_API.into());
    log(&bg, PAGE, "mine");
    for n in 0..2 {
        log(&bg, OTHER_PAGE, &format!("other org {n}"));
    }
    flush(&bg);
    let outbox = &activity(&bg, PAGE)["outbox"];
    assert_eq!(
        (outbox["needsSignIn"].as_bool(), outbox["waiting"].as_u64()),
        (Some(true), Some(1))
    );
    let other = &activity(&bg, OTHER_PAGE)["outbox"];
    assert_eq!(
        (other["needsSignIn"].as_bool(), other["waiting"].as_u64()),
        (Some(false), Some(2))
    );
}

#[test]
fn a_rejected_item_is_parked_counted_on_the_badge_and_retried() {
    let (store, org) = (Rc::default(), Rc::new(Org::default()));
    let bg = background(&store, &org);
    let id = log(&bg, PAGE, "hello")["id"].clone();
    // Parked by the CRM's rule.
    let mut parked = item(&bg, &id);
    parked["state"] = json!("parked");
    store.put(Store::Items, parked);
    block_on(super::activity::refresh_badge(&bg.host)).unwrap();
    let badge = bg.host.badge.borrow().clone().unwrap();
    assert_eq!((badge.text.as_str(), badge.count), ("1", 1));
    let retry = |id: &str| {
        let request = Request::RetryItem { id: id.into() };
        block_on(handle(&bg, request, SenderInfo::default())).unwrap()
    };
    assert_eq!(retry(id.as_str().unwrap())["ok"]["state"], "queued");
    assert_eq!(bg.host.badge.borrow().as_ref().unwrap().text, "");
    assert_eq!(retry("nope")["error"]["code"], "notFound");
    flush(&bg);
    assert_eq!(item(&bg, &id)["state"], "written");
    let key = Key::Text(Meta::Outbox(API).key());
    assert!(block_on(bg.host.get(Store::Meta, &key)).unwrap().is_some());
}
