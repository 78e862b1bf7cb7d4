//! The options page's orgs (`orgStatuses`): each org with "Connected to Salesforce since …,
//! Last synced …", whether CRM sync is on for the user there (and why not), what went wrong
//! reading its admin's settings, and *Disconnect* (with the choice to clear the org's
//! imported data) or *Connect again*.

use std::collections::BTreeMap;

use crate::message::Request;
use crate::msg;
use crate::pages::{key, PageAction, Reply, Stamp, Text};
use crate::panel_model::crm_key;
use crate::settings::seat::{Access, OrgStatus};
use crate::settings::Source;

/// What a row offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    /// *Disconnect*, and whether it also clears the org's data (`locked`: policy decides).
    Disconnect { clear: bool, locked: bool },
    /// *Connect again* (the user disconnected it here).
    ConnectAgain,
    /// Nothing: browser policy keeps the org connected, or its admin disconnected it.
    Nothing(Text),
}

/// One org's row.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgRow {
    pub api_host: String,
    /// "Connected to Salesforce since" (its time follows), or "Disconnected".
    pub connected: Text,
    pub since: Option<Stamp>,
    pub last_synced: Text,
    pub synced_at: Option<Stamp>,
    pub access: Text,
    pub enabled: bool,
    /// The admin's settings could not be read: the last ones read apply.
    pub problem: Option<Text>,
    pub offer: Offer,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Orgs {
    orgs: Vec<OrgStatus>,
    /// The user's clear choice per org, where they changed the default.
    clear: BTreeMap<String, bool>,
    busy: bool,
    status: Option<Text>,
}

impl Orgs {
    pub fn start() -> PageAction {
        PageAction::Send(Request::OrgStatuses)
    }

    pub fn listed(&mut self, answer: Reply<Vec<OrgStatus>>) {
        match answer.ok {
            Some(orgs) => self.orgs = orgs,
            None => self.status = Some(answer.failure()),
        }
    }

    pub fn rows(&self) -> Vec<OrgRow> {
        self.orgs.iter().map(|o| self.row(o)).collect()
    }

    /// No org yet: a line saying how one appears.
    pub fn empty(&self) -> Option<Text> {
        self.orgs.is_empty().then(|| msg!("orgsNone"))
    }

    fn row(&self, org: &OrgStatus) -> OrgRow {
        let crm = key(crm_key(org.crm));
        let (connected, since) = match (org.access, org.connected_since) {
            (Access::Disconnected | Access::DisconnectedHere, _) => (msg!("orgDisconnected"), None),
            (_, Some(ms)) => (msg!("orgConnectedSince", crm), Some(Stamp::Ms(ms))),
            (_, None) => (msg!("orgConnected", crm), None),
        };
        let access = match org.access {
            Access::Enabled => msg!("orgEnabled"),
            Access::NotEnabled => msg!("panelNotEnabled"),
            Access::Disconnected => msg!("orgDisconnectedByAdmin"),
            Access::DisconnectedHere => msg!("orgDisconnectedHere"),
        };
        let choice = &org.clear_on_change;
        let offer = match org.access {
            Access::DisconnectedHere => Offer::ConnectAgain,
            _ if org.disconnect_locked => Offer::Nothing(msg!("orgDisconnectLocked")),
            Access::Disconnected => Offer::Nothing(msg!("orgAskAdminToConnect")),
            _ => Offer::Disconnect {
                clear: self.clear_choice(org),
                locked: choice.source == Source::Locked,
            },
        };
        OrgRow {
            api_host: org.api_host.clone(),
            connected,
            since,
            last_synced: match org.last_synced {
                Some(_) => msg!("orgLastSynced"),
                None => msg!("orgNeverSynced"),
            },
            synced_at: org.last_synced.map(Stamp::Ms),
            enabled: org.access.enabled(),
            access,
            problem: org
                .settings_problem
                .as_ref()
                .map(|e| msg!("orgSettingsUnreadable", e.message.as_str())),
            offer,
        }
    }

    /// Disconnect clears the org's data: the user's choice, else the resolved
    /// clear-on-change setting (always that when browser policy locks it).
    fn clear_choice(&self, org: &OrgStatus) -> bool {
        let setting = &org.clear_on_change;
        match (setting.source, self.clear.get(&org.api_host)) {
            (Source::Locked, _) | (_, None) => setting.value,
            (_, Some(chosen)) => *chosen,
        }
    }

    pub fn set_clear(&mut self, api_host: &str, on: bool) {
        self.clear.insert(api_host.to_string(), on);
    }

    /// One request at a time.
    pub fn enabled(&self) -> bool {
        !self.busy
    }

    pub fn disconnect(&mut self, api_host: &str) -> Vec<PageAction> {
        let Some(org) = self.orgs.iter().find(|o| o.api_host == api_host) else {
            return Vec::new();
        };
        let clear = self.clear_choice(org);
        self.send(Request::DisconnectOrg {
            api_host: api_host.to_string(),
            clear,
        })
    }

    pub fn connect_again(&mut self, api_host: &str) -> Vec<PageAction> {
        self.send(Request::ReconnectOrg {
            api_host: api_host.to_string(),
        })
    }

