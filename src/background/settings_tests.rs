//! Settings as the background applies them, against the in-memory host: a policy that
//! locks Copy to CRM off, orgs the policy keeps out, the never-log list at logging and at
//! flush time, the user's changes, and a policy read again when the browser says so.

use std::rc::Rc;

use serde_json::{json, Value};

use super::handle::{handle, SenderInfo};
use super::outbox_tests::{
    activity, background, creates, flush, item, log, log_answer, Org, OTHER_PAGE, PAGE,
};
use super::{settings, Background, Event};
use crate::host::fake::{block_on, FakeHost};
use crate::host::Host;
use crate::message::Request;
use crate::settings::SettingKey;
use crate::writeback::ItemKind;

fn ask(bg: &Rc<Background<FakeHost>>, request: Request) -> Value {
    block_on(handle(bg, request, SenderInfo::default())).unwrap()
}

fn set(bg: &Rc<Background<FakeHost>>, key: SettingKey, value: Value) -> Value {
    ask(bg, Request::SetSetting { key, value })
}

fn log_any(bg: &Rc<Background<FakeHost>>, url: &str) -> Value {
    log_answer(bg, url, ItemKind::Note, "met")
}

fn with_policy(policy: Value) -> (Rc<Background<FakeHost>>, Rc<Org>) {
    let org = Rc::new(Org::default());
    let bg = background(&Rc::default(), &org);
    *bg.host.policy.borrow_mut() = Some(policy);
    (bg, org)
}

#[test]
fn write_back_locked_off_keeps_items_local_and_nothing_reaches_the_crm() {
    let (bg, org) = with_policy(json!({"locked": {"writeBack": false}}));
    let logged = log_any(&bg, PAGE);
    assert_eq!(logged["ok"]["state"], "local", "{logged}");
    assert_eq!(logged["ok"]["reason"], "offForOrg");
    flush(&bg);
    assert_eq!(creates(&org), 0);
    let toggles = &activity(&bg, PAGE)["toggles"]["note"];
    assert_eq!(
        (toggles["offered"].as_bool(), toggles["reason"].as_str()),
        (Some(false), Some("offForOrg"))
    );
    let shown = ask(&bg, Request::GetSettings)["ok"].clone();
    assert_eq!(
        shown["writeBack"],
        json!({"value": false, "source": "locked"})
    );
}

#[test]
fn a_policy_default_starts_the_toggle_and_the_user_may_change_it_but_not_a_lock() {
    let (bg, _) = with_policy(json!({
        "locked": {"dataValidation": true},
        "defaults": {"toggleDefaultOn": false},
    }));
    assert_eq!(activity(&bg, PAGE)["toggles"]["note"]["on"], false);
    let changed = set(&bg, SettingKey::ToggleDefaultOn, json!(true));
    assert_eq!(
        changed["ok"]["toggleDefaultOn"],
        json!({"value": true, "source": "user"})
    );
    assert_eq!(activity(&bg, PAGE)["toggles"]["note"]["on"], true);
    assert!(bg.host.events.borrow().contains(&Event::SettingsChanged));
    let refused = set(&bg, SettingKey::DataValidation, json!(false));
    assert_eq!(refused["error"]["code"], "settingLocked");
    let invalid = set(&bg, SettingKey::ToggleDefaultOn, json!("on"));
    assert_eq!(invalid["error"]["code"], "settingInvalid");
}

#[test]
fn an_org_the_policy_does_not_allow_has_no_page_no_panel_no_write_back() {
    let (bg, org) = with_policy(json!({"locked": {"allowedOrgs": ["acme.my.salesforce.com"]}}));
    assert_eq!(
        ask(
            &bg,
            Request::DetectPage {
                url: OTHER_PAGE.into()
            }
        ),
        json!({"ok": null})
    );
    assert!(ask(&bg, Request::DetectPage { url: PAGE.into() })["ok"].is_object());
    let panel = ask(
        &bg,
        Request::GetPanel {
            url: OTHER_PAGE.into(),
        },
    );
    assert_eq!(panel["error"]["code"], "orgNotAllowed");
    assert_eq!(log_any(&bg, OTHER_PAGE)["error"]["code"], "orgNotAllowed");
    log(&bg, PAGE, "allowed");
    flush(&bg);
    assert_eq!(creates(&org), 1, "the allowed org is written as before");
}

