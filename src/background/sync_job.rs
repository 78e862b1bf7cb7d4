//! One org's sync as a resumable state machine. The whole state is this value: it is stored
//! after every page (in the same transaction as the page's records), so a worker the browser
//! stopped mid-sync resumes at the next page instead of starting over, and a sync is only
//! ever "running" while a worker is driving it.

use serde::{Deserialize, Serialize};

use crate::crm::{Crm, CrmError, RecordType};
use crate::sync::deletions::Phase;
use crate::sync::{self, Cursor, SyncPage, SYNC_ORDER};

/// What a sync is doing now.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "step",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Step {
    /// Reading the pages of `SYNC_ORDER[object]`, from `watermark` (inclusive).
    Fetch {
        object: usize,
        watermark: Option<String>,
        /// The next page's URL; `None` before the first page.
        next: Option<String>,
        /// The newest modification time seen so far for this object.
        newest: Option<String>,
    },
    /// Every object is read: the records the CRM deleted meanwhile leave
    /// ([`crate::sync::deletions`]; the job's `deletions` says where that stands).
    Deletions,
    /// All pages are stored: rebuild the people index and every match.
    Link,
}

/// The checkpoint stored under `syncJob:<apiHost>`.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncJob {
    pub crm: Crm,
    pub api_host: String,
    /// The host the user signed in on (Salesforce's session cookie is read there).
    pub page_host: String,
    /// The cookie store of the tab that started the sync.
    #[serde(default)]
    pub cookie_store: Option<String>,
    pub step: Step,
    /// Requests sent and records changed so far.
    pub requests: u32,
    pub changed: u32,
    /// A resumed next link that failed already restarted its object once.
    #[serde(default)]
    pub restarted: bool,
    /// This sync read the org's seat view already (a worker stopped mid-sync resumes
    /// without reading it again; a sync that failed reads it again when it is retried).
    #[serde(default)]
    pub picked_up: bool,
    /// When the sync began, ms since the epoch (0: before this was kept).
    #[serde(default)]
    pub started_at: u64,
    /// Some object was read from a watermark: the local copy is older than this sync.
    #[serde(default)]
    pub incremental: bool,
    /// Records that left on the objects' pages (merged away), removed with the deletions
    /// step's first answer.
    #[serde(default)]
    pub merged: Vec<String>,
    /// The deletions step's phase; `None` until its first request is chosen.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "PhaseRecord | undefined"))]
    pub deletions: Option<Phase>,
    /// The records this sync changed or removed, for the index's update in place; `None`
    /// once there are too many for that to pay (and in a checkpoint from before this was
    /// kept): the index is then built again.
    #[serde(default)]
    pub touched: Option<Vec<String>>,
    #[serde(default)]
    pub spent: Spent,
}

/// Milliseconds a sync spent waiting for the CRM, storing what it read (parsing included),
/// and matching at the end.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Spent {
    pub network_ms: u64,
    pub store_ms: u64,
    pub link_ms: u64,
}

impl Spent {
    /// Adds the milliseconds since `since` (a `now_ms` reading) to one of the counters.
    pub fn add(counter: &mut u64, since: f64, now: f64) {
        *counter += (now - since).max(0.0) as u64;
    }
}

/// Beyond this many touched records the index is built again rather than updated.
const TOUCHED_MAX: usize = 2_000;

/// What to do after a page was read.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// Store these records (only those whose modification time moved, once the caller has
    /// compared them, when `compare` is set) and continue with the job.
    Page {
        page: SyncPage,
        compare: bool,
        /// An object finished: its watermark to store.
        watermark: Option<(RecordType, Option<String>)>,
    },
    /// The page failed; the job to keep (it may be resumed later) and the error to report.
    Failed(CrmError),
}

impl SyncJob {
    pub fn new(crm: Crm, api_host: &str, page_host: &str, cookie_store: Option<String>) -> Self {
        SyncJob {
            crm,
            api_host: api_host.to_string(),
            page_host: page_host.to_string(),
            cookie_store,
            step: Step::Fetch {
                object: 0,
                watermark: None,
                next: None,
                newest: None,
            },
            requests: 0,
            changed: 0,
            restarted: false,
            picked_up: false,
            started_at: 0,
            incremental: false,
            merged: Vec::new(),
            deletions: None,
            touched: Some(Vec::new()),
            spent: Spent::default(),
        }
    }

