//! `cargo xtask test`: every check, in order, each counted; a summary line at the end.
//! All stages run even when one fails, so one run shows everything that is wrong.

mod counts;
mod types;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::browsers::{geckodriver, CHROMEDRIVER, CHROMIUM, FIREFOX};
use crate::cmd::{root, Result};
use crate::emulator::Emulator;
use crate::setup::{PYTHON_REQUIREMENTS, PYTHON_VENV};
use crate::{build, dist};
use counts::{run_counted, Counts};

struct Report {
    rows: Vec<(String, Counts, f32)>,
}

impl Report {
    fn stage(&mut self, name: &str, f: impl FnOnce() -> Counts) {
        println!("\n=== {name}");
        let started = Instant::now();
        let counts = f();
        self.rows
            .push((name.to_string(), counts, started.elapsed().as_secs_f32()));
    }

    fn check(&mut self, name: &str, f: impl FnOnce() -> Result<()>) {
        self.stage(name, || match f() {
            Ok(()) => Counts::one(true),
            Err(e) => {
                eprintln!("{name}: {e}");
                Counts::one(false)
            }
        });
    }

    fn print(&self) -> Counts {
        println!("\n=== summary");
        let mut total = Counts::default();
        for (name, c, secs) in &self.rows {
            let mark = if c.ok() { "ok  " } else { "FAIL" };
            println!(
                "{mark} {name:<34} {:>4} passed {:>3} failed {secs:>7.1} s",
                c.passed, c.failed
            );
            total.add(c);
        }
        total
    }
}

pub fn run(args: &[String]) -> Result<()> {
    let started = Instant::now();
    let only_e2e = args.iter().any(|a| a == "--e2e");
    // `--only a,b`: just the end-to-end files whose names contain one of these words.
    let only: Vec<String> = args
        .iter()
        .skip_while(|a| *a != "--only")
        .nth(1)
        .map(|words| words.split(',').map(String::from).collect())
        .unwrap_or_default();
    let mut report = Report { rows: Vec::new() };
    if !only_e2e {
        rust_checks(&mut report);
        wasm_browser_tests(&mut report);
    }
    let mut built = Err(String::from("not built"));
    report.check("extension build", || {
        built = build::run();
        built.as_ref().map(drop).map_err(Clone::clone)
    });
    if let Ok(built) = &built {
        report.check("web-ext lint (Firefox package)", || {
            dist::lint_firefox(&built.firefox)
        });
        report.check("eslint (extension and test JS)", types::eslint);
        report.check(
            "TypeScript: extension JS against the core's types",
            types::extension,
        );
        report.check("TypeScript: each generated name once", types::unique_names);
        report.check("TypeScript: a matching shape passes", types::matching_shape);
        report.check(
            "TypeScript: a misspelt field fails",
            types::mismatched_shape,
        );
        report.stage("extension JS unit tests", || {
            let mut command = Command::new("node");
            command.arg("--test").arg(root().join("tests/js"));
            run_counted(&mut command)
        });
    }
    match Emulator::start() {
        Ok(emulator) => {
            client_checks(&mut report, &emulator);
            if built.is_ok() {
                report.stage("end-to-end (Chromium, Firefox)", || {
                    e2e_tests(&emulator, &only)
                });
            }
        }
        Err(e) => report.check("emulator start", || Err(e)),
    }
    let total = report.print();
    println!("took {:.0} s", started.elapsed().as_secs_f32());
    println!("summary: {} passed, {} failed", total.passed, total.failed);
    if total.ok() {
        Ok(())
    } else {
        Err(format!("{} check(s) failed", total.failed))
    }
}

fn rust_checks(report: &mut Report) {
    report.stage("cargo fmt --check", || {
        run_counted(Command::new("cargo").args(["fmt", "--all", "--", "--check"])).as_check()
    });
    report.stage("cargo clippy -D warnings", || {
        let args = [
            "clippy",
            "-q",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ];
        run_counted(Command::new("cargo").args(args)).as_check()
    });
    // The UI and the wasm boundary exist only on wasm32: lint them there too.
    report.stage("cargo clippy -D warnings (wasm32)", || {
        let args = [
            "clippy",
            "-q",
            "-p",
            "crmsync",
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
            "--test",
            "browser",
            "--",
            "-D",
            "warnings",
        ];
        run_counted(Command::new("cargo").args(args)).as_check()
    });
    report.stage("Rust unit and integration tests", || {
        run_counted(Command::new("cargo").args(["test", "--workspace"]))
    });
}

