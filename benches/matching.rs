//! Native benchmarks of the matching engine: `cargo bench --bench matching`.
//!
//! Criterion times index build (100,000 records), a single query, the binary
//! round trip and the `crm-match` workload (4,000 × 5,000) in-process; the
//! query latency percentiles are printed separately because criterion reports
//! means. The same workload runs in wasm in `tests/matching_wasm_bench.rs`.

#[path = "../tests/matching_gen/mod.rs"]
mod matching_gen;

use std::hint::black_box;
use std::time::Instant;

use criterion::Criterion;
use crmsync::matching::{MatchIndex, Overrides};

/// Query latency percentiles. Each profile is queried 3 times in a row: the
/// first run is the headline (cold caches, as in the browser); the minimum of
/// the three is the warm-cache latency, also free of preemption noise.
fn percentiles(index: &MatchIndex, profiles: &[crmsync::matching::Person]) {
    let time = |p| {
        let t = Instant::now();
        black_box(index.best(p, &Overrides::default()));
        t.elapsed().as_secs_f64() * 1e6
    };
    let runs: Vec<[f64; 3]> = profiles
        .iter()
        .map(|p| [time(p), time(p), time(p)])
        .collect();
    let report = |label: &str, mut micros: Vec<f64>| {
        micros.sort_by(f64::total_cmp);
        let at = |q: f64| micros[((micros.len() - 1) as f64 * q) as usize];
        println!(
            "native query against {} records ({label}): p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
            index.len(),
            at(0.5),
            at(0.99),
            at(1.0)
        );
    };
    report("first run", runs.iter().map(|r| r[0]).collect());
    report(
        "best of 3",
        runs.iter()
            .map(|r| r.iter().copied().fold(f64::INFINITY, f64::min))
            .collect(),
    );
}

/// Accuracy and reliability table of a fitted index on each labelled set (Febrl
/// only when `cargo xtask setup` has fetched it).
fn accuracy() {
    let held_out = |name: &str| {
        let path = format!("{}/tests/data/matching/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap_or_default()
    };
    let people = |name: &str| {
        crmsync::matching::csv_input::read_people(held_out(name).as_bytes()).unwrap_or_default()
    };
    let dev = matching_gen::generate(1, 5000, 4000);
    let mut sets = vec![
        ("dev", dev.records, dev.profiles, dev.truth),
        (
            "held-out",
            people("records.csv"),
            people("profiles.csv"),
            matching_gen::parse_truth(&held_out("truth.csv")),
        ),
    ];
    for (name, file) in [("febrl1", "dataset1.csv"), ("febrl2", "dataset2.csv")] {
        if matching_gen::febrl::path(file).exists() {
            let d = matching_gen::febrl::load(file);
            sets.push((name, d.records, d.profiles, d.truth));
        }
    }
    for (name, records, profiles, truth) in sets {
        let mut index = MatchIndex::build(&records);
        index.fit(&profiles);
        matching_gen::eval::print(
            name,
            &matching_gen::eval::evaluate(&index, &profiles, &truth),
        );
    }
}

/// The model's fit on the profiles, and an update in place after 50 edited records
/// (what an incremental sync does) against the full build above.
fn in_place(index: &MatchIndex, org: &matching_gen::Dataset) {
    let mut fitted = index.clone();
    let t = Instant::now();
    fitted.fit(&org.profiles);
    println!(
        "native fit on {} profiles against {} records: {:.0} ms",
        org.profiles.len(),
        index.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let changed: Vec<_> = org.records[..50]
        .iter()
        .map(|r| crmsync::matching::Person {
            title: Some("Changed for the bench".into()),
            ..r.clone()
        })
        .collect();
    // The extension updates the fitted index of its last full build.
    let mut updated = fitted.clone();
    let t = Instant::now();
    let keys = updated.update(&changed, &[]);
    let concerned = org
        .profiles
        .iter()
        .filter(|p| keys.concern(&updated, p))
        .count();
    println!(
        "native update in place of 50 records in {}: {:.0} ms, {concerned} of {} profiles to match again",
        index.len(),
        t.elapsed().as_secs_f64() * 1e3,
        org.profiles.len()
    );
}

fn main() {
    let quick = std::env::var_os("MATCHING_STATS_ONLY").is_some();
    accuracy();
    let mut c = Criterion::default().sample_size(10).configure_from_args();
    let big = matching_gen::generate(3, 100_000, 2_000);
    let t = Instant::now();
    let index = MatchIndex::build(&big.records);
    println!(
        "native build of 100,000 records: {:.0} ms (single run)",
        t.elapsed().as_secs_f64() * 1e3
    );
    percentiles(&index, &big.profiles);
    in_place(&index, &big);
    let mut counts: Vec<usize> = big
        .profiles
        .iter()
        .map(|p| index.candidate_count(p))
        .collect();
    counts.sort_unstable();
    println!(
        "candidates per query: mean {:.0}, p50 {}, p99 {}, max {}",
        counts.iter().sum::<usize>() as f64 / counts.len() as f64,
        counts[counts.len() / 2],
        counts[counts.len() * 99 / 100],
        counts[counts.len() - 1]
    );
    let bytes = index.to_bytes();
    println!(
        "index bytes for 100,000 records: {:.1} MiB",
        bytes.len() as f64 / 1048576.0
    );

    if quick {
        return;
    }
    c.bench_function("build_100k", |b| {
        b.iter(|| MatchIndex::build(black_box(&big.records)))
    });
    let mut i = 0;
    c.bench_function("query_100k", |b| {
        b.iter(|| {
            i = (i + 1) % big.profiles.len();
            index.best(black_box(&big.profiles[i]), &Overrides::default())
        })
    });
    c.bench_function("from_bytes_100k", |b| {
        b.iter(|| MatchIndex::from_bytes(black_box(&bytes)).unwrap())
    });

    let small = matching_gen::generate(2, 5_000, 4_000);
    c.bench_function("crm_match_4000x5000", |b| {
        b.iter(|| {
            let index = MatchIndex::build(&small.records);
            small
                .profiles
                .iter()
                .filter(|p| index.query(p).first().is_some_and(|c| c.score >= 0.5))
                .count()
        })
    });
    c.final_summary();
}
