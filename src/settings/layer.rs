//! One layer of settings (the policy's locked or default half, the org's, the user's), read
//! from JSON no one checked: each entry that is not what its setting takes becomes a
//! [`LayerProblem`] and is left out; the rest of the layer applies.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::keys::{CrmChoice, SettingKey};
use super::never_log::{NeverLog, NeverLogKind};
use crate::crm::OrgHost;
use crate::writeback::ItemKind;

/// The settings one layer sets; `None` leaves the setting to the layers below.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Layer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_orgs: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_sync_all: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seats: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_back: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_back_kinds: Option<Vec<ItemKind>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toggle_default_on: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_stage: Option<CrmChoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub won_value_field: Option<CrmChoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub never_log: Option<NeverLog>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_validation: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clear_on_change: Option<bool>,
}

/// What is wrong with one entry of a layer; `at` is where (`locked.writeBack`).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerProblem {
    pub at: String,
    pub issue: Issue,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Issue {
    /// The policy (or its half) is not a JSON object.
    NotAnObject,
    /// No setting has this name.
    UnknownKey,
    /// The value is not what the setting takes (a text where a yes/no goes).
    WrongType,
    /// Not a CRM org's host (`acme.my.salesforce.com`, `acme.crm.dynamics.com`).
    BadHost { value: String },
    /// A never-log entry that is not what its list holds.
    BadEntry { value: String },
}

fn problem(at: String, issue: Issue) -> LayerProblem {
    LayerProblem { at, issue }
}

/// The policy's two halves: settings it locks, and defaults the user may change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyLayers {
    pub locked: Layer,
    pub defaults: Layer,
    pub problems: Vec<LayerProblem>,
}

impl PolicyLayers {
    /// Reads `{"locked": {…}, "defaults": {…}}` as `storage.managed.get()` gives it; `null`
    /// (no policy, or the browser could not read one) is no policy.
    pub fn read(raw: &Value) -> PolicyLayers {
        let mut layers = PolicyLayers::default();
        let object = match raw {
            Value::Null => return layers,
            Value::Object(object) => object,
            _ => {
                layers
                    .problems
                    .push(problem(String::new(), Issue::NotAnObject));
                return layers;
            }
        };
        for (name, value) in object {
            let (layer, mut problems) = Layer::read(value, name);
            match name.as_str() {
                "locked" => layers.locked = layer,
                "defaults" => layers.defaults = layer,
                _ => problems = vec![problem(name.clone(), Issue::UnknownKey)],
            }
            layers.problems.append(&mut problems);
        }
        layers
    }
}

impl Layer {
    /// Reads a layer; `at` prefixes each problem's place.
    pub fn read(raw: &Value, at: &str) -> (Layer, Vec<LayerProblem>) {
        let mut layer = Layer::default();
        let mut problems = Vec::new();
        let Some(object) = raw.as_object() else {
            if !raw.is_null() {
                problems.push(problem(at.to_string(), Issue::NotAnObject));
            }
            return (layer, problems);
        };
        for (name, value) in object {
            let place = if at.is_empty() {
                name.clone()
            } else {
                format!("{at}.{name}")
            };
            match SettingKey::from_name(name) {
                Some(key) => layer.set(key, value, &place, &mut problems),
                None => problems.push(problem(place, Issue::UnknownKey)),
            }
        }
        (layer, problems)
    }

    /// Sets `key` from `value` when it is what the setting takes (`null` unsets it).
    pub fn set(
        &mut self,
        key: SettingKey,
        value: &Value,
        at: &str,
        problems: &mut Vec<LayerProblem>,
    ) {
        let mut typed = Typed { at, problems };
        match key {
            SettingKey::AllowedOrgs => {
                self.allowed_orgs = typed.read::<Vec<String>>(value).map(|h| typed.hosts(h))
            }
            SettingKey::AutoSyncAll => self.auto_sync_all = typed.read(value),
            SettingKey::Seats => {
                self.seats = typed.read::<Vec<String>>(value).map(|seats| {
                    let seats = seats.iter().map(|s| s.trim().to_string());
                    seats.filter(|s| !s.is_empty()).collect()
                })
            }
            SettingKey::WriteBack => self.write_back = typed.read(value),
            SettingKey::WriteBackKinds => self.write_back_kinds = typed.read(value),
            SettingKey::ToggleDefaultOn => self.toggle_default_on = typed.read(value),
            SettingKey::PipelineStage => self.pipeline_stage = typed.read(value),
            SettingKey::WonValueField => self.won_value_field = typed.read(value),
            SettingKey::NeverLog => {
                self.never_log = typed.read::<NeverLog>(value).map(|l| typed.never_log(l))
            }
            SettingKey::DataValidation => self.data_validation = typed.read(value),
            SettingKey::ClearOnChange => self.clear_on_change = typed.read(value),
        }
    }

    /// This layer as JSON (what the store and policy files hold).
    pub fn to_json(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }
}

/// Reads values for one place, noting what does not read.
struct Typed<'a> {
    at: &'a str,
    problems: &'a mut Vec<LayerProblem>,
}

