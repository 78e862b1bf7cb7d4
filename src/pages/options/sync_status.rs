//! What the options page says of each org's sync (from `listOrgs`): waiting because the org
//! has used most of its daily API allowance or the CRM asked to slow down, or stopped because
//! the org refuses this browser's session (CRM-APIS A19) and what its admin must allow. Orgs
//! whose sync runs as usual get no line.

use serde::Deserialize;

use crate::answer::Problem;
use crate::crm::budget::Hold;
use crate::crm::CrmError;
use crate::msg;
use crate::pages::{Reply, Text};

/// One org of the `listOrgs` answer, as much as this section reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgSync {
    pub api_host: String,
    #[serde(default)]
    pub status: Status,
}

/// The org's `status` (`background::budget::OrgSyncStatus`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Status {
    pub sync_held: Option<Hold>,
    pub refused: Option<CrmError>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncStatus {
    lines: Vec<Text>,
}

impl SyncStatus {
    /// A failed list says nothing here: the Copy to CRM section reads the same answer and
    /// says why.
    pub fn listed(&mut self, answer: Reply<Vec<OrgSync>>) {
        self.lines = match answer.ok {
            Some(orgs) => orgs.iter().filter_map(line).collect(),
            None => Vec::new(),
        };
    }

    /// `acme.my.salesforce.com: Background sync paused: …`, one per org that waits.
    pub fn lines(&self) -> &[Text] {
        &self.lines
    }
}

fn line(org: &OrgSync) -> Option<Text> {
    let why = match (&org.status.refused, org.status.sync_held) {
        (Some(error), _) => Text::from(Problem::from(error.clone()).words()),
        (None, Some(Hold::ApiUsage { percent })) => {
            msg!("syncPausedApiBudget", percent.to_string())
        }
        (None, Some(Hold::Throttled { .. })) => msg!("syncPausedThrottled"),
        (None, None) => return None,
    };
    Some(Text::joined(": ", [Text::from(org.api_host.as_str()), why]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::english;
    use serde_json::json;

    fn status(orgs: serde_json::Value) -> Vec<String> {
        let mut status = SyncStatus::default();
        status.listed(Reply::ok(serde_json::from_value(orgs).unwrap()));
        status.lines().iter().map(english).collect()
    }

    #[test]
    fn a_waiting_or_stopped_sync_says_why_and_a_running_one_says_nothing() {
        let lines = status(json!([
            {"apiHost": "acme.my.salesforce.com", "crm": "salesforce", "pageHost": "acme.lightning.force.com",
             "status": {"syncHeld": {"apiUsage": {"percent": 85}}, "apiUsage": {"used": 12750, "limit": 15000}}},
            {"apiHost": "beta.crm.dynamics.com", "crm": "dynamics", "status": {"syncHeld": {"throttled": {"until": 1.0}}}},
            {"apiHost": "gamma.my.salesforce.com", "crm": "salesforce", "status": {
             "refused": {"kind": "blocked", "code": "API_CURRENTLY_DISABLED", "message": "API is disabled for this User", "status": 403}}},
            {"apiHost": "quiet.crm4.dynamics.com", "crm": "dynamics", "status": {}},
        ]));
        assert_eq!(
            lines,
            [
                "acme.my.salesforce.com: Background sync paused: this org has used 85 % of its daily API allowance. It resumes when usage falls; what you open and copy to the CRM still goes.",
                "beta.crm.dynamics.com: Background sync paused: the CRM asked crmsync to slow down. It resumes by itself in a few minutes.",
                "gamma.my.salesforce.com: Your Salesforce user may not use the API. Ask your Salesforce admin to give you the “API Enabled” permission (in your profile or a permission set).",
            ]
        );
    }
}
