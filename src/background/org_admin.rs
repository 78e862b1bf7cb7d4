//! The options page's Copy to CRM section: the orgs seen, *Prepare Salesforce org* (the
//! Tooling API field Copy to CRM needs), *Test Write-Back* (a test Contact and one activity
//! of every synced kind, with "View in CRM" links or the CRM's reason) and removing what the
//! test made. What was made is remembered before anything else is written, so it can always
//! be removed.

use serde::Serialize;

use super::outbox::{notes_of, owner_of, send_batch};
use super::panel::OrgSeen;
use super::{session, Background, Failure};
use crate::answer::{Answer, Code, Problem};
use crate::crm::salesforce::{self, Session};
use crate::crm::{Crm, CrmError, CrmErrorKind, OrgHost, RecordType};
use crate::host::{Host, HostError, Key, Query};
use crate::store::{Meta, MetaEntry, Store};
use crate::writeback::item::Target;
use crate::writeback::outbox::{Batch, Entry};
use crate::writeback::test_run::{self, Made};
use crate::writeback::{setup, ItemKind};

/// An org a panel was opened in (its session is found from there).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgListed {
    pub api_host: String,
    #[serde(flatten)]
    pub seen: OrgSeen,
    /// Whether its sync waits for the API budget or stopped on a refused session.
    pub status: super::budget::OrgSyncStatus,
}

/// One activity of the test: `{kind, ok: Made}`, or `{kind, error}` with the CRM's reason
/// (`code: crm` without `crm` when the CRM answered the batch but said nothing of this one).
/// Two optional fields rather than a flattened [`Answer`]: flattening costs the wasm more.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestActivity {
    pub kind: ItemKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ok: Option<Made>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Problem>,
}

#[derive(Debug, Serialize)]
pub struct TestRun {
    pub contact: Answer<Made>,
    pub activities: Vec<TestActivity>,
}

#[derive(Debug, Serialize)]
pub struct Removed {
    pub removed: usize,
}

const ORG_PREFIX: &str = "org:";

/// The CRM's reason in an outcome that wrote nothing.
fn problem_of(outcome: Option<&crate::writeback::outbox::Outcome>) -> Problem {
    use crate::writeback::outbox::Outcome::{Blocked, Park, Pause, Retry, SignIn, Written};
    match outcome {
        Some(
            Retry { error }
            | SignIn { error }
            | Pause { error, .. }
            | Blocked { error }
            | Park { error },
        ) => error.clone().into(),
        Some(Written { .. }) | None => Problem::new(Code::Crm),
    }
}

/// The `meta` key of what the last Test Write-Back made in the org.
fn made_key(api_host: &str) -> String {
    format!("testWriteBack:{api_host}")
}

pub async fn list_orgs<H: Host>(host: &H) -> Result<Vec<OrgListed>, HostError> {
    let prefix = Query::Prefix {
        prefix: ORG_PREFIX.into(),
    };
    let mut orgs: Vec<OrgListed> = host
        .get_all(Store::Meta, &prefix)
        .await?
        .into_iter()
        .filter_map(|v| host.decode::<MetaEntry<OrgSeen>>(v).ok())
        .filter_map(|e| {
            let api_host = e.key.strip_prefix(ORG_PREFIX)?.to_string();
            Some(OrgListed {
                api_host,
                seen: e.value,
                status: Default::default(),
            })
        })
        .collect();
    crate::sort::by(&mut orgs, |a, b| a.api_host.cmp(&b.api_host));
    for org in &mut orgs {
        org.status = super::budget::status(host, &org.api_host).await?;
    }
    Ok(orgs)
}

/// The org's CRM, its checked API host and, for Salesforce, its session, from what a panel
/// saw there.
pub(super) async fn org_session<H: Host>(
    host: &H,
    api_host: &str,
    cookie_store: Option<&str>,
) -> Result<(Crm, OrgHost, Option<Session>), Failure> {
    let unknown = || CrmError::new(CrmErrorKind::NotFound, 0, "UNKNOWN_ORG", api_host);
    let key = Key::Text(Meta::Org(api_host).key());
    let Some(org) = host.get_as::<MetaEntry<OrgSeen>>(Store::Meta, &key).await? else {
        return Err(unknown().into());
    };
    let OrgSeen { crm, page_host } = org.value;
    let org_host = OrgHost::of(crm, api_host).ok_or_else(unknown)?;
    if crm != Crm::Salesforce {
        session::dynamics(cookie_store)?;
        return Ok((crm, org_host, None));
    }
    session::salesforce_reachable(api_host)?;
    match session::salesforce(host, &page_host, api_host, cookie_store).await {
        Some(session) => Ok((crm, org_host, Some(session))),
        None => Err(salesforce::no_session().into()),
    }
}

