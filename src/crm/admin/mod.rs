//! What the admin side asks of the CRMs (issue 12): the org's preferences read from its
//! metadata, its users for seat management, and the org's published settings and seats,
//! stored in the CRM itself (docs/org-admin.md). One file per CRM builds the requests and
//! reads the answers into the CRM-neutral types below; no I/O.

pub(crate) mod composite;
pub mod dynamics;
pub mod dynamics_connect;
pub mod salesforce;
pub mod salesforce_connect;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{CrmError, CrmErrorKind};
use crate::answer::Words;

/// One choice of a preference list the admin picks from.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Choice {
    /// A value the CRM knows: its API value, its label in the CRM, its place in the CRM's order.
    Crm {
        value: String,
        label: String,
        order: u32,
    },
    /// "Not sure": the admin leaves it to each user (its words come from `_locales`).
    NotSure,
}

/// A preference list in the CRM's order, "Not sure" last.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreferenceList {
    pub choices: Vec<Choice>,
}

impl PreferenceList {
    /// Sorts CRM choices by their order (ties by value, so the list is stable) and appends
    /// "Not sure".
    pub fn from_crm(mut choices: Vec<Choice>) -> PreferenceList {
        choices.retain(|c| matches!(c, Choice::Crm { .. }));
        crate::sort::by(&mut choices, |a, b| match (a, b) {
            (
                Choice::Crm {
                    order: oa,
                    value: va,
                    ..
                },
                Choice::Crm {
                    order: ob,
                    value: vb,
                    ..
                },
            ) => oa.cmp(ob).then_with(|| va.cmp(vb)),
            _ => std::cmp::Ordering::Equal,
        });
        choices.push(Choice::NotSure);
        PreferenceList { choices }
    }
}

/// The org preferences the admin page offers, read from the CRM's metadata.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrmPreferences {
    /// The opportunity's active sales stages.
    pub stages: PreferenceList,
    /// The opportunity's currency (money) fields.
    pub currency_fields: PreferenceList,
}

/// An active, licensed, human user of the org: someone a seat can be given to.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgUser {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// One page of the org's users; `next` is the CRM's link to the following page.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsersPage {
    pub users: Vec<OrgUser>,
    pub next: Option<String>,
}

/// One page of the user ids that hold a seat; `next` as in [`UsersPage`].
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeatsPage {
    pub user_ids: Vec<String>,
    pub next: Option<String>,
}

/// Whether the org is connected: published by an admin, read by every seat holder.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OrgState {
    /// Nothing is published (never connected, or the reader may not see it).
    NotConnected,
    Connected,
    /// An admin disconnected the org: sync and write-back stop for every seat holder.
    Disconnected,
}

/// The org's published settings. `settings` is the settings layer's JSON object, kept as
/// text here: this module stores and reads it, the settings layer gives it meaning.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Published {
    pub state: OrgState,
    pub settings: String,
    /// When an admin last chose "clear all previously imported CRM data" on connecting or
    /// disconnecting (an ISO 8601 instant). Each seat holder's extension clears the org's
    /// imported CRM data once when it first reads a value it has not seen; never the user's
    /// own items, corrections or audit log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleared: Option<String>,
}

impl Published {
    pub fn not_connected() -> Published {
        Published {
            state: OrgState::NotConnected,
            settings: "{}".into(),
            cleared: None,
        }
    }
}

/// What a seat holder's extension reads at each sync, in one request.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeatView {
    pub published: Published,
    pub has_seat: bool,
}

/// The stored form: `{"crmsync": 1, "state": "connected", "settings": {…}}`, plus
/// `"cleared": "<instant>"` once an admin has chosen to clear imported data.
const FORMAT: u64 = 1;

/// The document stored in the CRM for `published`; `None` when `settings` is not a JSON
/// object (the settings layer hands over an object, so nothing else is ever written).
pub fn document(published: &Published) -> Option<String> {
    let settings: Value = serde_json::from_str(&published.settings).ok()?;
    if !settings.is_object() {
        return None;
    }
    let state = match published.state {
        OrgState::Connected => "connected",
        OrgState::Disconnected | OrgState::NotConnected => "disconnected",
    };
    let mut doc = json!({"crmsync": FORMAT, "state": state, "settings": settings});
    if let Some(cleared) = &published.cleared {
        doc["cleared"] = Value::String(cleared.clone());
    }
    Some(doc.to_string())
}

