//! What the admin page's requests answer (`{ok: …}`), and the step a request stopped at (its
//! `Problem`'s `detail`). The page's model (`crate::pages::admin`) reads the same types.

use serde::{Deserialize, Serialize};

use crate::crm::admin::{Choice, OrgState, PreferenceList};
use crate::crm::Crm;
use crate::settings::{Effective, Resolved};

/// The org on the admin page.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminView {
    pub api_host: String,
    pub crm: Crm,
    pub org: OrgSettings,
    /// The opportunity's stages and money fields as the CRM offers them, "Not sure" last.
    pub stages: Vec<Offered>,
    pub money_fields: Vec<Offered>,
    /// Every active, licensed user, in the CRM's order.
    pub users: Vec<SeatUser>,
}

/// One choice of a CRM preference, in the CRM's order; the value `""` is "Not sure". (A
/// plain pair: the page reads it without the buffering a tagged enum would need.)
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Offered {
    pub value: String,
    pub label: String,
}

impl Offered {
    pub fn list(list: &PreferenceList) -> Vec<Offered> {
        list.choices
            .iter()
            .map(|choice| match choice {
                Choice::Crm { value, label, .. } => Offered {
                    value: value.clone(),
                    label: label.clone(),
                },
                Choice::NotSure => Offered {
                    value: String::new(),
                    label: String::new(),
                },
            })
            .collect()
    }
}

/// The org's state and published settings, as connect, disconnect and publish leave them.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgSettings {
    pub state: OrgState,
    /// The published settings over the built-in defaults, and what browser policy locks in
    /// this browser (source `locked`: shown locked, kept as published).
    pub settings: Resolved,
    /// The "Clear all previously imported CRM data" box's default: the resolved
    /// `clearOnChange` (locked when browser policy locks it).
    pub clear_default: Effective<bool>,
}

/// A user a seat can be given to.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeatUser {
    pub id: String,
    pub name: String,
    pub email: String,
    /// CRM sync is enabled for them: they hold the org's seat.
    pub seat: bool,
}

/// What an admin request was doing when it stopped (connect names its step, so the admin
/// knows running it again finishes it): the answer's `Problem.detail`, in this spelling.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AdminStep {
    /// Asking the CRM who is signed in.
    WhoAmI,
    /// Reading the org's published settings.
    ReadOrg,
    Preferences,
    Users,
    Seats,
    /// Salesforce: the settings object and its fields; the seat's custom permission,
    /// permission set and what it grants (with the admin's own seat).
    SettingsObject,
    SettingsFields,
    SeatPermission,
    SeatPermissionSet,
    SeatGrants,
    /// Dataverse: the settings variable, the seat team, the admin's own seat.
    SettingsVariable,
    SeatTeam,
    AdminSeat,
    /// Writing the settings (connect's last step, publish, disconnect).
    Publish,
    SeatChange,
    /// Data validation's setup: the flag field (or column), its grant to seats (Salesforce),
    /// the four views (Dataverse), publishing them (Dataverse).
    ValidationField,
    ValidationGrant,
    ValidationViews,
    ValidationPublish,
}
