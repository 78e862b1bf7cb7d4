//! Each setting's effective value and where it comes from. The order, first that sets it:
//! the policy's locked half, the org's settings published in the CRM, the user's choice, the
//! policy's defaults, the built-in default. A policy default takes the built-in default's
//! place: the user may change it, and the org's own choice goes before it. The never-log
//! list is the union of every layer's entries (a block list only grows).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::keys::{CrmChoice, SettingKey};
use super::layer::{Layer, LayerProblem, PolicyLayers};
use super::never_log::{NeverLog, NeverLogKind};
use crate::writeback::{ItemKind, KindSelection, WriteBackSettings};

/// Where an effective value comes from.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// Browser policy locked it: nobody changes it in the extension.
    Locked,
    /// The org's settings published in the CRM by its admin.
    Organization,
    /// The user chose it on the options page.
    User,
    /// Browser policy set it as a default; the user may change it.
    PolicyDefault,
    /// Nobody set it.
    BuiltIn,
}

impl Source {
    /// An admin's value the user cannot change (policy lock, or the org's own setting).
    pub fn binds_user(self) -> bool {
        matches!(self, Source::Locked | Source::Organization)
    }
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Effective<T> {
    pub value: T,
    pub source: Source,
}

/// One entry of the effective never-log list.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NeverLogEntry {
    pub kind: NeverLogKind,
    pub value: String,
    pub source: Source,
}

/// Every setting as it applies now, with its source, and what was wrong with the policy
/// (or the org's settings) as read.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolved {
    pub allowed_orgs: Effective<Vec<String>>,
    pub auto_sync_all: Effective<bool>,
    pub seats: Effective<Vec<String>>,
    pub write_back: Effective<bool>,
    pub write_back_kinds: Effective<Vec<ItemKind>>,
    pub toggle_default_on: Effective<bool>,
    pub pipeline_stage: Effective<CrmChoice>,
    pub won_value_field: Effective<CrmChoice>,
    pub never_log: Vec<NeverLogEntry>,
    pub data_validation: Effective<bool>,
    pub clear_on_change: Effective<bool>,
    pub problems: Vec<LayerProblem>,
}

/// The layers in the order they win.
fn ordered<'a>(
    policy: &'a PolicyLayers,
    org: &'a Layer,
    user: &'a Layer,
) -> [(Source, &'a Layer); 4] {
    [
        (Source::Locked, &policy.locked),
        (Source::Organization, org),
        (Source::User, user),
        (Source::PolicyDefault, &policy.defaults),
    ]
}

fn pick<T: Clone>(
    layers: &[(Source, &Layer)],
    get: impl Fn(&Layer) -> Option<&T>,
    built_in: T,
) -> Effective<T> {
    layers
        .iter()
        .find_map(|(source, layer)| {
            get(layer).map(|value| Effective {
                value: value.clone(),
                source: *source,
            })
        })
        .unwrap_or(Effective {
            value: built_in,
            source: Source::BuiltIn,
        })
}

fn never_log(layers: &[(Source, &Layer)]) -> Vec<NeverLogEntry> {
    let mut entries: Vec<NeverLogEntry> = Vec::new();
    for (source, layer) in layers {
        let Some(list) = &layer.never_log else {
            continue;
        };
        for kind in NeverLogKind::ALL {
            for value in list.entries(kind) {
                let normal = kind.normal(value);
                let known = entries
                    .iter()
                    .any(|e| e.kind == kind && kind.normal(&e.value) == normal);
                if !known {
                    entries.push(NeverLogEntry {
                        kind,
                        value: value.clone(),
                        source: *source,
                    });
                }
            }
        }
    }
    entries
}

/// The effective settings from the policy, the org's published settings and the user's.
pub fn resolve(policy: &PolicyLayers, org: &Layer, user: &Layer) -> Resolved {
    let layers = ordered(policy, org, user);
    let l = &layers[..];
    Resolved {
        allowed_orgs: pick(l, |x| x.allowed_orgs.as_ref(), Vec::new()),
        auto_sync_all: pick(l, |x| x.auto_sync_all.as_ref(), true),
        seats: pick(l, |x| x.seats.as_ref(), Vec::new()),
        write_back: pick(l, |x| x.write_back.as_ref(), true),
        write_back_kinds: pick(l, |x| x.write_back_kinds.as_ref(), ItemKind::ALL.to_vec()),
        toggle_default_on: pick(l, |x| x.toggle_default_on.as_ref(), true),
        pipeline_stage: pick(l, |x| x.pipeline_stage.as_ref(), CrmChoice::NotSure),
        won_value_field: pick(l, |x| x.won_value_field.as_ref(), CrmChoice::NotSure),
        never_log: never_log(l),
        data_validation: pick(l, |x| x.data_validation.as_ref(), false),
        clear_on_change: pick(l, |x| x.clear_on_change.as_ref(), false),
        problems: policy.problems.clone(),
    }
}

/// Why a user's change was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// An admin set it (policy lock or the org's settings).
    Locked,
    /// The value is not what the setting takes.
    Invalid(Vec<LayerProblem>),
}

