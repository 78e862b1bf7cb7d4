//! Contacts to profiles, one to one, and each linked contact's flag. The profiles export is
//! the smaller side (a hundred thousand against a million contacts), so it is indexed and
//! every contact asks it for its best profile: memory follows the export, and result sets
//! stream through. A profile that several contacts claim is a namesake risk: only contacts
//! sharing its e-mail keep it (the same person twice); otherwise none does, and their flags
//! are left alone, as the browser's pass leaves uncertain cases alone.

use std::collections::HashMap;

use super::contacts::ContactRow;
use crate::matching::{MatchIndex, MatchLevel, Overrides, Person};
use crate::validation::{verdict, Verdict};

/// Contacts the model is fitted on before the first result set is matched.
const FIT_SAMPLE: usize = 20_000;

/// One contact's claim on a profile.
#[derive(Debug, Clone)]
struct Claim {
    contact_id: String,
    flagged: bool,
    verdict: Verdict,
    same_email: bool,
}

pub struct Linker {
    index: MatchIndex,
    profiles: Vec<Person>,
    by_id: HashMap<String, usize>,
    claims: HashMap<usize, Vec<Claim>>,
    fitted: bool,
}

/// What linking decided, for the report and the write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub linked: usize,
    pub ambiguous: usize,
    pub not_at_company: usize,
    /// The flags to write: (contact id, flagged), in contact-id order.
    pub changes: Vec<(String, bool)>,
}

impl Linker {
    pub fn new(profiles: Vec<Person>) -> Linker {
        let index = MatchIndex::build(&profiles);
        let by_id = profiles
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        Linker {
            index,
            profiles,
            by_id,
            claims: HashMap::new(),
            fitted: false,
        }
    }

    pub fn profiles(&self) -> usize {
        self.profiles.len()
    }

    /// Matches one result set's contacts (on every core) and keeps their claims.
    pub fn add(&mut self, rows: &[ContactRow]) {
        if !self.fitted && !rows.is_empty() {
            let sample: Vec<Person> = rows
                .iter()
                .take(FIT_SAMPLE)
                .map(|r| r.person.clone())
                .collect();
            self.index.fit(&sample);
            self.fitted = true;
        }
        let none = Overrides::default();
        let best = crate::parallel::map(rows, |row| {
            let d = self.index.best(&row.person, &none);
            (d.level == MatchLevel::Match)
                .then_some(d.record_id)
                .flatten()
                .and_then(|id| self.by_id.get(&id).copied())
        });
        for (row, found) in rows.iter().zip(best) {
            let Some(p) = found else { continue };
            let profile = &self.profiles[p];
            self.claims.entry(p).or_default().push(Claim {
                contact_id: row.person.id.clone(),
                flagged: row.flagged,
                verdict: verdict(profile, row.account.as_ref()),
                same_email: same_email(profile, &row.person),
            });
        }
    }

    /// The links kept, and the flags that change.
    pub fn finish(self) -> Outcome {
        let mut out = Outcome::default();
        for claims in self.claims.into_values() {
            let kept: Vec<Claim> = if claims.len() == 1 {
                claims
            } else {
                let by_email: Vec<Claim> = claims.into_iter().filter(|c| c.same_email).collect();
                if by_email.is_empty() {
                    out.ambiguous += 1;
                }
                by_email
            };
            for claim in kept {
                out.linked += 1;
                let wanted = match claim.verdict {
                    Verdict::AtCompany => false,
                    Verdict::Left { .. } => {
                        out.not_at_company += 1;
                        true
                    }
                    Verdict::Unknown => claim.flagged,
                };
                if wanted != claim.flagged {
                    out.changes.push((claim.contact_id, wanted));
                }
            }
        }
        out.changes.sort();
        out
    }
}

fn same_email(a: &Person, b: &Person) -> bool {
    match (a.email.as_deref(), b.email.as_deref()) {
        (Some(x), Some(y)) => !x.trim().is_empty() && x.trim().eq_ignore_ascii_case(y.trim()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::Company;

    fn person(id: &str, first: &str, last: &str, email: Option<&str>, company: &str) -> Person {
        Person {
            id: id.into(),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            email: email.map(String::from),
            company: Some(company.into()),
            city: Some("London".into()),
            ..Person::default()
        }
    }

    fn contact(p: Person, flagged: bool) -> ContactRow {
        let account = p.company.clone().map(|name| Company {
            id: format!("001{}", p.id),
            name: Some(name),
            ..Company::default()
        });
        ContactRow {
            person: p,
            account,
            flagged,
        }
    }

    #[test]
    fn a_job_changer_is_flagged_and_a_returner_cleared() {
        let profiles = vec![
            person("p1", "Ada", "Lovelace", Some("ada@acme.com"), "Globex GmbH"),
            person(
                "p2",
                "Grace",
                "Hopper",
                Some("grace@initech.com"),
                "Initech LLC",
            ),
            person(
                "p3",
                "Alan",
                "Turing",
                Some("alan@umbrella.com"),
                "Umbrella Health",
            ),
        ];
        let mut linker = Linker::new(profiles);
        linker.add(&[
            contact(
                person(
                    "003A",
                    "Ada",
                    "Lovelace",
                    Some("ada@acme.com"),
                    "Acme Corporation",
                ),
                false,
            ),
            contact(
                person(
                    "003G",
                    "Grace",
                    "Hopper",
                    Some("grace@initech.com"),
                    "Initech",
                ),
                true,
            ),
            contact(
                person(
                    "003T",
                    "Alan",
                    "Turing",
                    Some("alan@umbrella.com"),
                    "Umbrella Health",
                ),
                false,
            ),
            contact(
                person("003Z", "Zed", "Nobody", None, "Acme Corporation"),
                true,
            ),
        ]);
        let out = linker.finish();
        assert_eq!(out.linked, 3);
        assert_eq!(out.not_at_company, 1);
        assert_eq!(
            out.changes,
            vec![("003A".to_string(), true), ("003G".to_string(), false)],
            "Alan's flag is already right; an unlinked contact is left alone"
        );
    }

    #[test]
    fn namesakes_claiming_one_profile_are_left_alone_unless_the_email_says_who() {
        let profiles = vec![person(
            "p1",
            "Ada",
            "Lovelace",
            Some("ada@acme.com"),
            "Globex",
        )];
        let mut linker = Linker::new(profiles.clone());
        linker.add(&[
            contact(person("003A", "Ada", "Lovelace", None, "Acme"), false),
            contact(person("003B", "Ada", "Lovelace", None, "Acme"), false),
        ]);
        let out = linker.finish();
        assert_eq!(out.ambiguous, 1);
        assert!(out.changes.is_empty(), "{:?}", out.changes);

        let mut linker = Linker::new(profiles);
        linker.add(&[
            contact(
                person("003A", "Ada", "Lovelace", Some("ADA@acme.com"), "Acme"),
                false,
            ),
            contact(person("003B", "Ada", "Lovelace", None, "Acme"), false),
        ]);
        assert_eq!(linker.finish().changes, vec![("003A".to_string(), true)]);
    }
}
