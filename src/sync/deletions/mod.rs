//! Records that left the CRM: the step of a sync, after every object's pages, that finds the
//! records deleted (or merged away) since the local copy was made, so their matches and
//! badges go. Salesforce tells through each object's `deleted` resource (CRM-APIS A20),
//! Dataverse through change tracking's delta links (B18). When the CRM can no longer tell
//! (its delete log was purged or is older than it keeps, a delta link expired, a table is
//! not tracked), every id is listed again and the local records the CRM no longer has leave:
//! an id reconcile, page by page like any other read.
//!
//! This module is pure: which request to send next, and what its answer means.

pub mod dynamics;
pub mod ids;
pub mod salesforce;
pub mod stored;

use serde::{Deserialize, Serialize};

use crate::crm::salesforce::Session;
use crate::crm::{Crm, CrmError, HttpRequest};
pub use crate::utc::utc_minute;

/// How far back a Salesforce delete log is asked at most: it keeps 15 days (A20); a local
/// copy checked longer ago than this is reconciled instead.
const SALESFORCE_REACH_MS: f64 = 14.0 * DAY_MS;
/// Salesforce refuses a window shorter than a minute and ignores seconds (A20): a sync
/// sooner than this after the last check leaves the check to the next one.
const SHORTEST_WINDOW_MS: f64 = 2.0 * 60_000.0;
/// Clocks differ: a first sync counts deletions from a little before it started.
const CLOCK_MARGIN_MS: f64 = 5.0 * 60_000.0;
/// A Dataverse table without change tracking is reconciled at most this often.
const UNTRACKED_RECONCILE_MS: f64 = DAY_MS;
const DAY_MS: f64 = 86_400_000.0;

/// What the org's local copy knows of deletions (`deletions:<apiHost>` in `meta`).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Mark {
    /// Salesforce: deletions are known up to this UTC minute (`2026-11-24T08:00:00Z`).
    pub checked_until: Option<String>,
    /// Dataverse: each object's delta link, in `SYNC_ORDER` order (`None`: its table's
    /// changes are not tracked).
    pub delta_links: Vec<Option<String>>,
    /// When the last id reconcile ended, ms since the epoch.
    pub reconciled_at: Option<u64>,
}

/// Where the step stands; stored in the sync's checkpoint after every answer, as a flat
/// [`stored::PhaseRecord`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "stored::PhaseRecord", into = "stored::PhaseRecord")]
pub enum Phase {
    /// Salesforce: every object's records deleted from `start` to `end`, in one composite
    /// call; `reconcile_since` is where a reconcile would count from if the log falls short.
    Deleted {
        start: String,
        end: String,
        reconcile_since: String,
    },
    /// Dataverse: every tracked object's changes since its delta link, in one `$batch`
    /// (`reconciled_at` is kept for the mark).
    Delta {
        links: Vec<Option<String>>,
        reconciled_at: Option<u64>,
    },
    /// Dataverse: the further pages of objects' changes (`(object, url)`), then `links`.
    DeltaPages {
        pending: Vec<(usize, String)>,
        links: Vec<Option<String>>,
        reconciled_at: Option<u64>,
    },
    /// The reconcile: every id of `SYNC_ORDER[object]`, page by page; `pages` are stored so
    /// far. Dataverse's listing also sets up each object's delta link (`links`), unless
    /// tracking was refused for this object (`tracked` false).
    Ids {
        object: usize,
        next: Option<String>,
        pages: u32,
        since: String,
        links: Vec<Option<String>>,
        tracked: bool,
    },
    /// Every id is listed: the local records the CRM no longer has leave.
    Sweep {
        pages: u32,
        since: String,
        links: Vec<Option<String>>,
    },
}

/// How the step begins.
#[derive(Debug, Clone, PartialEq)]
pub enum Start {
    Ask(Phase),
    /// Nothing to ask now; this mark is stored.
    Done(Mark),
}

