//! The seat holder's half against the in-memory host and a scripted Salesforce org whose
//! admin publishes settings and gives seats: one seat-view request per sync, each org's own
//! layer, who is enabled, a disconnected org, a clear done once, unreadable settings kept
//! last-good, items kept here and written once when enabled, and the options page's orgs.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::{json, Value};

use super::handle::{handle, SenderInfo};
use super::outbox_tests::{
    activity, background_serving, creates, flush, item, log_answer, serve, Org, API, OTHER_API,
    OTHER_PAGE, PAGE,
};
use super::Background;
use crate::crm::HttpRequest;
use crate::host::fake::{block_on, FakeHost, FakeStore};
use crate::host::{Host, HttpAnswer, Write};
use crate::message::Request;
use crate::store::{Meta, Store};
use crate::writeback::salesforce::ITEM_ID_FIELD;
use crate::writeback::ItemKind;

const CONTACT: &str = "003000000000001AAA";

/// What the org's admin published, and what the org holds.
struct Admin {
    /// The stored document (`None`: the user may not see the settings object, as Salesforce
    /// answers a user without a seat).
    doc: RefCell<Option<String>>,
    seat: Cell<bool>,
    /// The seat view is refused.
    refuse: Cell<bool>,
    contacts: RefCell<Vec<&'static str>>,
    seat_views: Cell<u32>,
    queries: Cell<u32>,
    writes: Org,
}

impl Admin {
    fn publish(&self, doc: Value) {
        *self.doc.borrow_mut() = Some(doc.to_string());
    }
}

fn connected(settings: Value) -> Value {
    json!({"crmsync": 1, "state": "connected", "settings": settings})
}

fn answer(status: u16, body: Value) -> Option<HttpAnswer> {
    Some(HttpAnswer::new(status, body.to_string()))
}

fn sub(reference: &str, status: u16, body: Value) -> Value {
    json!({"referenceId": reference, "httpStatusCode": status, "httpHeaders": {}, "body": body})
}

/// The seat view's composite answer (CRM-APIS A16, as `crm::admin::salesforce` reads it).
fn seat_view(admin: &Admin) -> Option<HttpAnswer> {
    if admin.refuse.get() {
        return answer(
            403,
            json!([{"errorCode": "INSUFFICIENT_ACCESS", "message": "no access"}]),
        );
    }
    let settings = match admin.doc.borrow().as_ref() {
        Some(doc) => sub(
            "settings",
            200,
            json!({"totalSize": 1, "done": true, "records": [{"Id": "a00", "Json__c": doc}]}),
        ),
        None => sub(
            "settings",
            400,
            json!([{"errorCode": "INVALID_TYPE", "message": "sObject type 'crmsync_Settings__c' is not supported."}]),
        ),
    };
    let seats: Vec<Value> = admin
        .seat
        .get()
        .then(|| json!({"DeveloperName": "crmsync_Seat"}))
        .into_iter()
        .collect();
    let seat = sub(
        "seat",
        200,
        json!({"totalSize": seats.len(), "done": true, "records": seats}),
    );
    answer(200, json!({"compositeResponse": [settings, seat]}))
}

fn crm(admin: &Admin, request: &HttpRequest) -> Option<HttpAnswer> {
    let url = &request.url;
    let body = request.body.as_deref().unwrap_or_default();
    if url.ends_with("/composite") && body.contains("/deleted/") {
        // An incremental sync's deletions step: nothing was deleted here.
        let nothing = crate::sync::deletions::salesforce::nothing_deleted();
        return answer(200, nothing);
    }
    if url.ends_with("/composite") {
        admin.seat_views.set(admin.seat_views.get() + 1);
        // Only acme's admin publishes; beta never heard of crmsync.
        return match url.contains(API) {
            true => seat_view(admin),
            false => answer(
                200,
                json!({"compositeResponse": [
                    sub("settings", 400, json!([{"errorCode": "INVALID_TYPE", "message": "sObject type 'crmsync_Settings__c' is not supported."}])),
                    sub("seat", 200, json!({"totalSize": 0, "done": true, "records": []})),
                ]}),
            ),
        };
    }
    if url.contains("/query") && !url.contains(ITEM_ID_FIELD) {
        admin.queries.set(admin.queries.get() + 1);
        // Only the Contact query names MailingCity.
        let records: Vec<Value> = if url.contains("MailingCity") {
            admin
                .contacts
                .borrow()
                .iter()
                .map(|id| {
                    json!({
                "attributes": {"type": "Contact"}, "Id": id, "Name": format!("Person {id}"),
                "LastName": "Person", "Email": format!("{id}@acme.test"),
                "LastModifiedDate": "2026-11-02T10:00:00.000+0000"})
                })
                .collect()
        } else {
            Vec::new()
        };
        return answer(
            200,
            json!({"totalSize": records.len(), "done": true, "records": records}),
        );
    }
    if url.contains("/sobjects/Contact/") {
        return answer(200, json!({"Id": CONTACT, "Name": "Ann Lee"}));
    }
    serve(&admin.writes, request)
}

