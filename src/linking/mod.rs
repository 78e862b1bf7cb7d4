//! Linking profiles to CRM records: the people index built from synced records, each
//! profile's match (the user's own links and rejections always win), the people at an
//! Account, and the typeahead search used for manual correction.

pub mod search;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::crm::RecordType;
use crate::matching::{
    match_account, Company, Field, MatchIndex, MatchLevel, MatchSource, Overrides, Person,
};
use crate::sync::CrmRecord;

/// A profile's link to a CRM person, as the panel and badges show it.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileMatch {
    pub profile_id: String,
    /// `None` when nothing is likely enough to show.
    pub record_id: Option<String>,
    pub score: f64,
    pub level: MatchLevel,
    /// Fields that agreed, strongest evidence first (for "matched on …").
    pub agreed: Vec<Field>,
    pub differed: Vec<Field>,
    /// Same person, another employer than the CRM says (data validation uses it).
    pub company_changed: bool,
    pub source: MatchSource,
}

/// Contacts and Leads as matching people; a Contact without a company of its own takes its
/// Account's name.
pub fn people(records: &[CrmRecord]) -> Vec<Person> {
    let account_names: HashMap<&str, &str> = records
        .iter()
        .filter(|r| r.record_type == RecordType::Account)
        .map(|r| (r.id.as_str(), r.name.as_str()))
        .collect();
    records
        .iter()
        .filter_map(|r| {
            let mut person = r.person.clone()?;
            if person.company.is_none() {
                let account = r.account_id.as_deref().and_then(|a| account_names.get(a));
                person.company = account.map(|name| name.to_string());
            }
            Some(person)
        })
        .collect()
}

pub fn build_index(records: &[CrmRecord]) -> MatchIndex {
    MatchIndex::build(&people(records))
}

/// The best record for each profile; profiles whose best is `NoMatch` keep no record.
pub fn match_profiles(
    index: &MatchIndex,
    profiles: &[Person],
    overrides: &Overrides,
) -> Vec<ProfileMatch> {
    profiles
        .iter()
        .map(|profile| {
            let decision = index.best(profile, overrides);
            let facts = decision.explanation.key_facts();
            let shown = decision.level != MatchLevel::NoMatch;
            ProfileMatch {
                profile_id: profile.id.clone(),
                record_id: decision.record_id.filter(|_| shown),
                score: decision.score,
                level: decision.level,
                agreed: facts.agreed,
                differed: facts.differed,
                company_changed: decision.company_changed && shown,
                source: decision.explanation.source,
            }
        })
        .collect()
}

/// Profiles whose current employer is this Account, best first.
pub fn people_at_account(account: &Company, profiles: &[Person]) -> Vec<(String, f64)> {
    let accounts = std::slice::from_ref(account);
    let mut found: Vec<(String, f64)> = profiles
        .iter()
        .filter_map(|p| {
            let company = Company {
                id: p.id.clone(),
                name: p.company.clone(),
                domain: email_domain(p),
                ..Company::default()
            };
            match_account(&company, accounts).map(|m| (p.id.clone(), m.score))
        })
        .collect();
    crate::sort::by(&mut found, |a, b| b.1.total_cmp(&a.1));
    found
}

