//! The admin page's requests against the in-memory host and a scripted CRM
//! (`admin_page_fakes.rs`): what a load reads and in how many requests, connect (again:
//! nothing new), a failure mid-connect that says its step and finishes when run again, a
//! non-admin's refusal naming the right to ask for, publish and disconnect with the clear
//! marker, seats, and a 1,000-user org listed whole.

use std::rc::Rc;

use serde_json::{json, Value};

use super::admin_page_fakes::{dy_user, sf_user, Dataverse, Fault, Salesforce, DY_ADMIN, SF_ADMIN};
use super::handle::{handle, SenderInfo};
use super::Background;
use crate::crm::admin::{dynamics as dy, salesforce as sf};
use crate::crm::CrmError;
use crate::host::fake::{block_on, FakeHost, FakeStore};
use crate::message::{AdminRequest, Request};
use crate::store::Store;

const SF: &str = "acme.my.salesforce.com";
const DY: &str = "acme.crm.dynamics.com";

fn seen(store: &FakeStore, api_host: &str, crm: &str, page_host: &str) {
    store.put(
        Store::Meta,
        json!({"key": format!("org:{api_host}"), "value": {"crm": crm, "pageHost": page_host}}),
    );
}

fn salesforce_bg(org: &Rc<Salesforce>) -> Rc<Background<FakeHost>> {
    let store = Rc::new(FakeStore::default());
    seen(&store, SF, "salesforce", "acme.lightning.force.com");
    let org = Rc::clone(org);
    let host = FakeHost::new(store, move |request| Some(org.serve(request)));
    host.sign_in_to_salesforce("acme.lightning.force.com", SF);
    Background::new(host)
}

fn dataverse_bg(org: &Rc<Dataverse>) -> Rc<Background<FakeHost>> {
    let store = Rc::new(FakeStore::default());
    seen(&store, DY, "dynamics", DY);
    let org = Rc::clone(org);
    Background::new(FakeHost::new(store, move |request| {
        Some(org.serve(request))
    }))
}

/// The CRM's refusal in an answer (`{error: {code: "crm", crm}}`).
fn crm_error(answer: &Value) -> CrmError {
    assert_eq!(answer["error"]["code"], "crm", "{answer}");
    serde_json::from_value(answer["error"]["crm"].clone()).unwrap()
}

fn ask(bg: &Rc<Background<FakeHost>>, request: AdminRequest) -> Value {
    bg.host.requests.borrow_mut().clear();
    block_on(handle(bg, Request::Admin(request), SenderInfo::default())).unwrap()
}

fn open(bg: &Rc<Background<FakeHost>>, api_host: &str) -> Value {
    ask(
        bg,
        AdminRequest::Open {
            api_host: api_host.into(),
        },
    )
}

fn connect(bg: &Rc<Background<FakeHost>>, api_host: &str, clear: bool) -> Value {
    let first = json!({"writeBackKinds": ["note", "call"], "autoSyncAll": false});
    ask(
        bg,
        AdminRequest::Connect {
            api_host: api_host.into(),
            settings: first,
            clear_imported: clear,
        },
    )
}

fn requests(bg: &Background<FakeHost>) -> usize {
    bg.host.requests.borrow().len()
}

fn published(doc: &Option<String>) -> Value {
    serde_json::from_str(doc.as_deref().expect("a published document")).unwrap()
}

fn choices(view: &Value, list: &str) -> Vec<String> {
    view["ok"][list]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| match c["value"].as_str().unwrap() {
            "" => "(not sure)".to_string(),
            value => value.to_string(),
        })
        .collect()
}

#[test]
fn a_salesforce_org_opens_with_its_state_stages_fields_users_and_seats_in_four_requests() {
    let org = Rc::new(Salesforce::new(3));
    let bg = salesforce_bg(&org);
    let view = open(&bg, SF);
    assert_eq!(view["ok"]["org"]["state"], "notConnected", "{view}");
    assert_eq!(view["ok"]["crm"], "salesforce");
    assert_eq!(
        choices(&view, "stages"),
        ["Prospecting", "Qualification", "Closed Won", "(not sure)"]
    );
    assert_eq!(
        choices(&view, "moneyFields"),
        ["Amount", "ExpectedRevenue", "(not sure)"]
    );
    let users = view["ok"]["users"].as_array().unwrap();
    assert_eq!(users.len(), 3);
    assert_eq!(users[0]["seat"], false);
    assert_eq!(
        view["ok"]["org"]["settings"]["writeBack"]["value"], true,
        "built-in"
    );
    assert_eq!(view["ok"]["org"]["clearDefault"]["value"], false);
    assert_eq!(requests(&bg), 4);
}

