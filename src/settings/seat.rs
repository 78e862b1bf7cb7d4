//! The seat holder's half of the org's published settings (docs/org-admin.md): what this
//! browser keeps of the org's seat view after each sync's one read ([`OrgView`]), and who
//! CRM sync is on for ([`access`]). Pure rules; `background::seat` does the I/O.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Effective, Layer, Resolved};
use crate::crm::admin::{OrgState, SeatView};
use crate::crm::{Crm, CrmError};

/// The org's seat view as last read, kept under `crmSettings:<apiHost>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgView {
    pub state: OrgState,
    /// The org's layer, as its admin published it: the last one read well.
    pub settings: Value,
    /// The CRM says I hold a seat.
    pub has_seat: bool,
    /// The last "clear all previously imported CRM data" seen (the admin's instant).
    #[serde(default)]
    pub cleared: Option<String>,
    /// When this browser first synced the org (ms), since its last disconnect.
    #[serde(default)]
    pub connected_since: Option<f64>,
    /// Why the last read failed (the settings above still apply), for the options page.
    #[serde(default)]
    pub problem: Option<CrmError>,
    /// When it was last read, well or not (ms).
    #[serde(default)]
    pub read_at: f64,
}

impl OrgView {
    /// The org's settings layer (entries that do not read are left out, as in any layer).
    pub fn layer(&self) -> Layer {
        Layer::read(&self.settings, "").0
    }

    fn nothing_yet(now: f64) -> OrgView {
        OrgView {
            state: OrgState::NotConnected,
            settings: Value::Object(Default::default()),
            has_seat: false,
            cleared: None,
            connected_since: None,
            problem: None,
            read_at: now,
        }
    }
}

/// What to keep after the seat view was read at `now`, and whether the org's imported data
/// is to be cleared now (its admin chose so since the last read).
///
/// A read that failed (a refusal, `SETTINGS_UNREADABLE`) keeps the last good settings with
/// the problem beside them. Salesforce hides the settings object from a user without a seat
/// (`INVALID_TYPE`, read as "nothing published"): after the org was seen connected, that is
/// the seat taken away, so the org stays connected with the settings last read.
pub fn after_read(
    before: Option<&OrgView>,
    read: Result<SeatView, CrmError>,
    now: f64,
) -> (OrgView, bool) {
    let mut kept = before.cloned().unwrap_or_else(|| OrgView::nothing_yet(now));
    kept.read_at = now;
    let view = match read {
        Ok(view) => view,
        Err(problem) => {
            kept.problem = Some(problem);
            return (kept, false);
        }
    };
    kept.problem = None;
    kept.has_seat = view.has_seat;
    let published = view.published;
    let hidden = published.state == OrgState::NotConnected && kept.state == OrgState::Connected;
    if hidden {
        return (kept, false);
    }
    let clear = published.cleared.is_some() && published.cleared != kept.cleared;
    kept.state = published.state;
    kept.settings = serde_json::from_str(&published.settings)
        .ok()
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Default::default()));
    kept.cleared = published.cleared;
    kept.connected_since = match kept.state {
        OrgState::Disconnected => None,
        _ => kept.connected_since.or(Some(now)),
    };
    (kept, clear)
}

/// One org on the options page.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgStatus {
    pub api_host: String,
    pub crm: Crm,
    /// When this browser first synced it since its last disconnect (ms).
    pub connected_since: Option<f64>,
    pub last_synced: Option<f64>,
    pub access: Access,
    /// The admin's settings could not be read at the last sync: the last good ones apply.
    #[serde(default)]
    pub settings_problem: Option<CrmError>,
    /// Browser policy keeps this org connected.
    #[serde(default)]
    pub disconnect_locked: bool,
    /// Whether Disconnect clears the org's imported data, unless the user says otherwise
    /// (not when its source is `locked`).
    pub clear_on_change: Effective<bool>,
}

/// Whether CRM sync (the sync and Copy to CRM) is on for me in an org.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Access {
    #[default]
    Enabled,
    /// The org is connected, and neither auto-sync-all, my seat nor the policy's seat list
    /// enables me: matches are read-only, items stay here.
    NotEnabled,
    /// The org's admin disconnected it, for every seat holder.
    Disconnected,
    /// I disconnected it on this computer (options page).
    DisconnectedHere,
}

impl Access {
    pub fn enabled(self) -> bool {
        self == Access::Enabled
    }

    /// The `_locales` key of why the panel's matches are read-only (`None`: they are not).
    pub fn read_only_key(self) -> Option<&'static str> {
        match self {
            Access::Enabled => None,
            Access::NotEnabled => Some("panelNotEnabled"),
            Access::Disconnected | Access::DisconnectedHere => Some("panelOrgDisconnected"),
        }
    }

    /// Sync runs (read-only for a user not enabled); write-back runs only when enabled.
    pub fn syncs(self) -> bool {
        matches!(self, Access::Enabled | Access::NotEnabled)
    }
}