fn org() -> (Rc<Background<FakeHost>>, Rc<Admin>) {
    let admin = Rc::new(Admin {
        doc: RefCell::new(None),
        seat: Cell::new(true),
        refuse: Cell::new(false),
        contacts: RefCell::new(vec![CONTACT]),
        seat_views: Cell::new(0),
        queries: Cell::new(0),
        writes: Org::default(),
    });
    let serving = Rc::clone(&admin);
    let bg = background_serving(&Rc::<FakeStore>::default(), move |r| crm(&serving, r));
    (bg, admin)
}

fn ask(bg: &Rc<Background<FakeHost>>, request: Request, tab: &str) -> Value {
    block_on(handle(bg, request, SenderInfo::in_tab(tab))).unwrap()
}

fn sync(bg: &Rc<Background<FakeHost>>, page: &str) {
    ask(bg, Request::SyncNow { url: page.into() }, page);
    bg.host.run_until_stalled();
}

fn log_message(bg: &Rc<Background<FakeHost>>, page: &str) -> Value {
    log_answer(bg, page, ItemKind::Message, "met at the fair")["ok"].clone()
}

fn statuses(bg: &Rc<Background<FakeHost>>) -> Value {
    ask(bg, Request::OrgStatuses, "")["ok"].clone()
}

fn records_of(bg: &Background<FakeHost>, api_host: &str) -> usize {
    let values = bg.host.values(Store::Records);
    values.iter().filter(|r| r["apiHost"] == api_host).count()
}

#[test]
fn each_sync_picks_up_the_orgs_settings_in_one_request_and_they_apply_to_that_org() {
    let (bg, admin) = org();
    admin.publish(connected(
        json!({"writeBackKinds": ["message"], "toggleDefaultOn": false}),
    ));
    sync(&bg, PAGE);
    assert_eq!(admin.seat_views.get(), 1, "one request per sync");
    let toggles = &activity(&bg, PAGE)["toggles"];
    assert_eq!(
        toggles["message"],
        json!({"offered": true, "on": false, "reason": null})
    );
    assert_eq!(toggles["call"]["reason"], "kindNotSynced");
    // Another org published nothing: it works as before any admin.
    sync(&bg, OTHER_PAGE);
    assert_eq!(admin.seat_views.get(), 2);
    let admin_settings_elsewhere = &activity(&bg, OTHER_PAGE)["toggles"];
    assert_eq!(admin_settings_elsewhere["call"]["offered"], true);
    assert_eq!(admin_settings_elsewhere["message"]["on"], true);
    // The admin changes a setting: the next sync picks it up, again in one request.
    admin.publish(connected(json!({"writeBack": false})));
    sync(&bg, PAGE);
    assert_eq!(admin.seat_views.get(), 3);
    assert_eq!(log_message(&bg, PAGE)["reason"], "offForOrg");
    assert_eq!(log_message(&bg, OTHER_PAGE)["state"], "queued");
}

#[test]
fn an_item_logged_while_sync_is_not_on_for_me_stays_here_and_is_written_once_when_it_is() {
    let (bg, admin) = org();
    admin.publish(connected(json!({"autoSyncAll": false})));
    sync(&bg, PAGE);
    // The admin takes my seat: Salesforce then hides the settings object from me.
    admin.seat.set(false);
    *admin.doc.borrow_mut() = None;
    sync(&bg, PAGE);
    let kept = log_message(&bg, PAGE);
    assert_eq!(
        (kept["state"].as_str(), kept["reason"].as_str()),
        (Some("local"), Some("userNotEnabled"))
    );
    let toggle = &activity(&bg, PAGE)["toggles"]["message"];
    assert_eq!(toggle["reason"], "userNotEnabled", "{toggle}");
    let panel = ask(&bg, Request::GetPanel { url: PAGE.into() }, PAGE);
    assert_eq!(panel["ok"]["access"], "notEnabled", "{panel}");
    let correct = Request::CorrectMatch {
        url: PAGE.into(),
        correction: crate::linking::Correction::Reject {
            profile_id: "url:in/x".into(),
        },
    };
    assert_eq!(ask(&bg, correct, PAGE)["error"]["code"], "syncNotEnabled");
    flush(&bg);
    assert_eq!(creates(&admin.writes), 0, "nothing reaches the CRM");

    admin.seat.set(true);
    admin.publish(connected(json!({"autoSyncAll": false})));
    sync(&bg, PAGE);
    assert_eq!(item(&bg, &kept["id"])["state"], "queued");
    flush(&bg);
    assert_eq!(item(&bg, &kept["id"])["state"], "written");
    sync(&bg, PAGE);
    flush(&bg);
    assert_eq!(creates(&admin.writes), 1, "written once");
}

