//! What each in-scope contact's flag should be, and the flags to write: only those that
//! differ from what the CRM holds. A flag is set when the linked profile's current company
//! is clearly not the contact's Account, cleared when it is (the person is back, or the
//! contact was moved to the right Account) or when the user dismissed it; anything
//! uncertain (no linked profile, no company on it, no Account, a name that is only close)
//! leaves the CRM's value alone, so two seat holders never undo each other.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::FlagChange;
use crate::crm::RecordType;
use crate::matching::accounts::{same_company, AccountIndex};
use crate::matching::{company, Company, MatchLevel, Person};
use crate::sync::CrmRecord;

/// What the profile says of one contact's employment (also a saved lead's job-change status).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum Verdict {
    /// The profile's company is the contact's Account.
    AtCompany,
    /// The profile names another company.
    Left { now_at: String },
    /// Nothing sure can be said.
    Unknown,
}

/// A flagged contact as the views show it.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub contact_id: String,
    pub profile_id: String,
    /// The company on the profile.
    pub now_at: String,
    /// The org's Account for that company, when one matches: the "move contact" fix.
    pub suggested_account: Option<String>,
}

/// Flags the user dismissed, each for one company on the profile: a later move to yet
/// another company flags the contact again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dismissals(pub HashSet<(String, String)>);

impl Dismissals {
    /// The key a dismissal is kept under: the contact and the company's name key.
    pub fn key(contact_id: &str, now_at: &str) -> (String, String) {
        (contact_id.to_string(), company::key(now_at))
    }

    pub fn dismiss(&mut self, contact_id: &str, now_at: &str) {
        self.0.insert(Self::key(contact_id, now_at));
    }

    pub fn covers(&self, contact_id: &str, now_at: &str) -> bool {
        self.0.contains(&Self::key(contact_id, now_at))
    }
}

/// The outcome of one validation pass.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validation {
    /// The flags to write, in the order of the records.
    pub changes: Vec<FlagChange>,
    /// Every contact the profile says has left (dismissed or not), for the views.
    pub findings: Vec<Finding>,
}

/// The profile's company against the contact's Account.
pub fn verdict(profile: &Person, account: Option<&Company>) -> Verdict {
    let Some(now_at) = profile
        .company
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    else {
        return Verdict::Unknown;
    };
    let Some(account) = account else {
        return Verdict::Unknown;
    };
    let said = Company {
        id: String::new(),
        name: Some(now_at.to_string()),
        domain: None,
        city: None,
        country: None,
    };
    match same_company(&said, account) {
        MatchLevel::Match => Verdict::AtCompany,
        MatchLevel::Possible => Verdict::Unknown,
        MatchLevel::NoMatch => Verdict::Left {
            now_at: now_at.to_string(),
        },
    }
}

/// Validates the contacts in `scope`: `linked` maps a contact id to its linked profile
/// (a sure match or the user's own link).
pub fn validate(
    records: &[CrmRecord],
    scope: &HashSet<&str>,
    linked: &HashMap<&str, &Person>,
    dismissals: &Dismissals,
) -> Validation {
    let accounts = accounts_of(records);
    let index = AccountIndex::build(&accounts.values().map(|c| (*c).clone()).collect::<Vec<_>>());
    let mut out = Validation::default();
    let contacts = records
        .iter()
        .filter(|r| r.record_type == RecordType::Contact && scope.contains(r.id.as_str()));
    for contact in contacts {
        let Some(profile) = linked.get(contact.id.as_str()) else {
            continue;
        };
        let account = contact
            .account_id
            .as_deref()
            .and_then(|a| accounts.get(a).copied());
        let held = contact.not_at_company.unwrap_or(false);
        let wanted = match verdict(profile, account) {
            Verdict::AtCompany => false,
            Verdict::Unknown => held,
            Verdict::Left { now_at } => {
                let dismissed = dismissals.covers(&contact.id, &now_at);
                out.findings.push(finding(contact, profile, now_at, &index));
                !dismissed
            }
        };
        if wanted != held {
            out.changes.push(FlagChange {
                contact_id: contact.id.clone(),
                flagged: wanted,
            });
        }
    }
    out
}

fn finding(contact: &CrmRecord, profile: &Person, now_at: String, index: &AccountIndex) -> Finding {
    let said = Company {
        id: String::new(),
        name: Some(now_at.clone()),
        domain: None,
        city: None,
        country: None,
    };
    let suggested_account = index
        .best(&said)
        .filter(|m| m.level == MatchLevel::Match)
        .map(|m| m.account_id)
        .filter(|a| contact.account_id.as_deref() != Some(a.as_str()));
    Finding {
        contact_id: contact.id.clone(),
        profile_id: profile.id.clone(),
        now_at,
        suggested_account,
    }
}

