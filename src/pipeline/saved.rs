//! The saved lists, decided from the synced records.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::crm::admin::{Choice, PreferenceList};
use crate::crm::RecordType;
use crate::matching::{Company, Person};
use crate::page::network_profile_url;
use crate::settings::CrmChoice;
use crate::sync::CrmRecord;
use crate::validation::decide::{verdict, Verdict};

/// Which opportunities are in the pipeline: those at or past the admin's stage in the CRM's
/// own stage order, or every open one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageRule {
    AllOpen,
    FromOrder {
        order: HashMap<String, u32>,
        from: u32,
    },
}

impl StageRule {
    /// The rule for the admin's `choice` among the org's `stages`. A stage the org no longer
    /// has falls back to every open opportunity, as "Not sure" does, so the feature keeps
    /// working.
    pub fn new(choice: &CrmChoice, stages: &PreferenceList) -> StageRule {
        let order: HashMap<String, u32> = stages
            .choices
            .iter()
            .filter_map(|c| match c {
                Choice::Crm { value, order, .. } => Some((value.clone(), *order)),
                Choice::NotSure => None,
            })
            .collect();
        let from = match choice {
            CrmChoice::Named(value) => order.get(value).copied(),
            CrmChoice::NotSure => None,
        };
        match from {
            Some(from) => StageRule::FromOrder { order, from },
            None => StageRule::AllOpen,
        }
    }

    fn admits(&self, opportunity: &CrmRecord) -> bool {
        if opportunity.closed == Some(true) {
            return false;
        }
        match self {
            StageRule::AllOpen => true,
            StageRule::FromOrder { order, from } => opportunity
                .stage_value
                .as_deref()
                .and_then(|s| order.get(s))
                .is_some_and(|o| o >= from),
        }
    }
}

/// Why an entry is on a list.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum SaveReason {
    /// The user saved it from the panel.
    Manual,
    /// An opportunity of the user's in the pipeline.
    Opportunity {
        id: String,
        name: String,
        stage: Option<String>,
    },
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedLead {
    pub record_type: RecordType,
    pub record_id: String,
    pub name: String,
    pub account_name: Option<String>,
    pub reasons: Vec<SaveReason>,
    /// The linked profile (a sure match or the user's own link) on the network's own host.
    pub profile_url: Option<String>,
    /// The linked profile's employer against the record's Account (Leads: its Company);
    /// `None` without a linked profile.
    pub job: Option<Verdict>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedAccount {
    pub account_id: String,
    pub name: String,
    pub reasons: Vec<SaveReason>,
    /// The sum of the won-value field over the account's won opportunities (`super::won`);
    /// `None` when it has none with a value.
    pub won_value: Option<f64>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedLists {
    pub leads: Vec<SavedLead>,
    pub accounts: Vec<SavedAccount>,
}

/// Records the user saved by hand (Contacts, Leads, Accounts), by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualSaves(pub BTreeSet<String>);

/// What the saved lists are decided from.
pub struct Pipeline<'a> {
    pub records: &'a [CrmRecord],
    /// The seat holder's user id in the CRM.
    pub me: &'a str,
    pub rule: &'a StageRule,
    pub manual: &'a ManualSaves,
    /// Each record's linked profile, by record id.
    pub linked: &'a HashMap<&'a str, &'a Person>,
}

impl SavedLists {
    /// Puts each account's won value from `totals` (by account id).
    pub fn set_won_values(&mut self, totals: &HashMap<String, f64>) {
        for account in &mut self.accounts {
            account.won_value = totals.get(&account.account_id).copied();
        }
    }
}

/// The seat holder's saved lists. Records the sync no longer has are left out.
pub fn saved_lists(input: &Pipeline) -> SavedLists {
    let Pipeline {
        records,
        me,
        rule,
        manual,
        linked,
    } = *input;
    let by_id: HashMap<&str, &CrmRecord> = records.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut reasons: HashMap<&str, BTreeSet<SaveReason>> = HashMap::new();
    for id in &manual.0 {
        reasons
            .entry(id.as_str())
            .or_default()
            .insert(SaveReason::Manual);
    }
    let pipeline = records.iter().filter(|r| {
        r.record_type == RecordType::Opportunity
            && r.owner_id.as_deref() == Some(me)
            && rule.admits(r)
    });
    for opp in pipeline {
        let reason = SaveReason::Opportunity {
            id: opp.id.clone(),
            name: opp.name.clone(),
            stage: opp.stage.clone(),
        };
        for id in opp.contact_ids.iter().chain(&opp.account_id) {
            reasons
                .entry(id.as_str())
                .or_default()
                .insert(reason.clone());
        }
    }
    let account_of = |r: &CrmRecord| by_id.get(r.account_id.as_deref()?).copied();
    let mut lists = SavedLists::default();
    for (id, why) in reasons {
        let Some(record) = by_id.get(id) else {
            continue;
        };
        let why: Vec<SaveReason> = why.into_iter().collect();
        match record.record_type {
            RecordType::Contact | RecordType::Lead => {
                let account = account_of(record);
                let profile = linked.get(id).copied();
                lists.leads.push(SavedLead {
                    record_type: record.record_type,
                    record_id: record.id.clone(),
                    name: record.name.clone(),
                    account_name: account.map(|a| a.name.clone()),
                    reasons: why,
                    profile_url: profile
                        .and_then(|p| p.profile_url.as_deref())
                        .and_then(network_profile_url),
                    job: profile.map(|p| job_status(p, record, account)),
                })
            }
            RecordType::Account => lists.accounts.push(SavedAccount {
                account_id: record.id.clone(),
                name: record.name.clone(),
                reasons: why,
                won_value: None,
            }),
            RecordType::Opportunity => {}
        }
    }
    crate::sort::by(&mut lists.leads, |a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| a.record_id.cmp(&b.record_id))
    });
    crate::sort::by(&mut lists.accounts, |a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| a.account_id.cmp(&b.account_id))
    });
    lists
}