#[test]
fn the_policys_seat_list_enables_the_user_it_names() {
    let (bg, admin) = org();
    *bg.host.policy.borrow_mut() = Some(json!({"locked": {"seats": ["005000000000001AAA"]}}));
    admin.seat.set(false);
    admin.publish(connected(json!({"autoSyncAll": false})));
    sync(&bg, PAGE);
    assert_eq!(log_message(&bg, PAGE)["state"], "queued");
    *bg.host.policy.borrow_mut() = Some(json!({"locked": {"seats": ["005000000000009AAA"]}}));
    super::settings::policy_changed(&bg);
    assert_eq!(log_message(&bg, PAGE)["reason"], "userNotEnabled");
}

#[test]
fn a_disconnected_org_stops_sync_and_write_back_for_every_seat_holder() {
    let (bg, admin) = org();
    let queued = log_message(&bg, PAGE);
    assert_eq!(queued["state"], "queued");
    admin.publish(json!({"crmsync": 1, "state": "disconnected", "settings": {}}));
    sync(&bg, PAGE);
    assert_eq!(admin.queries.get(), 0, "no record is read");
    assert_eq!(records_of(&bg, API), 0);
    flush(&bg);
    assert_eq!(creates(&admin.writes), 0);
    let kept = item(&bg, &queued["id"]);
    assert_eq!(
        (kept["state"].as_str(), kept["reason"].as_str()),
        (Some("local"), Some("orgDisconnected"))
    );
    // Connected again: the next sync reads the org, the item is written.
    admin.publish(connected(json!({})));
    sync(&bg, PAGE);
    assert!(admin.queries.get() > 0);
    flush(&bg);
    assert_eq!(item(&bg, &queued["id"])["state"], "written");
}

fn own_data(bg: &Background<FakeHost>) {
    let writes = vec![
        Write::Put {
            store: Store::Overrides,
            value: json!({"apiHost": API, "overrides": {}}),
        },
        Write::Put {
            store: Store::Audit,
            value: json!({"itemId": "old", "kind": "note", "subject": "s", "crmIds": []}),
        },
    ];
    block_on(bg.host.write(writes)).unwrap();
}

#[test]
fn a_clear_the_admin_chose_clears_the_orgs_imported_data_once_and_never_the_users_own() {
    let (bg, admin) = org();
    admin.publish(connected(json!({})));
    admin.contacts.borrow_mut().push("003000000000002AAA");
    sync(&bg, PAGE);
    sync(&bg, OTHER_PAGE);
    assert_eq!(records_of(&bg, API), 2);
    own_data(&bg);
    let mine = log_message(&bg, PAGE);
    // The admin deletes a contact, and chooses to clear imported data on connecting again.
    admin.contacts.borrow_mut().pop();
    let cleared = "2026-12-01T15:00:00Z";
    admin.publish(json!({"crmsync": 1, "state": "connected", "settings": {}, "cleared": cleared}));
    sync(&bg, PAGE);
    assert_eq!(records_of(&bg, API), 1, "read again from the start");
    assert_eq!(records_of(&bg, OTHER_API), 2, "another org's data stays");
    assert_eq!(
        bg.host.values(Store::Overrides).len(),
        1,
        "corrections stay"
    );
    assert_eq!(bg.host.values(Store::Audit).len(), 1, "the audit log stays");
    assert!(item(&bg, &mine["id"]).is_object(), "the user's items stay");
    // The same instant again: nothing more is cleared.
    admin.contacts.borrow_mut().push("003000000000003AAA");
    sync(&bg, PAGE);
    admin.contacts.borrow_mut().pop();
    sync(&bg, PAGE);
    assert_eq!(records_of(&bg, API), 2, "once");
}

