use serde_json::{json, Value};

use super::form::Control;
use super::*;
use crate::background::admin_page::view::{Offered, SeatUser};
use crate::crm::admin::{Choice, PreferenceList};
use crate::crm::Crm;
use crate::pages::{assert_sendable, english};
use crate::settings::{resolve, Layer, PolicyLayers};

const SF: &str = "acme.my.salesforce.com";

fn crm(value: &str, order: u32) -> Choice {
    Choice::Crm {
        value: value.into(),
        label: format!("{value} label"),
        order,
    }
}

fn view(state: OrgState, published: Value, policy: Value) -> AdminView {
    let policy = PolicyLayers::read(&policy);
    let locks = PolicyLayers {
        locked: policy.locked.clone(),
        ..PolicyLayers::default()
    };
    let org = Layer::read(&published, "").0;
    let users = (1..=3)
        .map(|n| SeatUser {
            id: format!("005{n:012}AAA"),
            name: ["Ada Lovelace", "Grace Hopper", "Alan Turing"][n - 1].into(),
            email: format!("user{n}@acme.com"),
            seat: n == 1,
        })
        .collect();
    AdminView {
        api_host: SF.into(),
        crm: Crm::Salesforce,
        org: OrgSettings {
            state,
            settings: resolve(&locks, &org, &Layer::default()),
            clear_default: resolve(&policy, &org, &Layer::default()).clear_on_change,
        },
        stages: Offered::list(&PreferenceList::from_crm(vec![
            crm("Qualification", 2),
            crm("Prospecting", 1),
        ])),
        money_fields: Offered::list(&PreferenceList::from_crm(vec![crm("Amount", 0)])),
        users,
    }
}

fn ok<T>(value: T) -> Reply<T> {
    Reply::ok(value)
}

fn open(api_host: &str) -> AdminRequest {
    AdminRequest::Open {
        api_host: api_host.into(),
    }
}

fn shown(view: AdminView) -> Admin {
    let mut page = Admin::new(Some(SF.into()));
    let actions = page.start();
    assert_sendable(&actions);
    assert_eq!(
        actions,
        [PageAction::Send(Request::ListOrgs), send(open(SF))],
        "the org is asked for at once, beside the list"
    );
    page.view_answered(&open(SF), ok(view));
    page
}

fn field(page: &Admin, key: SettingKey) -> Field {
    page.fields().into_iter().find(|f| f.key == key).unwrap()
}

