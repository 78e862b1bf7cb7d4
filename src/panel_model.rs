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
    /// Whether CRM sync is on for the user in this org: if not, the matches are read-only.
    #[serde(default)]
    pub access: crate::settings::seat::Access,
}

/// What the panel shows on a network profile page (`getPanel` in `profile` mode): the
/// person, and the CRM records they are matched to (none: their items wait as unresolved).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfilePanelView {
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

/// When an open panel asks the background for its page again: the core decides with each
/// `getPanel` answer (`askAgain`), the panel's JavaScript only follows.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AskAgain {
    /// Link changes and sync failures of this org change what the panel shows; `None`: of any
    /// org (a profile page's person may be matched in any).
    pub org: Option<String>,
    /// A sync of the page's org runs: if the background stops meanwhile (the browser ends an
    /// idle worker or event page, and the panel's port closes), ask again this much later,
    /// which wakes it, and the sync resumes from its checkpoint.
    pub after_stop_ms: Option<u32>,
}

/// What an event of the background makes an open panel ask for again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Ask {
    /// `getPanel`, the whole view.
    Panel,
    /// `getActivity`, the items only.
    Activity,
}

/// A background event as a panel hears it on its port (`Event` in src/background): only
/// what the decision reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Heard {
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub api_host: Option<String>,
}

/// The events a panel asks again for, by their `type`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    ActivityChanged,
    LinksChanged,
    SyncFailed,
    SettingsChanged,
    PanelConnected,
    ValidationChanged,
    #[default]
    #[serde(other)]
    Other,
}

impl AskAgain {
    /// How long after the background stopped a panel of a running sync asks again.
    pub const AFTER_STOP_MS: u32 = 3000;

    pub fn record_page(api_host: &str, syncing: bool) -> AskAgain {
        AskAgain {
            org: Some(api_host.to_string()),
            after_stop_ms: syncing.then_some(Self::AFTER_STOP_MS),
        }
    }

    pub fn profile_page() -> AskAgain {
        AskAgain::default()
    }

    /// What `heard` asks for, shown this answer (`None`: a panel showing no answer).
    pub fn on_event(shown: Option<&AskAgain>, heard: &Heard) -> Option<Ask> {
        match (heard.kind, shown) {
            (EventKind::ActivityChanged, _) => Some(Ask::Activity),
            (EventKind::LinksChanged | EventKind::SyncFailed, Some(shown))
                if shown.org.is_none() || shown.org == heard.api_host =>
            {
                Some(Ask::Panel)
            }
            // A sync shown as running may have ended before the port was taken, its event
            // unheard: the panel asks what stands now.
            (EventKind::PanelConnected, Some(shown)) if shown.after_stop_ms.is_some() => {
                Some(Ask::Panel)
            }
            _ => None,
        }
    }
}

/// The badges a profile page's panel shows at its top: one for each CRM the person is in
/// (its first record, which the badge opens), as the network page's badges did. A linked
/// record the CRM deleted is no sign the person is in it.
pub fn crm_badges(records: &[CrmLink]) -> Vec<&CrmLink> {
    let mut badges: Vec<&CrmLink> = Vec::new();
    for record in records.iter().filter(|r| !r.deleted) {
        if badges.iter().all(|b| b.crm != record.crm) {
            badges.push(record);
        }
    }
    badges
}

/// The `_locales` key of a badge saying the person is in this CRM.
pub fn badge_key(crm: Crm) -> &'static str {
    match crm {
        Crm::Salesforce => "badgeInSalesforce",
        Crm::Dynamics => "badgeInDynamics",
    }
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

    /// The background's event as the panel port carries it.
    fn heard(event: crate::background::Event) -> Heard {
        serde_json::from_value(serde_json::to_value(event).unwrap()).unwrap()
    }

    #[test]
    fn a_panel_asks_again_for_its_own_orgs_changes_and_every_items_change() {
        let record = AskAgain::record_page("acme.my.salesforce.com", false);
        use crate::background::Event;
        let ours = heard(Event::LinksChanged {
            api_host: "acme.my.salesforce.com".into(),
        });
        let theirs = heard(Event::SyncFailed {
            api_host: "other.crm.dynamics.com".into(),
            error: crate::crm::CrmError::unexpected(500, ""),
        });
        assert_eq!(AskAgain::on_event(Some(&record), &ours), Some(Ask::Panel));
        assert_eq!(AskAgain::on_event(Some(&record), &theirs), None);
        let profile = AskAgain::profile_page();
        assert_eq!(
            AskAgain::on_event(Some(&profile), &theirs),
            Some(Ask::Panel)
        );
        let items = heard(Event::ActivityChanged { ids: vec![] });
        assert_eq!(AskAgain::on_event(None, &items), Some(Ask::Activity));
        assert_eq!(AskAgain::on_event(None, &ours), None, "no answer shown");
        let settings = heard(Event::SettingsChanged);
        assert_eq!(AskAgain::on_event(Some(&profile), &settings), None);
    }

    #[test]
    fn a_panel_showing_a_running_sync_asks_again_once_its_port_is_taken() {
        use crate::background::Event;
        let connected = heard(Event::PanelConnected);
        let syncing = AskAgain::record_page("acme.my.salesforce.com", true);
        let synced = AskAgain::record_page("acme.my.salesforce.com", false);
        assert_eq!(
            AskAgain::on_event(Some(&syncing), &connected),
            Some(Ask::Panel)
        );
        assert_eq!(AskAgain::on_event(Some(&synced), &connected), None);
        assert_eq!(
            AskAgain::on_event(None, &connected),
            None,
            "no answer shown"
        );
    }

    #[test]
    fn only_a_running_sync_asks_again_after_the_background_stops() {
        let api = "acme.crm.dynamics.com";
        assert_eq!(AskAgain::record_page(api, true).after_stop_ms, Some(3000));
        assert_eq!(AskAgain::record_page(api, false).after_stop_ms, None);
        assert_eq!(AskAgain::profile_page().after_stop_ms, None);
    }

    #[test]
    fn a_profile_page_shows_one_badge_per_crm_opening_its_first_record() {
        let link = |crm, name: &str| CrmLink {
            url: format!("https://{name}.example/"),
            crm,
            name: name.into(),
            deleted: false,
        };
        let deleted = CrmLink {
            url: String::new(),
            deleted: true,
            ..link(Crm::Salesforce, "deleted")
        };
        let records = [
            deleted,
            link(Crm::Dynamics, "d1"),
            link(Crm::Salesforce, "s1"),
            link(Crm::Dynamics, "d2"),
        ];
        let names: Vec<&str> = crm_badges(&records)
            .iter()
            .map(|b| b.name.as_str())
            .collect();
        assert_eq!(names, ["d1", "s1"]);
        assert_eq!(badge_key(Crm::Dynamics), "badgeInDynamics");
    }

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
        let model: ProfilePanelView = serde_json::from_str(json).unwrap();
        assert_eq!(model.in_crm[0].crm, Crm::Salesforce);
        assert_eq!(crm_key(model.in_crm[0].crm), "crmSalesforce");
        assert_eq!(model.profile.person.full_name.as_deref(), Some("Ada"));
        assert!(!model.in_crm[0].deleted);
        let json = r#"{"profile":{"person":{"id":"url:in/ada"},"origin":"pageCapture"},
            "inCrm":[{"url":"","crm":"dynamics","name":"Ada L","level":"match","deleted":true}]}"#;
        let model: ProfilePanelView = serde_json::from_str(json).unwrap();
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
