//! Unsupervised re-estimation of the model on the user's own data.
//!
//! u comes from random profile/record pairs (almost all are different people).
//! m and the match rate come from expectation–maximisation over the blocked
//! candidates, where the E-step is the engine's own posterior: term
//! frequencies and "at most one record per profile" keep EM from drifting
//! into a cluster of look-alikes, the usual failure of plain EM on blocked
//! pairs. Estimates are smoothed toward the current model so a small CRM
//! cannot push a cell to zero.

use super::compare::compare;
use super::features::Features;
use super::index::MatchIndex;
use super::model::Model;
use super::types::{Level, Person, N_FIELDS, N_LEVELS};

/// Weight of the current model in each cell, as pseudo-observations.
const PRIOR_PAIRS: f64 = 20.0;
const RANDOM_PAIRS: usize = 20_000;

/// A re-estimated copy of `index.model` (thresholds are kept).
pub fn estimate(index: &MatchIndex, profiles: &[Person], iterations: usize) -> Model {
    let mut model = index.model.clone();
    if index.is_empty() || profiles.is_empty() {
        return model;
    }
    let feats: Vec<Features> = profiles.iter().map(Features::of).collect();
    model.u = estimate_u(index, &feats, &model);
    let cands: Vec<Vec<u32>> = feats.iter().map(|f| index.candidates_of(f)).collect();
    for _ in 0..iterations {
        let mut counts = [[0.0; N_LEVELS]; N_FIELDS];
        let mut matched = 0.0;
        for (f, c) in feats.iter().zip(&cands) {
            for (g, levels) in index.posteriors_with(&model, f, c) {
                matched += g;
                for (field, level) in levels.iter().enumerate() {
                    counts[field][level.index()] += g;
                }
            }
        }
        let current = model.clone();
        for (field, row) in counts.iter().enumerate() {
            normalise(&mut model.m[field], row, &current, field, &current.m[field]);
        }
        model.match_rate = (matched / feats.len() as f64).clamp(0.05, 0.95);
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
        let records: Vec<Person> = (0..50)
            .map(|i| {
                p(
                    &format!("r{i}"),
                    "Anna",
                    &format!("Name{i}"),
                    &format!("a{i}@x{i}.com"),
                )
            })
            .collect();
        let profiles: Vec<Person> = (0..40)
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
        assert!(
            m.match_rate > 0.5,
            "40 of 40 profiles have a record: {}",
            m.match_rate
        );
    }
}
