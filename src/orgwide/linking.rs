//! Contacts to profiles, one to one, and each linked contact's flag. The profiles export is
//! the smaller side (a hundred thousand against a million contacts), so it is indexed and
//! every contact asks it for its best profile: memory follows the export, and result sets
//! stream through. A profile that several contacts claim is a namesake risk: contacts
//! sharing its e-mail keep it (the same person twice); else the one claim whose odds outweigh
//! all others' together (the person, against namesakes who share only a name); else none
//! does, and their flags are left alone, as the browser's pass leaves uncertain cases alone.

use std::collections::HashMap;

use super::contacts::ContactRow;
use crate::matching::compare::compare;
use crate::matching::features::Features;
use crate::matching::same_person::same_person;
use crate::matching::{Field, Level, MatchIndex, MatchLevel, Overrides, Person};
use crate::validation::{verdict, Verdict};

/// Contacts the model is fitted on before the first result set is matched.
const FIT_SAMPLE: usize = 20_000;

/// The lowest prior share of contacts with a profile (a small export against a huge org).
const MIN_MATCH_RATE: f64 = 1e-4;

/// The share of all claims' odds the best claim needs to keep a profile several contacts claim.
const CLEARLY_BEST_SHARE: f64 = 0.9;

/// One contact's claim on a profile.
#[derive(Debug, Clone)]
struct Claim {
    contact_id: String,
    flagged: bool,
    verdict: Verdict,
    same_email: bool,
    /// The match probability.
    score: f64,
    /// Hard-to-share evidence (the same e-mail, profile URL, or phone and surname): a flag
    /// is set only then, since a namesake at another company looks exactly like a job
    /// changer on name, city and title (at a million contacts, most such flags were wrong).
    corroborated: bool,
}

pub struct Linker {
    index: MatchIndex,
    profiles: Vec<Person>,
    by_id: HashMap<String, usize>,
    claims: HashMap<usize, Vec<Claim>>,
    fitted: bool,
    /// The prior share of contacts with a profile, once the org's size is known.
    match_rate: Option<f64>,
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
            match_rate: None,
        }
    }

    /// The org's size, once the query job knows it: the prior that a contact has a profile
    /// in the export is at most the export's share of the org (a profile is one person),
    /// far below the matcher's default for a profile having a CRM record. Without it,
    /// namesakes across a large org would look like matches.
    pub fn expect_contacts(&mut self, contacts: usize) {
        let share = self.profiles.len() as f64 / contacts.max(1) as f64;
        self.match_rate = Some(share.clamp(MIN_MATCH_RATE, self.index.model.match_rate));
        self.apply_match_rate();
    }

    fn apply_match_rate(&mut self) {
        if let Some(rate) = self.match_rate {
            self.index.model.match_rate = rate;
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
            self.apply_match_rate();
            self.fitted = true;
        }
        let none = Overrides::default();
        let best = crate::parallel::map(rows, |row| {
            let d = self.index.best(&row.person, &none);
            (d.level == MatchLevel::Match)
                .then_some(d.record_id)
                .flatten()
                .and_then(|id| self.by_id.get(&id).copied())
                .map(|p| (p, d.score))
        });
        for (row, found) in rows.iter().zip(best) {
            let Some((p, score)) = found else { continue };
            let profile = &self.profiles[p];
            let (theirs, ours) = (Features::of(profile), Features::of(&row.person));
            self.claims.entry(p).or_default().push(Claim {
                contact_id: row.person.id.clone(),
                flagged: row.flagged,
                verdict: verdict(profile, row.account.as_ref()),
                same_email: compare(&theirs, &ours).levels[Field::Email as usize] == Level::Exact,
                score,
                corroborated: same_person(&theirs, &ours),
            });
        }
    }

    /// The links kept, and the flags that change.
    pub fn finish(self) -> Outcome {
        let mut out = Outcome::default();
        for claims in self.claims.into_values() {
            let kept = kept_claims(claims);
            if kept.is_empty() {
                out.ambiguous += 1;
            }
            for claim in kept {
                out.linked += 1;
                let wanted = match claim.verdict {
                    Verdict::AtCompany => false,
                    Verdict::Left { .. } if claim.corroborated => {
                        out.not_at_company += 1;
                        true
                    }
                    Verdict::Left { .. } | Verdict::Unknown => claim.flagged,
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

/// Which of a profile's claims keep it: all when alone; those sharing its e-mail; else the
/// clearly best one; else none.
fn kept_claims(claims: Vec<Claim>) -> Vec<Claim> {
    if claims.len() == 1 {
        return claims;
    }
    let (by_email, others): (Vec<Claim>, Vec<Claim>) =
        claims.into_iter().partition(|c| c.same_email);
    if !by_email.is_empty() {
        return by_email;
    }
    let odds = |c: &Claim| {
        let p = c.score.clamp(0.0, 1.0 - 1e-9);
        p / (1.0 - p)
    };
    let total: f64 = others.iter().map(odds).sum();
    let best = others
        .into_iter()
        .max_by(|a, b| odds(a).total_cmp(&odds(b)));
    best.filter(|b| total > 0.0 && odds(b) / total >= CLEARLY_BEST_SHARE)
        .into_iter()
        .collect()
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

    fn claim(id: &str, score: f64) -> Claim {
        Claim {
            contact_id: id.into(),
            flagged: false,
            verdict: Verdict::Unknown,
            same_email: false,
            score,
            corroborated: false,
        }
    }

    #[test]
    fn the_clearly_best_claim_keeps_a_profile_and_a_close_race_keeps_none() {
        let ids = |kept: Vec<Claim>| kept.into_iter().map(|c| c.contact_id).collect::<Vec<_>>();
        assert_eq!(
            ids(kept_claims(vec![claim("003N", 0.9), claim("003P", 0.9999)])),
            vec!["003P"],
            "odds of 9,999 to 9 leave no doubt"
        );
        assert!(kept_claims(vec![claim("003A", 0.97), claim("003B", 0.95)]).is_empty());
        assert!(
            kept_claims(vec![claim("003A", 1.0), claim("003B", 1.0)]).is_empty(),
            "two certain claims are a tie, not a winner"
        );
    }

    #[test]
    fn a_name_alone_never_sets_a_flag() {
        let mut linker = Linker::new(vec![person("p1", "Ada", "Lovelace", None, "Globex")]);
        linker.add(&[contact(
            person("003A", "Ada", "Lovelace", None, "Acme"),
            false,
        )]);
        let out = linker.finish();
        assert_eq!(out.not_at_company, 0);
        assert!(out.changes.is_empty(), "{:?}", out.changes);
    }
}
