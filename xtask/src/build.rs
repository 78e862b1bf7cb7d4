//! `cargo xtask build`: release wasm -> wasm-bindgen (--target web) -> wasm-opt (-Oz; -O3 for the rare module) -> the
//! unpacked extension for each browser, from the one manifest.json (its CRM hosts from the
//! core's host table, `src/crm/host_table.rs`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cmd::{cargo_bin, exec, npm_bin, root, Result};

// The core's DOM selectors, included rather than depended on (as manifest.rs includes the
// host table): the content scripts read them as content/page-dom.js.
#[allow(dead_code)] // the table's types only the core's declarations name
#[path = "../../src/page_dom.rs"]
mod page_dom;

/// Where the build writes content/page-dom.js for tests/js, which read what the extension ships.
pub const PAGE_DOM_SCRIPT: &str = "target/content/page-dom.js";

pub struct Built {
    pub chrome: PathBuf,
    pub firefox: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    Chrome,
    Firefox,
}

impl Browser {
    pub fn dir_name(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Firefox => "firefox",
        }
    }
}

/// The three wasm modules: the background's, its rare work's (loaded on demand,
/// src/background/rare.rs) and the pages' (panel, options, Unresolved Activities, audit),
/// each with only the code its side runs (Cargo features of crmsync).
pub const MODULES: [(&str, &str); 3] = [
    ("crmsync", "background"),
    ("crmsync_rare", "rare"),
    ("crmsync_ui", "ui"),
];

pub fn run() -> Result<Built> {
    let pkg = root().join("target/wasm-pkg");
    for (name, feature) in MODULES {
        build_wasm(&pkg, name, feature)?;
        report_size(name, &pkg.join(format!("{name}_bg.wasm")))?;
        publish_declarations(&pkg, name)?;
    }
    write_page_dom(&root().join(PAGE_DOM_SCRIPT))?;
    let chrome = assemble(Browser::Chrome, &pkg, &root().join("dist"))?;
    let firefox = assemble(Browser::Firefox, &pkg, &root().join("dist"))?;
    println!("build: {} and {}", chrome.display(), firefox.display());
    Ok(Built { chrome, firefox })
}

/// A test build, never packaged: both background modules with the `test-trap` feature (a
/// message naming `crmsync-test-trap` panics) and the pages' module of [`run`], in
/// dist/test-trap/<browser>, for tests/e2e/resilience.test.mjs. Run after [`run`].
pub fn run_test_trap() -> Result<Built> {
    let shipped = root().join("target/wasm-pkg");
    let pkg = root().join("target/wasm-pkg-test-trap");
    build_wasm(&pkg, "crmsync", "background,test-trap")?;
    build_wasm(&pkg, "crmsync_rare", "rare,test-trap")?;
    for file in ["crmsync_ui.js", "crmsync_ui_bg.wasm"] {
        fs::copy(shipped.join(file), pkg.join(file)).map_err(|e| format!("copy {file}: {e}"))?;
    }
    let out = root().join("dist/test-trap");
    let chrome = assemble(Browser::Chrome, &pkg, &out)?;
    let firefox = assemble(Browser::Firefox, &pkg, &out)?;
    println!(
        "build: test-trap {} and {}",
        chrome.display(),
        firefox.display()
    );
    Ok(Built { chrome, firefox })
}

/// The rare module does the heavy work (syncs, matching, imports) and is loaded on demand:
/// it is optimised for speed (Cargo profile `wasm-rare`), the others for size.
fn profile_of(name: &str) -> (&'static str, &'static str) {
    if name == "crmsync_rare" {
        ("wasm-rare", "-O3")
    } else {
        ("release", "-Oz")
    }
}

fn build_wasm(pkg: &Path, name: &str, features: &str) -> Result<()> {
    let (profile, wasm_opt) = profile_of(name);
    exec(
        "cargo",
        &[
            "build",
            "-q",
            "-p",
            "crmsync",
            "--lib",
            "--profile",
            profile,
            "--target",
            "wasm32-unknown-unknown",
            "--no-default-features",
            "--features",
            features,
        ],
    )?;
    let input = root().join(format!(
        "target/wasm32-unknown-unknown/{profile}/crmsync.wasm"
    ));
    exec(
        &cargo_bin("wasm-bindgen"),
        &[
            &input.to_string_lossy(),
            "--target",
            "web",
            // `__wbg_reset_state`: a fresh instance after a trap (extension/wasm-guard.js).
            "--experimental-reset-state-function",
            "--out-name",
            name,
            "--out-dir",
            &pkg.to_string_lossy(),
        ],
    )?;
    // binaryen from npm: Debian's wasm-opt 108 emits modules that fail to load (DESIGN.md).
    let wasm = pkg
        .join(format!("{name}_bg.wasm"))
        .to_string_lossy()
        .into_owned();
    exec(&npm_bin("wasm-opt"), &[wasm_opt, &wasm, "-o", &wasm])
}

