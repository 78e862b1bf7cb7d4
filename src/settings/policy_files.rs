//! The settings as the files admins deploy: managed policy JSON for Chrome and Edge on
//! Linux (and, as the same keys, macOS profiles), a Windows `.reg` for both, and Firefox's
//! `policies.json`. Each force-installs the extension (`ExtensionSettings`) and carries the
//! settings as the extension's own policy (`3rdparty`), which the browser hands to
//! `storage.managed`.
//!
//! Sources: Chrome reads `3rdparty.extensions.<id>` from the JSON files in
//! `/etc/opt/chrome/policies/managed/` (Chromium: `/etc/chromium/policies/managed/`) and,
//! on Windows, from `HKLM\Software\Policies\Google\Chrome\3rdparty\extensions\<id>\policy`,
//! objects as subkeys and lists as subkeys of values "1", "2", …
//! (https://www.chromium.org/administrators/configuring-policy-for-extensions/,
//! https://developer.chrome.com/docs/extensions/reference/manifest/storage);
//! `ExtensionSettings` takes `installation_mode: force_installed` with an `update_url`, on
//! Windows as one JSON string value
//! (https://chromium.org/administrators/policy-list-3/extension-settings-full). Edge reads
//! the same under `Microsoft\Edge` and `/etc/opt/edge/policies/managed/`
//! (https://learn.microsoft.com/en-us/deployedge/microsoft-edge-manage-extensions-ref-guide).
//! Firefox reads `policies.json` from `distribution/` beside its binary or, on Linux, from
//! `/etc/firefox/policies/`; `3rdparty.Extensions.<id>` becomes the add-on's
//! `storage.managed`, and `ExtensionSettings.<id>` takes `install_url`
//! (https://extensionworkshop.com/documentation/enterprise/enterprise-development/,
//! https://mozilla.github.io/policy-templates/).

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::layer::Layer;
use super::resolve::{Effective, Resolved, Source};

/// The Chrome extension id, fixed by the manifest's `key` (the e2e tests check it).
pub const CHROME_EXTENSION_ID: &str = "nlkilbolkogknoljpajjibigeijindna";
/// The Firefox add-on id (`browser_specific_settings.gecko.id`).
pub const FIREFOX_EXTENSION_ID: &str = "crmsync@crmsync.dev";
/// Where Chrome and Edge fetch a force-installed extension: the Chrome Web Store's update
/// service; a self-hosted package names its own update manifest instead.
pub const CHROME_UPDATE_URL: &str = "https://clients2.google.com/service/update2/crx";
/// Where Firefox fetches it: the signed package on addons.mozilla.org.
pub const FIREFOX_INSTALL_URL: &str =
    "https://addons.mozilla.org/firefox/downloads/latest/crmsync/latest.xpi";

/// One file to download.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyFile {
    pub filename: String,
    pub text: String,
}

/// What the files carry: the policy's `locked` and `defaults` halves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    pub locked: Layer,
    pub defaults: Layer,
}

impl Published {
    /// The settings as they apply here: what an admin or the user set is locked for
    /// everyone, what a policy offered as a default stays a default, built-in values are
    /// left out (so a later release's defaults apply).
    pub fn from_resolved(all: &Resolved) -> Published {
        let mut p = Published::default();
        let (l, d) = (&mut p.locked, &mut p.defaults);
        publish(&all.allowed_orgs, &mut l.allowed_orgs, &mut d.allowed_orgs);
        publish(
            &all.auto_sync_all,
            &mut l.auto_sync_all,
            &mut d.auto_sync_all,
        );
        publish(&all.seats, &mut l.seats, &mut d.seats);
        publish(&all.write_back, &mut l.write_back, &mut d.write_back);
        publish(
            &all.write_back_kinds,
            &mut l.write_back_kinds,
            &mut d.write_back_kinds,
        );
        publish(
            &all.toggle_default_on,
            &mut l.toggle_default_on,
            &mut d.toggle_default_on,
        );
        publish(
            &all.pipeline_stage,
            &mut l.pipeline_stage,
            &mut d.pipeline_stage,
        );
        publish(
            &all.won_value_field,
            &mut l.won_value_field,
            &mut d.won_value_field,
        );
        publish(
            &all.data_validation,
            &mut l.data_validation,
            &mut d.data_validation,
        );
        publish(
            &all.clear_on_change,
            &mut l.clear_on_change,
            &mut d.clear_on_change,
        );
        let list = all.never_log_list();
        if !all.never_log.is_empty() {
            p.locked.never_log = Some(list);
        }
        p
    }