#[test]
fn connect_makes_every_piece_seats_the_admin_and_publishes_the_first_settings_with_the_clear_marker(
) {
    let org = Rc::new(Salesforce::new(3));
    let bg = salesforce_bg(&org);
    let view = connect(&bg, SF, true);
    assert_eq!(view["ok"]["org"]["state"], "connected", "{view}");
    let doc = published(&org.doc.borrow());
    assert_eq!(doc["state"], "connected");
    assert_eq!(doc["settings"]["writeBackKinds"], json!(["note", "call"]));
    assert_eq!(doc["settings"]["autoSyncAll"], false);
    assert_eq!(
        doc["cleared"], "2027-01-15T08:00:00.000Z",
        "now, as ISO 8601"
    );
    let admin = &view["ok"]["users"][0];
    assert_eq!(
        (admin["id"].as_str(), &admin["seat"]),
        (Some(SF_ADMIN), &json!(true))
    );

    // Again, without clearing: nothing new is made, and the marker seat holders cleared for stays.
    let made = org.made.borrow().len();
    let again = connect(&bg, SF, false);
    assert_eq!(again["ok"]["org"]["state"], "connected");
    assert_eq!(org.made.borrow().len(), made);
    assert_eq!(published(&org.doc.borrow())["cleared"], doc["cleared"]);
    assert_eq!(org.seats.borrow().len(), 1);
}

#[test]
fn a_failure_mid_connect_names_its_step_and_connecting_again_finishes() {
    let org = Rc::new(Salesforce::new(3));
    let bg = salesforce_bg(&org);
    *org.fault.borrow_mut() = Some(Fault {
        url_part: "/tooling/sobjects/CustomPermission",
        status: 0,
        body: json!("NetworkError when attempting to fetch resource."),
        retry_after: None,
    });
    let stopped = connect(&bg, SF, false);
    assert_eq!(stopped["error"]["detail"], "seatPermission", "{stopped}");
    assert_eq!(stopped["error"]["crm"]["kind"], "unavailable");
    assert!(org.doc.borrow().is_none(), "nothing half-published");
    let done = connect(&bg, SF, false);
    assert_eq!(done["ok"]["org"]["state"], "connected", "{done}");
    assert!(org.made.borrow().contains("permission"));
}

