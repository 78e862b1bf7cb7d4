//! Sync and linking for the background: page requests, page reading, the people index.

use wasm_bindgen::prelude::*;

use super::convert::{from_js, to_js};
use crate::crm::salesforce::Session;
use crate::linking;
use crate::matching::{Company, MatchIndex, Overrides, Person};
use crate::record_fetch::Outcome;
use crate::sync::{self, CrmRecord, Cursor};

#[wasm_bindgen(js_name = syncOrder)]
pub fn sync_order() -> Result<JsValue, JsError> {
    to_js(&sync::SYNC_ORDER)
}

#[wasm_bindgen(js_name = syncRequest)]
pub fn sync_request(cursor: JsValue, session: JsValue) -> Result<JsValue, JsError> {
    let cursor: Cursor = from_js(cursor)?;
    let session: Option<Session> = from_js(session)?;
    to_js(&Outcome::from(sync::request(&cursor, session.as_ref())))
}

#[wasm_bindgen(js_name = readSyncPage)]
pub fn read_sync_page(cursor: JsValue, status: u16, body: &str) -> Result<JsValue, JsError> {
    let cursor: Cursor = from_js(cursor)?;
    to_js(&Outcome::from(sync::read(&cursor, status, body)))
}

#[wasm_bindgen(js_name = laterTimestamp)]
pub fn later_timestamp(a: Option<String>, b: Option<String>) -> Option<String> {
    sync::later(a, b)
}

/// The matching index over an org's Contacts and Leads, kept in the background's memory and
/// persisted as bytes.
#[wasm_bindgen]
pub struct PeopleIndex(MatchIndex);

#[wasm_bindgen]
impl PeopleIndex {
    #[wasm_bindgen(js_name = fromRecords)]
    pub fn from_records(records: JsValue) -> Result<PeopleIndex, JsError> {
        let records: Vec<CrmRecord> = from_js(records)?;
        Ok(PeopleIndex(linking::build_index(&records)))
    }

    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<PeopleIndex, JsError> {
        MatchIndex::from_bytes(bytes)
            .map(PeopleIndex)
            .map_err(|e| JsError::new(&e))
    }

    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes()
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.0.len()
    }

    /// `profiles`: matching people; `overrides`: `{links, rejections}`.
    #[wasm_bindgen(js_name = matchProfiles)]
    pub fn match_profiles(
        &self,
        profiles: JsValue,
        overrides: JsValue,
    ) -> Result<JsValue, JsError> {
        let profiles: Vec<Person> = from_js(profiles)?;
        let overrides: Overrides = from_js(overrides)?;
        to_js(&linking::match_profiles(&self.0, &profiles, &overrides))
    }
}

#[wasm_bindgen(js_name = peopleAtAccount)]
pub fn people_at_account(account: JsValue, profiles: JsValue) -> Result<JsValue, JsError> {
    let account: Company = from_js(account)?;
    let profiles: Vec<Person> = from_js(profiles)?;
    to_js(&linking::people_at_account(&account, &profiles))
}

#[wasm_bindgen(js_name = applyCorrection)]
pub fn apply_correction(
    overrides: JsValue,
    record_id: &str,
    correction: JsValue,
) -> Result<JsValue, JsError> {
    let overrides: Overrides = from_js(overrides)?;
    let correction: linking::Correction = from_js(correction)?;
    to_js(&linking::correct(overrides, record_id, &correction))
}
