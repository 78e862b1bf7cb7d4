//! Unsupervised re-estimation of the model on the user's own data.
//!
//! u comes from random profile/record pairs (almost all are different people);
//! m and the match rate come from expectation–maximisation over the blocked
//! candidate pairs, the usual split for record linkage because blocked pairs
//! are far from random. Estimates are smoothed toward the current model so a
//! small CRM cannot push a cell to zero.

use super::compare::compare;
use super::features::Features;
use super::index::MatchIndex;
use super::model::Model;
use super::types::{Level, Person, N_FIELDS, N_LEVELS};

/// Weight of the current model in each cell, as pseudo-observations.
const PRIOR_PAIRS: f64 = 20.0;
const RANDOM_PAIRS: usize = 20_000;

type Vector = [Level; N_FIELDS];

/// A re-estimated copy of `index.model` (thresholds are kept).
pub fn estimate(index: &MatchIndex, profiles: &[Person], iterations: usize) -> Model {
    let mut model = index.model.clone();
    if index.is_empty() || profiles.is_empty() {
        return model;
    }
    let feats: Vec<Features> = profiles.iter().map(Features::of).collect();
    model.u = estimate_u(index, &feats, &model);
    let pairs: Vec<Vector> = feats
        .iter()
        .flat_map(|f| {
            index
                .candidates_of(f)
                .into_iter()
                .map(move |r| compare(f, index.features(r)).levels)
        })
        .collect();
    if pairs.is_empty() {
        return model;
    }
    let mut lambda =
        (model.match_rate * feats.len() as f64 / pairs.len() as f64).clamp(1e-3, 0.999);
    for _ in 0..iterations {
        let g: Vec<f64> = pairs.iter().map(|v| posterior(&model, v, lambda)).collect();
        model.m = m_step(&pairs, &g, &model);
        lambda = (g.iter().sum::<f64>() / pairs.len() as f64).clamp(1e-3, 0.999);
    }
    model.match_rate = (lambda * pairs.len() as f64 / feats.len() as f64).clamp(0.05, 0.95);
    model
}

fn posterior(model: &Model, v: &Vector, lambda: f64) -> f64 {
    let mut log_ratio = (lambda / (1.0 - lambda)).log2();
    for (f, level) in v.iter().enumerate() {
        if *level != Level::Missing {
            log_ratio += (model.m[f][level.index()] / model.u[f][level.index()]).log2();
        }
    }
    1.0 / (1.0 + (-log_ratio).exp2())
}

/// Levels a field can take (cells the default model fills in).
fn used(model: &Model, f: usize, l: usize) -> bool {
    l != Level::Missing.index() && (model.m[f][l] != 1.0 || model.u[f][l] != 1.0)
}

fn m_step(pairs: &[Vector], g: &[f64], model: &Model) -> [[f64; N_LEVELS]; N_FIELDS] {
    let mut m = model.m;
    for f in 0..N_FIELDS {
        let mut counts = [0.0; N_LEVELS];
        for (v, w) in pairs.iter().zip(g) {
            counts[v[f].index()] += w;
        }
        normalise(&mut m[f], &counts, model, f, &model.m[f]);
    }
    m
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
        assert!((0.05..=0.95).contains(&m.match_rate));
    }
}