#[test]
fn settings_that_cannot_be_read_keep_the_last_good_ones_and_the_options_page_says_so() {
    let (bg, admin) = org();
    admin.publish(connected(json!({"writeBack": false})));
    sync(&bg, PAGE);
    *admin.doc.borrow_mut() = Some("edited by hand".into());
    sync(&bg, PAGE);
    assert_eq!(
        log_message(&bg, PAGE)["reason"],
        "offForOrg",
        "last good settings"
    );
    block_on(bg.host.write(vec![Write::Put {
        store: Store::Meta,
        value: json!({"key": Meta::Org(API).key(), "value": {"crm": "salesforce", "pageHost": "acme.lightning.force.com"}}),
    }]))
    .unwrap();
    let shown = &statuses(&bg)[0];
    assert_eq!(
        shown["settingsProblem"]["code"], "SETTINGS_UNREADABLE",
        "{shown}"
    );
    admin.refuse.set(true);
    sync(&bg, PAGE);
    assert_eq!(
        statuses(&bg)[0]["settingsProblem"]["code"],
        "INSUFFICIENT_ACCESS"
    );
    assert_eq!(log_message(&bg, PAGE)["reason"], "offForOrg");
    assert!(records_of(&bg, API) > 0, "the sync carries on");
}

fn seen(bg: &Background<FakeHost>) {
    let org = json!({"key": Meta::Org(API).key(), "value": {"crm": "salesforce", "pageHost": "acme.lightning.force.com"}});
    block_on(bg.host.write(vec![Write::Put {
        store: Store::Meta,
        value: org,
    }]))
    .unwrap();
}

#[test]
fn disconnect_here_stops_the_org_can_clear_it_and_connect_again_undoes_it() {
    let (bg, admin) = org();
    admin.publish(connected(json!({})));
    sync(&bg, PAGE);
    seen(&bg);
    own_data(&bg);
    let shown = &statuses(&bg)[0];
    assert_eq!(
        (shown["access"].as_str(), shown["crm"].as_str()),
        (Some("enabled"), Some("salesforce"))
    );
    assert!(shown["connectedSince"].is_number() && shown["lastSynced"].is_number());
    assert_eq!(shown["clearOnChange"]["value"], false);
    let off = Request::DisconnectOrg {
        api_host: API.into(),
        clear: true,
    };
    assert_eq!(ask(&bg, off, ""), json!({"ok": true}));
    assert_eq!(records_of(&bg, API), 0);
    assert_eq!(bg.host.values(Store::Overrides).len(), 1);
    assert_eq!(statuses(&bg)[0]["access"], "disconnectedHere");
    let views = admin.seat_views.get();
    sync(&bg, PAGE);
    assert_eq!(
        admin.seat_views.get(),
        views,
        "no request for a disconnected org"
    );
    let kept = log_message(&bg, PAGE);
    assert_eq!(kept["reason"], "orgDisconnected");
    flush(&bg);
    assert_eq!(creates(&admin.writes), 0);

    let again = Request::ReconnectOrg {
        api_host: API.into(),
    };
    assert_eq!(ask(&bg, again, ""), json!({"ok": true}));
    bg.host.run_until_stalled();
    assert_eq!(records_of(&bg, API), 1, "synced again");
    flush(&bg);
    assert_eq!(item(&bg, &kept["id"])["state"], "written");
}

#[test]
fn browser_policy_may_lock_disconnect_and_the_clear_choice() {
    let (bg, _) = org();
    *bg.host.policy.borrow_mut() = Some(json!({"locked": {
        "allowedOrgs": [API], "clearOnChange": true}}));
    seen(&bg);
    let shown = &statuses(&bg)[0];
    assert_eq!(shown["disconnectLocked"], true);
    assert_eq!(
        shown["clearOnChange"],
        json!({"value": true, "source": "locked"})
    );
    let off = Request::DisconnectOrg {
        api_host: API.into(),
        clear: false,
    };
    assert_eq!(ask(&bg, off.clone(), "")["error"]["code"], "settingLocked");
    *bg.host.policy.borrow_mut() = Some(json!({"locked": {"clearOnChange": true}}));
    super::settings::policy_changed(&bg);
    assert_eq!(
        ask(&bg, off, ""),
        json!({"ok": true}),
        "cleared: the lock says so"
    );
}

#[test]
fn a_panel_of_an_org_its_admin_disconnected_asks_again_only_when_stale() {
    let (bg, admin) = org();
    admin.publish(json!({"crmsync": 1, "state": "disconnected", "settings": {}}));
    ask(&bg, Request::GetPanel { url: PAGE.into() }, PAGE);
    bg.host.run_until_stalled();
    assert_eq!(admin.seat_views.get(), 1);
    ask(&bg, Request::GetPanel { url: PAGE.into() }, PAGE);
    bg.host.run_until_stalled();
    assert_eq!(admin.seat_views.get(), 1, "not at every panel");
    bg.host
        .clock
        .set(bg.host.clock.get() + 16.0 * 60.0 * 1000.0);
    ask(&bg, Request::GetPanel { url: PAGE.into() }, PAGE);
    bg.host.run_until_stalled();
    assert_eq!(admin.seat_views.get(), 2, "asked again once stale");
}