/// Reads a stored document; anything else (edited by hand in the CRM, a newer format) is a
/// clear error, never a guess.
pub fn read_document(text: &str) -> Result<Published, CrmError> {
    let unreadable = |why: &str| {
        CrmError::new(
            CrmErrorKind::Unexpected,
            200,
            "SETTINGS_UNREADABLE",
            &format!("The org's published crmsync settings cannot be read: {why}."),
        )
    };
    let doc: Value = serde_json::from_str(text).map_err(|_| unreadable("not JSON"))?;
    if doc.get("crmsync").and_then(Value::as_u64) != Some(FORMAT) {
        return Err(unreadable("unknown format"));
    }
    let state = match doc.get("state").and_then(Value::as_str) {
        Some("connected") => OrgState::Connected,
        Some("disconnected") => OrgState::Disconnected,
        _ => return Err(unreadable("unknown state")),
    };
    let settings = doc
        .get("settings")
        .filter(|s| s.is_object())
        .ok_or_else(|| unreadable("settings are not an object"))?;
    let cleared = match doc.get("cleared") {
        None | Some(Value::Null) => None,
        Some(Value::String(at)) => Some(at.clone()),
        Some(_) => return Err(unreadable("cleared is not an instant")),
    };
    Ok(Published {
        state,
        settings: settings.to_string(),
        cleared,
    })
}

/// The code of the error for a change an org not connected cannot take (no seat permission
/// set, no published settings yet).
pub const NOT_CONNECTED: &str = "NOT_CONNECTED";

/// The words for a step the CRM refused to a non-admin: "Ask your CRM admin for: …",
/// naming what `salesforce::needs_admin` or `dynamics::needs_admin` found.
pub fn admin_needed_words(right: &str) -> Words {
    Words {
        key: "errorAdminNeeded",
        detail: Some(right.to_string()),
    }
}

/// A Bad input error for a `settings` text that is not a JSON object (nothing is sent).
pub fn not_an_object() -> CrmError {
    CrmError::new(
        CrmErrorKind::Rejected,
        0,
        "SETTINGS_NOT_AN_OBJECT",
        "The settings to publish are not a JSON object.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_settings_round_trip_through_the_stored_document() {
        let published = Published {
            state: OrgState::Connected,
            settings: r#"{"neverLog":["ceo@acme.com"]}"#.into(),
            cleared: None,
        };
        let text = document(&published).unwrap();
        assert_eq!(read_document(&text).unwrap(), published);
    }

    #[test]
    fn only_objects_are_published_and_only_known_documents_are_read() {
        let list = Published {
            state: OrgState::Connected,
            settings: "[1]".into(),
            cleared: None,
        };
        assert_eq!(document(&list), None);
        for bad in [
            "not json",
            r#"{"crmsync":2,"state":"connected","settings":{}}"#,
            r#"{"crmsync":1,"state":"paused","settings":{}}"#,
            r#"{"crmsync":1,"state":"connected","settings":"x"}"#,
        ] {
            assert_eq!(read_document(bad).unwrap_err().code, "SETTINGS_UNREADABLE");
        }
    }

    #[test]
    fn the_clear_marker_round_trips_and_a_bad_one_is_refused() {
        let cleared = Published {
            state: OrgState::Disconnected,
            settings: "{}".into(),
            cleared: Some("2026-12-01T15:00:00Z".into()),
        };
        assert_eq!(
            read_document(&document(&cleared).unwrap()).unwrap(),
            cleared
        );
        let bad = r#"{"crmsync":1,"state":"connected","settings":{},"cleared":7}"#;
        assert_eq!(read_document(bad).unwrap_err().code, "SETTINGS_UNREADABLE");
    }

    #[test]
    fn a_disconnected_org_reads_back_disconnected() {
        let off = Published {
            state: OrgState::Disconnected,
            settings: "{}".into(),
            cleared: None,
        };
        let read = read_document(&document(&off).unwrap()).unwrap();
        assert_eq!(read.state, OrgState::Disconnected);
    }

    #[test]
    fn a_refusal_names_the_right_in_the_users_words() {
        let words = admin_needed_words("prvCreateTeam");
        assert_eq!(words.detail.as_deref(), Some("prvCreateTeam"));
        for locale in [
            include_str!("../../../extension/_locales/en/messages.json"),
            include_str!("../../../extension/_locales/fr/messages.json"),
            include_str!("../../../extension/_locales/de/messages.json"),
            include_str!("../../../extension/_locales/pt_BR/messages.json"),
        ] {
            let messages: Value = serde_json::from_str(locale).unwrap();
            let text = messages[words.key]["message"].as_str().unwrap();
            assert!(text.contains("$1"), "{text}");
        }
    }

    #[test]
    fn choices_follow_the_crm_order_and_end_with_not_sure() {
        let c = |value: &str, order| Choice::Crm {
            value: value.into(),
            label: value.into(),
            order,
        };
        let list = PreferenceList::from_crm(vec![c("b", 2), c("a", 1), Choice::NotSure]);
        assert_eq!(list.choices, vec![c("a", 1), c("b", 2), Choice::NotSure]);
    }
}
