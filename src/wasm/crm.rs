//! The Salesforce session for the JavaScript that still finds one (Prepare org).

use wasm_bindgen::prelude::*;

use super::convert::{from_js, to_js};
use crate::crm::salesforce::{self, Cookie};

#[wasm_bindgen(js_name = pickSalesforceSession)]
pub fn pick_salesforce_session(
    page_sid: &str,
    api_host: &str,
    cookies: JsValue,
) -> Result<JsValue, JsError> {
    let cookies: Vec<Cookie> = from_js(cookies)?;
    to_js(&salesforce::pick_session(page_sid, api_host, &cookies))
}
