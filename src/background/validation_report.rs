//! The data validation page's side of the background: the four views of every org with a
//! pass behind it, and the views' one-click fixes (move the contact to the Account their
//! profile's company matches, or dismiss the flag), each followed by a pass so the CRM's
//! flag follows at once.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::outbox::{remember, remembered};
use super::panel::OrgSeen;
use super::sync_run::StoredRecord;
use super::validation::{pass, records_of, OrgValidation};
use super::{links, session, Background};
use crate::answer::Answer;
use crate::crm::{Crm, CrmError, CrmErrorKind, OrgHost, RecordType};
use crate::host::{Host, HostError, Key};
use crate::page::record_url;
use crate::profiles::Profile;
use crate::store::{Meta, Store};
use crate::sync::CrmRecord;
use crate::validation::target::Target;
use crate::validation::{view, Dismissals, ViewKind, ViewRow};

/// A fix the user picked in a view.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum FlagFix {
    Dismiss,
    MoveTo { account_id: String },
}

/// One row as the page shows it: the view's row, where its links go, and the fix on offer.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShownRow {
    #[serde(flatten)]
    pub row: ViewRow,
    /// The record's page in the CRM.
    pub url: Option<String>,
    /// The person's profile on the network.
    pub profile_url: Option<String>,
    /// The name of the Account to move the contact to, when one matches.
    pub suggested_account_name: Option<String>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShownView {
    pub kind: ViewKind,
    pub rows: Vec<ShownRow>,
}

/// A flag the CRM refused, by the contact's name.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShownRefusal {
    pub contact_id: String,
    pub name: String,
    pub error: CrmError,
}

/// One org's views, as its last pass left them.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgReport {
    pub api_host: String,
    pub crm: Crm,
    pub checked_at: Option<f64>,
    pub problem: Option<CrmError>,
    pub views: Vec<ShownView>,
    pub refused: Vec<ShownRefusal>,
}

/// Every org a pass has run in.
pub async fn report<H: Host>(bg: &Background<H>) -> Result<Vec<OrgReport>, HostError> {
    let mut reports = Vec::new();
    for api_host in links::synced_hosts(&bg.host).await? {
        if let Some(report) = org_report(bg, &api_host).await? {
            reports.push(report);
        }
    }
    Ok(reports)
}

async fn org_report<H: Host>(
    bg: &Background<H>,
    api_host: &str,
) -> Result<Option<OrgReport>, HostError> {
    let host = &bg.host;
    let Some(state) = remembered::<H, OrgValidation>(host, &Meta::Validation(api_host).key()).await
    else {
        return Ok(None);
    };
    let Some(org) = remembered::<H, OrgSeen>(host, &Meta::Org(api_host).key()).await else {
        return Ok(None);
    };
    let me: String = remembered(host, &Meta::Owner(api_host).key())
        .await
        .unwrap_or_default();
    let mut records = records_of(host, api_host).await?;
    for r in records
        .iter_mut()
        .filter(|r| r.record_type == RecordType::Contact)
    {
        r.not_at_company = Some(state.flagged.binary_search(&r.id).is_ok());
    }
    let names: HashMap<&str, &str> = records
        .iter()
        .map(|r| (r.id.as_str(), r.name.as_str()))
        .collect();
    let profile_urls = profile_urls(host, &state).await?;
    let org_host = OrgHost::of(org.crm, api_host);
    let shown = |row: ViewRow| {
        let url = org_host
            .as_ref()
            .and_then(|h| record_url(org.crm, h, row.record_type, &row.record_id));
        let finding = row.finding.as_ref();
        ShownRow {
            url,
            profile_url: finding.and_then(|f| profile_urls.get(&f.profile_id).cloned()),
            suggested_account_name: finding
                .and_then(|f| f.suggested_account.as_deref())
                .and_then(|a| names.get(a))
                .map(|n| n.to_string()),
            row,
        }
    };
    let views = ViewKind::ALL
        .into_iter()
        .map(|kind| ShownView {
            kind,
            rows: view(kind, &records, &state.findings, &me)
                .into_iter()
                .map(shown)
                .collect(),
        })
        .collect();
    let refused = state
        .refused
        .iter()
        .map(|r| ShownRefusal {
            contact_id: r.contact_id.clone(),
            name: names.get(r.contact_id.as_str()).unwrap_or(&"").to_string(),
            error: r.error.clone(),
        })
        .collect();
    Ok(Some(OrgReport {
        api_host: api_host.to_string(),
        crm: org.crm,
        checked_at: state.checked_at,
        problem: state.problem.clone(),
        views,
        refused,
    }))
}

