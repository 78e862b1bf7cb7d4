//! Unsupervised re-estimation of the model on the user's own data.
//!
//! u comes from random profile/record pairs (almost all are different people).
//! m of the name and place fields comes from expectation–maximisation over the
//! blocked candidates (their comparisons computed once), where the E-step is the engine's own posterior: term
//! frequencies and "at most one record per profile" keep EM from drifting
//! into a cluster of look-alikes, the usual failure of plain EM on blocked
//! pairs. Estimates are smoothed toward the current model so a small CRM
//! cannot push a cell to zero.

use super::compare::compare;
use super::features::Features;
use super::index::{Evidence, MatchIndex};
use super::model::Model;
use super::types::{Field, Level, Person, N_FIELDS, N_LEVELS};

/// Fields whose m EM re-fits: how carefully names and places are typed differs
/// from one CRM to the next and shows in the data. The others' m (a work e-mail,
/// a company, a title that agree) move with colleagues too (same domain, office
/// and role), which EM cannot tell from the same person, so they keep the model's.
const LEARNED_M: [Field; 3] = [Field::FirstName, Field::LastName, Field::City];

/// Weight of the current model in each cell, as pseudo-observations.
const PRIOR_PAIRS: f64 = 20.0;
const RANDOM_PAIRS: usize = 20_000;
/// Profiles EM learns from: a few thousand pin every cell down, and the pairs'
/// comparisons are kept between iterations, so a big import costs no more.
const MAX_PROFILES: usize = 4_000;
const PAIRS_PER_PROFILE: usize = 32;
/// Below these the estimates are noise (and random pairs would often be true
/// pairs, inflating u): the model's defaults are kept.
const MIN_RECORDS: usize = 300;
const MIN_PROFILES: usize = 200;

/// A re-estimated copy of `index.model` (thresholds and the prior match rate are kept).
///
/// The match rate is not re-estimated: summed posteriors and counts of likely
/// matches both came out high on the dev set (0.84 and 0.78 for a true 0.75),
/// because namesakes and colleagues each look a little like a match, and the
/// higher prior then cost more precision (dev F1 0.954) than it gained recall.
pub fn estimate(index: &MatchIndex, profiles: &[Person], iterations: usize) -> Model {
    let mut model = index.model.clone();
    if index.len() < MIN_RECORDS || profiles.len() < MIN_PROFILES {
        return model;
    }
    let step = profiles.len().div_ceil(MAX_PROFILES);
    let feats: Vec<Features> = profiles.iter().step_by(step).map(Features::of).collect();
    model.u = estimate_u(index, &feats, &model);
    let pairs: Vec<Vec<Evidence>> = feats
        .iter()
        .map(|f| {
            let mut evidence: Vec<(f64, Evidence)> = index
                .candidates_of(f)
                .into_iter()
                .map(|c| {
                    let e = index.evidence(f, c);
                    (index.weigh(&model, &e).0, e)
                })
                .collect();
            // The likeliest few carry all the posterior; a big CRM's long tail
            // of weak candidates would only cost memory.
            evidence.sort_by(|a, b| b.0.total_cmp(&a.0));
            evidence.truncate(PAIRS_PER_PROFILE);
            evidence.into_iter().map(|(_, e)| e).collect()
        })
        .collect();
    for _ in 0..iterations {
        let mut counts = [[0.0; N_LEVELS]; N_FIELDS];
        for evidence in &pairs {
            let weights: Vec<f64> = evidence.iter().map(|e| index.weigh(&model, e).0).collect();
            let post = model.posteriors(&weights, index.population());
            for (g, e) in post.iter().zip(evidence) {
                for (field, level) in e.levels.iter().enumerate() {
                    counts[field][level.index()] += g;
                }
            }
        }
        let current = model.clone();
        for field in LEARNED_M {
            let f = field as usize;
            normalise(&mut model.m[f], &counts[f], &current, f, &current.m[f]);
        }
    }
    model
}

/// Levels a field can take (cells the default model fills in).
fn used(model: &Model, f: usize, l: usize) -> bool {
    l != Level::Missing.index() && (model.m[f][l] != 1.0 || model.u[f][l] != 1.0)
}

fn estimate_u(
    index: &MatchIndex,
    feats: &[Features],
    model: &Model,
) -> [[f64; N_LEVELS]; N_FIELDS] {
    let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as u32
    };
    let mut counts = [[0.0; N_LEVELS]; N_FIELDS];
    for _ in 0..RANDOM_PAIRS {
        let p = &feats[next(feats.len()) as usize];
        let r = next(index.len());
        for (f, level) in compare(p, index.features(r)).levels.iter().enumerate() {
            counts[f][level.index()] += 1.0;
        }
    }
    let mut u = model.u;
    for f in 0..N_FIELDS {
        normalise(&mut u[f], &counts[f], model, f, &model.u[f]);
    }
    u
}

