//! End-to-end tests of the `crm-match` binary.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("crm-match-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(d: &Path, profiles: &str, records: &str, extra: &[&str]) -> (bool, String, Option<String>) {
    std::fs::write(d.join("a.csv"), profiles).unwrap();
    std::fs::write(d.join("b.csv"), records).unwrap();
    let out = d.join("pairs.csv");
    let _ = std::fs::remove_file(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_crm-match"))
        .args([
            "--profiles",
            d.join("a.csv").to_str().unwrap(),
            "--records",
            d.join("b.csv").to_str().unwrap(),
        ])
        .args(["--out", out.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        std::fs::read_to_string(&out).ok(),
    )
}

const RECORDS: &str = "id,last_name,first_name,company,email,extra\r\n\
r1,Müller,Robert,Acme GmbH,robert.mueller@acme.de,x\r\n\
r2,Schmidt,Anna,Acme GmbH,anna.schmidt@acme.de,y\r\n\
r3,Dubois,Claire,Globex SA,,z\r\n";

#[test]
fn matches_in_any_column_order_with_crlf() {
    let d = dir("ok");
    let profiles = "full_name,id,company,notes\nBob Mueller,p1,ACME,\n\"Dubois, Claire\",p2,Initech,\nZoe Park,p3,Umbrella,\n";
    let (ok, err, out) = run(&d, profiles, RECORDS, &[]);
    assert!(ok, "{err}");
    let out = out.unwrap();
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows[0], "profile_id,record_id,score");
    assert!(rows.iter().any(|r| r.starts_with("p1,r1,")));
    assert!(rows.iter().any(|r| r.starts_with("p2,r3,")));
    assert!(!rows.iter().any(|r| r.starts_with("p3,")));
    for r in &rows[1..] {
        let score: f64 = r.rsplit(',').next().unwrap().parse().unwrap();
        assert!((0.0..=1.0).contains(&score));
    }
}

#[test]
fn explain_and_threshold() {
    let d = dir("explain");
    let profiles = "id,first_name,last_name,company\np1,Claire,Dubois,Initech\n";
    let (ok, err, out) = run(&d, profiles, RECORDS, &["--explain", "--threshold", "0"]);
    assert!(ok, "{err}");
    let out = out.unwrap();
    assert!(out.starts_with("profile_id,record_id,score,explanation\n"));
    assert!(out.contains("Company changed."), "{out}");
    let (ok, _, out) = run(&d, profiles, RECORDS, &["--threshold", "1"]);
    assert!(ok);
    assert_eq!(out.unwrap().lines().count(), 1);
}

#[test]
fn malformed_input_names_file_and_line_and_writes_nothing() {
    let d = dir("bad");
    let (ok, err, out) = run(&d, "id,full_name\np1,Ann Lee\np1,Bob Ray\n", RECORDS, &[]);
    assert!(!ok);
    assert!(err.contains("a.csv:3: duplicate id"), "{err}");
    assert!(out.is_none());
    let (ok, err, out) = run(&d, "id,full_name\np1,Ann Lee\n", "first_name\nAnn\n", &[]);
    assert!(!ok && out.is_none());
    assert!(err.contains("b.csv:1: missing required column"), "{err}");
    let (ok, err, _) = run(&d, "id,full_name\np1\n", RECORDS, &[]);
    assert!(!ok && err.contains("a.csv:2:"), "{err}");
    let (ok, err, _) = run(&d, "id\n", RECORDS, &["--threshold", "2"]);
    assert!(!ok && err.contains("--threshold"), "{err}");
}

#[test]
fn ids_a_spreadsheet_would_run_are_written_as_text() {
    let d = dir("formula");
    let profiles =
        "id,first_name,last_name,company\n=HYPERLINK(\"https://x.test\"),Anna,Schmidt,Acme GmbH\n";
    let records = RECORDS.replace("r2,", "＝1+2,");
    let (ok, err, out) = run(&d, profiles, &records, &[]);
    assert!(ok, "{err}");
    let out = out.unwrap();
    let row = out.lines().nth(1).unwrap();
    assert!(
        row.starts_with("\"'=HYPERLINK(\"\"https://x.test\"\")\",'＝1+2,"),
        "{out}"
    );
}

#[test]
fn a_lead_and_a_contact_of_one_person_are_both_written() {
    let d = dir("same-person");
    let records = "id,first_name,last_name,company,email\n\
        contact1,Claire,Dubois,Globex SA,claire.dubois@globex.fr\n\
        lead1,Claire,Dubois,,Claire.Dubois@globex.fr\n\
        r3,Anna,Schmidt,Acme GmbH,\n";
    let profiles = "id,full_name,company,email\np1,Claire Dubois,Globex,claire.dubois@globex.fr\n";
    let (ok, err, out) = run(&d, profiles, records, &[]);
    assert!(ok, "{err}");
    let out = out.unwrap();
    assert!(out.lines().any(|r| r.starts_with("p1,contact1,")), "{out}");
    assert!(out.lines().any(|r| r.starts_with("p1,lead1,")), "{out}");
}

#[test]
fn with_the_truth_it_prints_accuracy_and_a_reliability_table() {
    let d = dir("truth");
    std::fs::write(d.join("truth.csv"), "profile_id,record_id\np1,r1\np2,r3\n").unwrap();
    let truth = d.join("truth.csv");
    let profiles = "id,full_name,company\np1,Bob Mueller,ACME\np2,Zoe Park,Umbrella\n";
    let (ok, err, out) = run(&d, profiles, RECORDS, &["--truth", truth.to_str().unwrap()]);
    assert!(ok && out.is_some(), "{err}");
    let o = Command::new(env!("CARGO_BIN_EXE_crm-match"))
        .args(["--profiles", d.join("a.csv").to_str().unwrap()])
        .args(["--records", d.join("b.csv").to_str().unwrap()])
        .args(["--out", d.join("pairs.csv").to_str().unwrap()])
        .args(["--truth", truth.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("precision 1.0000 recall 0.5000"),
        "{stdout}"
    );
    assert!(stdout.contains("expected calibration error"), "{stdout}");
}