impl Resolved {
    /// Where `key`'s value comes from (the never-log list: the user's part is always theirs).
    pub fn source(&self, key: SettingKey) -> Source {
        match key {
            SettingKey::AllowedOrgs => self.allowed_orgs.source,
            SettingKey::AutoSyncAll => self.auto_sync_all.source,
            SettingKey::Seats => self.seats.source,
            SettingKey::WriteBack => self.write_back.source,
            SettingKey::WriteBackKinds => self.write_back_kinds.source,
            SettingKey::ToggleDefaultOn => self.toggle_default_on.source,
            SettingKey::PipelineStage => self.pipeline_stage.source,
            SettingKey::WonValueField => self.won_value_field.source,
            SettingKey::NeverLog => Source::User,
            SettingKey::DataValidation => self.data_validation.source,
            SettingKey::ClearOnChange => self.clear_on_change.source,
        }
    }

    /// Whether the org at `api_host` may be connected (panel, sync, write-back).
    pub fn org_allowed(&self, api_host: &str) -> bool {
        let allowed = &self.allowed_orgs.value;
        allowed.is_empty() || allowed.iter().any(|h| h.eq_ignore_ascii_case(api_host))
    }

    /// What the Copy to CRM decision reads.
    pub fn org_settings(&self) -> WriteBackSettings {
        let kinds = &self.write_back_kinds.value;
        WriteBackSettings {
            write_back: self.write_back.value,
            kinds: if ItemKind::ALL.iter().all(|k| kinds.contains(k)) {
                KindSelection::All
            } else {
                KindSelection::Only(kinds.iter().copied().collect())
            },
            toggle_default_on: self.toggle_default_on.value,
        }
    }

    /// CRM sync is on for the seat holder whose CRM user id is `owner` (when known): every
    /// seat holder, or the ones the seat list names.
    pub fn user_enabled(&self, owner: Option<&str>) -> bool {
        self.auto_sync_all.value
            || owner.is_some_and(|o| self.seats.value.iter().any(|s| s.eq_ignore_ascii_case(o)))
    }

    /// The effective never-log list.
    pub fn never_log_list(&self) -> NeverLog {
        let mut list = NeverLog::default();
        for entry in &self.never_log {
            list.entries_mut(entry.kind).push(entry.value.clone());
        }
        list
    }