/// The profile's employer against a Contact's Account, or a Lead's own Company field.
fn job_status(profile: &Person, record: &CrmRecord, account: Option<&CrmRecord>) -> Verdict {
    let lead_company = || {
        let name = record.person.as_ref()?.company.clone()?;
        Some(Company {
            id: record.id.clone(),
            name: Some(name),
            ..Company::default()
        })
    };
    let company = match record.record_type {
        RecordType::Lead => lead_company(),
        _ => account.and_then(|a| a.company.clone()),
    };
    verdict(profile, company.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stages() -> PreferenceList {
        let c = |value: &str, order| Choice::Crm {
            value: value.into(),
            label: value.into(),
            order,
        };
        PreferenceList::from_crm(vec![
            c("Prospecting", 1),
            c("Qualification", 2),
            c("Proposal", 3),
            c("Closed Won", 4),
        ])
    }

    fn rec(t: RecordType, id: &str, owner: &str) -> CrmRecord {
        let mut r = CrmRecord::new(t, id.into(), format!("name {id}"));
        r.owner_id = Some(owner.into());
        r
    }

    fn opp(id: &str, owner: &str, stage: &str, closed: bool) -> CrmRecord {
        let mut r = rec(RecordType::Opportunity, id, owner);
        r.stage = Some(stage.into());
        r.stage_value = Some(stage.into());
        r.closed = Some(closed);
        r.account_id = Some("001A".into());
        r.contact_ids = vec![format!("003{id}")];
        r
    }

    fn org() -> Vec<CrmRecord> {
        let mut won = opp("W", "other", "Closed Won", true);
        won.won = Some(true);
        let mut account = rec(RecordType::Account, "001A", "other");
        account.company = Some(Company {
            id: "001A".into(),
            name: Some("Acme Corporation".into()),
            ..Company::default()
        });
        let contact = |id: &str| {
            let mut r = rec(RecordType::Contact, id, "other");
            r.account_id = Some("001A".into());
            r
        };
        vec![
            account,
            contact("003P"),
            contact("003Q"),
            contact("003T"),
            contact("003W"),
            opp("P", "me", "Prospecting", false),
            opp("Q", "me", "Proposal", false),
            opp("T", "other", "Proposal", false),
            won,
        ]
    }

    fn lists(records: &[CrmRecord], rule: &StageRule, manual: &ManualSaves) -> SavedLists {
        saved_lists(&Pipeline {
            records,
            me: "me",
            rule,
            manual,
            linked: &HashMap::new(),
        })
    }

    fn ids(lists: &SavedLists) -> Vec<&str> {
        lists.leads.iter().map(|l| l.record_id.as_str()).collect()
    }

    #[test]
    fn opportunities_past_the_stage_save_their_contacts_and_account() {
        let rule = StageRule::new(&CrmChoice::Named("Qualification".into()), &stages());
        let lists = lists(&org(), &rule, &ManualSaves::default());
        assert_eq!(
            ids(&lists),
            ["003Q"],
            "Prospecting is before the stage; T is not mine"
        );
        let reason = SaveReason::Opportunity {
            id: "Q".into(),
            name: "name Q".into(),
            stage: Some("Proposal".into()),
        };
        assert_eq!(lists.leads[0].reasons, vec![reason.clone()]);
        assert_eq!(lists.leads[0].account_name.as_deref(), Some("name 001A"));
        assert_eq!(lists.leads[0].job, None, "no linked profile: no status");
        assert_eq!(lists.accounts[0].reasons, vec![reason]);
    }

    #[test]
    fn a_saved_lead_shows_its_profile_and_whether_it_left_and_accounts_their_won_value() {
        let rule = StageRule::AllOpen;
        let person = |company: &str| Person {
            id: "p1".into(),
            company: Some(company.into()),
            profile_url: Some("https://www.linkedin.com/in/p1".into()),
            ..Person::default()
        };
        let (stayed, left) = (person("ACME Corp."), person("Globex GmbH"));
        let records = org();
        for (profile, expected) in [
            (&stayed, Verdict::AtCompany),
            (
                &left,
                Verdict::Left {
                    now_at: "Globex GmbH".into(),
                },
            ),
        ] {
            let linked = HashMap::from([("003P", profile)]);
            let mut lists = saved_lists(&Pipeline {
                records: &records,
                me: "me",
                rule: &rule,
                manual: &ManualSaves::default(),
                linked: &linked,
            });
            let lead = lists.leads.iter().find(|l| l.record_id == "003P").unwrap();
            assert_eq!(lead.job, Some(expected));
            assert_eq!(
                lead.profile_url.as_deref(),
                Some("https://www.linkedin.com/in/p1/")
            );
            lists.set_won_values(&HashMap::from([("001A".to_string(), 1500.0)]));
            assert_eq!(lists.accounts[0].won_value, Some(1500.0));
        }
    }

    #[test]
    fn not_sure_or_an_unknown_stage_takes_every_open_opportunity() {
        for choice in [CrmChoice::NotSure, CrmChoice::Named("Gone".into())] {
            let rule = StageRule::new(&choice, &stages());
            let lists = lists(&org(), &rule, &ManualSaves::default());
            assert_eq!(ids(&lists), ["003P", "003Q"]);
        }
    }

    #[test]
    fn an_entry_leaves_with_its_reason_unless_saved_by_hand() {
        let rule = StageRule::new(&CrmChoice::Named("Qualification".into()), &stages());
        let mut records = org();
        for r in records.iter_mut().filter(|r| r.id == "Q") {
            r.closed = Some(true);
        }
        let lists = super::tests::lists(&records, &rule, &ManualSaves::default());
        assert!(lists.leads.is_empty() && lists.accounts.is_empty());
        let manual = ManualSaves(["003Q".to_string(), "003gone".to_string()].into());
        let lists = super::tests::lists(&records, &rule, &manual);
        assert_eq!(ids(&lists), ["003Q"]);
        assert_eq!(lists.leads[0].reasons, vec![SaveReason::Manual]);
    }
}