#[test]
fn a_failure_mid_connect_in_dataverse_resumes_at_the_missing_piece() {
    let org = Rc::new(Dataverse::new(3));
    let bg = dataverse_bg(&org);
    *org.fault.borrow_mut() = Some(Fault {
        url_part: "/api/data/v9.2/teams",
        status: 429,
        body: json!({"error": {"code": "0x80072322", "message": "Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}),
        retry_after: Some(20),
    });
    let stopped = connect(&bg, DY, false);
    assert_eq!(stopped["error"]["detail"], "seatTeam", "{stopped}");
    assert_eq!(stopped["error"]["crm"]["kind"], "rateLimited");
    assert_eq!(stopped["error"]["crm"]["retryAfter"], 20);
    assert!(org.doc.borrow().is_some(), "the variable made before stays");
    let done = connect(&bg, DY, false);
    assert_eq!(done["ok"]["org"]["state"], "connected", "{done}");
    assert!(org.team.get() && org.seats.borrow().contains(DY_ADMIN));
    let writes = |bg: &Background<FakeHost>| {
        let requests = bg.host.requests.borrow();
        requests
            .iter()
            .filter(|r| r.method != "GET" && !r.url.ends_with("$batch"))
            .count()
    };
    connect(&bg, DY, false);
    assert_eq!(writes(&bg), 0, "a connected org gets no write");
}

#[test]
fn a_salesforce_non_admin_who_opens_the_page_sees_the_refusal_and_what_to_ask_for() {
    let org = Rc::new(Salesforce::new(3));
    org.admin.set(false);
    let bg = salesforce_bg(&org);
    let refused = open(&bg, SF);
    assert_eq!(refused["error"]["detail"], "seats", "{refused}");
    assert_eq!(refused["error"]["crm"]["kind"], "forbidden");
    assert!(refused["error"]["crm"]["message"]
        .as_str()
        .unwrap()
        .contains("PermissionSetAssignment"));
    assert_eq!(
        sf::needs_admin(&crm_error(&refused)),
        Some("Customize Application, Assign Permission Sets")
    );
}

#[test]
fn a_dataverse_non_admin_who_tries_a_change_is_told_the_missing_privilege() {
    let org = Rc::new(Dataverse::new(3));
    *org.me.borrow_mut() = dy_user(2);
    let bg = dataverse_bg(&org);
    assert_eq!(
        open(&bg, DY)["ok"]["org"]["state"],
        "notConnected",
        "reading is allowed"
    );
    let refused = connect(&bg, DY, false);
    assert_eq!(refused["error"]["detail"], "settingsVariable");
    assert_eq!(
        dy::needs_admin(&crm_error(&refused)).as_deref(),
        Some("prvCreateEnvironmentVariableDefinition")
    );
    let seat = ask(
        &bg,
        AdminRequest::Seat {
            api_host: DY.into(),
            user_id: dy_user(3),
            on: true,
        },
    );
    assert_eq!(seat["error"]["code"], "orgNotConnected", "{seat}");
}

#[test]
fn a_thousand_users_are_listed_whole_following_the_crms_next_links() {
    let org = Rc::new(Salesforce::new(1_005));
    let bg = salesforce_bg(&org);
    let view = open(&bg, SF);
    let users = view["ok"]["users"].as_array().unwrap();
    assert_eq!(users.len(), 1_005);
    assert_eq!(users[1_004]["id"], sf_user(1_005));
    assert_eq!(requests(&bg), 3 + 3, "three pages of users at 400");

    let org = Rc::new(Dataverse::new(1_005));
    let bg = dataverse_bg(&org);
    let view = open(&bg, DY);
    assert_eq!(view["ok"]["users"].as_array().unwrap().len(), 1_005);
    // WhoAmI, the org's $batch, the preferences' $batch, three pages of users (no team yet).
    assert_eq!(requests(&bg), 6);
}

#[test]
fn publish_writes_the_settings_keeps_what_policy_locks_and_refuses_an_org_not_connected() {
    let org = Rc::new(Dataverse::new(3));
    let bg = dataverse_bg(&org);
    let draft =
        json!({"writeBack": true, "pipelineStage": "2", "allowedOrgs": ["x.crm.dynamics.com"]});
    let publish = |bg: &Rc<Background<FakeHost>>| {
        ask(
            bg,
            AdminRequest::Publish {
                api_host: DY.into(),
                settings: draft.clone(),
            },
        )
    };
    assert_eq!(publish(&bg)["error"]["code"], "orgNotConnected");
    connect(&bg, DY, true);
    *bg.host.policy.borrow_mut() = Some(json!({"locked": {"writeBack": false}}));
    *bg.policy.borrow_mut() = None;
    let answer = publish(&bg);
    assert_eq!(
        answer["ok"]["settings"]["writeBack"]["source"], "locked",
        "{answer}"
    );
    let doc = published(&org.doc.borrow());
    assert_eq!(doc["settings"]["pipelineStage"], "2");
    let bad = ask(
        &bg,
        AdminRequest::Publish {
            api_host: DY.into(),
            settings: json!({"writeBack": "yes"}),
        },
    );
    assert_eq!(bad["error"]["code"], "settingInvalid", "{bad}");
    assert_eq!(
        doc["settings"].get("writeBack"),
        None,
        "locked here: kept as it was (unset)"
    );
    assert_eq!(
        doc["settings"].get("allowedOrgs"),
        None,
        "browser policy's alone"
    );
    assert!(doc["cleared"].is_string(), "the connect's marker stays");
}

#[test]
fn disconnect_stops_the_org_for_everyone_with_or_without_clearing() {
    let org = Rc::new(Salesforce::new(3));
    let bg = salesforce_bg(&org);
    connect(&bg, SF, false);
    let disconnect = |clear| {
        ask(
            &bg,
            AdminRequest::Disconnect {
                api_host: SF.into(),
                clear_imported: clear,
            },
        )
    };
    let answer = disconnect(false);
    assert_eq!(answer["ok"]["state"], "disconnected", "{answer}");
    assert_eq!(published(&org.doc.borrow()).get("cleared"), None);
    disconnect(true);
    let doc = published(&org.doc.borrow());
    assert_eq!(doc["state"], "disconnected");
    assert!(doc["cleared"].is_string());
    assert_eq!(doc["settings"]["autoSyncAll"], false, "the settings stay");
}

#[test]
fn a_seat_is_given_and_taken_back_and_a_bad_id_sends_nothing() {
    let org = Rc::new(Salesforce::new(3));
    let bg = salesforce_bg(&org);
    connect(&bg, SF, false);
    let seat = |user: &str, on| {
        ask(
            &bg,
            AdminRequest::Seat {
                api_host: SF.into(),
                user_id: user.into(),
                on,
            },
        )
    };
    let rep = sf_user(2);
    assert_eq!(seat(&rep, true)["ok"], true);
    assert!(org.seats.borrow().contains(&rep));
    assert_eq!(open(&bg, SF)["ok"]["users"][1]["seat"], true);
    assert_eq!(seat(&rep, false)["ok"], false, "the seat as it is now");
    assert!(!org.seats.borrow().contains(&rep));
    let bad = seat("005' OR Name != '", true);
    assert_eq!(bad["error"]["code"], "notFound");
    assert_eq!(requests(&bg), 0);
}

#[test]
fn without_a_session_the_page_says_to_sign_in_and_an_unknown_org_is_named() {
    let org = Rc::new(Salesforce::new(3));
    let bg = salesforce_bg(&org);
    bg.host.cookie_jar.borrow_mut().clear();
    let answer = open(&bg, SF);
    assert_eq!(answer["error"]["crm"]["kind"], "sessionExpired", "{answer}");
    assert_eq!(requests(&bg), 0);
    let unknown = open(&bg, "other.my.salesforce.com");
    assert_eq!(unknown["error"]["crm"]["code"], "UNKNOWN_ORG");
}

/// The admin asked: the page's requests go while the org's API budget holds background work
/// (an org at 90 % of its daily allowance), as the panel's record read does.
#[test]
fn the_admin_pages_requests_go_while_the_budget_holds_background_work() {
    let org = Rc::new(Salesforce::new(3));
    let bg = salesforce_bg(&org);
    let now = bg.host.clock.get();
    let budget =
        json!({"usage": {"used": 13_500, "limit": 15_000}, "seenAt": now, "waitUntil": 0.0});
    let key = crate::store::Meta::ApiBudget(SF).key();
    bg.host
        .store
        .put(Store::Meta, json!({"key": key, "value": budget}));
    let held = block_on(super::budget::of(&bg.host, SF)).hold(now);
    assert!(held.is_some(), "background work waits");
    let view = open(&bg, SF);
    assert_eq!(view["ok"]["org"]["state"], "notConnected", "{view}");
    assert_eq!(requests(&bg), 4);
}

/// A Salesforce org reached through a session proxy has no API session for the admin either:
/// refused before any request, in the words naming what to allow (CRM-APIS A18, A19).
#[test]
fn a_proxied_salesforce_org_refuses_the_admin_without_a_request() {
    const PROXIED: &str = "acme.my.salesforce.com.mcas.ms";
    let org = Rc::new(Salesforce::new(3));
    let bg = salesforce_bg(&org);
    seen(
        &bg.host.store,
        PROXIED,
        "salesforce",
        "acme.lightning.force.com.mcas.ms",
    );
    let answer = open(&bg, PROXIED);
    assert_eq!(
        crm_error(&answer).code,
        crate::crm::salesforce::SESSION_PROXIED
    );
    assert_eq!(requests(&bg), 0);
    let problem: crate::answer::Problem = serde_json::from_value(answer["error"].clone()).unwrap();
    assert_eq!(problem.words().key, "errorSessionProxied");
}