/// The declarations generated from Rust, where tsconfig.json's rootDirs finds them as the
/// extension's own `pkg/<name>.js` (they are not shipped).
fn publish_declarations(pkg: &Path, name: &str) -> Result<()> {
    let types = root().join("target/ts/pkg");
    fs::create_dir_all(&types).map_err(|e| e.to_string())?;
    let declarations = format!("{name}.d.ts");
    let text = fs::read_to_string(pkg.join(&declarations))
        .map_err(|e| format!("read {declarations}: {e}"))?;
    let twice = declared_twice(&text);
    if !twice.is_empty() {
        return Err(format!(
            "{declarations} declares {} twice: TypeScript merges two interfaces of one name \
             silently, so a field misspelt between them would pass; give the Rust types distinct names",
            twice.join(", ")
        ));
    }
    fs::write(types.join(&declarations), text).map_err(|e| format!("write {declarations}: {e}"))
}

/// The interface and type names declared more than once in a declaration file.
fn declared_twice(declarations: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for line in declarations.lines() {
        let line = line.trim_start();
        let line = line.strip_prefix("export ").unwrap_or(line);
        let line = line.strip_prefix("declare ").unwrap_or(line);
        let Some(rest) = line
            .strip_prefix("interface ")
            .or_else(|| line.strip_prefix("type "))
        else {
            continue;
        };
        let name = rest
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .next()
            .unwrap_or("");
        if !name.is_empty() {
            *seen.entry(name).or_default() += 1;
        }
    }
    seen.into_iter()
        .filter(|&(_, count)| count > 1)
        .map(|(name, _)| name.to_owned())
        .collect()
}

fn report_size(name: &str, wasm: &Path) -> Result<()> {
    let bytes = fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes).map_err(|e| e.to_string())?;
    let gzipped = gz.finish().map_err(|e| e.to_string())?.len();
    println!(
        "build: wasm {name}: {:.1} KiB raw, {:.1} KiB gzip",
        bytes.len() as f64 / 1024.0,
        gzipped as f64 / 1024.0
    );
    Ok(())
}

/// <dist>/<browser>: extension/ + the wasm package + the manifest as that browser needs it.
fn assemble(browser: Browser, pkg: &Path, dist: &Path) -> Result<PathBuf> {
    let out = dist.join(browser.dir_name());
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    copy_dir(&root().join("extension"), &out)?;
    let out_pkg = out.join("pkg");
    fs::create_dir_all(&out_pkg).map_err(|e| e.to_string())?;
    for (name, _) in MODULES {
        for file in [format!("{name}.js"), format!("{name}_bg.wasm")] {
            fs::copy(pkg.join(&file), out_pkg.join(&file))
                .map_err(|e| format!("copy {file}: {e}"))?;
        }
    }
    vendor(&out)?;
    write_page_dom(&out.join("content/page-dom.js"))?;
    let manifest = fs::read_to_string(root().join("manifest.json")).map_err(|e| e.to_string())?;
    let mut manifest: Value =
        serde_json::from_str(&manifest).map_err(|e| format!("manifest.json: {e}"))?;
    crate::manifest::with_table_hosts(&mut manifest)?;
    adjust_manifest(browser, &mut manifest);
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    fs::write(out.join("manifest.json"), text).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The only per-browser differences: Chrome runs the background as a service worker and
/// reports Firefox's keys as errors; Firefox runs it as an event page (`scripts`) and has no
/// use for Chrome's minimum version nor for `key` (which fixes the Chrome extension id that
/// browser policy names; Firefox's is `gecko.id`).
pub fn adjust_manifest(browser: Browser, manifest: &mut Value) {
    let Some(obj) = manifest.as_object_mut() else {
        return;
    };
    let background = obj.get_mut("background").and_then(Value::as_object_mut);
    match browser {
        Browser::Chrome => {
            if let Some(bg) = background {
                bg.remove("scripts");
            }
            obj.remove("browser_specific_settings");
        }
        Browser::Firefox => {
            if let Some(bg) = background {
                bg.remove("service_worker");
            }
            obj.remove("minimum_chrome_version");
            obj.remove("key");
        }
    }
}

fn write_page_dom(path: &Path) -> Result<()> {
    fs::create_dir_all(path.parent().expect("page-dom.js has a folder"))
        .map_err(|e| e.to_string())?;
    fs::write(path, page_dom::content_script()).map_err(|e| format!("{}: {e}", path.display()))
}

/// npm packages the extension uses at run time, copied as the single ES modules they ship.
const VENDORED: [(&str, &str); 1] = [("node_modules/idb/build/index.js", "vendor/idb.js")];

fn vendor(out: &Path) -> Result<()> {
    for (from, to) in VENDORED {
        let target = out.join(to);
        fs::create_dir_all(target.parent().expect("vendored file has a folder"))
            .map_err(|e| e.to_string())?;
        fs::copy(root().join(from), &target)
            .map_err(|e| format!("copy {from}: {e} (run `cargo xtask setup`)"))?;
    }
    Ok(())
}

pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).map_err(|e| format!("create {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .map_err(|e| format!("copy {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::declared_twice;

    #[test]
    fn two_interfaces_of_one_name_are_refused() {
        let text = "export interface Problem {\n    code: Code;\n}\nexport type Code = \"a\";\n\
                    export interface Problem {\n    at: string;\n}\nexport interface Entry<T> { x: T }\n";
        assert_eq!(declared_twice(text), ["Problem"]);
    }

    #[test]
    fn distinct_names_pass() {
        let text = "export interface OrgStatus { a: string }\nexport interface OrgSyncStatus { b: string }\n";
        assert!(declared_twice(text).is_empty());
    }
}
