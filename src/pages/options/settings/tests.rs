use serde_json::json;

use super::*;
use crate::pages::english;
use crate::settings::{resolve, Layer, PolicyLayers};

fn shown(policy: serde_json::Value, user: serde_json::Value) -> Settings {
    let policy = PolicyLayers::read(&policy);
    let user = Layer::read(&user, "").0;
    let mut page = Settings::default();
    page.answered(
        Reply {
            ok: Some(resolve(&policy, &Layer::default(), &user)),
            ..Reply::default()
        },
        false,
    );
    page
}

fn row(page: &Settings, key: SettingKey) -> Row {
    page.rows().into_iter().find(|r| r.key == key).unwrap()
}

#[test]
fn a_locked_setting_says_so_and_cannot_be_changed_a_default_says_so_and_can() {
    let page = shown(
        json!({"locked": {"writeBack": false}, "defaults": {"toggleDefaultOn": false}}),
        json!({}),
    );
    let locked = row(&page, SettingKey::WriteBack);
    assert!(locked.locked());
    assert_eq!(locked.control, Control::Switch(false));
    assert_eq!(
        english(locked.note.as_ref().unwrap()),
        "Set by your administrator"
    );
    assert!(
        page.switched(SettingKey::WriteBack, true).is_empty(),
        "nothing is sent"
    );
    let default = row(&page, SettingKey::ToggleDefaultOn);
    assert!(!default.locked());
    assert!(
        english(default.note.as_ref().unwrap()).starts_with("Default set by your administrator")
    );
    assert_eq!(
        page.switched(SettingKey::ToggleDefaultOn, true),
        [PageAction::Send(Request::SetSetting {
            key: SettingKey::ToggleDefaultOn,
            value: json!(true)
        })]
    );
    assert_eq!(
        row(&page, SettingKey::DataValidation).note,
        None,
        "built-in: no note"
    );
}

#[test]
fn the_users_choice_can_go_back_to_the_default() {
    let page = shown(json!({}), json!({"pipelineStage": "Qualification"}));
    let stage = row(&page, SettingKey::PipelineStage);
    assert!(stage.resettable());
    assert_eq!(stage.control, Control::Choice("Qualification".into()));
    assert_eq!(
        page.reset(SettingKey::PipelineStage),
        [PageAction::Send(Request::SetSetting {
            key: SettingKey::PipelineStage,
            value: serde_json::Value::Null
        })]
    );
    assert_eq!(
        page.typed(
            SettingKey::AllowedOrgs,
            "a.my.salesforce.com,\n b.crm.dynamics.com "
        ),
        [PageAction::Send(Request::SetSetting {
            key: SettingKey::AllowedOrgs,
            value: json!(["a.my.salesforce.com", "b.crm.dynamics.com"])
        })]
    );
}

#[test]
fn policy_problems_read_as_sentences() {
    let page = shown(
        json!({"locked": {"writeBack": 1, "allowedOrgs": ["evil.example"], "nope": true}}),
        json!({}),
    );
    let problems: Vec<String> = page.problems().iter().map(english).collect();
    assert!(problems.contains(&"locked.writeBack: not a value this setting takes".to_string()));
    assert!(problems.contains(&"locked.nope: no such setting".to_string()));
    assert!(problems
        .iter()
        .any(|p| p.starts_with("locked.allowedOrgs: “evil.example” is not a CRM org")));
    let whole = shown(json!([1]), json!({}));
    assert_eq!(
        english(&whole.problems()[0]),
        "The policy: not a set of settings"
    );
}

#[test]
fn the_user_adds_and_removes_their_own_never_log_entries_and_keeps_the_admins() {
    let mut page = shown(
        json!({"locked": {"neverLog": {"domains": ["rival.example"]}}}),
        json!({"neverLog": {"emails": ["me@x.example"]}}),
    );
    let listed = page.never_log();
    assert_eq!(listed.len(), 2);
    assert!(!listed[0].removable && listed[1].removable);
    assert_eq!(
        english(listed[0].note.as_ref().unwrap()),
        "Set by your administrator"
    );
    let sent = |actions: Vec<PageAction>| match actions.as_slice() {
        [PageAction::Send(Request::SetSetting { value, .. })] => value.clone(),
        other => panic!("{other:?}"),
    };
    let added = sent(page.add_never_log(NeverLogKind::Domain, " law.example "));
    assert_eq!(
        added["domains"],
        json!(["law.example"]),
        "only the user's own list is sent"
    );
    assert_eq!(added["emails"], json!(["me@x.example"]));
    assert_eq!(
        sent(page.remove_never_log(NeverLogKind::Email, "me@x.example"))["emails"],
        json!([])
    );
    assert!(page
        .add_never_log(NeverLogKind::Email, "not an address")
        .is_empty());
    let (status, error) = page.status().unwrap();
    assert!(error);
    assert_eq!(
        english(status),
        "E-mail address: “not an address” is not one."
    );
}

#[test]
fn a_refused_change_says_why_and_the_files_download() {
    let mut page = shown(json!({}), json!({}));
    page.answered(
        Reply {
            error: Some(crate::pages::Problem::new(
                crate::pages::Code::SettingLocked,
            )),
            ..Reply::default()
        },
        true,
    );
    assert_eq!(
        english(page.status().unwrap().0),
        "Set by your administrator: it cannot be changed here."
    );
    assert_eq!(page.rows().len(), 10, "what was shown stays");
    let files = page.files(Reply {
        ok: Some(vec![PolicyFile {
            filename: "policies.json".into(),
            text: "{}".into(),
        }]),
        ..Reply::default()
    });
    assert_eq!(
        files,
        [PageAction::Download {
            filename: "policies.json".into(),
            text: "{}".into()
        }]
    );
}