impl Typed<'_> {
    fn read<T: DeserializeOwned>(&mut self, value: &Value) -> Option<T> {
        if value.is_null() {
            return None;
        }
        match serde_json::from_value(value.clone()) {
            Ok(typed) => Some(typed),
            Err(_) => {
                self.problems
                    .push(problem(self.at.to_string(), Issue::WrongType));
                None
            }
        }
    }

    fn hosts(&mut self, hosts: Vec<String>) -> Vec<String> {
        let mut known = Vec::new();
        for raw in hosts {
            match org_host(&raw) {
                Some(host) if known.contains(&host) => {}
                Some(host) => known.push(host),
                None => self
                    .problems
                    .push(problem(self.at.to_string(), Issue::BadHost { value: raw })),
            }
        }
        known
    }

    fn never_log(&mut self, list: NeverLog) -> NeverLog {
        let (clean, rejected) = list.cleaned();
        for (kind, value) in rejected {
            let at = format!("{}.{}", self.at, list_name(kind));
            self.problems.push(problem(at, Issue::BadEntry { value }));
        }
        clean
    }
}

fn list_name(kind: NeverLogKind) -> &'static str {
    match kind {
        NeverLogKind::Email => "emails",
        NeverLogKind::Domain => "domains",
        NeverLogKind::Profile => "profiles",
        NeverLogKind::Record => "records",
    }
}

/// The org's API host for a host an admin wrote: a Salesforce My Domain
/// (`acme.my.salesforce.com`, or its Lightning host, which is mapped to it) or a Dynamics
/// org (`acme.crm4.dynamics.com`), by the host table; `None` for anything else.
pub fn org_host(raw: &str) -> Option<String> {
    let host = raw.trim().trim_end_matches('.');
    let page_org = OrgHost::of_page(host).map(|(_, org)| org);
    Some(page_org.or_else(|| OrgHost::salesforce(host))?.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_policy_reads_its_locked_and_default_halves() {
        let policy = PolicyLayers::read(&json!({
            "locked": {"writeBack": false, "allowedOrgs": ["acme.my.salesforce.com"]},
            "defaults": {"toggleDefaultOn": false, "pipelineStage": "Qualification"},
        }));
        assert!(policy.problems.is_empty(), "{:?}", policy.problems);
        assert_eq!(policy.locked.write_back, Some(false));
        assert_eq!(policy.defaults.toggle_default_on, Some(false));
        assert_eq!(
            policy.defaults.pipeline_stage,
            Some(CrmChoice::Named("Qualification".into()))
        );
        assert_eq!(PolicyLayers::read(&Value::Null), PolicyLayers::default());
    }

    #[test]
    fn bad_entries_are_named_and_left_out_and_the_rest_applies() {
        let policy = PolicyLayers::read(&json!({
            "locked": {
                "writeBack": "no",
                "writeBakc": false,
                "dataValidation": true,
                "allowedOrgs": ["https://acme.my.salesforce.com/", "ACME.lightning.force.com", "evil.example"],
                "writeBackKinds": ["note", "fax"],
                "neverLog": {"emails": ["x"], "domains": ["rival.example"]},
            },
            "defualts": {},
        }));
        let issues: Vec<(&str, &Issue)> = policy
            .problems
            .iter()
            .map(|p| (p.at.as_str(), &p.issue))
            .collect();
        assert!(issues.contains(&("locked.writeBack", &Issue::WrongType)));
        assert!(issues.contains(&("locked.writeBakc", &Issue::UnknownKey)));
        assert!(issues.contains(&("locked.writeBackKinds", &Issue::WrongType)));
        assert!(issues.contains(&("defualts", &Issue::UnknownKey)));
        assert!(issues.contains(&(
            "locked.allowedOrgs",
            &Issue::BadHost {
                value: "evil.example".into()
            }
        )));
        assert!(issues.contains(&(
            "locked.neverLog.emails",
            &Issue::BadEntry { value: "x".into() }
        )));
        let locked = &policy.locked;
        assert_eq!(locked.write_back, None, "a wrong type is ignored");
        assert_eq!(locked.data_validation, Some(true), "the rest applies");
        assert_eq!(
            locked.allowed_orgs.as_deref(),
            Some(&["acme.my.salesforce.com".to_string()][..]),
            "a URL is not a host; the Lightning host maps to its API host"
        );
        assert_eq!(
            locked.never_log.as_ref().map(|l| l.domains.clone()),
            Some(vec!["rival.example".to_string()])
        );
    }

    #[test]
    fn a_policy_that_is_not_an_object_is_a_problem_not_a_crash() {
        for raw in [json!("locked"), json!([1, 2]), json!(7)] {
            let policy = PolicyLayers::read(&raw);
            assert_eq!(policy.problems.len(), 1);
            assert_eq!(policy.locked, Layer::default());
        }
        let policy = PolicyLayers::read(&json!({"locked": [true]}));
        assert_eq!(policy.problems[0].issue, Issue::NotAnObject);
    }

    #[test]
    fn org_hosts_are_salesforce_my_domains_or_dynamics_orgs() {
        assert_eq!(
            org_host("acme--uat.sandbox.my.salesforce.com").as_deref(),
            Some("acme--uat.sandbox.my.salesforce.com")
        );
        assert_eq!(
            org_host("Contoso.crm4.dynamics.com").as_deref(),
            Some("contoso.crm4.dynamics.com")
        );
        for bad in [
            "my.salesforce.com",
            "acme.salesforce.com",
            "",
            "a b.crm.dynamics.com",
        ] {
            assert_eq!(org_host(bad), None, "{bad}");
        }
    }
}