fn sent(actions: &[PageAction]) -> &AdminRequest {
    match actions {
        [PageAction::Send(Request::Admin(request))] => request,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_org_shows_its_state_and_the_crms_choices_in_the_crms_order_with_not_sure_last() {
    let page = shown(view(
        OrgState::Connected,
        json!({"pipelineStage": "Qualification"}),
        json!(null),
    ));
    assert_eq!(
        english(&page.state_line().unwrap()),
        "Connected to Salesforce"
    );
    let Control::Select(stages) = field(&page, SettingKey::PipelineStage).control else {
        panic!()
    };
    let shown: Vec<(String, bool)> = stages
        .iter()
        .map(|(_, label, selected)| (english(label), *selected))
        .collect();
    assert_eq!(
        shown,
        [
            ("Prospecting label".into(), false),
            ("Qualification label".into(), true),
            ("Not sure".into(), false)
        ]
    );
    assert_eq!(page.status(), None, "nothing to say after a load");
}

#[test]
fn a_published_choice_the_crm_no_longer_has_is_shown_not_lost() {
    let page = shown(view(
        OrgState::Connected,
        json!({"wonValueField": "Old__c"}),
        json!(null),
    ));
    let Control::Select(fields) = field(&page, SettingKey::WonValueField).control else {
        panic!()
    };
    assert_eq!(fields[0].0, "Old__c");
    assert_eq!(english(&fields[0].1), "Old__c (no longer in the CRM)");
    assert!(fields[0].2);
}

#[test]
fn what_browser_policy_locks_is_shown_locked_unchangeable_and_not_published() {
    let policy = json!({"locked": {"writeBack": false, "clearOnChange": true}});
    let mut page = shown(view(
        OrgState::Connected,
        json!({"writeBack": true}),
        policy,
    ));
    let locked = field(&page, SettingKey::WriteBack);
    assert!(locked.locked);
    assert_eq!(locked.control, Control::Switch(false), "the policy's value");
    assert_eq!(
        english(locked.note.as_ref().unwrap()),
        "Set by your administrator"
    );
    assert!(!page.switched(SettingKey::WriteBack, true));
    assert!(page.switched(SettingKey::ToggleDefaultOn, false));
    assert_eq!(
        page.clear_box(),
        (true, true),
        "the clear box: policy's, locked"
    );
    page.clear_switched(false);
    let publish = page.publish();
    let AdminRequest::Publish { settings, .. } = sent(&publish) else {
        panic!()
    };
    assert_eq!(
        settings.get("writeBack"),
        None,
        "kept as published by the background"
    );
    assert_eq!(settings["toggleDefaultOn"], false);
    assert_eq!(
        settings.get("pipelineStage"),
        None,
        "Not sure is left to each user"
    );
    assert!(page.publish().is_empty(), "one change at a time");
}

#[test]
fn connect_sends_the_settings_on_the_page_and_the_clear_choice() {
    let mut page = shown(view(
        OrgState::NotConnected,
        json!({}),
        json!({"defaults": {"clearOnChange": true}}),
    ));
    assert_eq!(
        page.clear_box(),
        (true, false),
        "the resolved default, changeable"
    );
    assert!(
        page.publish().is_empty(),
        "publishing needs a connected org"
    );
    assert!(page.kind_switched(ItemKind::Tag, false));
    page.clear_switched(false);
    let actions = page.connect();
    assert_sendable(&actions);
    let AdminRequest::Connect {
        settings,
        clear_imported,
        ..
    } = sent(&actions)
    else {
        panic!()
    };
    assert!(!clear_imported);
    assert_eq!(settings["writeBackKinds"].as_array().unwrap().len(), 4);
    assert_eq!(english(&page.status().unwrap().0), "Working…");
    let connected = view(OrgState::Connected, json!({}), json!(null));
    let request = sent(&actions).clone();
    page.view_answered(&request, ok(connected));
    assert_eq!(page.state(), Some(OrgState::Connected));
    assert!(english(&page.status().unwrap().0).starts_with("Connected."));
}

/// A request the CRM stopped, as the background answers it: `code: crm`, the CRM's error,
/// and the step in `detail`.
fn stopped<T: serde::de::DeserializeOwned>(mut crm: Value, step: Option<&str>) -> Reply<T> {
    crm["status"] = json!(0);
    crm["retryAfter"] = Value::Null;
    Reply::from_json(json!({"error": {"code": "crm", "crm": crm, "detail": step}}))
}

#[test]
fn a_refusal_says_what_to_ask_the_crm_admin_for_and_a_stopped_connect_says_to_run_it_again() {
    let mut page = shown(view(OrgState::Connected, json!({}), json!(null)));
    let request = sent(&page.publish()).clone();
    let refused = json!({"kind": "forbidden", "code": "INSUFFICIENT_ACCESS_OR_READONLY", "message": "insufficient access rights on object id"});
    page.org_answered(&request, stopped(refused, Some("publish")));
    let (text, error) = page.status().unwrap();
    assert!(error);
    assert_eq!(
        english(text),
        "Stopped while publishing the settings: Only a CRM admin can do this. Ask your CRM admin for: Customize Application, Assign Permission Sets The CRM said: insufficient access rights on object id"
    );

    let connect = sent(&page.connect()).clone();
    let offline = json!({"kind": "unavailable", "code": "", "message": "NetworkError when attempting to fetch resource."});
    page.view_answered(&connect, stopped(offline, Some("seatTeam")));
    let text = english(&page.status().unwrap().0);
    assert!(
        text.starts_with("Stopped while creating the seat team: The CRM is busy or unavailable."),
        "{text}"
    );
    assert!(text.ends_with("Connect again to finish."), "{text}");
    assert_eq!(
        page.state(),
        Some(OrgState::Connected),
        "what was shown stays"
    );
}

#[test]
fn an_expired_session_says_to_sign_in_and_an_org_policy_forbids_says_so() {
    let mut page = shown(view(OrgState::Connected, json!({}), json!(null)));
    let request = sent(&page.disconnect()).clone();
    let expired = json!({"kind": "sessionExpired", "code": "INVALID_SESSION_ID", "message": "Session expired or invalid"});
    page.org_answered(&request, stopped(expired, Some("readOrg")));
    assert!(english(&page.status().unwrap().0)
        .ends_with("Sign in to Salesforce in this browser, then try again."));
    let request = sent(&page.disconnect()).clone();
    let not_allowed = Reply::from_json(json!({"error": {"code": "orgNotAllowed"}}));
    page.org_answered(&request, not_allowed);
    assert_eq!(
        english(&page.status().unwrap().0),
        "Your administrator has not allowed this CRM org for crmsync."
    );
}

/// An org that refuses the admin's own browser session (CRM-APIS A19) is told in the words
/// the panel uses, naming what to allow, not the CRM's.
#[test]
fn a_refused_session_says_what_the_crm_admin_must_allow() {
    let mut page = shown(view(OrgState::Connected, json!({}), json!(null)));
    let request = sent(&page.publish()).clone();
    let refused = json!({"kind": "blocked", "code": "API_CURRENTLY_DISABLED", "message": "API is disabled for this User"});
    page.org_answered(&request, stopped(refused, Some("readOrg")));
    let text = english(&page.status().unwrap().0);
    assert!(
        text.contains("Your Salesforce user may not use the API. Ask your Salesforce admin"),
        "{text}"
    );
    assert!(!text.contains("API is disabled for this User"), "{text}");
    assert!(text.starts_with("Stopped while reading the org"), "{text}");
}

#[test]
fn a_seat_for_an_org_whose_seat_is_gone_says_to_connect_it_first() {
    // The CRM's org lost its seat permission set (deleted in Setup): the page still shows it
    // connected, and the seat change answers the core's own refusal with its step.
    let mut page = shown(view(OrgState::Connected, json!({}), json!(null)));
    let user = page.seats()[1].id.clone();
    let request = sent(&page.seat_switched(&user, true)).clone();
    let gone = json!({"error": {"code": "orgNotConnected", "detail": "seatChange"}});
    page.seat_answered(&request, Reply::from_json(gone));
    assert_eq!(
        english(&page.status().unwrap().0),
        "Stopped while changing the seat: The org is not connected to crmsync yet: connect it first."
    );
    assert!(!page.seats()[1].on && !page.seats()[1].busy);
}

#[test]
fn seats_are_found_by_name_or_email_and_each_change_is_sent_and_shown() {
    let mut page = shown(view(
        OrgState::Connected,
        json!({"autoSyncAll": false}),
        json!(null),
    ));
    assert_eq!(page.auto_sync_all(), (false, false));
    assert_eq!(
        english(&page.seats_summary().unwrap()),
        "3 active users, 1 with CRM sync"
    );
    page.filter("HOPPER");
    let found = page.seats();
    assert_eq!(found.len(), 1);
    let grace = found[0].id.clone();
    let actions = page.seat_switched(&grace, true);
    assert_sendable(&actions);
    let request = sent(&actions).clone();
    assert!(page.seats()[0].busy);
    assert!(
        page.seat_switched(&grace, true).is_empty(),
        "once at a time"
    );
    page.seat_answered(&request, ok(true));
    assert!(page.seats()[0].on && !page.seats()[0].busy);
    assert_eq!(
        english(&page.status().unwrap().0),
        "CRM sync enabled for Grace Hopper."
    );
    assert!(
        page.seat_switched("005999999999999AAA", true).is_empty(),
        "not a user of the org"
    );
}

#[test]
fn an_org_not_connected_has_no_seats_to_give() {
    let mut page = shown(view(OrgState::NotConnected, json!({}), json!(null)));
    assert!(!page.seats_open());
    assert!(page.seat_switched("005000000000002AAA", true).is_empty());
}

#[test]
fn an_answer_for_an_org_no_longer_shown_is_dropped() {
    let mut page = shown(view(OrgState::Connected, json!({}), json!(null)));
    let other = "beta.my.salesforce.com";
    let actions = page.select(other);
    assert_eq!(sent(&actions), &open(other));
    page.view_answered(
        &open(SF),
        ok(view(OrgState::Disconnected, json!({}), json!(null))),
    );
    assert_eq!(page.view(), None, "the old org's late answer is not shown");
}

#[test]
fn the_download_is_the_pages_settings_as_policy_files_with_the_seat_holders() {
    let mut page = shown(view(
        OrgState::Connected,
        json!({"autoSyncAll": false, "writeBack": false}),
        json!(null),
    ));
    assert!(page.add_never_log(NeverLogKind::Domain, "rival.example"));
    assert!(!page.add_never_log(NeverLogKind::Email, "not an address"));
    let files = page.download();
    assert_eq!(files.len(), POLICY_NOTES.len());
    let PageAction::Download { filename, text } = &files[0] else {
        panic!()
    };
    assert_eq!(filename, POLICY_NOTES[0].filename);
    let policy: Value = serde_json::from_str(text).unwrap();
    let ours = &policy["3rdparty"]["extensions"][policy_files::CHROME_EXTENSION_ID]["locked"];
    assert_eq!(ours["writeBack"], false);
    assert_eq!(ours["neverLog"]["domains"], json!(["rival.example"]));
    assert_eq!(ours["seats"], json!(["005000000000001AAA"]));
    assert_eq!(
        policy["ExtensionSettings"][policy_files::CHROME_EXTENSION_ID]["installation_mode"],
        "force_installed"
    );
    for (note, file) in POLICY_NOTES.iter().zip(&files) {
        assert!(matches!(file, PageAction::Download { filename, .. } if filename == note.filename));
        assert!(!english(&note.note).is_empty());
    }
}

#[test]
fn no_org_seen_yet_says_where_to_start() {
    let mut page = Admin::new(None);
    assert_eq!(page.start(), [PageAction::Send(Request::ListOrgs)]);
    assert!(page.orgs_listed(Reply::ok(Vec::new())).is_empty());
    assert!(english(&page.status().unwrap().0).starts_with("No CRM org yet"));
    let orgs = vec![Org {
        api_host: SF.into(),
        crm: Crm::Salesforce,
    }];
    assert_eq!(
        page.orgs_listed(Reply::ok(orgs)),
        [send(open(SF))],
        "the first org opens"
    );
    assert_eq!(
        english(&page.choices()[0].1),
        "acme.my.salesforce.com (Salesforce)"
    );
}

#[test]
fn data_validation_setup_is_offered_once_connected_and_says_where_it_stopped() {
    let mut page = shown(view(OrgState::NotConnected, json!({}), json!(null)));
    assert!(
        page.set_up_validation().is_empty(),
        "an org not connected has nothing to set up"
    );
    let mut page = shown(view(OrgState::Connected, json!({}), json!(null)));
    let request = sent(&page.set_up_validation()).clone();
    assert!(matches!(request, AdminRequest::SetUpValidation { .. }));
    assert!(page.set_up_validation().is_empty(), "one change at a time");
    page.validation_answered(&request, ok(()));
    assert!(english(&page.status().unwrap().0).starts_with("Data validation is set up"));

    let request = sent(&page.set_up_validation()).clone();
    let refused = json!({"kind": "forbidden", "code": "0x80040220", "message": "Principal user is missing prvCreateAttribute privilege"});
    page.validation_answered(&request, stopped(refused, Some("validationField")));
    let (text, error) = page.status().unwrap();
    assert!(error);
    assert!(
        english(text).starts_with("Stopped while creating the Not at Company flag field:"),
        "{}",
        english(text)
    );
}
