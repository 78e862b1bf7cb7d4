//! The outbox driver: queued items (state `queued` in the `items` store) go to their CRM in
//! flushes. A flush takes every due item, groups them by org (and the cookie store they were
//! logged in), and runs up to [`MAX_BATCH`] at a time through [`Batch`]; items a request may
//! write are marked uncertain first, so a lost answer is looked up before writing again.
//! Retries wait with backoff (a timer while the worker lives, the `outbox` alarm when it
//! sleeps); a spent allowance pauses the org; an expired session waits for sign-in, which
//! a `sid` cookie, a panel of the org, a user's Retry or a probe every minute ends.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{activity, panel::OrgSeen, seat, session, settings, Background, Failure};
use crate::activity_model::Reason;
use crate::crm::salesforce::Session;
use crate::crm::{Crm, CrmError};
use crate::host::{Host, HostError, Key, Locked};
use crate::store::{Meta, MetaEntry, Store};
use crate::writeback::outbox::{outcome_of, Batch, Entry, Outcome, MAX_BATCH};
use crate::writeback::salesforce::NoteStyle;
use crate::writeback::{owner, ItemKind, ItemState, StoredItem};

/// The alarm that wakes a stopped worker for the next retry, and the timer that does while
/// it lives.
pub const ALARM: &str = "outbox";
pub const TIMER: &str = "outbox";
/// Items logged in quick succession travel in one batch.
pub const GATHER_MS: f64 = 250.0;
/// How often an org waiting for sign-in is tried again by itself.
pub const SIGN_IN_PROBE_MS: f64 = 60_000.0;
/// Chrome fires alarms at most every 30 s; timers cover sooner retries.
const ALARM_MIN_MS: f64 = 30_000.0;

/// An org's outbox, stored under `outbox:<apiHost>`.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrgOutbox {
    /// Nothing is sent to the org before then (ms): its API allowance is spent.
    pub paused_until: f64,
    /// The session expired: the org waits for the user to sign in again.
    pub needs_sign_in: bool,
    /// The org refuses this session's API calls (CRM-APIS A19): nothing is tried until the
    /// session changes or the user retries, never by a timer.
    pub blocked: bool,
    /// When the org was last tried.
    pub tried_at: f64,
    /// Sign-in may have happened (a cookie, a panel, a Retry): try at the next flush.
    pub woken: bool,
    pub last_error: Option<CrmError>,
}

impl OrgOutbox {
    /// Nothing is sent to the org at `now`.
    pub fn held(&self, now: f64) -> bool {
        self.paused_until > now
            || (self.needs_sign_in && now - self.tried_at < SIGN_IN_PROBE_MS && !self.woken)
            || self.held_until_session()
    }

    /// Refused the session and not woken since: only a new session or a Retry tries again.
    pub fn held_until_session(&self) -> bool {
        self.blocked && !self.woken
    }

    /// After a flush of the org that ended with `problem` (sign in, pause) or none.
    pub fn after_flush(&self, problem: Option<&Outcome>, now: f64) -> OrgOutbox {
        let (paused_until, needs_sign_in, blocked, error) = match problem {
            Some(Outcome::Pause { error, seconds }) => (
                now + *seconds as f64 * 1000.0,
                false,
                false,
                Some(error.clone()),
            ),
            Some(Outcome::SignIn { error }) => (0.0, true, false, Some(error.clone())),
            Some(Outcome::Blocked { error }) => (0.0, false, true, Some(error.clone())),
            _ => (0.0, false, false, None),
        };
        let recovered = self.needs_sign_in || self.blocked || self.paused_until > 0.0;
        OrgOutbox {
            paused_until,
            needs_sign_in,
            blocked,
            tried_at: now,
            woken: false,
            last_error: error.or_else(|| {
                if recovered {
                    None
                } else {
                    self.last_error.clone()
                }
            }),
        }
    }
}

/// What the panel shows about a page's org: this org's waiting items only.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxView {
    pub waiting: u32,
    pub needs_sign_in: bool,
    pub blocked: bool,
    pub paused_until: f64,
    pub last_error: Option<CrmError>,
}

