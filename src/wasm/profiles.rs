//! Profile functions for the JS background: a member page's profile key (the import,
//! captures and manual entry are the background core's, `src/background/profiles.rs`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = profileKeyOfUrl)]
pub fn profile_key_of_url(url: &str) -> Option<String> {
    crate::profiles::key_of_url(url)
}
