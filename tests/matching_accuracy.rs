//! Accuracy floor on the committed held-out set (seed 2) and the generated
//! dev set (seed 1). Weights and thresholds were only ever adjusted against
//! the dev set; the held-out files are the ones `crm-match` is benchmarked on.

#![cfg(not(target_arch = "wasm32"))]

mod matching_gen;

/// Asserted F1 floor: the target (measured values are in docs/matching.md).
const FLOOR: f64 = 0.96;

use crmsync::matching::{MatchIndex, Person};
use matching_gen::{f1, parse_truth};

/// Predicted (profile, record) pairs: the top candidate(s) at or above the threshold.
fn predict(index: &MatchIndex, profiles: &[Person]) -> Vec<(String, String)> {
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

fn read(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/matching/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn held_out_f1_floor() {
    let records =
        crmsync::matching::csv_input::read_people(read("records.csv").as_bytes()).unwrap();
    let profiles =
        crmsync::matching::csv_input::read_people(read("profiles.csv").as_bytes()).unwrap();
    let truth = parse_truth(&read("truth.csv"));
    let index = MatchIndex::build(&records);
    let (p, r, f) = f1(&predict(&index, &profiles), &truth);
    println!("held-out: precision {p:.4} recall {r:.4} F1 {f:.4}");
    assert!(
        f >= FLOOR,
        "held-out F1 {f:.4} below the {FLOOR} floor (precision {p:.4}, recall {r:.4})"
    );
}

#[test]
fn dev_f1_floor() {
    let d = matching_gen::generate(1, 5000, 4000);
    let index = MatchIndex::build(&d.records);
    let (p, r, f) = f1(&predict(&index, &d.profiles), &d.truth);
    println!("dev: precision {p:.4} recall {r:.4} F1 {f:.4}");
    assert!(f >= FLOOR, "dev F1 {f:.4} below the {FLOOR} floor");
}

/// Error analysis on the dev set only: `cargo test --test matching_accuracy dev_errors -- --ignored --nocapture`.
#[test]
#[ignore = "diagnostic output"]
fn dev_errors() {
    let d = matching_gen::generate(1, 5000, 4000);
    let index = MatchIndex::build(&d.records);
    let truth: std::collections::HashMap<&str, &str> = d
        .truth
        .iter()
        .map(|(p, r)| (p.as_str(), r.as_str()))
        .collect();
    let rec: std::collections::HashMap<&str, &Person> =
        d.records.iter().map(|r| (r.id.as_str(), r)).collect();
    let show = |p: &Person| {
        format!(
            "{:?}",
            (
                p.full_name.as_deref(),
                p.first_name.as_deref(),
                p.last_name.as_deref(),
                p.email.as_deref(),
                p.company.as_deref(),
                p.city.as_deref(),
                p.country.as_deref(),
                p.phone.as_deref(),
                p.title.as_deref()
            )
        )
    };
    let (mut fp, mut fn_) = (0, 0);
    let mut by_kind = std::collections::BTreeMap::new();
    for p in &d.profiles {
        let cands = index.query(p);
        let want = truth.get(p.id.as_str()).copied();
        let got = cands
            .first()
            .filter(|c| c.score >= index.model.match_threshold);
        if got.map(|c| c.record_id.as_str()) == want {
            continue;
        }
        let only = std::env::var("KIND").unwrap_or_default();
        if !only.is_empty() && only != d.kinds[&p.id] {
            continue;
        }
        *by_kind.entry((d.kinds[&p.id], got.is_some())).or_insert(0) += 1;
        let kind = if got.is_some() {
            fp += 1;
            "FP"
        } else {
            fn_ += 1;
            "FN"
        };
        if (kind == "FP" && fp > 25) || (kind == "FN" && fn_ > 25) {
            continue;
        }
        println!("{kind} profile {}", show(p));
        if let Some(w) = want {
            let c = cands.iter().find(|c| c.record_id == w);
            println!(
                "   want {} {:?}",
                show(rec[w]),
                c.map(|c| (
                    c.score,
                    c.explanation(0.0, crmsync::matching::MatchSource::Model)
                        .compact()
                ))
            );
        }
        if let Some(g) = got {
            println!(
                "   got  {} {:.3} {}",
                show(rec[g.record_id.as_str()]),
                g.score,
                g.explanation(0.0, crmsync::matching::MatchSource::Model)
                    .compact()
            );
        }
    }
    println!("FP {fp} FN {fn_}");
    println!("errors by (kind, predicted a record): {by_kind:?}");
}

/// F1 after unsupervised EM re-estimation on the set's own profiles and records (no labels used).
fn em_f1(
    records: &[Person],
    profiles: &[Person],
    truth: &[(String, String)],
) -> (f64, f64, f64, crmsync::matching::Model) {
    let index = MatchIndex::build(records);
    let model = crmsync::matching::em::estimate(&index, profiles, 10);
    let index = MatchIndex::build_with(records, model.clone());
    let (p, r, f) = f1(&predict(&index, profiles), truth);
    (p, r, f, model)
}

#[test]
fn held_out_f1_with_em() {
    let records =
        crmsync::matching::csv_input::read_people(read("records.csv").as_bytes()).unwrap();
    let profiles =
        crmsync::matching::csv_input::read_people(read("profiles.csv").as_bytes()).unwrap();
    let truth = parse_truth(&read("truth.csv"));
    let (p, r, f, m) = em_f1(&records, &profiles, &truth);
    println!(
        "held-out with EM: precision {p:.4} recall {r:.4} F1 {f:.4} match_rate {:.3}",
        m.match_rate
    );
    assert!(f >= FLOOR, "held-out F1 with EM {f:.4} below {FLOOR}");
}

#[test]
fn dev_f1_with_em() {
    let d = matching_gen::generate(1, 5000, 4000);
    let (p, r, f, m) = em_f1(&d.records, &d.profiles, &d.truth);
    println!(
        "dev with EM: precision {p:.4} recall {r:.4} F1 {f:.4} match_rate {:.3}",
        m.match_rate
    );
    for field in crmsync::matching::Field::ALL {
        let i = field as usize;
        println!(
            "  {:<12} m {:?}\n  {:<12} u {:?}",
            field.name(),
            m.m[i].map(|x| (x * 1000.0).round() / 1000.0),
            "",
            m.u[i].map(|x| (x * 100000.0).round() / 100000.0)
        );
    }
}

/// Threshold sweep on the dev set only: `cargo test --test matching_accuracy dev_sweep -- --ignored --nocapture`.
#[test]
#[ignore = "diagnostic output"]
fn dev_sweep() {
    let d = matching_gen::generate(1, 5000, 4000);
    let mut index = MatchIndex::build(&d.records);
    for rate in [0.5, 0.6, 0.75] {
        for t in [0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7] {
            index.model.match_threshold = t;
            index.model.match_rate = rate;
            let (p, r, f) = f1(&predict(&index, &d.profiles), &d.truth);
            println!("rate {rate} threshold {t}: precision {p:.4} recall {r:.4} F1 {f:.4}");
        }
    }
}

/// The same dev set with 35% of record-less profiles namesakes (report only).
#[test]
#[ignore = "diagnostic output"]
fn dev_many_namesakes() {
    let d = matching_gen::generate_with(1, 5000, 4000, 35);
    let index = MatchIndex::build(&d.records);
    let (p, r, f) = f1(&predict(&index, &d.profiles), &d.truth);
    println!("dev, 35% namesakes: precision {p:.4} recall {r:.4} F1 {f:.4}");
}