/// Flush after `delay_ms` (calls within a moment share one flush).
pub fn wake<H: Host>(host: &H, delay_ms: f64) {
    host.set_timer(TIMER, Some(delay_ms));
}

pub async fn org_state<H: Host>(host: &H, api_host: &str) -> Result<OrgOutbox, HostError> {
    let key = Key::Text(Meta::Outbox(api_host).key());
    Ok(host
        .get_as::<MetaEntry<OrgOutbox>>(Store::Meta, &key)
        .await
        .ok()
        .flatten()
        .map(|e| e.value)
        .unwrap_or_default())
}

async fn set_org_state<H: Host>(
    host: &H,
    api_host: &str,
    value: OrgOutbox,
) -> Result<(), HostError> {
    let entry = MetaEntry {
        key: Meta::Outbox(api_host).key(),
        value,
    };
    host.write(vec![host.put(Store::Meta, &entry)?]).await
}

/// The page's org as the panel needs it (no org: nothing waits there).
pub async fn view<H: Host>(
    host: &H,
    api_host: Option<&str>,
    known: Option<OrgOutbox>,
) -> Result<OutboxView, HostError> {
    let Some(api_host) = api_host else {
        return Ok(OutboxView::default());
    };
    let waiting = activity::items_in(host, ItemState::Queued)
        .await?
        .iter()
        .filter(|i| i.about.api_host.as_deref() == Some(api_host))
        .count() as u32;
    let org = match known {
        Some(org) => org,
        None => org_state(host, api_host).await?,
    };
    Ok(OutboxView {
        waiting,
        needs_sign_in: org.needs_sign_in,
        blocked: org.blocked,
        paused_until: org.paused_until,
        last_error: org.last_error,
    })
}

/// Runs one flush at a time; a flush asked for during one runs right after it. The rare
/// module sends (rare.rs): the items lock it changes items under is the host's, shared by both.
pub async fn flush<H: Host>(bg: &Background<H>) -> Result<(), HostError> {
    if bg.flushing.get() {
        bg.flush_again.set(true);
        return Ok(());
    }
    bg.flushing.set(true);
    let result = loop {
        let result = super::rare::work(bg, &super::rare::Work::Flush)
            .await
            .map(drop);
        if result.is_err() || !bg.flush_again.replace(false) {
            break result;
        }
    };
    bg.flushing.set(false);
    result
}

/// The rare module's side of [`flush`]: sends the due items.
pub async fn flush_due<H: Host>(bg: &Background<H>) -> Result<(), HostError> {
    let host = &bg.host;
    let now = host.now_ms();
    // Read again at every flush: the never-log list or the allowed orgs may have changed
    // since an item was queued. Items of an org no longer allowed wait, queued.
    // Each org's own settings, and whether CRM sync is on for the user there.
    // (A few orgs: a list, not a map, keeps the wasm smaller.)
    let mut orgs: Vec<(String, settings::ForOrg)> = Vec::new();
    let mut by_org: BTreeMap<(String, Option<String>), Vec<StoredItem>> = BTreeMap::new();
    // Queued items that now stay on this computer, each with its reason.
    let mut kept = Vec::new();
    for item in activity::items_in(host, ItemState::Queued).await? {
        let Some(api_host) = item.about.api_host.clone() else {
            continue;
        };
        if !item.is_due(now) {
            continue;
        }
        let known = orgs.iter().position(|(host, _)| *host == api_host);
        let at = match known {
            Some(at) => at,
            None => {
                orgs.push((api_host.clone(), settings::for_org(bg, &api_host).await?));
                orgs.len() - 1
            }
        };
        let scope = &orgs[at].1;
        if !scope.all.org_allowed(&api_host) {
            continue;
        }
        if !scope.access.enabled() {
            kept.push((item.id().to_string(), seat::reason(scope.access)));
            continue;
        }
        if settings::never_logged(host, &scope.all, &item.about).await {
            kept.push((item.id().to_string(), Reason::NeverLogged));
            continue;
        }
        let group = (api_host, item.cookie_store.clone());
        by_org.entry(group).or_default().push(item);
    }
    seat::keep_here(bg, &kept).await?;
    for ((api_host, cookie_store), items) in by_org {
        if org_state(host, &api_host).await?.held(now) {
            continue;
        }
        flush_org(bg, &api_host, cookie_store.as_deref(), items).await?;
    }
    schedule(host, &settings::current(bg).await?).await
}

