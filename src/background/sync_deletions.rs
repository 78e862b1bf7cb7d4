//! Drives the sync's deletions step ([`crate::sync::deletions`]): one request at a time, what
//! each answer found written in one transaction with the checkpoint, as a page of records
//! is, so a worker stopped meanwhile resumes at the same request. A reconcile's id pages are
//! kept in `meta` until its sweep compares them with the local copy.

use std::collections::HashSet;

use super::budget::{self, LIMIT_INFO};
use super::sync_job::{Step, SyncJob};
use super::sync_run::fail;
use super::{record_removal, Background, Failure};
use crate::crm::budget::OrgBudget;
use crate::crm::salesforce::Session;
use crate::crm::{CrmErrorKind, OrgHost};
use crate::host::{Host, HostError, Key, Query, Write};
use crate::store::{Meta, MetaEntry, Store};
use crate::sync::deletions::{self, Context, Found, Mark, Phase, Start};

/// Runs the step's next request (or its sweep) and stores what it found. Its answers count
/// against the org's budget like a page's: a throttled one leaves the request for the next
/// turn, which holds the job.
pub async fn step<H: Host>(
    bg: &Background<H>,
    job: &mut SyncJob,
    session: Option<&Session>,
    budget: &mut OrgBudget,
) -> Result<(), Failure> {
    if job.step != Step::Deletions {
        return Ok(());
    }
    let api_host = OrgHost::checked(job.crm, &job.api_host)?;
    let phase = match job.deletions.clone() {
        Some(phase) => phase,
        None => match deletions::start(context(bg, job), stored_mark(bg, job).await?.as_ref()) {
            Start::Ask(phase) => phase,
            Start::Done(mark) => return commit(bg, job, Found::done(mark), None, Vec::new()).await,
        },
    };
    if let Phase::Sweep {
        pages,
        since,
        links,
    } = &phase
    {
        return sweep(bg, job, *pages, since, links).await;
    }
    let request = match deletions::request(&phase, &api_host, session) {
        Ok(Some(request)) => request,
        Ok(None) => return commit(bg, job, Found::default(), None, Vec::new()).await,
        Err(error) => return keep(bg, job, phase, error).await,
    };
    let answer = bg.host.fetch(&request).await;
    job.requests += 1;
    let noted = budget.note_limit_info(answer.header(LIMIT_INFO), bg.host.now_ms());
    match deletions::read(&phase, &api_host, answer.status, &answer.body) {
        Ok(found) => {
            let page = match phase {
                Phase::Ids { pages, .. } => Some(pages),
                _ => None,
            };
            let usage = match noted {
                true => vec![budget::put(&bg.host, &job.api_host, budget)?],
                false => Vec::new(),
            };
            commit(bg, job, found, page, usage).await
        }
        Err(mut error) if error.kind == CrmErrorKind::RateLimited => {
            error.retry_after = error.retry_after.or(answer.retry_after);
            budget.note_limited(&error, bg.host.now_ms());
            job.deletions = Some(phase);
            Ok(())
        }
        Err(error) => keep(bg, job, phase, error).await,
    }
}

fn context<H: Host>(bg: &Background<H>, job: &SyncJob) -> Context {
    Context {
        crm: job.crm,
        now_ms: bg.host.now_ms(),
        started_ms: job.started_at as f64,
        first_sync: !job.incremental,
    }
}

async fn stored_mark<H: Host>(
    bg: &Background<H>,
    job: &SyncJob,
) -> Result<Option<Mark>, HostError> {
    let key = Key::Text(Meta::Deletions(&job.api_host).key());
    let stored = bg.host.get_as::<MetaEntry<Mark>>(Store::Meta, &key).await;
    // A mark this version cannot read is as none: the local copy is reconciled.
    Ok(stored.ok().flatten().map(|e| e.value))
}

/// The failed request is asked again when the sync is resumed.
async fn keep<H: Host>(
    bg: &Background<H>,
    job: &mut SyncJob,
    phase: Phase,
    error: crate::crm::CrmError,
) -> Result<(), Failure> {
    job.deletions = Some(phase);
    fail(bg, job, error).await
}

/// The records an answer found deleted leave, a listed page is kept, `extra` is written,
/// and the job moves on, in one transaction.
async fn commit<H: Host>(
    bg: &Background<H>,
    job: &mut SyncJob,
    found: Found,
    page: Option<u32>,
    extra: Vec<Write<H::Value>>,
) -> Result<(), Failure> {
    let host = &bg.host;
    let mut removed = found.removed;
    removed.append(&mut job.merged);
    let removal = record_removal::prepare(bg, &job.api_host, &removed).await?;
    job.changed += removal.removed;
    job.touch(&removed);
    if found.next.is_none() {
        job.step = Step::Link;
    }
    job.deletions = found.next;
    let mut batch = removal.writes;
    batch.extend(extra);
    if let (Some(page), Some(ids)) = (page, found.listed) {
        // One line an id (ids hold no line breaks): stored as text, as cheap as it gets.
        let key = Meta::Reconcile(&job.api_host, page).key();
        let value = ids.join("\n");
        batch.push(host.put(Store::Meta, &MetaEntry { key, value })?);
    }
    if let Some(mark) = found.mark {
        let key = Meta::Deletions(&job.api_host).key();
        batch.push(host.put(Store::Meta, &MetaEntry { key, value: mark })?);
    }
    let key = Meta::SyncJob(&job.api_host).key();
    batch.push(host.put(Store::Meta, &MetaEntry { key, value: &*job })?);
    host.write(batch).await?;
    record_removal::written(bg, removal.items).await?;
    Ok(())
}

/// Every id is listed: the local records the CRM no longer has leave, and the listing goes.
async fn sweep<H: Host>(
    bg: &Background<H>,
    job: &mut SyncJob,
    pages: u32,
    since: &str,
    links: &[Option<String>],
) -> Result<(), Failure> {
    let host = &bg.host;
    let prefix = Query::Prefix {
        prefix: Meta::reconcile_prefix(&job.api_host),
    };
    let page_keys = host.keys(Store::Meta, &prefix).await?;
    let drop_pages = || {
        page_keys
            .iter()
            .map(|key| Write::Delete {
                store: Store::Meta,
                key: key.clone(),
            })
            .collect::<Vec<_>>()
    };
    let kept: Vec<MetaEntry<String>> = host
        .get_all(Store::Meta, &prefix)
        .await?
        .into_iter()
        .filter_map(|v| host.decode(v).ok())
        .collect();
    if kept.len() != pages as usize {
        // Pages went missing (the CRM data was cleared meanwhile): list everything again.
        let again = Found::then(deletions::reconcile(since.to_string()));
        return commit(bg, job, again, None, drop_pages()).await;
    }
    // A set of owned ids, the kind the background already keeps (no new hash table code).
    let mut listed: HashSet<String> = HashSet::new();
    for page in &kept {
        for id in page.value.lines() {
            listed.insert(id.to_string());
        }
    }
    let by_host = Query::Index {
        index: "byHost",
        key: Key::Text(job.api_host.clone()),
    };
    let gone: Vec<String> = host
        .keys(Store::Records, &by_host)
        .await?
        .into_iter()
        .filter_map(|key| match key {
            Key::Pair(_, id) if !listed.contains(&id) => Some(id),
            _ => None,
        })
        .collect();
    let mut found = Found::done(deletions::reconciled(job.crm, since, links, host.now_ms()));
    found.removed = gone;
    commit(bg, job, found, None, drop_pages()).await
}