/// The org's Accounts as companies, by id.
fn accounts_of(records: &[CrmRecord]) -> HashMap<&str, &Company> {
    records
        .iter()
        .filter(|r| r.record_type == RecordType::Account)
        .filter_map(|r| Some((r.id.as_str(), r.company.as_ref()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, name: &str) -> CrmRecord {
        let mut r = CrmRecord::new(RecordType::Account, id.into(), name.into());
        r.company = Some(Company {
            id: id.into(),
            name: Some(name.into()),
            domain: None,
            city: None,
            country: None,
        });
        r
    }

    fn contact(id: &str, account: &str, flag: Option<bool>) -> CrmRecord {
        let mut r = CrmRecord::new(RecordType::Contact, id.into(), id.into());
        r.account_id = Some(account.into());
        r.not_at_company = flag;
        r
    }

    fn profile(id: &str, company: Option<&str>) -> Person {
        Person {
            id: id.into(),
            company: company.map(String::from),
            ..Person::default()
        }
    }

    fn run(
        records: &[CrmRecord],
        links: &[(&str, &Person)],
        dismissals: &Dismissals,
    ) -> Validation {
        let scope: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
        let linked: HashMap<&str, &Person> = links.iter().copied().collect();
        validate(records, &scope, &linked, dismissals)
    }

    fn set(id: &str, flagged: bool) -> FlagChange {
        FlagChange {
            contact_id: id.into(),
            flagged,
        }
    }

    #[test]
    fn a_person_at_another_company_is_flagged_with_the_account_to_move_to() {
        let records = vec![
            account("001A", "Acme Corporation"),
            account("001G", "Globex GmbH"),
            contact("003A", "001A", Some(false)),
        ];
        let moved = profile("p1", Some("Globex"));
        let v = run(&records, &[("003A", &moved)], &Dismissals::default());
        assert_eq!(v.changes, vec![set("003A", true)]);
        assert_eq!(v.findings[0].now_at, "Globex");
        assert_eq!(v.findings[0].suggested_account.as_deref(), Some("001G"));
    }

    #[test]
    fn legal_forms_and_case_are_the_same_company_and_clear_a_flag() {
        let records = vec![
            account("001A", "Acme Corporation"),
            contact("003A", "001A", Some(true)),
            contact("003B", "001A", Some(false)),
        ];
        let back = profile("p1", Some("ACME Inc."));
        let v = run(
            &records,
            &[("003A", &back), ("003B", &back)],
            &Dismissals::default(),
        );
        assert_eq!(
            v.changes,
            vec![set("003A", false)],
            "only the changed flag is written"
        );
        assert!(v.findings.is_empty());
    }

    #[test]
    fn uncertain_cases_leave_the_crm_value_alone() {
        let records = vec![
            account("001A", "International Business Machines"),
            contact("003A", "001A", Some(true)),
            contact("003B", "001A", Some(false)),
            contact("003C", "001Z", Some(true)),
            contact("003D", "001A", Some(true)),
        ];
        let initials = profile("p1", Some("IBM"));
        let no_company = profile("p2", None);
        let v = run(
            &records,
            &[
                ("003A", &initials),
                ("003B", &initials),
                ("003C", &profile("p3", Some("Globex"))),
            ],
            &Dismissals::default(),
        );
        assert!(v.changes.is_empty(), "{:?}", v.changes);
        let v = run(&records, &[("003A", &no_company)], &Dismissals::default());
        assert!(v.changes.is_empty());
    }

    #[test]
    fn a_dismissal_clears_the_flag_until_the_person_moves_again() {
        let records = vec![account("001A", "Acme"), contact("003A", "001A", Some(true))];
        let mut dismissals = Dismissals::default();
        dismissals.dismiss("003A", "Globex Ltd");
        let v = run(
            &records,
            &[("003A", &profile("p1", Some("Globex")))],
            &dismissals,
        );
        assert_eq!(v.changes, vec![set("003A", false)]);
        assert_eq!(v.findings.len(), 1, "still listed as dismissed");
        let v = run(
            &records,
            &[("003A", &profile("p1", Some("Initech")))],
            &dismissals,
        );
        assert!(v.changes.is_empty(), "flag held and wanted");
    }

    #[test]
    fn contacts_out_of_scope_or_unlinked_are_never_touched() {
        let records = vec![
            account("001A", "Acme"),
            contact("003A", "001A", Some(false)),
        ];
        let globex = profile("p1", Some("Globex"));
        let linked: HashMap<&str, &Person> = [("003A", &globex)].into_iter().collect();
        let v = validate(&records, &HashSet::new(), &linked, &Dismissals::default());
        assert!(v.changes.is_empty());
        let v = run(&records, &[], &Dismissals::default());
        assert!(v.changes.is_empty());
    }
}
