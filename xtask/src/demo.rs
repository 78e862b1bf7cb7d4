//! `cargo xtask demo [--interactive]`: builds the extension, starts the emulator with the demo
//! org, and opens CRM record pages in Chromium; saves screenshots of the panel.

use std::process::Command;

use crate::cmd::{exec_with, root, Result};
use crate::{build, emulator::Emulator};

pub fn run(args: &[String]) -> Result<()> {
    build::run()?;
    let emulator = Emulator::start()?;
    let out = root().join("target/demo");
    let mut command = Command::new("node");
    command
        .arg(root().join("tests/e2e/demo.mjs"))
        .arg("--out")
        .arg(&out)
        .args(args)
        .envs(emulator.env());
    exec_with(&mut command)?;
    println!("demo: screenshots in {}", out.display());
    Ok(())
}