/// The profile URL of each finding's profile.
async fn profile_urls<H: Host>(
    host: &H,
    state: &OrgValidation,
) -> Result<HashMap<String, String>, HostError> {
    let keys: Vec<Key> = state
        .findings
        .iter()
        .map(|f| Key::Text(f.profile_id.clone()))
        .collect();
    let found = host.get_many(Store::Profiles, &keys).await?;
    Ok(found
        .into_iter()
        .flatten()
        .filter_map(|v| host.decode::<Profile>(v).ok())
        .filter_map(|p| Some((p.person.id.clone(), p.person.profile_url?)))
        .collect())
}

/// Applies a fix, runs a pass, and answers the views as they are now.
pub async fn fix<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    contact_id: &str,
    fix: &FlagFix,
) -> Result<Answer<Vec<OrgReport>>, HostError> {
    let done = match fix {
        FlagFix::Dismiss => dismiss(bg, api_host, contact_id).await.map(Ok)?,
        FlagFix::MoveTo { account_id } => {
            move_contact(bg, api_host, contact_id, account_id).await?
        }
    };
    if let Err(error) = done {
        return Ok(Answer::Error(error.into()));
    }
    pass(bg, api_host).await?;
    Ok(Answer::Ok(report(bg).await?))
}

/// Remembers the dismissal for the company the profile names now.
async fn dismiss<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    contact_id: &str,
) -> Result<(), HostError> {
    let host = &bg.host;
    let state: OrgValidation = remembered(host, &Meta::Validation(api_host).key())
        .await
        .unwrap_or_default();
    let Some(finding) = state.findings.iter().find(|f| f.contact_id == contact_id) else {
        return Ok(());
    };
    let key = Meta::Dismissals(api_host).key();
    let mut dismissals: Dismissals = remembered(host, &key).await.unwrap_or_default();
    dismissals.dismiss(contact_id, &finding.now_at);
    remember(host, key, &dismissals).await
}

/// Moves the contact in the CRM, then in the synced copy (the next sync brings the same).
async fn move_contact<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    contact_id: &str,
    account_id: &str,
) -> Result<Result<(), CrmError>, HostError> {
    let host = &bg.host;
    let Some(org) = remembered::<H, OrgSeen>(host, &Meta::Org(api_host).key()).await else {
        return Ok(Err(CrmError::new(
            CrmErrorKind::NotFound,
            0,
            "UNKNOWN_ORG",
            api_host,
        )));
    };
    let session = match org.crm {
        Crm::Salesforce => session::salesforce(host, &org.page_host, api_host, None).await,
        Crm::Dynamics => None,
    };
    let moved = async {
        let target = Target::new(org.crm, api_host, session)?;
        let request = target.move_request(contact_id, account_id)?;
        let answer = host.fetch(&request).await;
        target.read_move(answer.status, &answer.body, answer.retry_after)
    };
    if let Err(error) = moved.await {
        return Ok(Err(error));
    }
    let key = Key::pair(api_host, contact_id);
    if let Some(value) = host.get(Store::Records, &key).await? {
        if let Ok(mut record) = host.decode::<CrmRecord>(value) {
            record.account_id = Some(account_id.to_string());
            host.write(vec![host.put(
                Store::Records,
                &StoredRecord {
                    api_host,
                    record: &record,
                },
            )?])
            .await?;
        }
    }
    Ok(Ok(()))
}
