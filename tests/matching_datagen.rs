//! Regenerates the committed held-out set:
//! `cargo test --release --test matching_datagen -- --ignored`.

#![cfg(not(target_arch = "wasm32"))]

mod matching_gen;

use matching_gen::{generate, to_csv, truth_csv, PROFILE_COLUMNS, RECORD_COLUMNS};

const HELD_OUT_SEED: u64 = 2;

fn files() -> [(&'static str, String); 3] {
    let d = generate(HELD_OUT_SEED, 5000, 4000);
    [
        ("records.csv", to_csv(&d.records, RECORD_COLUMNS)),
        ("profiles.csv", to_csv(&d.profiles, PROFILE_COLUMNS)),
        ("truth.csv", truth_csv(&d.truth)),
    ]
}

fn dir() -> String {
    format!("{}/tests/data/matching", env!("CARGO_MANIFEST_DIR"))
}

#[test]
#[ignore = "writes tests/data/matching; run by hand after changing the generator"]
fn regenerate_held_out() {
    std::fs::create_dir_all(dir()).unwrap();
    for (name, body) in files() {
        std::fs::write(format!("{}/{name}", dir()), body).unwrap();
    }
}

#[test]
fn committed_files_match_the_generator() {
    for (name, body) in files() {
        let committed = std::fs::read_to_string(format!("{}/{name}", dir())).unwrap();
        assert!(
            committed == body,
            "{name} differs from the generator output: regenerate it"
        );
    }
}

#[test]
fn shape_of_the_dataset() {
    let d = generate(7, 1000, 800);
    assert_eq!(
        (d.records.len(), d.profiles.len(), d.truth.len()),
        (1000, 800, 600)
    );
    let ids: std::collections::HashSet<&str> = d.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), 1000);
}
