//! Drives [`SyncJob`]s: one page at a time, each page's records stored in one transaction
//! with the job's checkpoint, the worker kept awake between pages and an alarm set so a
//! worker the browser stopped anyway is woken to resume. A sync is background work: while the
//! org's API budget holds it (`crm::budget`), it waits at its checkpoint and the alarm wakes
//! it when the budget is to be looked at again.

use std::rc::Rc;

use super::budget::{self, LIMIT_INFO};
use super::sync_job::{Progress, Spent, Step, SyncJob};
use super::{links, seat, session, sync_deletions, Background, Event, Failure};
use crate::crm::budget::OrgBudget;
use crate::crm::{Crm, CrmError, CrmErrorKind};
use crate::host::{Host, HostError, Key, Locked, Query, Write};
use crate::page::Page;
use crate::store::{LastSynced, Meta, MetaEntry, Store};
use crate::sync::{self, CrmRecord};

/// The alarm that wakes a stopped worker while a sync is unfinished.
pub const ALARM: &str = "sync";
/// How long a stopped worker may stay stopped mid-sync (Chrome fires alarms at most every
/// 30 s).
const WAKE_AFTER_MS: f64 = 30_000.0;

/// A stored record: the org's host beside the core's record fields.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct StoredRecord<'a> {
    pub api_host: &'a str,
    #[serde(flatten)]
    pub record: &'a CrmRecord,
}

/// Starts (or resumes) the sync of the page's org unless this worker already drives it.
pub async fn start<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    page: &Page,
    cookie_store: Option<String>,
) -> Result<(), HostError> {
    let Page::Record {
        crm,
        page_host,
        api_host,
        ..
    } = page
    else {
        return Ok(());
    };
    if bg.is_syncing(api_host) || seat_disconnected_here(&bg.host, api_host).await? {
        return Ok(());
    }
    let stored = bg
        .host
        .get_as::<MetaEntry<SyncJob>>(Store::Meta, &Key::Text(Meta::SyncJob(api_host).key()))
        .await
        .ok()
        .flatten();
    let mut job = match stored {
        Some(entry) => entry.value,
        None => SyncJob::new(*crm, api_host, page_host, cookie_store.clone()),
    };
    // The newest tab's cookie store: the one whose session the user just used.
    if cookie_store.is_some() {
        job.cookie_store = cookie_store;
    }
    spawn(bg, job);
    Ok(())
}

/// Starts the org's sync with no page open, from what a panel saw there (Connect again).
pub fn start_seen<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    crm: Crm,
    api_host: &str,
    page_host: &str,
) {
    if !bg.is_syncing(api_host) {
        spawn(bg, SyncJob::new(crm, api_host, page_host, None));
    }
}

/// The checkpointed syncs that did not stop on an error, with their org's budget.
async fn waiting_jobs<H: Host>(bg: &Background<H>) -> Result<Vec<(SyncJob, OrgBudget)>, HostError> {
    let prefix = Query::Prefix {
        prefix: Meta::SYNC_JOB.to_string(),
    };
    let mut jobs = Vec::new();
    for value in bg.host.get_all(Store::Meta, &prefix).await? {
        let Ok(entry) = bg.host.decode::<MetaEntry<SyncJob>>(value) else {
            continue; // an entry this version cannot read is left for a newer one
        };
        let job = entry.value;
        if seat_disconnected_here(&bg.host, &job.api_host).await? {
            continue;
        }
        let failed = bg
            .host
            .get(
                Store::Meta,
                &Key::Text(Meta::SyncError(&job.api_host).key()),
            )
            .await?
            .is_some();
        if !failed {
            let budget = budget::of(&bg.host, &job.api_host).await;
            jobs.push((job, budget));
        }
    }
    Ok(jobs)
}

/// Every checkpointed sync that did not stop on an error carries on, unless its org's API
/// budget holds it: the alarm then wakes the worker when the budget is to be looked at again.
pub async fn resume_all<H: Host + 'static>(bg: &Rc<Background<H>>) -> Result<(), HostError> {
    let all = super::settings::current(bg).await?;
    let now = bg.host.now_ms();
    let mut held = false;
    for (job, budget) in waiting_jobs(bg).await? {
        if !all.org_allowed(&job.api_host) {
            continue; // kept: it carries on if the org is allowed again
        }
        held |= budget.hold(now).is_some();
        if budget.hold(now).is_none() && !bg.is_syncing(&job.api_host) {
            spawn(bg, job);
        }
    }
    if held && bg.syncing.borrow().is_empty() {
        wake_for_held(bg).await?;
    }
    Ok(())
}

