//! What the panel shows, as data: built by the background, rendered by `ui::panel`. The pure
//! decisions (which facts make the sentence, which links are safe) live here so they are
//! tested natively.

use serde::{Deserialize, Serialize};

use crate::crm::{Crm, RecordSummary};
use crate::linking::ProfileMatch;
use crate::matching::{Field, MatchLevel};
use crate::profiles::Profile;

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelModel {
    pub record: RecordSummary,
    /// Contacts and Leads: the profile matched to this record.
    pub linked: Option<Linked>,
    /// Accounts and Opportunities: their matched people.
    #[serde(default)]
    pub people: Vec<Linked>,
    #[serde(default)]
    pub syncing: bool,
    /// Milliseconds since the epoch of the last completed sync.
    pub last_synced: Option<f64>,
    /// Why the last sync failed, if it did.
    #[serde(default)]
    pub sync_error: Option<crate::crm::CrmError>,
}

/// What the panel shows on a network profile page (`getPanel` in `profile` mode): the
/// person, and the CRM records they are matched to (none: their items wait as unresolved).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfilePanel {
    pub profile: Profile,
    #[serde(default)]
    pub in_crm: Vec<CrmLink>,
}

/// A matched record's page in the CRM (`recordsOfProfile` in the background).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrmLink {
    pub url: String,
    pub crm: Crm,
    pub name: String,
    /// The user's link names a record the CRM deleted.
    #[serde(default)]
    pub deleted: bool,
}

/// The `_locales` key of a CRM's name.
pub fn crm_key(crm: Crm) -> &'static str {
    match crm {
        Crm::Salesforce => "crmSalesforce",
        Crm::Dynamics => "crmDynamics",
    }
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Linked {
    pub profile: Profile,
    #[serde(rename = "match")]
    pub link: ProfileMatch,
}

/// The `_locales` keys of the facts a match sentence names, strongest first, at most three:
/// first and last name read as one "name"; an e-mail agreeing on the domain reads as such.
pub fn fact_keys(agreed: &[Field]) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::new();
    for field in agreed {
        let key = match field {
            Field::FirstName | Field::LastName => "factName",
            Field::Email => "factEmail",
            Field::Phone => "factPhone",
            Field::ProfileUrl => "factProfileUrl",
            Field::Company => "factCompany",
            Field::Title => "factTitle",
            Field::City => "factCity",
            Field::Country => "factCountry",
        };
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.truncate(3);
    keys
}

/// The `_locales` key of a match level's label.
pub fn level_key(level: MatchLevel) -> &'static str {
    match level {
        MatchLevel::Match => "levelMatch",
        MatchLevel::Possible => "levelPossible",
        MatchLevel::NoMatch => "levelNoMatch",
    }
}

/// A profile link the panel may render: only `https:` URLs, so a `javascript:` URL typed
/// into a CRM or profile field can never become a clickable script.
pub fn safe_link(url: &str) -> Option<String> {
    let parsed = crate::weburl::WebUrl::parse(url.trim())?;
    (parsed.scheme() == "https" && parsed.host_str().is_some()).then(|| parsed.as_str().to_string())
}

/// A confidence as a whole percentage, 0–100.
pub fn percent(score: f64) -> u32 {
    (score.clamp(0.0, 1.0) * 100.0).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_facts_merge_name_parts_and_keep_three() {
        let agreed = [
            Field::LastName,
            Field::Email,
            Field::FirstName,
            Field::Company,
            Field::City,
        ];
        assert_eq!(
            fact_keys(&agreed),
            vec!["factName", "factEmail", "factCompany"]
        );
    }

    #[test]
    fn only_https_links_are_rendered() {
        assert_eq!(
            safe_link("https://www.linkedin.com/in/ada").as_deref(),
            Some("https://www.linkedin.com/in/ada")
        );
        assert_eq!(safe_link("javascript:alert(1)"), None);
        assert_eq!(safe_link(" JavaScript:alert(1)"), None);
        assert_eq!(safe_link("http://example.com"), None);
        assert_eq!(safe_link("data:text/html,<script>"), None);
    }

    #[test]
    fn profile_mode_reads_the_background_answer() {
        let json = r#"{"mode":"profile","profile":{"person":{"id":"url:in/ada","full_name":"Ada"},"origin":"pageCapture"},
            "inCrm":[{"url":"https://acme.lightning.force.com/lightning/r/Contact/0035g00000ABCDeAAP/view","crm":"salesforce","name":"Ada L","level":"match"}]}"#;
        let model: ProfilePanel = serde_json::from_str(json).unwrap();
        assert_eq!(model.in_crm[0].crm, Crm::Salesforce);
        assert_eq!(crm_key(model.in_crm[0].crm), "crmSalesforce");
        assert_eq!(model.profile.person.full_name.as_deref(), Some("Ada"));
        assert!(!model.in_crm[0].deleted);
        let json = r#"{"profile":{"person":{"id":"url:in/ada"},"origin":"pageCapture"},
            "inCrm":[{"url":"","crm":"dynamics","name":"Ada L","level":"match","deleted":true}]}"#;
        let model: ProfilePanel = serde_json::from_str(json).unwrap();
        assert!(model.in_crm[0].deleted);
        assert_eq!(safe_link(&model.in_crm[0].url), None, "no page to link to");
    }

    #[test]
    fn percentages_are_clamped() {
        assert_eq!(percent(0.915), 92);
        assert_eq!(percent(1.7), 100);
        assert_eq!(percent(f64::NAN.max(-1.0)), 0);
    }
}