/// The org's session, found with no page open (the page host the panel saw there).
async fn session_of<H: Host>(
    host: &H,
    item: &StoredItem,
    api_host: &str,
    cookie_store: Option<&str>,
) -> Result<Option<Session>, HostError> {
    if item.about.crm != Some(Crm::Salesforce) {
        return Ok(None);
    }
    let page_host = match &item.about.page_host {
        Some(page_host) => Some(page_host.clone()),
        None => host
            .get_as::<MetaEntry<OrgSeen>>(Store::Meta, &Key::Text(Meta::Org(api_host).key()))
            .await
            .ok()
            .flatten()
            .map(|e| e.value.page_host),
    };
    Ok(match page_host {
        Some(page_host) => session::salesforce(host, &page_host, api_host, cookie_store).await,
        None => None,
    })
}

/// The seat holder's CRM user id (asked once per org, then remembered).
pub async fn owner_of<H: Host>(
    host: &H,
    crm: Crm,
    api_host: &str,
    session: Option<&Session>,
) -> Result<String, Failure> {
    let key = Meta::Owner(api_host).key();
    if let Some(known) = remembered(host, &key).await {
        return Ok(known);
    }
    let request = owner::request(crm, api_host, session)?;
    let answer = host.fetch(&request).await;
    let owner = owner::read(crm, answer.status, &answer.body, answer.retry_after)?;
    remember(host, key, &owner).await?;
    Ok(owner)
}

/// How a Salesforce org keeps notes (Lightning or classic), asked once and remembered.
pub async fn notes_of<H: Host>(
    host: &H,
    crm: Crm,
    api_host: &str,
    session: Option<&Session>,
) -> Result<NoteStyle, Failure> {
    if crm != Crm::Salesforce {
        return Ok(NoteStyle::default());
    }
    let key = Meta::Notes(api_host).key();
    if let Some(known) = remembered(host, &key).await {
        return Ok(known);
    }
    let session = session.ok_or_else(crate::crm::salesforce::no_session)?;
    let answer = host.fetch(&owner::notes_request(session)).await;
    let notes = owner::read_notes(answer.status, &answer.body)?;
    remember(host, key, &notes).await?;
    Ok(notes)
}

/// What the org's `meta` entry `key` remembers, if it is there and readable.
pub(super) async fn remembered<H: Host, T: serde::de::DeserializeOwned>(
    host: &H,
    key: &str,
) -> Option<T> {
    host.get_as::<MetaEntry<T>>(Store::Meta, &Key::Text(key.to_string()))
        .await
        .ok()
        .flatten()
        .map(|e| e.value)
}

pub(super) async fn remember<H: Host, T: Serialize>(
    host: &H,
    key: String,
    value: &T,
) -> Result<(), HostError> {
    let entry = MetaEntry { key, value };
    host.write(vec![host.put(Store::Meta, &entry)?]).await
}