/// With no sync running: the alarm at the first held sync's recheck, or none at all.
async fn wake_for_held<H: Host>(bg: &Background<H>) -> Result<(), HostError> {
    let now = bg.host.now_ms();
    let next = waiting_jobs(bg)
        .await?
        .iter()
        .filter(|(_, budget)| budget.hold(now).is_some())
        .map(|(_, budget)| budget.recheck_at())
        .reduce(f64::min);
    bg.host
        .set_alarm(ALARM, next.map(|at| at.max(now + WAKE_AFTER_MS)));
    Ok(())
}

/// How a run ended, as the rare module answers it.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Ran {
    Done,
    /// The org's budget holds it at its checkpoint.
    Held,
    /// Stopped on this error (the checkpoint stays).
    Failed(CrmError),
}

fn spawn<H: Host + 'static>(bg: &Rc<Background<H>>, job: SyncJob) {
    let api_host = job.api_host.clone();
    bg.syncing.borrow_mut().insert(api_host.clone());
    let this = Rc::clone(bg);
    bg.host.spawn(Box::pin(async move {
        let outcome = in_rare_module(&this, job).await;
        this.syncing.borrow_mut().remove(&api_host);
        if this.syncing.borrow().is_empty() {
            let _ = wake_for_held(&this).await;
        }
        match outcome {
            Ok(Ran::Done) => {
                // Resolving items a sync matched is retried by the next links change.
                let _ = this.links_changed(api_host).await;
            }
            Ok(Ran::Held) => {}
            Ok(Ran::Failed(error)) => this.host.broadcast(&Event::SyncFailed { api_host, error }),
            Err(port) => this.host.broadcast(&Event::SyncFailed {
                api_host,
                error: Failure::Host(port).into_crm(),
            }),
        }
    }));
}

/// The start module leaves the run to the rare module (rare.rs): this worker still drives
/// the job (`syncing`) until the rare module's answer comes.
async fn in_rare_module<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    job: SyncJob,
) -> Result<Ran, HostError> {
    let answer = super::rare::work(bg, &super::rare::Work::RunSync(Box::new(job))).await?;
    bg.host.decode(answer)
}

/// The rare module's side: runs the job (rare.rs).
pub async fn run_here<H: Host + 'static>(bg: &Rc<Background<H>>, job: SyncJob) -> Ran {
    match run(bg, job).await {
        Ok(ran) => ran,
        Err(failure) => Ran::Failed(failure.into_crm()),
    }
}