fn email_domain(person: &Person) -> Option<String> {
    person
        .email
        .as_deref()
        .and_then(|e| e.rsplit_once('@'))
        .map(|(_, d)| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(id: &str, first: &str, last: &str, email: &str, account: &str) -> CrmRecord {
        let mut r = CrmRecord::new(RecordType::Contact, id.into(), format!("{first} {last}"));
        r.account_id = Some(account.into());
        r.person = Some(Person {
            id: id.into(),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            email: Some(email.into()),
            ..Person::default()
        });
        r
    }

    fn account(id: &str, name: &str) -> CrmRecord {
        let mut r = CrmRecord::new(RecordType::Account, id.into(), name.into());
        r.company = Some(Company {
            id: id.into(),
            name: Some(name.into()),
            ..Company::default()
        });
        r
    }

    fn records() -> Vec<CrmRecord> {
        vec![
            account("001A", "Acme Corporation"),
            contact("003A", "Ada", "Lovelace", "ada.lovelace@acme.com", "001A"),
            contact("003B", "Grace", "Hopper", "grace.hopper@acme.com", "001A"),
        ]
    }

    fn profile(id: &str, first: &str, last: &str, company: &str) -> Person {
        Person {
            id: id.into(),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            company: Some(company.into()),
            ..Person::default()
        }
    }

    #[test]
    fn contacts_take_their_account_name_as_company() {
        let people = people(&records());
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].company.as_deref(), Some("Acme Corporation"));
    }

    #[test]
    fn profiles_match_their_contact_and_strangers_match_nobody() {
        let index = build_index(&records());
        let profiles = [
            profile("p1", "Ada", "Lovelace", "Acme Corp"),
            profile("p2", "Zygmunt", "Bauman", "Leeds"),
        ];
        let matches = match_profiles(&index, &profiles, &Overrides::default());
        assert_eq!(matches[0].record_id.as_deref(), Some("003A"));
        assert!(matches[0].agreed.contains(&Field::LastName));
        assert_eq!(matches[1].record_id, None);
    }

    #[test]
    fn the_users_link_and_rejection_win() {
        let index = build_index(&records());
        let profiles = [profile("p1", "Ada", "Lovelace", "Acme Corp")];
        let mut overrides = Overrides::default();
        overrides.reject("p1", "003A");
        assert_ne!(
            match_profiles(&index, &profiles, &overrides)[0]
                .record_id
                .as_deref(),
            Some("003A")
        );
        overrides.link("p1", "003B");
        let m = &match_profiles(&index, &profiles, &overrides)[0];
        assert_eq!(m.record_id.as_deref(), Some("003B"));
        assert_eq!(m.source, MatchSource::ManualLink);
    }

    #[test]
    fn people_at_an_account_come_from_their_employer() {
        let acme = Company {
            id: "001A".into(),
            name: Some("Acme Corporation".into()),
            ..Company::default()
        };
        let profiles = [
            profile("p1", "Ada", "Lovelace", "ACME Corp."),
            profile("p2", "Linus", "Torvalds", "Linux Foundation"),
        ];
        let people = people_at_account(&acme, &profiles);
        assert_eq!(
            people.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
            vec!["p1"]
        );
    }
}

/// A correction the user makes on a record page; it always beats the model. Tagged by its
/// one key, `{"link": {"profileId": …}}`, as messages are (a `type` field would have serde
/// buffer it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Correction {
    Link { profile_id: String },
    Unlink { profile_id: String },
    Reject { profile_id: String },
}

impl Correction {
    pub fn profile_id(&self) -> &str {
        match self {
            Correction::Link { profile_id }
            | Correction::Unlink { profile_id }
            | Correction::Reject { profile_id } => profile_id,
        }
    }
}

/// Applies a correction for `record_id`; unlinking only removes a link to this record.
pub fn correct(mut overrides: Overrides, record_id: &str, correction: &Correction) -> Overrides {
    match correction {
        Correction::Link { profile_id } => overrides.link(profile_id, record_id),
        Correction::Reject { profile_id } => overrides.reject(profile_id, record_id),
        Correction::Unlink { profile_id } => {
            if overrides.linked(profile_id) == Some(record_id) {
                overrides.links.remove(profile_id);
            }
        }
    }
    overrides
}

#[cfg(test)]
mod correction_tests {
    use super::*;

    #[test]
    fn unlink_removes_only_this_records_link() {
        let o = correct(
            Overrides::default(),
            "003A",
            &Correction::Link {
                profile_id: "p".into(),
            },
        );
        let same = correct(
            o.clone(),
            "003B",
            &Correction::Unlink {
                profile_id: "p".into(),
            },
        );
        assert_eq!(same.linked("p"), Some("003A"));
        let gone = correct(
            o,
            "003A",
            &Correction::Unlink {
                profile_id: "p".into(),
            },
        );
        assert_eq!(gone.linked("p"), None);
    }
}
