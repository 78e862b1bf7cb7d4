//! Page detection, record URLs and Salesforce sessions, for the background's JavaScript.

use wasm_bindgen::prelude::*;

use super::convert::{from_js, to_js};
use crate::crm::salesforce::{self, Cookie};
use crate::page;

#[wasm_bindgen(js_name = detectPage)]
pub fn detect_page(url: &str) -> Result<JsValue, JsError> {
    to_js(&page::detect_any(url))
}

/// The record's page in the CRM's UI.
#[wasm_bindgen(js_name = recordUrl)]
pub fn record_url(
    crm: JsValue,
    api_host: &str,
    record_type: JsValue,
    id: &str,
) -> Result<Option<String>, JsError> {
    Ok(page::record_url(
        from_js(crm)?,
        api_host,
        from_js(record_type)?,
        id,
    ))
}

#[wasm_bindgen(js_name = pickSalesforceSession)]
pub fn pick_salesforce_session(
    page_sid: &str,
    api_host: &str,
    cookies: JsValue,
) -> Result<JsValue, JsError> {
    let cookies: Vec<Cookie> = from_js(cookies)?;
    to_js(&salesforce::pick_session(page_sid, api_host, &cookies))
}