/// Runs a job to its end, or to where the org's budget holds it. On failure the checkpoint
/// stays, with the error beside it.
async fn run<H: Host + 'static>(bg: &Rc<Background<H>>, mut job: SyncJob) -> Result<Ran, Failure> {
    let session = match job.crm {
        Crm::Salesforce => {
            if let Err(error) = session::salesforce_reachable(&job.api_host) {
                return fail(bg, &job, error).await.map(|()| Ran::Done);
            }
            session::salesforce(
                &bg.host,
                &job.page_host,
                &job.api_host,
                job.cookie_store.as_deref(),
            )
            .await
        }
        Crm::Dynamics => {
            session::dynamics(job.cookie_store.as_deref())?;
            None
        }
    };
    let mut budget = budget::of(&bg.host, &job.api_host).await;
    loop {
        if seat_disconnected_here(&bg.host, &job.api_host).await? {
            return stop(bg, &job).await.map(|()| Ran::Done);
        }
        bg.host.keep_alive().await;
        let now = bg.host.now_ms();
        if budget.hold(now).is_some() {
            return hold(bg, &job, &budget).await.map(|()| Ran::Held);
        }
        bg.host.set_alarm(ALARM, Some(now + WAKE_AFTER_MS));
        // The seat view is the sync's first request: the budget holds it like a page, and
        // its answer's usage may hold the pages after it.
        if !job.picked_up {
            match pick_up(bg, &mut job, session.as_ref(), &mut budget).await {
                Ok(true) => continue,
                Ok(false) => return stop(bg, &job).await.map(|()| Ran::Done),
                // The org refuses the session: stopped with the reason, as a page would be.
                Err(Failure::Crm(error)) => return fail(bg, &job, error).await.map(|()| Ran::Done),
                Err(failure) => return Err(failure),
            }
        }
        // After the pickup: a clear there starts the job anew; the deletions step counts from here.
        if job.requests == 0 && job.started_at == 0 {
            job.started_at = bg.host.now_ms() as u64;
        }
        if let Some(record_type) = job.needs_watermark() {
            let key = Key::Text(Meta::Watermark(&job.api_host, record_type).key());
            let stored = bg
                .host
                .get_as::<MetaEntry<Option<String>>>(Store::Meta, &key)
                .await;
            job = job.with_watermark(stored.ok().flatten().and_then(|e| e.value));
        }
        let Some(cursor) = job.cursor() else {
            if job.step == Step::Deletions {
                sync_deletions::step(bg, &mut job, session.as_ref(), &mut budget).await?;
                continue;
            }
            return finish(bg, &job).await.map(|()| Ran::Done);
        };
        let mut noted = false;
        let mut read_at = bg.host.now_ms();
        let outcome = match sync::request(&cursor, session.as_ref()) {
            Ok(request) => {
                let answer = bg.host.fetch(&request).await;
                let asked = std::mem::replace(&mut read_at, bg.host.now_ms());
                Spent::add(&mut job.spent.network_ms, asked, read_at);
                noted = budget.note_limit_info(answer.header(LIMIT_INFO), bg.host.now_ms());
                let mut progress = job.read(answer.status, &answer.body);
                if let Progress::Failed(error) = &mut progress {
                    error.retry_after = error.retry_after.or(answer.retry_after);
                }
                progress
            }
            Err(error) => Progress::Failed(error),
        };
        match outcome {
            Progress::Page {
                page,
                compare,
                watermark,
            } => {
                let noted = noted.then_some(&budget);
                store_page(
                    bg,
                    &mut job,
                    page.records,
                    page.removed,
                    compare,
                    watermark,
                    noted,
                )
                .await?;
                Spent::add(&mut job.spent.store_ms, read_at, bg.host.now_ms());
            }
            // Throttled or out of allowance: the next turn holds the job where it stands.
            Progress::Failed(error) if error.kind == CrmErrorKind::RateLimited => {
                budget.note_limited(&error, bg.host.now_ms());
            }
            Progress::Failed(error) => return fail(bg, &job, error).await.map(|()| Ran::Done),
        }
    }
}

/// Reads the org's seat view at the start of a sync (`seat::pick_up`): whether CRM sync is
/// on for me there, so the sync goes on. A clear its admin asked for starts it over.
async fn pick_up<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    job: &mut SyncJob,
    session: Option<&crate::crm::salesforce::Session>,
    budget: &mut OrgBudget,
) -> Result<bool, Failure> {
    let (access, cleared) = seat::pick_up(bg, job, session, budget).await?;
    if cleared {
        let cookie_store = job.cookie_store.take();
        *job = SyncJob::new(job.crm, &job.api_host, &job.page_host, cookie_store);
    }
    job.picked_up = true;
    Ok(access.syncs())
}

/// Waits for the budget: the checkpoint and the budget, in one transaction (the options
/// page reads why from the budget).
async fn hold<H: Host>(
    bg: &Background<H>,
    job: &SyncJob,
    budget: &OrgBudget,
) -> Result<(), Failure> {
    let host = &bg.host;
    let checkpoint = MetaEntry {
        key: Meta::SyncJob(&job.api_host).key(),
        value: job,
    };
    host.write(vec![
        host.put(Store::Meta, &checkpoint)?,
        budget::put(host, &job.api_host, budget)?,
    ])
    .await?;
    Ok(())
}

/// The page's changed records, the finished object's watermark, the checkpoint and the org's
/// budget when the page's answer changed it, at once.
async fn store_page<H: Host>(
    bg: &Background<H>,
    job: &mut SyncJob,
    records: Vec<CrmRecord>,
    removed: Vec<String>,
    compare: bool,
    watermark: Option<(crate::crm::RecordType, Option<String>)>,
    budget: Option<&OrgBudget>,
) -> Result<(), Failure> {
    let host = &bg.host;
    let changed = if compare {
        only_changed(host, &job.api_host, records).await?
    } else {
        records
    };
    job.changed += changed.len() as u32;
    job.touch(changed.iter().map(|r| &r.id));
    // They leave with the deletions step's first answer, so one code path removes records.
    job.merged.extend(removed);
    let mut batch = Vec::with_capacity(changed.len() + 2);
    for record in &changed {
        let stored = StoredRecord {
            api_host: &job.api_host,
            record,
        };
        batch.push(host.put(Store::Records, &stored)?);
    }
    if let Some((record_type, newest)) = watermark {
        let key = Meta::Watermark(&job.api_host, record_type).key();
        batch.push(host.put(Store::Meta, &MetaEntry { key, value: newest })?);
    }
    if let Some(budget) = budget {
        batch.push(budget::put(host, &job.api_host, budget)?);
    }
    let key = Meta::SyncJob(&job.api_host).key();
    batch.push(host.put(Store::Meta, &MetaEntry { key, value: &*job })?);
    host.write(batch).await?;
    Ok(())
}

