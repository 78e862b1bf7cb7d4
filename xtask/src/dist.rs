//! `cargo xtask dist`: zips both unpacked extensions and lints the Firefox one with web-ext.

use std::fs;
use std::path::{Path, PathBuf};

use crate::build;
use crate::cmd::{exec, npm_bin, root, Result};

/// The Chrome package for the Web Store: the unpacked build without the manifest's `key`
/// (it fixes the id of the unpacked build that tests and policy files name; the store
/// refuses an upload with one and gives the listing its own id).
fn store_copy(chrome: &Path) -> Result<PathBuf> {
    let store = root().join("target/store-chrome");
    if store.exists() {
        fs::remove_dir_all(&store).map_err(|e| format!("cannot clear {}: {e}", store.display()))?;
    }
    build::copy_dir(chrome, &store)?;
    let path = store.join("manifest.json");
    let text = fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let mut manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if let Some(obj) = manifest.as_object_mut() {
        obj.remove("key");
    }
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    fs::write(&path, text).map_err(|e| e.to_string())?;
    Ok(store)
}

pub fn run() -> Result<()> {
    let built = build::run()?;
    let artifacts = root().join("dist");
    let chrome = store_copy(&built.chrome)?;
    for (dir, name) in [(&chrome, "chrome"), (&built.firefox, "firefox")] {
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
