//! Profile functions for the background: parse, merge, capture, manual entry.

use wasm_bindgen::prelude::*;

use super::convert::{from_js, to_js};
use crate::matching::Person;
use crate::message::ImportFormat;
use crate::profiles::api;
use crate::profiles::capture::PageData;

#[wasm_bindgen(js_name = parseProfiles)]
pub fn parse_profiles(format: JsValue, text: &str) -> Result<JsValue, JsError> {
    let format: ImportFormat = from_js(format)?;
    to_js(&api::parse_file(format, text))
}

#[wasm_bindgen(js_name = mergeProfiles)]
pub fn merge_profiles(existing: JsValue, incoming: JsValue) -> Result<JsValue, JsError> {
    to_js(&api::merge_all(from_js(existing)?, from_js(incoming)?))
}

#[wasm_bindgen(js_name = manualProfile)]
pub fn manual_profile(person: JsValue) -> Result<JsValue, JsError> {
    let person: Person = from_js(person)?;
    to_js(&api::manual(person))
}

#[wasm_bindgen(js_name = capturedProfile)]
pub fn captured_profile(page: JsValue) -> Result<JsValue, JsError> {
    let page: PageData = from_js(page)?;
    to_js(&api::captured(&page))
}

#[wasm_bindgen(js_name = profileKeyOfUrl)]
pub fn profile_key_of_url(url: &str) -> Option<String> {
    crate::profiles::key_of_url(url)
}
