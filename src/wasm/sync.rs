//! The panel's profile typeahead (sync and links are the background core's own).

use wasm_bindgen::prelude::*;

use super::convert::{from_js, to_js};
use crate::linking::search;
use crate::matching::Person;

/// The typeahead's profiles, kept in the background's memory between keystrokes.
#[wasm_bindgen]
pub struct ProfileSearch(Vec<Person>);

#[wasm_bindgen]
impl ProfileSearch {
    #[wasm_bindgen(constructor)]
    pub fn new(profiles: JsValue) -> Result<ProfileSearch, JsError> {
        Ok(ProfileSearch(from_js(profiles)?))
    }

    /// Ids of the best `limit` profiles for `query`.
    pub fn search(&self, query: &str, limit: usize) -> Result<JsValue, JsError> {
        to_js(&search::search(&self.0, query, limit))
    }
}
