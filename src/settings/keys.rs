//! The settings an admin or a user sets, by the names policy files use.

use serde::{Deserialize, Serialize};

/// One setting, named as in `managed_schema.json` and the store.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SettingKey {
    /// The CRM orgs (API hosts) that may be connected; empty: any. Others are ignored.
    AllowedOrgs,
    /// Every seat holder syncs; otherwise only the users in `seats`.
    AutoSyncAll,
    /// The CRM user ids of the seat holders CRM sync is enabled for (per-user activation).
    Seats,
    /// Copy to CRM at all.
    WriteBack,
    /// The item kinds written back (all five: "sync back all data items").
    WriteBackKinds,
    /// Whether a new item's Copy to CRM switch starts on.
    ToggleDefaultOn,
    /// The opportunity stage at which an opportunity enters the pipeline.
    PipelineStage,
    /// The field that holds a won opportunity's value.
    WonValueField,
    /// People and records whose activities are never written.
    NeverLog,
    /// Data validation ("Not at Company").
    DataValidation,
    /// Connecting or disconnecting an org clears the CRM data imported before.
    ClearOnChange,
}

impl SettingKey {
    pub const ALL: [SettingKey; 11] = [
        SettingKey::AllowedOrgs,
        SettingKey::AutoSyncAll,
        SettingKey::Seats,
        SettingKey::WriteBack,
        SettingKey::WriteBackKinds,
        SettingKey::ToggleDefaultOn,
        SettingKey::PipelineStage,
        SettingKey::WonValueField,
        SettingKey::NeverLog,
        SettingKey::DataValidation,
        SettingKey::ClearOnChange,
    ];

    /// The name in policy files and the store (`writeBack`).
    pub fn name(self) -> &'static str {
        match self {
            SettingKey::AllowedOrgs => "allowedOrgs",
            SettingKey::AutoSyncAll => "autoSyncAll",
            SettingKey::Seats => "seats",
            SettingKey::WriteBack => "writeBack",
            SettingKey::WriteBackKinds => "writeBackKinds",
            SettingKey::ToggleDefaultOn => "toggleDefaultOn",
            SettingKey::PipelineStage => "pipelineStage",
            SettingKey::WonValueField => "wonValueField",
            SettingKey::NeverLog => "neverLog",
            SettingKey::DataValidation => "dataValidation",
            SettingKey::ClearOnChange => "clearOnChange",
        }
    }

    pub fn from_name(name: &str) -> Option<SettingKey> {
        SettingKey::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A CRM preference read from the CRM's metadata (a stage, a field's API name), or "Not
/// sure", which keeps the features that use it working with their own rule. Written as a
/// string in policy files; the empty string is "Not sure".
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum CrmChoice {
    #[default]
    NotSure,
    Named(String),
}

impl From<String> for CrmChoice {
    fn from(text: String) -> CrmChoice {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            CrmChoice::NotSure
        } else {
            CrmChoice::Named(trimmed.to_string())
        }
    }
}

impl From<CrmChoice> for String {
    fn from(choice: CrmChoice) -> String {
        match choice {
            CrmChoice::NotSure => String::new(),
            CrmChoice::Named(name) => name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_back_from_its_name() {
        for key in SettingKey::ALL {
            assert_eq!(SettingKey::from_name(key.name()), Some(key));
            let json = serde_json::to_value(key).unwrap();
            assert_eq!(json, key.name(), "serde and policy names agree");
        }
        assert_eq!(SettingKey::from_name("writeback"), None);
    }

    #[test]
    fn an_empty_choice_is_not_sure() {
        let read = |s: &str| serde_json::from_value::<CrmChoice>(s.into()).unwrap();
        assert_eq!(read("  "), CrmChoice::NotSure);
        assert_eq!(read(" Amount "), CrmChoice::Named("Amount".into()));
        assert_eq!(serde_json::to_value(CrmChoice::NotSure).unwrap(), "");
    }
}