/// counts → probabilities over the used levels, smoothed toward `prior`.
fn normalise(
    out: &mut [f64; N_LEVELS],
    counts: &[f64; N_LEVELS],
    model: &Model,
    f: usize,
    prior: &[f64; N_LEVELS],
) {
    let levels: Vec<usize> = (0..N_LEVELS).filter(|&l| used(model, f, l)).collect();
    let total: f64 = levels.iter().map(|&l| counts[l]).sum();
    let prior_total: f64 = levels.iter().map(|&l| prior[l]).sum();
    for &l in &levels {
        out[l] = (counts[l] + PRIOR_PAIRS * prior[l] / prior_total) / (total + PRIOR_PAIRS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::types::Field;

    fn p(id: &str, first: &str, last: &str, email: &str) -> Person {
        Person {
            id: id.into(),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            email: Some(email.into()),
            ..Person::default()
        }
    }

    #[test]
    fn estimates_stay_probabilities_and_keep_signs() {
        let records: Vec<Person> = (0..400)
            .map(|i| {
                p(
                    &format!("r{i}"),
                    "Anna",
                    &format!("Name{i}"),
                    &format!("a{i}@x{i}.com"),
                )
            })
            .collect();
        let profiles: Vec<Person> = (0..300)
            .map(|i| {
                p(
                    &format!("p{i}"),
                    "Anna",
                    &format!("Name{i}"),
                    &format!("a{i}@x{i}.com"),
                )
            })
            .collect();
        let idx = MatchIndex::build(&records);
        let m = estimate(&idx, &profiles, 5);
        for f in 0..N_FIELDS {
            for l in 0..N_LEVELS {
                assert!(m.m[f][l] > 0.0 && m.m[f][l] <= 1.0 && m.u[f][l] > 0.0 && m.u[f][l] <= 1.0);
            }
        }
        assert!(m.weight(Field::Email, Level::Exact, None) > 0.0);
        assert!(m.weight(Field::LastName, Level::Disagree, None) < 0.0);
        assert_eq!(m.match_rate, Model::default().match_rate);
    }

    #[test]
    fn a_tiny_crm_keeps_the_defaults() {
        let records = vec![p("r1", "Anna", "Lee", "a@x.com")];
        let idx = MatchIndex::build(&records);
        assert_eq!(estimate(&idx, &records, 5), idx.model);
    }

    /// A CRM whose surnames are typed carelessly: a typo is then weak evidence
    /// against a match, and EM learns it from the data without labels.
    #[test]
    fn careless_surnames_are_learned() {
        let person = |id: String, first: &str, last: String, city: &str| Person {
            id,
            first_name: Some(first.into()),
            last_name: Some(last),
            city: Some(city.into()),
            ..Person::default()
        };
        let surnames = [
            "harrington",
            "mccarthy",
            "fitzgerald",
            "sondergeld",
            "efthimiou",
            "kimmonth",
            "trevorrow",
            "lombardi",
            "stephenson",
            "bradshaw",
            "quilliam",
            "alderson",
            "hoffmann",
            "kolodina",
            "pringle",
            "sheppard",
            "weinberg",
            "castellano",
            "drummond",
            "oyelaran",
            "nakamura",
            "villeneuve",
            "abernethy",
            "rosenthal",
            "galbraith",
            "moreau",
            "petrakis",
            "lindqvist",
            "okonkwo",
            "delacroix",
        ];
        let cities = ["bondi", "perth", "manly", "kew", "ryde", "tuart hill"];
        let firsts = [
            "sam", "ana", "omar", "eva", "ivan", "noa", "kai", "rui", "zoe", "lea",
        ];
        let people = |typo: bool| -> Vec<Person> {
            let mut out = Vec::new();
            for (i, s) in surnames.iter().enumerate() {
                for (j, first) in firsts.iter().enumerate() {
                    // Every profile has its record's surname with one letter dropped.
                    let (id, last) = match typo {
                        true => (format!("p{i}-{j}"), format!("{}{}", &s[..3], &s[4..])),
                        false => (format!("r{i}-{j}"), s.to_string()),
                    };
                    out.push(person(id, first, last, cities[(i + j) % 6]));
                }
            }
            out
        };
        let (records, profiles) = (people(false), people(true));
        let mut idx = MatchIndex::build(&records);
        let before = idx.model.weight(Field::LastName, Level::Fuzzy, None);
        idx.model = estimate(&idx, &profiles, 10);
        let after = idx.best(&profiles[7], &Default::default());
        let fuzzy = Level::Fuzzy.index();
        let last = Field::LastName as usize;
        assert!(idx.model.m[last][fuzzy] > 0.5, "{:?}", idx.model.m[last]);
        let learned = idx.model.weight(Field::LastName, Level::Fuzzy, None);
        assert!(learned > before + 0.5, "{before} → {learned}");
        assert_eq!(after.record_id.as_deref(), Some("r0-7"));
        assert_eq!(after.level, crate::matching::MatchLevel::Match);
    }
}