/// My access to an org: my own disconnect first, then the admin's, then who is enabled —
/// auto-sync-all, my seat in the CRM, or my CRM user id (`owner`) in the seat list. An org
/// that published nothing works as before any admin: the seat list and auto-sync-all of the
/// browser policy, if any, decide.
pub fn access(
    all: &Resolved,
    view: Option<&OrgView>,
    owner: Option<&str>,
    disconnected_here: bool,
) -> Access {
    if disconnected_here {
        return Access::DisconnectedHere;
    }
    match view.map(|v| (v.state, v.has_seat)) {
        Some((OrgState::Disconnected, _)) => Access::Disconnected,
        Some((OrgState::Connected, true)) => Access::Enabled,
        _ if all.user_enabled(owner) => Access::Enabled,
        _ => Access::NotEnabled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::admin::Published;
    use crate::settings::{resolve, PolicyLayers};
    use serde_json::json;

    fn seat_view(
        state: OrgState,
        settings: &str,
        has_seat: bool,
        cleared: Option<&str>,
    ) -> SeatView {
        SeatView {
            published: Published {
                state,
                settings: settings.into(),
                cleared: cleared.map(String::from),
            },
            has_seat,
        }
    }

    fn unreadable() -> CrmError {
        crate::crm::admin::read_document("x").unwrap_err()
    }

    #[test]
    fn a_read_keeps_the_orgs_layer_and_a_failed_one_keeps_the_last_good_with_the_problem() {
        let read = seat_view(OrgState::Connected, r#"{"writeBack":false}"#, true, None);
        let (good, clear) = after_read(None, Ok(read), 10.0);
        assert!(!clear);
        assert_eq!(good.layer().write_back, Some(false));
        assert_eq!(good.connected_since, Some(10.0));
        let (kept, clear) = after_read(Some(&good), Err(unreadable()), 20.0);
        assert!(!clear);
        assert_eq!(kept.layer().write_back, Some(false), "last good settings");
        assert_eq!(kept.problem.as_ref().unwrap().code, "SETTINGS_UNREADABLE");
        assert_eq!((kept.read_at, kept.connected_since), (20.0, Some(10.0)));
        let read = seat_view(OrgState::Connected, "{}", true, None);
        assert_eq!(after_read(Some(&kept), Ok(read), 30.0).0.problem, None);
    }

    #[test]
    fn a_new_clear_instant_clears_once() {
        let first = seat_view(
            OrgState::Connected,
            "{}",
            true,
            Some("2026-12-01T15:00:00Z"),
        );
        let (seen, clear) = after_read(None, Ok(first.clone()), 1.0);
        assert!(clear);
        assert!(
            !after_read(Some(&seen), Ok(first), 2.0).1,
            "the same instant: once"
        );
        let again = seat_view(
            OrgState::Disconnected,
            "{}",
            true,
            Some("2026-12-02T09:00:00Z"),
        );
        let (off, clear) = after_read(Some(&seen), Ok(again), 3.0);
        assert!(clear);
        assert_eq!(
            (off.state, off.connected_since),
            (OrgState::Disconnected, None)
        );
    }

    #[test]
    fn salesforce_hiding_the_settings_after_a_connect_is_a_seat_taken_away() {
        let read = seat_view(OrgState::Connected, r#"{"autoSyncAll":false}"#, true, None);
        let (seated, _) = after_read(None, Ok(read), 1.0);
        let hidden = seat_view(OrgState::NotConnected, "{}", false, None);
        let (after, _) = after_read(Some(&seated), Ok(hidden), 2.0);
        assert_eq!(after.state, OrgState::Connected);
        assert_eq!(after.layer().auto_sync_all, Some(false));
        let all = resolve(&PolicyLayers::default(), &after.layer(), &Layer::default());
        assert_eq!(access(&all, Some(&after), None, false), Access::NotEnabled);
    }

    #[test]
    fn who_is_enabled() {
        let policy = |json: Value| PolicyLayers::read(&json);
        let none = PolicyLayers::default();
        let view = |state, settings: &str, seat| {
            after_read(None, Ok(seat_view(state, settings, seat, None)), 1.0).0
        };
        let resolved = |policy: &PolicyLayers, view: &OrgView| {
            resolve(policy, &view.layer(), &Layer::default())
        };
        let per_user = view(OrgState::Connected, r#"{"autoSyncAll":false}"#, false);
        let all = resolved(&none, &per_user);
        assert_eq!(
            access(&all, Some(&per_user), Some("005A"), false),
            Access::NotEnabled
        );
        let seated = view(OrgState::Connected, r#"{"autoSyncAll":false}"#, true);
        assert_eq!(access(&all, Some(&seated), None, false), Access::Enabled);
        let listed = policy(json!({"locked": {"seats": ["005a"]}}));
        let all = resolved(&listed, &per_user);
        assert_eq!(
            access(&all, Some(&per_user), Some("005A"), false),
            Access::Enabled
        );
        let everyone = view(OrgState::Connected, r#"{"autoSyncAll":true}"#, false);
        let all = resolved(&none, &everyone);
        assert_eq!(access(&all, Some(&everyone), None, false), Access::Enabled);
        let off = view(OrgState::Disconnected, "{}", true);
        assert_eq!(access(&all, Some(&off), None, false), Access::Disconnected);
        assert_eq!(
            access(&all, Some(&seated), None, true),
            Access::DisconnectedHere
        );
        // Nothing published: as before any admin.
        let all = resolved(&none, &OrgView::nothing_yet(0.0));
        assert_eq!(access(&all, None, None, false), Access::Enabled);
        assert!(Access::NotEnabled.syncs() && !Access::NotEnabled.enabled());
        assert!(!Access::Disconnected.syncs());
    }
}
