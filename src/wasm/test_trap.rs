//! Test builds only (Cargo feature `test-trap`): a `getPanel` for a URL that names [`MARKER`]
//! panics in the start module, and an import of a file that names it in the rare module,
//! which under `panic = "abort"` is the wasm trap (`unreachable`) a real bug would be. No
//! input of the shipped core is known to trap, so the recovery test needs this one
//! (tests/e2e/resilience.test.mjs). Only the panel's request traps in the start module, so
//! the content script still mounts the panel that shows the answer.

const MARKER: &str = "crmsync-test-trap";

#[cfg(feature = "background")]
pub fn on_message(json: &str) {
    let message: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let url = message["getPanel"]["url"].as_str().unwrap_or_default();
    if url.contains(MARKER) {
        panic!("test trap: {MARKER}");
    }
}

/// The rare module's trap: an import whose file names [`MARKER`].
#[cfg(feature = "rare")]
pub fn on_rare_message(json: &str) {
    let message: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let text = message["importProfiles"]["text"]
        .as_str()
        .unwrap_or_default();
    if text.contains(MARKER) {
        panic!("test trap: {MARKER}");
    }
}
