//! Page detection, sessions and the panel's record fetch, for the background's JavaScript.

use wasm_bindgen::prelude::*;

use super::convert::{from_js, to_js};
use crate::crm::salesforce::{self, Cookie, Session};
use crate::page::{self, Page};
use crate::{message, record_fetch};

#[wasm_bindgen(js_name = detectPage)]
pub fn detect_page(url: &str) -> Result<JsValue, JsError> {
    to_js(&page::detect_any(url))
}

/// Parses and checks a message; `sender` is `contentScript` or `extensionPage`.
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

#[wasm_bindgen(js_name = parseMessage)]
pub fn parse_message(json: &str, sender: JsValue) -> Result<JsValue, JsError> {
    let sender: message::Sender = from_js(sender)?;
    to_js(&message::parse(json, sender).map_err(|e| JsError::new(&e))?)
}

#[wasm_bindgen(js_name = salesforceOrgId)]
pub fn salesforce_org_id(sid: &str) -> Option<String> {
    salesforce::org_id_of_sid(sid).map(str::to_string)
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

#[wasm_bindgen(js_name = planRecordFetch)]
pub fn plan_record_fetch(page: JsValue, session: JsValue) -> Result<JsValue, JsError> {
    let page: Page = from_js(page)?;
    let session: Option<Session> = from_js(session)?;
    to_js(&record_fetch::Outcome::from(record_fetch::plan(
        &page,
        session.as_ref(),
    )))
}

#[wasm_bindgen(js_name = readRecordResponse)]
pub fn read_record_response(
    page: JsValue,
    status: u16,
    body: &str,
    retry_after: Option<u32>,
) -> Result<JsValue, JsError> {
    let page: Page = from_js(page)?;
    to_js(&record_fetch::Outcome::from(record_fetch::read(
        &page,
        status,
        body,
        retry_after,
    )))
}
