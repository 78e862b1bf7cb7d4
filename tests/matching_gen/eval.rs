//! Accuracy and calibration of an index on a labelled set, shared by the accuracy
//! tests and `cargo xtask bench matching`.

use crmsync::matching::reliability::{self, Bin};
use crmsync::matching::{MatchIndex, Person};

pub struct Report {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Each profile's best candidate: its confidence against whether it is the truth.
    pub reliability: Vec<Bin>,
}

impl Report {
    pub fn line(&self, name: &str) -> String {
        format!(
            "{name}: precision {:.4} recall {:.4} F1 {:.4}",
            self.precision, self.recall, self.f1
        )
    }
}

/// Predicted (profile, record) pairs: the top candidate and the other records of
/// the same person, when at or above the threshold.
pub fn predict(index: &MatchIndex, profiles: &[Person]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in profiles {
        let cands = index.query(p);
        let Some(top) = cands.first().map(|c| c.score) else {
            continue;
        };
        if top < index.model.match_threshold {
            continue;
        }
        out.extend(
            cands
                .iter()
                .take_while(|c| c.score == top)
                .map(|c| (p.id.clone(), c.record_id.clone())),
        );
    }
    out
}

pub fn evaluate(index: &MatchIndex, profiles: &[Person], truth: &[(String, String)]) -> Report {
    let (precision, recall, f1) = super::f1(&predict(index, profiles), truth);
    let truth: std::collections::HashSet<(&str, &str)> = truth
        .iter()
        .map(|(p, r)| (p.as_str(), r.as_str()))
        .collect();
    let shown: Vec<(f64, bool)> = profiles
        .iter()
        .filter_map(|p| {
            let top = index.query(p).into_iter().next()?;
            Some((
                top.score,
                truth.contains(&(p.id.as_str(), top.record_id.as_str())),
            ))
        })
        .collect();
    Report {
        precision,
        recall,
        f1,
        reliability: reliability::bins(&shown, 10),
    }
}

pub fn print(name: &str, r: &Report) {
    println!("{}", r.line(name));
    print!("{}", reliability::table(&r.reliability));
}