async fn flush_org<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    cookie_store: Option<&str>,
    items: Vec<StoredItem>,
) -> Result<(), HostError> {
    let host = &bg.host;
    let Some(crm) = items[0].about.crm else {
        return Ok(());
    };
    let reachable = match crm {
        Crm::Dynamics => session::dynamics(cookie_store),
        Crm::Salesforce => session::salesforce_reachable(api_host),
    };
    if let Err(error) = reachable {
        return settle_all(bg, api_host, &items, error).await;
    }
    let session = session_of(host, &items[0], api_host, cookie_store).await?;
    let owner = match owner_of(host, crm, api_host, session.as_ref()).await {
        Ok(owner) => owner,
        Err(Failure::Crm(error)) => return settle_all(bg, api_host, &items, error).await,
        Err(Failure::Host(error)) => return Err(error),
    };
    let notes = if items.iter().any(|i| i.item.kind == ItemKind::Note) {
        match notes_of(host, crm, api_host, session.as_ref()).await {
            Ok(notes) => notes,
            Err(Failure::Crm(error)) => return settle_all(bg, api_host, &items, error).await,
            Err(Failure::Host(error)) => return Err(error),
        }
    } else {
        NoteStyle::default()
    };
    let token = session.map(|s| s.token);
    for chunk in items.chunks(MAX_BATCH) {
        let entries = chunk.iter().filter_map(|i| i.entry(&owner)).collect();
        let batch = Batch::new(crm, api_host, token.clone(), entries).with_notes(notes);
        let batch = send_batch(host, batch, Some(bg)).await?;
        let ids: Vec<String> = chunk.iter().map(|i| i.id().to_string()).collect();
        if settle(bg, api_host, &ids, &batch.entries, &batch.outcomes).await? {
            break;
        }
    }
    Ok(())
}

/// Runs a batch to its end. With `marking`, the items a request may write are marked
/// uncertain in the store before it is sent, so if the worker stops before the answer, the
/// next flush looks before writing again (Test Write-Back's items are not stored: none).
pub async fn send_batch<H: Host>(
    host: &H,
    mut batch: Batch,
    marking: Option<&Background<H>>,
) -> Result<Batch, HostError> {
    while let Some(request) = batch.next_request() {
        let writing = batch.writing();
        if let (Some(bg), false) = (marking, writing.is_empty()) {
            mark_uncertain(bg, &writing).await?;
        }
        host.keep_alive().await;
        let answer = host.fetch(&request).await;
        if marking.is_some() {
            if let Some(usage) = super::budget::noted(host, &batch.api_host, &answer).await? {
                host.write(vec![usage]).await?;
            }
        }
        batch.read_response(answer.status, &answer.body, answer.retry_after);
    }
    Ok(batch)
}

async fn mark_uncertain<H: Host>(bg: &Background<H>, ids: &[String]) -> Result<(), HostError> {
    let _items = bg.host.lock(Locked::Items).await;
    let host = &bg.host;
    let mut writes = Vec::new();
    for mut item in activity::items_by_id(host, ids).await? {
        if item.mark_uncertain() {
            writes.push(host.put(Store::Items, &item)?);
        }
    }
    host.write(writes).await
}

/// Stores what a batch ended with, item by item (from their current state: one discarded
/// or re-targeted meanwhile is left as it is), with audit rows for what was written, and
/// the org's state. Returns true when the org cannot take more now (sign in, pause).
async fn settle<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    ids: &[String],
    entries: &[Entry],
    outcomes: &BTreeMap<String, Outcome>,
) -> Result<bool, HostError> {
    let host = &bg.host;
    let now = host.now_ms();
    let mut problem = None;
    let mut changed = Vec::new();
    {
        let _items = bg.host.lock(Locked::Items).await;
        let mut writes = Vec::new();
        for mut item in activity::items_by_id(host, ids).await? {
            let entry = entries.iter().find(|e| e.item.id == item.id());
            let outcome = outcomes.get(item.id());
            if item.settle(entry, outcome, now, host.random()).is_err() {
                continue;
            }
            if matches!(
                outcome,
                Some(Outcome::SignIn { .. } | Outcome::Pause { .. } | Outcome::Blocked { .. })
            ) {
                problem = outcome.cloned();
            }
            writes.push(host.put(Store::Items, &item)?);
            if item.state == ItemState::Written {
                writes.push(host.put(Store::Audit, &item.audit())?);
            }
            changed.push(item.id().to_string());
        }
        host.write(writes).await?;
    }
    let org = org_state(host, api_host).await?;
    set_org_state(host, api_host, org.after_flush(problem.as_ref(), now)).await?;
    activity::items_changed(bg, changed).await?;
    Ok(problem.is_some())
}