pub async fn prepare_org<H: Host>(
    host: &H,
    api_host: &str,
    cookie_store: Option<&str>,
) -> Result<(), Failure> {
    let (_, _, session) = org_session(host, api_host, cookie_store).await?;
    let Some(session) = session else {
        return Ok(()); // Dataverse needs no preparation
    };
    for request in setup::requests(&session) {
        let answer = host.fetch(&request).await;
        setup::read(answer.status, &answer.body)?;
    }
    Ok(())
}

async fn remember<H: Host>(host: &H, api_host: &str, made: &[Made]) -> Result<(), HostError> {
    let key = made_key(api_host);
    let mut known: Vec<Made> = host
        .get_as::<MetaEntry<Vec<Made>>>(Store::Meta, &Key::Text(key.clone()))
        .await?
        .map(|e| e.value)
        .unwrap_or_default();
    known.extend_from_slice(made);
    let entry = MetaEntry { key, value: known };
    host.write(vec![host.put(Store::Meta, &entry)?]).await
}

pub async fn test_write_back<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    cookie_store: Option<&str>,
) -> Result<TestRun, Failure> {
    let host = &bg.host;
    let (crm, org_host, session) = org_session(host, api_host, cookie_store).await?;
    let token = session.as_ref().map(|s| s.token.clone());
    let owner = owner_of(host, crm, api_host, session.as_ref()).await?;
    let contact_id = host.new_id();
    let now = super::activity::iso_utc(host.now_ms());
    let stamp = now.get(..16).unwrap_or(&now).replace('T', " ");
    let request = test_run::contact_request(crm, &org_host, token.as_deref(), &stamp, &contact_id)?;
    let answer = host.fetch(&request).await;
    let contact = match test_run::read_contact(
        crm,
        &org_host,
        answer.status,
        &answer.body,
        answer.retry_after,
        &contact_id,
    ) {
        Ok(contact) => contact,
        Err(error) => {
            return Ok(TestRun {
                contact: Answer::Error(error.into()),
                activities: Vec::new(),
            })
        }
    };
    remember(host, api_host, std::slice::from_ref(&contact)).await?;

    let kinds = super::settings::current(bg)
        .await?
        .org_settings()
        .synced_kinds();
    let ids: Vec<String> = kinds.iter().map(|_| host.new_id()).collect();
    let items = test_run::sample_items(&kinds, &ids, &now);
    let target = Target {
        record_type: RecordType::Contact,
        record_id: contact.id.clone(),
        related_id: None,
        owner_id: owner,
    };
    let entries = items
        .iter()
        .map(|item| Entry {
            item: item.clone(),
            target: target.clone(),
            uncertain: false,
            progress: Default::default(),
        })
        .collect();
    let notes = notes_of(host, crm, api_host, session.as_ref()).await?;
    let batch = Batch::new(crm, api_host, token, entries).with_notes(notes);
    let batch = send_batch(host, batch, None).await?;
    let activities: Vec<TestActivity> = items
        .iter()
        .map(|item| {
            let outcome = batch.outcomes.get(&item.id);
            let made = outcome.and_then(|o| {
                test_run::made_by(crm, &org_host, item, o)
                    .into_iter()
                    .next()
            });
            TestActivity {
                kind: item.kind,
                error: made.is_none().then(|| problem_of(outcome)),
                ok: made,
            }
        })
        .collect();
    let made: Vec<Made> = activities.iter().filter_map(|a| a.ok.clone()).collect();
    remember(host, api_host, &made).await?;
    Ok(TestRun {
        contact: Answer::Ok(contact),
        activities,
    })
}

pub async fn remove_test_records<H: Host>(
    host: &H,
    api_host: &str,
    cookie_store: Option<&str>,
) -> Result<Removed, Failure> {
    let key = Key::Text(made_key(api_host));
    let made: Vec<Made> = host
        .get_as::<MetaEntry<Vec<Made>>>(Store::Meta, &key)
        .await?
        .map(|e| e.value)
        .unwrap_or_default();
    if made.is_empty() {
        return Ok(Removed { removed: 0 });
    }
    let (crm, org_host, session) = org_session(host, api_host, cookie_store).await?;
    let token = session.map(|s| s.token);
    for request in test_run::delete_requests(crm, &org_host, token.as_deref(), &made)? {
        let answer = host.fetch(&request).await;
        test_run::read_delete(crm, answer.status, &answer.body)?;
    }
    host.write(vec![crate::host::Write::Delete {
        store: Store::Meta,
        key,
    }])
    .await?;
    Ok(Removed {
        removed: made.len(),
    })
}