    fn managed(&self) -> Value {
        let mut policy = Map::new();
        for (name, layer) in [("locked", &self.locked), ("defaults", &self.defaults)] {
            let layer = layer.to_json();
            if !layer.is_empty() {
                policy.insert(name.into(), Value::Object(layer));
            }
        }
        Value::Object(policy)
    }
}

/// Puts one effective value in the half it belongs to (none for a built-in value).
fn publish<T: Clone>(effective: &Effective<T>, locked: &mut Option<T>, defaults: &mut Option<T>) {
    match effective.source {
        Source::BuiltIn => {}
        Source::PolicyDefault => *defaults = Some(effective.value.clone()),
        Source::Locked | Source::Organization | Source::User => {
            *locked = Some(effective.value.clone())
        }
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

/// Chrome's and Edge's managed policy file (Linux; the same keys in a macOS profile).
pub fn chrome_json(published: &Published) -> String {
    pretty(&json!({
        "ExtensionSettings": {
            CHROME_EXTENSION_ID: {
                "installation_mode": "force_installed",
                "update_url": CHROME_UPDATE_URL,
            }
        },
        "3rdparty": {"extensions": {CHROME_EXTENSION_ID: published.managed()}},
    }))
}

/// Firefox's `policies.json`.
pub fn firefox_json(published: &Published) -> String {
    pretty(&json!({
        "policies": {
            "ExtensionSettings": {
                FIREFOX_EXTENSION_ID: {
                    "installation_mode": "force_installed",
                    "install_url": FIREFOX_INSTALL_URL,
                }
            },
            "3rdparty": {"Extensions": {FIREFOX_EXTENSION_ID: published.managed()}},
        }
    }))
}

/// A `.reg` text value: backslashes and quotes escaped.
fn reg_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn reg_value(value: &Value) -> Option<String> {
    match value {
        Value::Bool(b) => Some(format!("dword:{:08x}", u32::from(*b))),
        Value::String(s) => Some(reg_string(s)),
        Value::Number(n) => Some(reg_string(&n.to_string())),
        _ => None,
    }
}

/// A registry value's or subkey's name, and what it holds.
type Named<'a> = (String, &'a Value);

/// The keys under `path` holding `value`: an object's scalars as values of its key, its
/// objects and lists as subkeys; a list's items as values "1", "2", ….
fn reg_keys(path: &str, value: &Value, out: &mut Vec<String>) {
    let (scalars, nested): (Vec<Named>, Vec<Named>) = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), v))
            .partition(|(_, v)| !v.is_object() && !v.is_array()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| ((i + 1).to_string(), v))
            .partition(|(_, v)| !v.is_object() && !v.is_array()),
        _ => return,
    };
    let mut block = format!("[{path}]\n");
    for (name, value) in scalars {
        if let Some(data) = reg_value(value) {
            block.push_str(&format!("{}={data}\n", reg_string(&name)));
        }
    }
    out.push(block);
    for (name, value) in nested {
        reg_keys(&format!("{path}\\{name}"), value, out);
    }
}

/// The Windows registry file for Chrome and Edge (machine policy).
pub fn windows_reg(published: &Published) -> String {
    let mut blocks = vec!["Windows Registry Editor Version 5.00\n".to_string()];
    for vendor in ["Google\\Chrome", "Microsoft\\Edge"] {
        let root = format!("HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\{vendor}");
        let settings = json!({
            CHROME_EXTENSION_ID: {
                "installation_mode": "force_installed",
                "update_url": CHROME_UPDATE_URL,
            }
        });
        blocks.push(format!(
            "[{root}]\n\"ExtensionSettings\"={}\n",
            reg_string(&settings.to_string())
        ));
        let policy = format!("{root}\\3rdparty\\extensions\\{CHROME_EXTENSION_ID}\\policy");
        reg_keys(&policy, &published.managed(), &mut blocks);
    }
    blocks.join("\n")
}

