//! eslint, and the type check of the boundary: every extension JS file against the declarations the
//! build generates from the Rust core, and proof that the check bites (a file reading a
//! field the core does not send must be refused), and that every generated type name is
//! declared once (TypeScript merges two `interface`s of one name into a shape neither side
//! sends, and the check would pass what the core never reads).

use std::collections::BTreeSet;
use std::fs;
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

/// Every interface, type, class and enum the build generated into target/ts/pkg is declared
/// once in its file.
pub fn unique_names() -> Result<()> {
    let types = root().join("target/ts/pkg");
    let files = fs::read_dir(&types).map_err(|e| format!("{}: {e}", types.display()))?;
    let mut twice = Vec::new();
    for file in files {
        let path = file.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "ts") {
            let text = fs::read_to_string(&path).map_err(|e| e.to_string())?;
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            twice.extend(
                declared_twice(&text)
                    .into_iter()
                    .map(|n| format!("{name}: {n}")),
            );
        }
    }
    if twice.is_empty() {
        Ok(())
    } else {
        Err(format!("declared more than once: {}", twice.join(", ")))
    }
}

/// The names a declaration file declares at its top level more than once.
fn declared_twice(text: &str) -> Vec<String> {
    const KINDS: [&str; 4] = ["interface", "type", "class", "enum"];
    let mut seen = BTreeSet::new();
    let mut twice = BTreeSet::new();
    for line in text.lines() {
        let line = line.strip_prefix("export ").unwrap_or(line);
        let line = line.strip_prefix("declare ").unwrap_or(line);
        let Some((kind, rest)) = line.split_once(' ') else {
            continue;
        };
        if !KINDS.contains(&kind) {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
            .collect();
        if !name.is_empty() && !seen.insert(name.clone()) {
            twice.insert(name);
        }
    }
    twice.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::declared_twice;

    #[test]
    fn a_name_declared_twice_is_found_once_and_members_are_not_declarations() {
        let text = "export interface Entry {\n    type: Kind;\n}\n\
                    export type Source = \"a\" | \"b\";\n\
                    export interface Entry {\n    item: Item;\n}\n\
                    export class Background {\n}\n\
                    export type Source = \"c\";\n\
                    export interface Entry {}\n";
        assert_eq!(declared_twice(text), ["Entry", "Source"]);
    }

    #[test]
    fn distinct_names_pass() {
        let text = "export interface HistoryEntry {}\nexport interface OutboxEntry {}\n\
                    declare class Background {}\ntype InitInput = string;\n";
        assert!(declared_twice(text).is_empty());
    }
}