/// The wasm-bindgen tests, once per browser, through their WebDriver.
fn wasm_browser_tests(report: &mut Report) {
    let target = root().join("target");
    let chrome_caps = target.join("webdriver-chromium.json");
    let firefox_caps = target.join("webdriver-firefox.json");
    let chrome = format!(
        r#"{{"goog:chromeOptions":{{"binary":"{CHROMIUM}","args":["--headless=new","--no-sandbox","--disable-gpu","--disable-dev-shm-usage"]}}}}"#
    );
    let firefox =
        format!(r#"{{"moz:firefoxOptions":{{"binary":"{FIREFOX}","args":["-headless"]}}}}"#);
    let written = std::fs::create_dir_all(&target)
        .and_then(|_| std::fs::write(&chrome_caps, chrome))
        .and_then(|_| std::fs::write(&firefox_caps, firefox));
    if let Err(e) = written {
        report.check("wasm tests", || Err(e.to_string()));
        return;
    }
    let runs = [
        (
            "wasm tests in Chromium",
            "CHROMEDRIVER",
            CHROMEDRIVER.to_string(),
            &chrome_caps,
        ),
        (
            "wasm tests in Firefox",
            "GECKODRIVER",
            geckodriver(),
            &firefox_caps,
        ),
    ];
    for (name, driver_var, driver, caps) in runs {
        report.stage(name, || {
            let mut command = Command::new("cargo");
            command
                .args([
                    "test",
                    "-p",
                    "crmsync",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--test",
                    "browser",
                ])
                .env(
                    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                    crate::cmd::cargo_bin("wasm-bindgen-test-runner"),
                )
                .env(driver_var, driver)
                .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", caps);
            run_counted(&mut command)
        });
    }
}

/// Real CRM client libraries against the emulator (present once the emulator grows them).
fn client_checks(report: &mut Report, emulator: &Emulator) {
    let clients = root().join("tests/clients");
    if clients.join("package.json").exists() {
        report.stage("clients: jsforce, dynamics-web-api", || {
            node_tests(emulator, &clients)
        });
    }
    if root().join(PYTHON_REQUIREMENTS).exists() {
        report.stage("clients: simple-salesforce", || {
            let python = root().join(PYTHON_VENV).join("bin/python");
            let mut command = Command::new(python);
            command
                .args(["-m", "pytest", "-q", "tests/clients"])
                .envs(emulator.env());
            run_counted(&mut command)
        });
    }
}

/// Every end-to-end file, or those whose names contain one of `only`. The resilience test
/// also needs the test-trap build (`build::run_test_trap`).
fn e2e_tests(emulator: &Emulator, only: &[String]) -> Counts {
    let dir = root().join("tests/e2e");
    let needs_trap_build =
        only.is_empty() || only.iter().any(|w| "resilience".contains(w.as_str()));
    if needs_trap_build {
        if let Err(e) = crate::build::run_test_trap() {
            eprintln!("test-trap build failed: {e}");
            return Counts::one(false);
        }
    }
    if only.is_empty() {
        return node_tests(emulator, &dir);
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(".test.mjs") && only.iter().any(|w| name.contains(w.as_str()))
        })
        .collect();
    files.sort();
    let mut command = Command::new("node");
    command
        .arg("--test")
        .arg("--test-concurrency=1")
        .args(files)
        .envs(emulator.env());
    run_counted(&mut command)
}

fn node_tests(emulator: &Emulator, dir: &Path) -> Counts {
    let mut command = Command::new("node");
    command
        .arg("--test")
        .arg("--test-concurrency=1")
        .arg(dir)
        .envs(emulator.env());
    run_counted(&mut command)
}
