//! The org's API budget in the store (`apiBudget:<apiHost>`): noted from the answers of the
//! panel, the sync and the outbox, read before background work. What the options page says
//! about an org's sync: waiting for the budget, or stopped because the org refuses the session.

use serde::Serialize;

use super::outbox;
use crate::crm::budget::{ApiUsage, Hold, OrgBudget};
use crate::crm::{CrmError, CrmErrorKind};
use crate::host::{Host, HostError, HttpAnswer, Key, Write};
use crate::store::{Meta, MetaEntry, Store};

/// The header Salesforce reports the org's daily usage in (CRM-APIS A8).
pub const LIMIT_INFO: &str = "sforce-limit-info";

/// The org's budget as stored (none yet: nothing known, nothing held).
pub async fn of<H: Host>(host: &H, api_host: &str) -> OrgBudget {
    host.get_as::<MetaEntry<OrgBudget>>(Store::Meta, &Key::Text(Meta::ApiBudget(api_host).key()))
        .await
        .ok()
        .flatten()
        .map(|e| e.value)
        .unwrap_or_default()
}

/// The write that stores `budget` (for the caller's own transaction).
pub fn put<H: Host>(
    host: &H,
    api_host: &str,
    budget: &OrgBudget,
) -> Result<Write<H::Value>, HostError> {
    let entry = MetaEntry {
        key: Meta::ApiBudget(api_host).key(),
        value: budget,
    };
    host.put(Store::Meta, &entry)
}

/// The write that stores what `answer` says of the org's usage, when it says something new
/// (most answers do not change the percent: nothing to write).
pub async fn noted<H: Host>(
    host: &H,
    api_host: &str,
    answer: &HttpAnswer,
) -> Result<Option<Write<H::Value>>, HostError> {
    let Some(header) = answer.header(LIMIT_INFO) else {
        return Ok(None);
    };
    let mut budget = of(host, api_host).await;
    if !budget.note_limit_info(Some(header), host.now_ms()) {
        return Ok(None);
    }
    put(host, api_host, &budget).map(Some)
}

/// An org's sync as the options page shows it.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgSyncStatus {
    /// Background sync waits, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_held: Option<Hold>,
    /// The org refuses this browser's session (CRM-APIS A19): sync and Copy to CRM stop
    /// until the session changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<CrmError>,
    /// The org's daily API usage as last reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_usage: Option<ApiUsage>,
}

pub async fn status<H: Host>(host: &H, api_host: &str) -> Result<OrgSyncStatus, HostError> {
    let budget = of(host, api_host).await;
    let sync_error = host
        .get_as::<MetaEntry<CrmError>>(Store::Meta, &Key::Text(Meta::SyncError(api_host).key()))
        .await
        .ok()
        .flatten()
        .map(|e| e.value);
    let outbox = outbox::org_state(host, api_host).await?;
    let refused = sync_error
        .into_iter()
        .chain(outbox.last_error.filter(|_| outbox.blocked))
        .find(|e| e.kind == CrmErrorKind::Blocked);
    Ok(OrgSyncStatus {
        sync_held: budget.hold(host.now_ms()),
        refused,
        api_usage: budget.usage,
    })
}