/// Every file, named for where it goes (docs/settings.md says where each is put).
pub fn files(published: &Published) -> Vec<PolicyFile> {
    vec![
        PolicyFile {
            filename: "crmsync-chrome-edge-policy.json".into(),
            text: chrome_json(published),
        },
        PolicyFile {
            filename: "crmsync-chrome-edge-policy.reg".into(),
            text: windows_reg(published).replace('\n', "\r\n"),
        },
        PolicyFile {
            filename: "policies.json".into(),
            text: firefox_json(published),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{resolve, PolicyLayers};

    fn published() -> Published {
        let policy = PolicyLayers::read(&json!({
            "locked": {"writeBack": false, "allowedOrgs": ["acme.my.salesforce.com"],
                       "neverLog": {"domains": ["rival.example"]}},
            "defaults": {"toggleDefaultOn": false},
        }));
        let user = Layer::read(&json!({"pipelineStage": "Closed \"Won\""}), "").0;
        Published::from_resolved(&resolve(&policy, &Layer::default(), &user))
    }

    #[test]
    fn the_files_carry_what_was_set_locked_and_policy_defaults_as_defaults() {
        let p = published();
        assert_eq!(p.locked.write_back, Some(false));
        assert_eq!(p.defaults.toggle_default_on, Some(false));
        assert!(
            p.locked.pipeline_stage.is_some(),
            "the user's own choice is published"
        );
        assert_eq!(
            p.locked.data_validation, None,
            "built-in values are left out"
        );
        let chrome: Value = serde_json::from_str(&chrome_json(&p)).unwrap();
        let ours = &chrome["3rdparty"]["extensions"][CHROME_EXTENSION_ID];
        assert_eq!(ours["locked"]["writeBack"], false);
        assert_eq!(ours["defaults"]["toggleDefaultOn"], false);
        assert_eq!(
            chrome["ExtensionSettings"][CHROME_EXTENSION_ID]["installation_mode"],
            "force_installed"
        );
        let firefox: Value = serde_json::from_str(&firefox_json(&p)).unwrap();
        let ours = &firefox["policies"]["3rdparty"]["Extensions"][FIREFOX_EXTENSION_ID];
        assert_eq!(ours["locked"]["neverLog"]["domains"][0], "rival.example");
        assert!(
            firefox["policies"]["ExtensionSettings"][FIREFOX_EXTENSION_ID]["install_url"]
                .is_string()
        );
    }

    #[test]
    fn a_published_policy_reads_back_as_the_same_settings() {
        let p = published();
        let chrome: Value = serde_json::from_str(&chrome_json(&p)).unwrap();
        let back = PolicyLayers::read(&chrome["3rdparty"]["extensions"][CHROME_EXTENSION_ID]);
        assert!(back.problems.is_empty());
        assert_eq!((back.locked, back.defaults), (p.locked, p.defaults));
    }

    #[test]
    fn the_registry_file_has_values_subkeys_and_numbered_lists_for_both_browsers() {
        let reg = windows_reg(&published());
        let policy = format!(
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\\3rdparty\\extensions\\{CHROME_EXTENSION_ID}\\policy\\locked]"
        );
        assert!(reg.starts_with("Windows Registry Editor Version 5.00\n"));
        assert!(reg.contains(&policy), "{reg}");
        assert!(reg.contains("\"writeBack\"=dword:00000000"));
        assert!(
            reg.contains("\"pipelineStage\"=\"Closed \\\"Won\\\"\""),
            "quotes escaped"
        );
        assert!(reg.contains("\\locked\\allowedOrgs]\n\"1\"=\"acme.my.salesforce.com\""));
        assert!(reg.contains("\\locked\\neverLog\\domains]\n\"1\"=\"rival.example\""));
        assert!(reg.contains("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge]"));
        assert!(
            reg.contains("\"ExtensionSettings\"=\"{\\\""),
            "a JSON string value"
        );
        let files = files(&published());
        assert!(files[1].text.contains("\r\n"), "regedit's line ends");
    }
}