/// Queries start at the watermark inclusively, so the boundary record comes back each time:
/// only records whose modification time moved count as changes.
async fn only_changed<H: Host>(
    host: &H,
    api_host: &str,
    records: Vec<CrmRecord>,
) -> Result<Vec<CrmRecord>, HostError> {
    let keys: Vec<Key> = records.iter().map(|r| Key::pair(api_host, &r.id)).collect();
    let stored = host.get_many(Store::Records, &keys).await?;
    let mut changed = Vec::new();
    for (record, before) in records.into_iter().zip(stored) {
        let before: Option<CrmRecord> = before.and_then(|v| host.decode(v).ok());
        if before.and_then(|b| b.modified) != record.modified {
            changed.push(record);
        }
    }
    Ok(changed)
}

async fn finish<H: Host + 'static>(bg: &Rc<Background<H>>, job: &SyncJob) -> Result<(), Failure> {
    debug_assert_eq!(job.step, Step::Link);
    let host = &bg.host;
    // Until the org counts as synced, so that profiles changed meanwhile are matched here or
    // by their own re-matching, which waits for this (links::relink).
    let _links = host.lock(Locked::Links).await;
    let indexed = links::has_index(host, &job.api_host).await?;
    let linking = host.now_ms();
    // Nothing changed in the CRM and an index exists: the matches still stand.
    match &job.touched {
        _ if !indexed => links::rebuild(bg, &job.api_host, links::Scope::All).await?,
        _ if job.changed == 0 => {}
        Some(touched) => links::update(bg, &job.api_host, touched).await?,
        None => links::rebuild(bg, &job.api_host, links::Scope::All).await?,
    }
    let mut took = job.spent;
    Spent::add(&mut took.link_ms, linking, host.now_ms());
    let synced = LastSynced {
        key: Meta::LastSynced(&job.api_host).key(),
        value: host.now_ms(),
        crm: job.crm,
        took,
    };
    host.write(vec![
        host.put(Store::Meta, &synced)?,
        delete_meta(Meta::SyncJob(&job.api_host)),
        delete_meta(Meta::SyncError(&job.api_host)),
    ])
    .await?;
    Ok(())
}

/// The org is disconnected (by its admin, or here): the sync stops and leaves nothing to
/// resume; the next one starts by reading the seat view again.
async fn stop<H: Host>(bg: &Background<H>, job: &SyncJob) -> Result<(), Failure> {
    bg.host
        .write(vec![
            delete_meta(Meta::SyncJob(&job.api_host)),
            delete_meta(Meta::SyncError(&job.api_host)),
        ])
        .await?;
    Ok(())
}

/// The user disconnected the org on this computer.
pub async fn seat_disconnected_here<H: Host>(host: &H, api_host: &str) -> Result<bool, HostError> {
    let key = Key::Text(Meta::Disconnected(api_host).key());
    Ok(host.get(Store::Meta, &key).await?.is_some())
}

/// Kept so the panel can say why links are missing; the next sync resumes the checkpoint
/// (and reads the org's seat view again first).
pub(super) async fn fail<H: Host>(
    bg: &Background<H>,
    job: &SyncJob,
    error: CrmError,
) -> Result<(), Failure> {
    let host = &bg.host;
    let job = &SyncJob {
        picked_up: false,
        ..job.clone()
    };
    let key = Meta::SyncError(&job.api_host).key();
    let checkpoint = Meta::SyncJob(&job.api_host).key();
    host.write(vec![
        host.put(Store::Meta, &MetaEntry { key, value: &error })?,
        host.put(
            Store::Meta,
            &MetaEntry {
                key: checkpoint,
                value: job,
            },
        )?,
    ])
    .await?;
    Err(Failure::Crm(error))
}

pub(crate) fn delete_meta<V>(meta: Meta<'_>) -> Write<V> {
    Write::Delete {
        store: Store::Meta,
        key: Key::Text(meta.key()),
    }
}
