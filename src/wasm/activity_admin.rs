//! Unresolved Activities and audit log for the background: CSV exports and the record search
//! used to resolve an item.

use wasm_bindgen::prelude::*;

use super::convert::{from_js, to_js};
use crate::writeback::export::{self, AuditRow, ExportItem};
use crate::writeback::resolve::{self, RecordRef};

#[wasm_bindgen(js_name = itemsCsv)]
pub fn items_csv(items: JsValue) -> Result<String, JsError> {
    let items: Vec<ExportItem> = from_js(items)?;
    Ok(export::items_csv(&items))
}

#[wasm_bindgen(js_name = auditCsv)]
pub fn audit_csv(rows: JsValue) -> Result<String, JsError> {
    let rows: Vec<AuditRow> = from_js(rows)?;
    Ok(export::audit_csv(&rows))
}

/// The synced records of every org, kept in the background's memory between keystrokes.
#[wasm_bindgen]
pub struct RecordSearch(resolve::RecordSearch);

#[wasm_bindgen]
impl RecordSearch {
    /// `records`: `[{apiHost, id, recordType, name}]`.
    #[wasm_bindgen(constructor)]
    pub fn new(records: JsValue) -> Result<RecordSearch, JsError> {
        let records: Vec<RecordRef> = from_js(records)?;
        Ok(RecordSearch(resolve::RecordSearch::new(records)))
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.0.len()
    }

    /// The best `limit` records for `query`, as `{apiHost, id, recordType, name}`.
    pub fn search(&self, query: &str, limit: usize) -> Result<JsValue, JsError> {
        to_js(&self.0.search(query, limit))
    }
}
