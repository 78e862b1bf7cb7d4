//! eslint, and the type check of the boundary: every extension JS file against the declarations the
//! build generates from the Rust core, and proof that the check bites (a file reading a
//! field the core does not send must be refused).

use std::process::Command;

use crate::cmd::{npm_bin, root, Result};

const SINGLE_FILE: [&str; 8] = [
    "--noEmit",
    "--allowJs",
    "--checkJs",
    "--skipLibCheck",
    "--target",
    "es2023",
    "--module",
    "es2022",
];

fn tsc(args: &[&str]) -> Result<(bool, String)> {
    let out = Command::new(npm_bin("tsc"))
        .args(args)
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run tsc: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Ok((out.status.success(), text))
}

/// `eslint .` with eslint.config.js: the JavaScript that remains, extension and tests.
pub fn eslint() -> Result<()> {
    let out = Command::new(npm_bin("eslint"))
        .arg(".")
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run eslint: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// `tsc -p tsconfig.json`: the extension's JavaScript.
pub fn extension() -> Result<()> {
    match tsc(&["-p", "tsconfig.json"])? {
        (true, _) => Ok(()),
        (false, errors) => Err(errors),
    }
}

fn file(path: &str) -> Result<(bool, String)> {
    let mut args = SINGLE_FILE.to_vec();
    args.extend(["--moduleResolution", "bundler", path]);
    tsc(&args)
}

/// A file reading the import summary as the core sends it passes.
pub fn matching_shape() -> Result<()> {
    match file("tests/types/skipped-line.js")? {
        (true, _) => Ok(()),
        (false, errors) => Err(errors),
    }
}

/// A file reading `first_line` where the core sends `firstLine` is refused.
pub fn mismatched_shape() -> Result<()> {
    match file("tests/types/shape-mismatch.js")? {
        (false, errors) if errors.contains("first_line") => Ok(()),
        (false, errors) => Err(format!("refused, but not for the field: {errors}")),
        (true, _) => Err("a misspelt field of a generated type passed the type check".into()),
    }
}
