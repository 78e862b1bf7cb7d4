//! Copy to CRM for the background: the toggle decision, new items, outbox flushes, owners.

use wasm_bindgen::prelude::*;

use super::convert::{from_js, to_js};
use crate::crm::salesforce::Session;
use crate::crm::Crm;
use crate::record_fetch::Outcome;
use crate::writeback::outbox::Batch;
use crate::writeback::salesforce::NoteStyle;
use crate::writeback::{self, test_run};

#[wasm_bindgen(js_name = defaultOrgSettings)]
pub fn default_org_settings() -> Result<JsValue, JsError> {
    to_js(&writeback::OrgSettings::default())
}

/// `notes` is `content` or `classic` (Salesforce orgs without Lightning notes).
#[wasm_bindgen(js_name = outboxBatch)]
pub fn outbox_batch(
    crm: JsValue,
    api_host: &str,
    token: Option<String>,
    entries: JsValue,
    notes: JsValue,
) -> Result<JsValue, JsError> {
    let crm: Crm = from_js(crm)?;
    let notes: Option<NoteStyle> = from_js(notes)?;
    to_js(
        &Batch::new(crm, api_host, token, from_js(entries)?).with_notes(notes.unwrap_or_default()),
    )
}

/// The Tooling API requests that add the item-id field (Salesforce admins run it once).
#[wasm_bindgen(js_name = prepareOrgRequests)]
pub fn prepare_org_requests(session: JsValue) -> Result<JsValue, JsError> {
    let session: Session = from_js(session)?;
    to_js(&writeback::setup::requests(&session))
}

#[wasm_bindgen(js_name = readPrepareOrg)]
pub fn read_prepare_org(status: u16, body: &str) -> Result<JsValue, JsError> {
    to_js(&Outcome::from(writeback::setup::read(status, body)))
}

#[wasm_bindgen(js_name = testContactRequest)]
pub fn test_contact_request(
    crm: JsValue,
    api_host: &str,
    token: Option<String>,
    stamp: &str,
    dynamics_id: &str,
) -> Result<JsValue, JsError> {
    to_js(&Outcome::from(test_run::contact_request(
        from_js(crm)?,
        api_host,
        token.as_deref(),
        stamp,
        dynamics_id,
    )))
}

#[wasm_bindgen(js_name = readTestContact)]
pub fn read_test_contact(
    crm: JsValue,
    api_host: &str,
    status: u16,
    body: &str,
    retry_after: Option<u32>,
    dynamics_id: &str,
) -> Result<JsValue, JsError> {
    to_js(&Outcome::from(test_run::read_contact(
        from_js(crm)?,
        api_host,
        status,
        body,
        retry_after,
        dynamics_id,
    )))
}

#[wasm_bindgen(js_name = testItems)]
pub fn test_items(kinds: JsValue, ids: JsValue, occurred_at: &str) -> Result<JsValue, JsError> {
    let kinds: Vec<writeback::ItemKind> = from_js(kinds)?;
    let ids: Vec<String> = from_js(ids)?;
    to_js(&test_run::sample_items(&kinds, &ids, occurred_at))
}

#[wasm_bindgen(js_name = testMadeBy)]
pub fn test_made_by(
    crm: JsValue,
    api_host: &str,
    item: JsValue,
    outcome: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&test_run::made_by(
        from_js(crm)?,
        api_host,
        &from_js(item)?,
        &from_js(outcome)?,
    ))
}

#[wasm_bindgen(js_name = testDeleteRequests)]
pub fn test_delete_requests(
    crm: JsValue,
    api_host: &str,
    token: Option<String>,
    made: JsValue,
) -> Result<JsValue, JsError> {
    let made: Vec<test_run::Made> = from_js(made)?;
    to_js(&Outcome::from(test_run::delete_requests(
        from_js(crm)?,
        api_host,
        token.as_deref(),
        &made,
    )))
}

#[wasm_bindgen(js_name = readTestDelete)]
pub fn read_test_delete(crm: JsValue, status: u16, body: &str) -> Result<JsValue, JsError> {
    to_js(&Outcome::from(test_run::read_delete(
        from_js(crm)?,
        status,
        body,
    )))
}

/// The kinds the org lets sync, in display order.
#[wasm_bindgen(js_name = syncedKinds)]
pub fn synced_kinds(org: JsValue) -> Result<JsValue, JsError> {
    let org: writeback::OrgSettings = from_js(org)?;
    to_js(&org.synced_kinds())
}
