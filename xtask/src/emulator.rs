//! Starts the CRM emulator for tests and the demo, and stops it when dropped.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use crate::cmd::{exec, root, Result};

pub struct Emulator {
    child: Child,
    /// `host:port` of the proxy/API listener.
    pub addr: String,
    /// The CA certificate clients must trust.
    pub ca: PathBuf,
}

impl Emulator {
    /// The debug build, for tests (it shares the test build's artifacts).
    pub fn start() -> Result<Emulator> {
        Self::start_with(false)
    }

    /// `release` for benchmarks, so the emulator is not what they measure.
    pub fn start_with(release: bool) -> Result<Emulator> {
        let profile = if release { "release" } else { "debug" };
        let mut build = vec!["build", "-q", "-p", "emulator"];
        if release {
            build.push("--release");
        }
        exec("cargo", &build)?;
        let ca = root().join("target/emulator-ca.pem");
        let log =
            std::fs::File::create(root().join("target/emulator.log")).map_err(|e| e.to_string())?;
        let mut child = Command::new(root().join("target").join(profile).join("emulator"))
            .args(["--addr", "127.0.0.1:0", "--seed", "demo", "--ca-out"])
            .arg(&ca)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start the emulator: {e}"))?;
        let stdout = child.stdout.take().ok_or("emulator has no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let mut addr = None;
        for line in lines.by_ref() {
            let line = line.map_err(|e| e.to_string())?;
            if let Some(a) = line.strip_prefix("proxy ") {
                addr = Some(a.to_string());
            }
            if line.starts_with("ready") {
                break;
            }
        }
        // Keep draining so the emulator never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let addr =
            addr.ok_or("the emulator exited before it was ready (see target/emulator.log)")?;
        Ok(Emulator { child, addr, ca })
    }

    /// Environment for Node scripts and client checks that talk to this emulator.
    pub fn env(&self) -> Vec<(String, String)> {
        let ca = self.ca.to_string_lossy().into_owned();
        vec![
            ("EMULATOR_PROXY".into(), self.addr.clone()),
            ("EMULATOR_URL".into(), format!("https://{}", self.addr)),
            ("EMULATOR_CA".into(), ca.clone()),
            ("NODE_EXTRA_CA_CERTS".into(), ca),
        ]
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