    fn send(&mut self, request: Request) -> Vec<PageAction> {
        if self.busy {
            return Vec::new();
        }
        self.busy = true;
        self.status = None;
        vec![PageAction::Send(request)]
    }

    /// The answer to Disconnect (`ok`: whether it cleared) or Connect again: say so, and
    /// list the orgs again.
    pub fn changed(&mut self, request: &Request, answer: Reply<bool>) -> Vec<PageAction> {
        self.busy = false;
        self.status = Some(match (request, answer.ok) {
            _ if answer.failed() => answer.failure(),
            (Request::DisconnectOrg { .. }, Some(true)) => msg!("orgDisconnectedCleared"),
            (Request::DisconnectOrg { .. }, _) => msg!("orgDisconnectedDone"),
            _ => msg!("orgConnectedAgain"),
        });
        vec![Orgs::start()]
    }

    pub fn status(&self) -> Option<&Text> {
        self.status.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::english;
    use serde_json::json;

    fn listed(statuses: serde_json::Value) -> Orgs {
        let mut orgs = Orgs::default();
        orgs.listed(Reply::ok(serde_json::from_value(statuses).unwrap()));
        orgs
    }

    fn org(access: &str, extra: serde_json::Value) -> serde_json::Value {
        let mut org = json!({"apiHost": "acme.my.salesforce.com", "crm": "salesforce",
            "connectedSince": 1.0, "lastSynced": 2.0, "access": access,
            "settingsProblem": null, "disconnectLocked": false,
            "clearOnChange": {"value": false, "source": "builtIn"}});
        for (k, v) in extra.as_object().unwrap() {
            org[k] = v.clone();
        }
        org
    }

    #[test]
    fn a_row_says_since_when_the_org_is_connected_and_whether_sync_is_on_for_me() {
        let orgs = listed(json!([org("enabled", json!({}))]));
        let row = &orgs.rows()[0];
        assert_eq!(english(&row.connected), "Connected to Salesforce since");
        assert_eq!(row.since, Some(Stamp::Ms(1.0)));
        assert_eq!(english(&row.last_synced), "Last synced");
        assert_eq!(english(&row.access), "CRM sync is on for you");
        let not = listed(json!([org(
            "notEnabled",
            json!({"crm": "dynamics", "lastSynced": null})
        )]));
        let row = &not.rows()[0];
        assert_eq!(english(&row.connected), "Connected to Dynamics 365 since");
        assert_eq!(english(&row.last_synced), "Not synced yet");
        assert_eq!(
            english(&row.access),
            "CRM sync is not enabled for you — ask your CRM admin"
        );
        assert_eq!(
            listed(json!([])).empty().map(|t| english(&t)).as_deref(),
            Some("No CRM org yet: open a record in Salesforce or Dynamics 365.")
        );
    }

    #[test]
    fn disconnect_sends_the_clear_choice_and_connect_again_undoes_it() {
        let mut orgs = listed(json!([org(
            "enabled",
            json!({"clearOnChange": {"value": true, "source": "organization"}})
        )]));
        assert_eq!(
            orgs.rows()[0].offer,
            Offer::Disconnect {
                clear: true,
                locked: false
            }
        );
        orgs.set_clear("acme.my.salesforce.com", false);
        let sent = orgs.disconnect("acme.my.salesforce.com");
        let request = Request::DisconnectOrg {
            api_host: "acme.my.salesforce.com".into(),
            clear: false,
        };
        assert_eq!(sent, vec![PageAction::Send(request.clone())]);
        assert!(
            orgs.disconnect("acme.my.salesforce.com").is_empty(),
            "one at a time"
        );
        let again = orgs.changed(
            &request,
            Reply {
                ok: Some(false),
                ..Reply::default()
            },
        );
        assert_eq!(again, vec![Orgs::start()]);
        assert_eq!(
            english(orgs.status().unwrap()),
            "Disconnected on this computer."
        );
        let here = listed(json!([org(
            "disconnectedHere",
            json!({"connectedSince": null})
        )]));
        let row = &here.rows()[0];
        assert_eq!(row.offer, Offer::ConnectAgain);
        assert_eq!(english(&row.connected), "Disconnected");
    }

    #[test]
    fn policy_locks_disconnect_or_the_clear_choice_and_a_settings_problem_is_shown() {
        let locked = listed(json!([org("enabled", json!({"disconnectLocked": true}))]));
        assert!(matches!(locked.rows()[0].offer, Offer::Nothing(_)));
        let mut clear = listed(json!([org(
            "enabled",
            json!({
            "clearOnChange": {"value": true, "source": "locked"},
            "settingsProblem": {"kind": "unexpected", "code": "SETTINGS_UNREADABLE", "message": "not JSON", "status": 200, "retryAfter": null}})
        )]));
        clear.set_clear("acme.my.salesforce.com", false);
        let row = &clear.rows()[0];
        assert_eq!(
            row.offer,
            Offer::Disconnect {
                clear: true,
                locked: true
            }
        );
        assert!(english(row.problem.as_ref().unwrap()).contains("not JSON"));
    }
}
