//! `cargo xtask bench [matching|crm-match|wasm|extension|writeback|admin|badges|day|org-wide]`: the committed benchmarks, one command. With
//! no name, all of them. Numbers print as the tools report them.

use std::process::Command;
use std::time::Instant;

use crate::browsers::CHROMEDRIVER;
use crate::cmd::{cargo_bin, exec, exec_with, root, Result};

pub fn run(args: &[String]) -> Result<()> {
    let all = args.is_empty();
    let wants = |name: &str| all || args.iter().any(|a| a == name);
    if wants("matching") {
        exec("cargo", &["bench", "-p", "crmsync", "--bench", "matching"])?;
    }
    if wants("crm-match") {
        crm_match()?;
    }
    if wants("wasm") {
        wasm_matching()?;
    }
    if wants("extension") {
        node_bench("bench-extension.mjs")?;
    }
    if wants("writeback") {
        node_bench("bench-writeback.mjs")?;
    }
    if wants("admin") {
        node_bench("bench-admin.mjs")?;
    }
    if wants("badges") {
        // The content scripts alone in Chromium: no build, no emulator.
        exec_with(Command::new("node").arg(root().join("tests/e2e/bench-badges.mjs")))?;
    }
    if wants("day") {
        node_bench("bench-day.mjs")?;
    }
    if wants("org-wide") {
        org_wide()?;
    }
    Ok(())
}

/// `crm-match` wall time and peak memory on the committed 4,000 profiles × 5,000 records,
/// then on 100,000 generated profiles × 1,000,000 records (written once to target/scale
/// by `benches/crm_match_data.rs`; `CRM_MATCH_SCALE=PROFILES,RECORDS` sets other sizes).
fn crm_match() -> Result<()> {
    exec("cargo", &["build", "-q", "--release", "--bin", "crm-match"])?;
    let data = root().join("tests/data/matching");
    crm_match_run(&data, "4,000 profiles x 5,000 records")?;
    let (dir, label) = scale_data("CRM_MATCH_SCALE")?;
    crm_match_run(&dir, &label)
}

/// The generated people files of `target/scale/PROFILESxRECORDS` (100,000 × 1,000,000
/// unless the variable `scale` says `PROFILES,RECORDS`), written once by
/// `benches/crm_match_data.rs`; and their label.
fn scale_data(scale: &str) -> Result<(std::path::PathBuf, String)> {
    let sizes = std::env::var(scale).unwrap_or_else(|_| "100000,1000000".into());
    let (profiles, records) = sizes
        .split_once(',')
        .ok_or(format!("{scale} must be PROFILES,RECORDS"))?;
    let dir = root().join(format!("target/scale/{profiles}x{records}"));
    if !dir.join("records.csv").exists() {
        exec_with(
            Command::new("cargo")
                .args([
                    "bench",
                    "-q",
                    "-p",
                    "crmsync",
                    "--bench",
                    "crm_match_data",
                    "--",
                ])
                .args([profiles, records])
                .arg(&dir),
        )?;
    }
    Ok((dir, format!("{profiles} profiles x {records} records")))
}

/// `crm-validate` (release) against a release emulator holding the generated records as
/// Contacts at their companies' Accounts: wall time, peak memory and HTTP requests of an
/// org-wide run, then of a second run with nothing left to change (`ORG_WIDE_SCALE`).
fn org_wide() -> Result<()> {
    exec(
        "cargo",
        &["build", "-q", "--release", "--bin", "crm-validate"],
    )?;
    let (dir, label) = scale_data("ORG_WIDE_SCALE")?;
    let emulator = crate::emulator::Emulator::start_with(true)?;
    exec_with(
        Command::new("node")
            .arg(root().join("tests/e2e/bench-orgwide.mjs"))
            .arg(&dir)
            .arg(root().join("target/release/crm-validate"))
            .arg(label)
            .envs(emulator.env()),
    )
}

fn crm_match_run(data: &std::path::Path, label: &str) -> Result<()> {
    let out = root().join("target/bench-pairs.csv");
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(root().join("target/release/crm-match"))
        .arg("--profiles")
        .arg(data.join("profiles.csv"))
        .arg("--records")
        .arg(data.join("records.csv"))
        .arg("--out")
        .arg(&out)
        .arg("--truth")
        .arg(data.join("truth.csv"))
        .output()
        .map_err(|e| format!("cannot run /usr/bin/time (apt-get install time): {e}"))?;
    let wall = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "crm-match failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let report = String::from_utf8_lossy(&output.stderr);
    let rss_kib: u64 = report
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    print!("{}", String::from_utf8_lossy(&output.stdout));
    println!(
        "bench crm-match: {label}: {:.3} s wall, {:.1} MiB peak RSS",
        wall.as_secs_f64(),
        rss_kib as f64 / 1024.0
    );
    Ok(())
}

/// The extension in Chromium against a release emulator: `bench-extension.mjs` (import,
/// sync, panel latency, requests), `bench-writeback.mjs` (Copy to CRM latency, requests),
/// `bench-admin.mjs` (the admin page's load with 1,000 CRM users, requests per load) or
/// `bench-day.mjs` (the API calls of one seat holder's typical day).
fn node_bench(script: &str) -> Result<()> {
    crate::build::run()?;
    let emulator = crate::emulator::Emulator::start_with(true)?;
    exec_with(
        Command::new("node")
            .arg(root().join("tests/e2e").join(script))
            .envs(emulator.env()),
    )
}

/// The matching workload compiled to wasm, in headless Chromium.
fn wasm_matching() -> Result<()> {
    let caps = root().join("tests/data/matching/webdriver.json");
    exec_with(
        Command::new("cargo")
            .args([
                "test",
                "--release",
                "-p",
                "crmsync",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .args(["--test", "matching_wasm_bench", "--", "--nocapture"])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                cargo_bin("wasm-bindgen-test-runner"),
            )
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", caps),
    )
}