/// A whole org failed before any batch (no session, no owner): every item takes that outcome.
async fn settle_all<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    items: &[StoredItem],
    error: CrmError,
) -> Result<(), HostError> {
    let outcome = outcome_of(error);
    let ids: Vec<String> = items.iter().map(|i| i.id().to_string()).collect();
    let outcomes = ids.iter().map(|id| (id.clone(), outcome.clone())).collect();
    settle(bg, api_host, &ids, &[], &outcomes).await.map(drop)
}

/// Wakes at the next due retry (or sign-in probe): a timer while the worker lives, an alarm
/// if it sleeps. Nothing queued: neither.
async fn schedule<H: Host>(host: &H, all: &crate::settings::Resolved) -> Result<(), HostError> {
    let queued = activity::items_in(host, ItemState::Queued).await?;
    let now = host.now_ms();
    // Items of an org the settings keep out wait for a policy change, and those of an org
    // that refuses the session for a new session or a Retry: not for a timer.
    let mut held: Vec<(&str, bool)> = Vec::new();
    for api_host in queued.iter().filter_map(|i| i.about.api_host.as_deref()) {
        if !held.iter().any(|(h, _)| *h == api_host) {
            let until_session = org_state(host, api_host).await?.held_until_session();
            held.push((api_host, until_session));
        }
    }
    let waiting = queued.iter().filter(|i| {
        i.about
            .api_host
            .as_deref()
            .is_some_and(|h| all.org_allowed(h) && held.contains(&(h, false)))
    });
    let Some(due) = waiting.map(|i| i.next_attempt_at).reduce(f64::min) else {
        host.set_alarm(ALARM, None);
        host.set_timer(TIMER, None);
        return Ok(());
    };
    let next = due.max(now).min(now + SIGN_IN_PROBE_MS);
    wake(host, (next - now).max(GATHER_MS));
    host.set_alarm(ALARM, Some(next.max(now + ALARM_MIN_MS)));
    Ok(())
}

/// The user signed in again: an org waiting on sign-in, or refused its last session, is
/// tried at once.
pub async fn session_seen<H: Host>(
    bg: &Background<H>,
    api_host: &str,
) -> Result<OrgOutbox, HostError> {
    let org = org_state(&bg.host, api_host).await?;
    wake_if_waiting(bg, api_host, org).await
}

/// A panel read a record of this org (so its session works): `org`, its outbox as just read,
/// is tried at once if it waits on sign-in or was refused its last session.
pub async fn wake_if_waiting<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    org: OrgOutbox,
) -> Result<OrgOutbox, HostError> {
    if !org.needs_sign_in && !org.blocked {
        return Ok(org);
    }
    let woken = OrgOutbox { woken: true, ..org };
    set_org_state(&bg.host, api_host, woken.clone()).await?;
    wake(&bg.host, 0.0);
    Ok(woken)
}

/// The user asked to retry: an org paused or waiting for sign-in is tried once now.
pub async fn resume_org<H: Host>(bg: &Background<H>, api_host: &str) -> Result<(), HostError> {
    let org = org_state(&bg.host, api_host).await?;
    let resumed = OrgOutbox {
        paused_until: 0.0,
        woken: true,
        ..org
    };
    set_org_state(&bg.host, api_host, resumed).await?;
    wake(&bg.host, 0.0);
    Ok(())
}

/// A cookie changed in the browser: a new Salesforce `sid` in cookie store `store_id` means
/// the user signed in again there, which wakes the orgs waiting to send items logged in that
/// store (an item is sent with its own store's session, never another's).
pub async fn cookie_changed<H: Host>(
    bg: &Background<H>,
    name: &str,
    removed: bool,
    store_id: Option<&str>,
) -> Result<(), HostError> {
    if removed || name != "sid" {
        return Ok(());
    }
    let mut orgs = std::collections::BTreeSet::new();
    for item in activity::items_in(&bg.host, ItemState::Queued).await? {
        if session::same_store(item.cookie_store.as_deref(), store_id) {
            orgs.extend(item.about.api_host);
        }
    }
    for api_host in orgs {
        session_seen(bg, &api_host).await?;
    }
    Ok(())
}
