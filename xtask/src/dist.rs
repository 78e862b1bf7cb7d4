//! `cargo xtask dist`: zips both unpacked extensions and lints the Firefox one with web-ext.

use crate::build;
use crate::cmd::{exec, npm_bin, root, Result};

pub fn run() -> Result<()> {
    let built = build::run()?;
    let artifacts = root().join("dist");
    for (dir, name) in [(&built.chrome, "chrome"), (&built.firefox, "firefox")] {
        exec(
            &npm_bin("web-ext"),
            &[
                "build",
                "--source-dir",
                &dir.to_string_lossy(),
                "--artifacts-dir",
                &artifacts.to_string_lossy(),
                "--filename",
                &format!("crmsync-{name}.zip"),
                "--overwrite-dest",
            ],
        )?;
    }
    lint_firefox(&built.firefox)?;
    println!(
        "dist: {}/crmsync-chrome.zip and crmsync-firefox.zip",
        artifacts.display()
    );
    Ok(())
}

/// web-ext lint must report no errors (warnings are printed for the reader).
pub fn lint_firefox(dir: &std::path::Path) -> Result<()> {
    exec(
        &npm_bin("web-ext"),
        &[
            "lint",
            "--source-dir",
            &dir.to_string_lossy(),
            "--self-hosted",
        ],
    )
}