#[test]
fn queued_items_of_an_org_the_policy_then_keeps_out_wait_and_go_when_it_is_allowed() {
    let (bg, org) = with_policy(json!({}));
    let id = log(&bg, OTHER_PAGE, "before")["id"].clone();
    *bg.host.policy.borrow_mut() =
        Some(json!({"locked": {"allowedOrgs": ["acme.my.salesforce.com"]}}));
    settings::policy_changed(&bg);
    flush(&bg);
    assert_eq!(
        (creates(&org), item(&bg, &id)["state"].as_str()),
        (0, Some("queued"))
    );
    *bg.host.policy.borrow_mut() = None;
    settings::policy_changed(&bg);
    flush(&bg);
    assert_eq!(item(&bg, &id)["state"], "written");
}

#[test]
fn the_never_log_list_keeps_items_here_with_that_reason_at_logging_and_at_flush() {
    let (bg, org) = with_policy(json!({"locked": {"neverLog": {"records": ["003000000000001"]}}}));
    let logged = log_any(&bg, PAGE);
    assert_eq!(
        (
            logged["ok"]["state"].as_str(),
            logged["ok"]["reason"].as_str()
        ),
        (Some("local"), Some("neverLogged"))
    );
    // Queued before the user adds the other record to their own list: stopped at flush.
    let id = log(&bg, OTHER_PAGE, "queued first")["id"].clone();
    let listed = set(
        &bg,
        SettingKey::NeverLog,
        json!({"records": ["003000000000002AAA"]}),
    );
    let sources: Vec<&str> = listed["ok"]["neverLog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["locked", "user"]);
    flush(&bg);
    let kept = item(&bg, &id);
    assert_eq!(
        (kept["state"].as_str(), kept["reason"].as_str()),
        (Some("local"), Some("neverLogged"))
    );
    assert_eq!(creates(&org), 0, "nothing was written");
}

#[test]
fn a_broken_policy_is_reported_and_its_valid_entries_still_apply() {
    let (bg, _) = with_policy(json!({
        "locked": {"writeBack": "off", "toggleDefaultOn": false, "allowedOrgs": ["not a host"]},
        "extra": 1,
    }));
    let shown = ask(&bg, Request::GetSettings)["ok"].clone();
    let places: Vec<&str> = shown["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["at"].as_str().unwrap())
        .collect();
    assert_eq!(places.len(), 3, "{shown}");
    assert!(places.contains(&"locked.writeBack") && places.contains(&"extra"));
    assert_eq!(
        shown["writeBack"]["source"], "builtIn",
        "ignored, not guessed"
    );
    assert_eq!(
        shown["toggleDefaultOn"],
        json!({"value": false, "source": "locked"})
    );
    assert_eq!(
        shown["allowedOrgs"]["value"],
        json!([]),
        "no valid host: any org"
    );
    *bg.host.policy.borrow_mut() = Some(json!("garbage"));
    settings::policy_changed(&bg);
    let shown = ask(&bg, Request::GetSettings)["ok"].clone();
    assert_eq!(shown["problems"][0]["issue"]["kind"], "notAnObject");
}

#[test]
fn the_policy_is_read_once_until_the_browser_says_it_changed() {
    let (bg, _) = with_policy(json!({"locked": {"writeBack": false}}));
    assert_eq!(
        ask(&bg, Request::GetSettings)["ok"]["writeBack"]["value"],
        false
    );
    *bg.host.policy.borrow_mut() = Some(json!({}));
    assert_eq!(
        ask(&bg, Request::GetSettings)["ok"]["writeBack"]["value"],
        false,
        "cached"
    );
    settings::policy_changed(&bg);
    assert_eq!(
        ask(&bg, Request::GetSettings)["ok"]["writeBack"]["value"],
        true
    );
    assert!(bg.host.events.borrow().contains(&Event::SettingsChanged));
}

#[test]
fn policy_files_carry_the_settings_for_every_browser() {
    let (bg, _) = with_policy(json!({"locked": {"writeBack": false}}));
    let files = ask(&bg, Request::PolicyFiles)["ok"].clone();
    let names: Vec<&str> = files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["filename"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "crmsync-chrome-edge-policy.json",
            "crmsync-chrome-edge-policy.reg",
            "policies.json"
        ]
    );
    let chrome: Value = serde_json::from_str(files[0]["text"].as_str().unwrap()).unwrap();
    let id = crate::settings::policy_files::CHROME_EXTENSION_ID;
    assert_eq!(
        chrome["3rdparty"]["extensions"][id]["locked"]["writeBack"],
        false
    );
}

fn put_meta(bg: &Background<FakeHost>, value: Value) {
    let write = crate::host::Write::Put {
        store: crate::store::Store::Meta,
        value,
    };
    block_on(bg.host.write(vec![write])).unwrap();
}

#[test]
fn the_orgs_settings_in_the_store_bind_the_user_and_a_policy_lock_goes_before_them() {
    let (bg, _) = with_policy(json!({"locked": {"writeBack": true}}));
    // Where the CRM sync will put the settings the org's admin published in the CRM.
    put_meta(
        &bg,
        json!({"key": crate::store::Meta::CrmSettings(super::outbox_tests::API).key(), "value": {
            "state": "connected", "hasSeat": true, "readAt": 1.0,
            "settings": {"writeBack": false, "dataValidation": true, "bogus": 1}}}),
    );
    let shown = ask(&bg, Request::GetSettings)["ok"].clone();
    assert_eq!(
        shown["writeBack"],
        json!({"value": true, "source": "locked"})
    );
    assert_eq!(
        shown["dataValidation"],
        json!({"value": true, "source": "organization"})
    );
    let refused = set(&bg, SettingKey::DataValidation, json!(false));
    assert_eq!(refused["error"]["code"], "settingLocked");
}

#[test]
fn resolving_an_item_to_a_record_whose_address_is_on_the_never_log_list_keeps_it_here() {
    let (bg, org) = with_policy(json!({"locked": {"neverLog": {"domains": ["rival.example"]}}}));
    let contact = "003000000000009AAA";
    put_meta(
        &bg,
        json!({"key": crate::store::Meta::LastSynced(super::outbox_tests::API).key(), "value": 1.0, "crm": "salesforce"}),
    );
    let record = json!({"apiHost": super::outbox_tests::API, "recordType": "contact", "id": contact,
        "name": "Rival CEO", "person": {"id": contact, "email": "ceo@Rival.example"}});
    block_on(bg.host.write(vec![crate::host::Write::Put {
        store: crate::store::Store::Records,
        value: record,
    }]))
    .unwrap();
    let waiting = log_any(&bg, "https://www.linkedin.com/in/someone-unmatched");
    assert_eq!(waiting["ok"]["state"], "unresolved", "{waiting}");
    let resolved = ask(
        &bg,
        Request::ResolveItem {
            id: waiting["ok"]["id"].as_str().unwrap().into(),
            api_host: super::outbox_tests::API.into(),
            record_type: crate::crm::RecordType::Contact,
            record_id: contact.into(),
        },
    );
    assert_eq!(
        (
            resolved["ok"]["state"].as_str(),
            resolved["ok"]["reason"].as_str()
        ),
        (Some("local"), Some("neverLogged")),
        "{resolved}"
    );
    flush(&bg);
    assert_eq!(creates(&org), 0);
}
