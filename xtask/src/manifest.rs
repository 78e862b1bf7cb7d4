//! The manifest's CRM hosts come from the core's host table (`src/crm/host_table.rs`), so no
//! host is granted that the core does not read: `cargo xtask manifest` writes them into the
//! committed manifest.json (a core test fails when it drifts), and the build writes them
//! into every dist manifest.

use std::fs;

use serde_json::Value;

use crate::cmd::{root, Result};

// The core's own file, included rather than depended on: xtask needs the table, not the core.
#[allow(dead_code)] // the table's parts only the core reads
#[path = "../../src/crm/host_table.rs"]
mod host_table;

/// Sets the host permissions, CRM content-script matches and panel matches from the table.
pub fn with_table_hosts(manifest: &mut Value) -> Result<()> {
    host_table::write_manifest(manifest)
}

/// `cargo xtask manifest`: rewrites manifest.json's host lists from the table.
pub fn run() -> Result<()> {
    let path = root().join("manifest.json");
    let text = fs::read_to_string(&path).map_err(|e| format!("manifest.json: {e}"))?;
    let mut manifest: Value =
        serde_json::from_str(&text).map_err(|e| format!("manifest.json: {e}"))?;
    with_table_hosts(&mut manifest)?;
    let written = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())? + "\n";
    fs::write(&path, &written).map_err(|e| format!("manifest.json: {e}"))?;
    let granted = manifest["host_permissions"].as_array().map_or(0, Vec::len);
    let changed = if written == text {
        "unchanged"
    } else {
        "rewritten"
    };
    println!("manifest: {changed}, {granted} host permissions from the host table");
    Ok(())
}