/// What the sync knows when the step begins.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub crm: Crm,
    pub now_ms: f64,
    /// When this sync began (0 when unknown).
    pub started_ms: f64,
    /// Every object was read from the beginning (no watermark): the local copy is new.
    pub first_sync: bool,
}

/// The first phase, from the stored mark.
pub fn start(context: Context, mark: Option<&Mark>) -> Start {
    match context.crm {
        Crm::Salesforce => salesforce::start(context, mark),
        Crm::Dynamics => dynamics::start(context, mark),
    }
}

/// What one answer held.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    /// Records the CRM deleted (ids; ids the local copy lacks are ignored).
    pub removed: Vec<String>,
    /// A page of the reconcile: ids the CRM still has.
    pub listed: Option<Vec<String>>,
    /// The next phase; `None` once the step is done (then `mark` is stored).
    pub next: Option<Phase>,
    pub mark: Option<Mark>,
}

impl Found {
    /// Nothing found yet; the step goes on with `next`.
    pub fn then(next: Phase) -> Found {
        Found {
            next: Some(next),
            ..Found::default()
        }
    }

    /// The step is done: `mark` is stored.
    pub fn done(mark: Mark) -> Found {
        Found {
            mark: Some(mark),
            ..Found::default()
        }
    }
}

/// The request of a phase that asks the CRM (`Sweep` asks nothing).
pub fn request(
    phase: &Phase,
    api_host: &crate::crm::OrgHost,
    session: Option<&Session>,
) -> Result<Option<HttpRequest>, CrmError> {
    match phase {
        Phase::Deleted { start, end, .. } => {
            let session = session.ok_or_else(crate::crm::salesforce::no_session)?;
            Ok(Some(salesforce::deleted_request(session, start, end)))
        }
        Phase::Delta { links, .. } => Ok(dynamics::delta_request(api_host, links)),
        Phase::DeltaPages { pending, .. } => {
            Ok(pending.first().map(|(_, url)| dynamics::page_request(url)))
        }
        Phase::Ids {
            object,
            next,
            tracked,
            ..
        } => ids::request(api_host, session, *object, next, *tracked).map(Some),
        Phase::Sweep { .. } => Ok(None),
    }
}

/// Reads the answer to [`request`]'s request.
pub fn read(
    phase: &Phase,
    api_host: &crate::crm::OrgHost,
    status: u16,
    body: &str,
) -> Result<Found, CrmError> {
    match phase {
        Phase::Deleted {
            start,
            end,
            reconcile_since,
        } => salesforce::read_deleted(start, end, reconcile_since, status, body),
        Phase::Delta {
            links,
            reconciled_at,
        } => dynamics::read_delta(api_host, links, *reconciled_at, status, body),
        Phase::DeltaPages {
            pending,
            links,
            reconciled_at,
        } => dynamics::read_page(api_host, pending, links, *reconciled_at, status, body),
        Phase::Ids {
            object,
            pages,
            since,
            links,
            tracked,
            ..
        } => {
            let at = ids::Listing {
                object: *object,
                pages: *pages,
                since,
                links,
                tracked: *tracked,
            };
            ids::read(api_host, at, status, body)
        }
        Phase::Sweep { .. } => Err(CrmError::unexpected(0, "a sweep asks nothing")),
    }
}

/// The reconcile, from its first object.
pub fn reconcile(since: String) -> Phase {
    Phase::Ids {
        object: 0,
        next: None,
        pages: 0,
        since,
        links: Vec::new(),
        tracked: true,
    }
}

/// The mark a finished reconcile leaves.
pub fn reconciled(crm: Crm, since: &str, links: &[Option<String>], now_ms: f64) -> Mark {
    Mark {
        checked_until: (crm == Crm::Salesforce).then(|| since.to_string()),
        delta_links: links.to_vec(),
        reconciled_at: Some(now_ms as u64),
    }
}