    /// Notes records this sync changed or removed.
    pub fn touch<'a>(&mut self, ids: impl IntoIterator<Item = &'a String>) {
        let Some(touched) = &mut self.touched else {
            return;
        };
        for id in ids {
            if touched.len() == TOUCHED_MAX {
                self.touched = None;
                return;
            }
            if !touched.contains(id) {
                touched.push(id.clone());
            }
        }
    }

    /// The object whose watermark must be read before its first page, if the job stands at
    /// the start of one.
    pub fn needs_watermark(&self) -> Option<RecordType> {
        match &self.step {
            Step::Fetch {
                object,
                next: None,
                watermark: None,
                newest: None,
            } => SYNC_ORDER.get(*object).copied(),
            _ => None,
        }
    }

    /// Starts the current object from its stored watermark.
    pub fn with_watermark(mut self, watermark: Option<String>) -> Self {
        self.incremental |= watermark.is_some();
        if let Step::Fetch {
            watermark: w,
            newest,
            ..
        } = &mut self.step
        {
            newest.clone_from(&watermark);
            *w = watermark;
        }
        self
    }

    /// The cursor of the next page, or `None` once every object is read.
    pub fn cursor(&self) -> Option<Cursor> {
        let Step::Fetch {
            object,
            watermark,
            next,
            ..
        } = &self.step
        else {
            return None;
        };
        Some(Cursor {
            crm: self.crm,
            api_host: self.api_host.clone(),
            record_type: *SYNC_ORDER.get(*object)?,
            watermark: watermark.clone(),
            next: next.clone(),
        })
    }

    /// Reads the answer to the current cursor's request and moves the job on.
    pub fn read(&mut self, status: u16, body: &str) -> Progress {
        let Some(cursor) = self.cursor() else {
            return Progress::Failed(CrmError::unexpected(0, "no page was asked for"));
        };
        self.requests += 1;
        match sync::read(&cursor, status, body) {
            Ok(page) => self.advance(page),
            Err(error) if self.can_restart(&cursor, &error) => {
                // A stored next link outlived the CRM's cursor (Salesforce query locators
                // expire after inactivity, CRM-APIS A2): read the object again from its
                // watermark; records already stored are simply put again.
                self.restarted = true;
                if let Step::Fetch {
                    watermark,
                    next,
                    newest,
                    ..
                } = &mut self.step
                {
                    *next = None;
                    newest.clone_from(watermark);
                }
                Progress::Page {
                    page: SyncPage::new(Vec::new(), None),
                    compare: false,
                    watermark: None,
                }
            }
            Err(error) => Progress::Failed(error),
        }
    }

    fn can_restart(&self, cursor: &Cursor, error: &CrmError) -> bool {
        use crate::crm::CrmErrorKind::{NotFound, Unexpected};
        if self.restarted || cursor.next.is_none() {
            return false;
        }
        error.code == "INVALID_QUERY_LOCATOR" || matches!(error.kind, NotFound | Unexpected)
    }

    fn advance(&mut self, page: SyncPage) -> Progress {
        let Step::Fetch {
            object,
            watermark,
            next,
            newest,
        } = &mut self.step
        else {
            return Progress::Failed(CrmError::unexpected(0, "not fetching"));
        };
        let compare = watermark.is_some();
        *newest = sync::later(newest.take(), page.newest.clone());
        let record_type = SYNC_ORDER[*object];
        let done_object = page.next.is_none();
        *next = page.next.as_ref().and_then(|c| c.next.clone());
        let finished = done_object.then(|| (record_type, newest.clone()));
        if done_object {
            let following = *object + 1;
            self.restarted = false;
            self.step = if following < SYNC_ORDER.len() {
                Step::Fetch {
                    object: following,
                    watermark: None,
                    next: None,
                    newest: None,
                }
            } else {
                Step::Deletions
            };
        }
        Progress::Page {
            page,
            compare,
            watermark: finished,
        }
    }

    /// How far the sync is, for the panel: objects done of all.
    pub fn objects_done(&self) -> usize {
        match self.step {
            Step::Fetch { object, .. } => object,
            Step::Deletions | Step::Link => SYNC_ORDER.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> SyncJob {
        SyncJob::new(
            Crm::Dynamics,
            "acme.crm.dynamics.com",
            "acme.crm.dynamics.com",
            None,
        )
    }

    fn page(next: Option<&str>, ids: &[&str]) -> String {
        let values: Vec<String> = ids
            .iter()
            .map(|id| {
                format!(
                    r#"{{"accountid":"{id}","name":"N {id}","modifiedon":"2026-11-0{}T00:00:00Z"}}"#,
                    id.len()
                )
            })
            .collect();
        let next = next.map_or(String::new(), |n| format!(r#","@odata.nextLink":"{n}""#));
        format!(r#"{{"value":[{}]{next}}}"#, values.join(","))
    }

    #[test]
    fn a_job_walks_every_object_then_links() {
        let mut job = job();
        assert_eq!(job.needs_watermark(), Some(RecordType::Account));
        let mut seen = Vec::new();
        while let Some(cursor) = job.cursor() {
            seen.push(cursor.record_type);
            let body = if cursor.record_type == RecordType::Account {
                page(None, &["a1"])
            } else {
                r#"{"value":[]}"#.to_string()
            };
            assert!(matches!(job.read(200, &body), Progress::Page { .. }));
        }
        assert_eq!(seen, SYNC_ORDER.to_vec());
        assert_eq!(
            (job.step.clone(), job.deletions.clone()),
            (Step::Deletions, None)
        );
        assert_eq!(job.requests, 4);
        assert!(!job.incremental, "every object was read from the start");
    }

    #[test]
    fn the_checkpoint_holds_the_next_page_and_survives_a_round_trip() {
        let mut job = job();
        let next = "https://acme.crm.dynamics.com/api/data/v9.2/accounts?$skiptoken=x";
        let Progress::Page { watermark, .. } = job.read(200, &page(Some(next), &["a1"])) else {
            panic!("page expected")
        };
        assert_eq!(watermark, None, "the object is not done");
        let stored = serde_json::to_string(&job).unwrap();
        let resumed: SyncJob = serde_json::from_str(&stored).unwrap();
        assert_eq!(resumed.cursor().unwrap().next.as_deref(), Some(next));
        assert_eq!(
            resumed.needs_watermark(),
            None,
            "a resumed job keeps its place"
        );
    }

    #[test]
    fn an_object_done_gives_its_newest_time_as_watermark() {
        let mut job = job().with_watermark(Some("2026-11-01T00:00:00Z".into()));
        let Progress::Page {
            watermark, compare, ..
        } = job.read(200, &page(None, &["a1", "a22"]))
        else {
            panic!("page expected")
        };
        assert!(
            compare,
            "an incremental page is compared with what is stored"
        );
        assert_eq!(
            watermark,
            Some((RecordType::Account, Some("2026-11-03T00:00:00Z".into())))
        );
        assert_eq!(job.needs_watermark(), Some(RecordType::Contact));
    }

    #[test]
    fn an_expired_next_link_restarts_its_object_once() {
        let mut job = job().with_watermark(Some("2026-11-01T00:00:00Z".into()));
        job.step = Step::Fetch {
            object: 0,
            watermark: Some("2026-11-01T00:00:00Z".into()),
            next: Some("https://acme.crm.dynamics.com/api/data/v9.2/accounts?x".into()),
            newest: Some("2026-11-05T00:00:00Z".into()),
        };
        let gone = r#"{"error":{"code":"0x80040217","message":"gone"}}"#;
        assert!(matches!(job.read(404, gone), Progress::Page { .. }));
        let cursor = job.cursor().unwrap();
        assert_eq!(cursor.next, None);
        assert_eq!(cursor.watermark.as_deref(), Some("2026-11-01T00:00:00Z"));
        job.step = Step::Fetch {
            object: 0,
            watermark: None,
            next: Some("https://acme.crm.dynamics.com/api/data/v9.2/accounts?x".into()),
            newest: None,
        };
        assert!(
            matches!(job.read(404, gone), Progress::Failed(_)),
            "only once"
        );
    }

    #[test]
    fn a_signed_out_answer_fails_and_keeps_the_place() {
        let mut job = job();
        let before = job.cursor();
        let answer = job.read(401, r#"{"error":{"code":"0x80072322","message":"no"}}"#);
        let Progress::Failed(error) = answer else {
            panic!("failure expected")
        };
        assert_eq!(error.kind, crate::crm::CrmErrorKind::SessionExpired);
        assert_eq!(job.cursor(), before);
    }
}