    /// The user's layer with `key` set to `value` (`null`: back to the layers below), or
    /// why not. The never-log list is the user's own part of it.
    pub fn change(&self, user: &Layer, key: SettingKey, value: &Value) -> Result<Layer, Refusal> {
        if self.source(key).binds_user() {
            return Err(Refusal::Locked);
        }
        let mut changed = user.clone();
        let mut problems = Vec::new();
        changed.set(key, value, key.name(), &mut problems);
        if problems.is_empty() {
            Ok(changed)
        } else {
            Err(Refusal::Invalid(problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn layer(json: Value) -> Layer {
        let (layer, problems) = Layer::read(&json, "");
        assert!(problems.is_empty(), "{problems:?}");
        layer
    }

    fn policy(json: Value) -> PolicyLayers {
        PolicyLayers::read(&json)
    }

    #[test]
    fn nothing_set_gives_the_built_in_defaults() {
        let all = resolve(
            &PolicyLayers::default(),
            &Layer::default(),
            &Layer::default(),
        );
        assert_eq!(all.write_back.source, Source::BuiltIn);
        assert_eq!(all.org_settings(), WriteBackSettings::default());
        assert!(all.org_allowed("any.my.salesforce.com"));
        assert!(all.user_enabled(None));
        assert_eq!(all.pipeline_stage.value, CrmChoice::NotSure);
        assert!(!all.data_validation.value && !all.clear_on_change.value);
    }

    #[test]
    fn a_lock_beats_the_org_the_org_beats_the_user_the_user_beats_a_policy_default() {
        let user =
            layer(json!({"writeBack": true, "toggleDefaultOn": false, "dataValidation": true}));
        let org = layer(json!({"writeBack": true, "dataValidation": false}));
        let policy = policy(json!({
            "locked": {"writeBack": false},
            "defaults": {"toggleDefaultOn": true, "clearOnChange": true},
        }));
        let all = resolve(&policy, &org, &user);
        assert_eq!(
            all.write_back,
            Effective {
                value: false,
                source: Source::Locked
            }
        );
        assert_eq!(
            all.data_validation,
            Effective {
                value: false,
                source: Source::Organization
            }
        );
        assert_eq!(
            all.toggle_default_on,
            Effective {
                value: false,
                source: Source::User
            }
        );
        assert_eq!(
            all.clear_on_change,
            Effective {
                value: true,
                source: Source::PolicyDefault
            }
        );
    }

    #[test]
    fn the_user_may_change_defaults_but_not_what_an_admin_set() {
        let policy = policy(json!({
            "locked": {"writeBack": false},
            "defaults": {"toggleDefaultOn": false},
        }));
        let org = layer(json!({"dataValidation": true}));
        let all = resolve(&policy, &org, &Layer::default());
        let user = Layer::default();
        assert_eq!(
            all.change(&user, SettingKey::WriteBack, &json!(true)),
            Err(Refusal::Locked)
        );
        assert_eq!(
            all.change(&user, SettingKey::DataValidation, &json!(false)),
            Err(Refusal::Locked)
        );
        let changed = all
            .change(&user, SettingKey::ToggleDefaultOn, &json!(true))
            .unwrap();
        let again = resolve(&policy, &org, &changed);
        assert_eq!(
            again.toggle_default_on,
            Effective {
                value: true,
                source: Source::User
            }
        );
        let reset = again
            .change(&changed, SettingKey::ToggleDefaultOn, &Value::Null)
            .unwrap();
        assert_eq!(
            resolve(&policy, &org, &reset).toggle_default_on.source,
            Source::PolicyDefault
        );
        assert!(matches!(
            all.change(&user, SettingKey::ToggleDefaultOn, &json!("yes")),
            Err(Refusal::Invalid(_))
        ));
    }

    #[test]
    fn allowed_orgs_keep_every_other_org_out() {
        let policy = policy(json!({"locked": {"allowedOrgs": ["acme.my.salesforce.com"]}}));
        let all = resolve(&policy, &Layer::default(), &Layer::default());
        assert!(all.org_allowed("acme.my.salesforce.com"));
        assert!(!all.org_allowed("rival.my.salesforce.com"));
        assert!(!all.org_allowed("acme.crm.dynamics.com"));
    }

    #[test]
    fn kinds_and_seats_shape_the_write_back_decision() {
        let org = layer(
            json!({"writeBackKinds": ["note", "call"], "autoSyncAll": false, "seats": ["005A"]}),
        );
        let all = resolve(&PolicyLayers::default(), &org, &Layer::default());
        let settings = all.org_settings();
        assert!(settings.kinds.allows(ItemKind::Note));
        assert!(!settings.kinds.allows(ItemKind::InMail));
        assert!(all.user_enabled(Some("005a")));
        assert!(!all.user_enabled(Some("005B")));
        assert!(
            !all.user_enabled(None),
            "an unknown user is not a seat holder"
        );
    }

    #[test]
    fn never_log_entries_add_up_across_layers_each_with_its_source() {
        let policy = policy(json!({"locked": {"neverLog": {"domains": ["rival.example"]}}}));
        let user = layer(
            json!({"neverLog": {"domains": ["RIVAL.example", "mine.example"], "emails": ["a@b.example"]}}),
        );
        let all = resolve(&policy, &Layer::default(), &user);
        let shown: Vec<(&str, Source)> = all
            .never_log
            .iter()
            .map(|e| (e.value.as_str(), e.source))
            .collect();
        assert_eq!(
            shown,
            [
                ("rival.example", Source::Locked),
                ("a@b.example", Source::User),
                ("mine.example", Source::User)
            ]
        );
        assert_eq!(all.never_log_list().domains.len(), 2);
    }
}
