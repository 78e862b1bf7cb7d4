//! The outbox's decisions for one flush: a batch of items bound for one org goes through a
//! few requests (checks for writes whose answer was lost, creates, links); the core says
//! which request comes next and what each answer means for each item. The extension only
//! performs the requests and stores what the batch ends with.

mod dynamics;
pub mod retry;
mod salesforce;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use retry::{outcome_of, retry_delay_ms, Outcome};

use super::item::{LoggedItem, Target};
use super::salesforce::NoteStyle;
use crate::crm::{Crm, CrmError, HttpRequest};

/// Most items in one flush: a Salesforce collection holds 200 records (A6).
pub const MAX_BATCH: usize = 200;

/// An item on its way to the CRM.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub item: LoggedItem,
    pub target: Target,
    /// An earlier try may have reached the CRM without us hearing back: look before writing.
    #[serde(default)]
    pub uncertain: bool,
    #[serde(default)]
    pub progress: Progress,
}

/// Steps already done for an item, so a retry does only what is left.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Salesforce: the note's ContentNote, made before its link to the record.
    #[serde(default)]
    pub note_id: Option<String>,
    /// Dataverse: the activity row exists; only closing it is left.
    #[serde(default)]
    pub created: bool,
}

/// One flush to one org. Passed back and forth through the extension between requests.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Batch {
    pub crm: Crm,
    pub api_host: String,
    /// Salesforce's Bearer token (Dataverse uses the browser's cookies).
    #[serde(default)]
    pub token: Option<String>,
    pub entries: Vec<Entry>,
    /// Each item's result, once known; a flush ends when every item has one.
    #[serde(default)]
    pub outcomes: BTreeMap<String, Outcome>,
    #[serde(default)]
    step: Step,
    /// Item ids in the request now in flight, in request order.
    #[serde(default)]
    in_flight: Vec<String>,
    /// How many requests this flush sent.
    #[serde(default)]
    pub requests: u32,
    /// Salesforce: notes as ContentNotes (default) or classic Notes.
    #[serde(default)]
    pub notes: NoteStyle,
}

/// Where a flush is. Salesforce goes through every step; Dataverse only `Create`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum Step {
    #[default]
    CheckTasks,
    CheckNotes,
    CheckLinks,
    Create,
    Link,
    Done,
}

impl Batch {
    pub fn new(crm: Crm, api_host: &str, token: Option<String>, entries: Vec<Entry>) -> Batch {
        Batch {
            crm,
            api_host: api_host.to_string(),
            token,
            entries,
            outcomes: BTreeMap::new(),
            step: if crm == Crm::Dynamics {
                Step::Create
            } else {
                Step::default()
            },
            in_flight: Vec::new(),
            requests: 0,
            notes: NoteStyle::default(),
        }
    }

    /// For an org whose notes are classic Notes.
    pub fn with_notes(mut self, notes: NoteStyle) -> Batch {
        self.notes = notes;
        self
    }

    /// The next request to send, or `None` when every item has its outcome.
    pub fn next_request(&mut self) -> Option<HttpRequest> {
        while self.step != Step::Done {
            let request = match self.crm {
                Crm::Salesforce => salesforce::request(self),
                Crm::Dynamics => dynamics::request(self),
            };
            if let Some(request) = request {
                self.requests += 1;
                return Some(request);
            }
            self.step = self.following_step();
        }
        None
    }

    /// Reads the answer to the request `next_request` gave.
    pub fn read_response(&mut self, status: u16, body: &str, retry_after: Option<u32>) {
        match self.crm {
            Crm::Salesforce => salesforce::read(self, status, body, retry_after),
            Crm::Dynamics => dynamics::read(self, status, body, retry_after),
        }
        self.in_flight.clear();
        self.step = self.following_step();
    }

    fn following_step(&self) -> Step {
        match (self.crm, self.step) {
            (_, Step::Done) | (Crm::Dynamics, _) | (Crm::Salesforce, Step::Link) => Step::Done,
            (Crm::Salesforce, Step::CheckTasks) => Step::CheckNotes,
            (Crm::Salesforce, Step::CheckNotes) => Step::CheckLinks,
            (Crm::Salesforce, Step::CheckLinks) => Step::Create,
            (Crm::Salesforce, Step::Create) => Step::Link,
        }
    }

    /// Items the request in flight may write (not the look-ups): they are marked uncertain
    /// in the store before it is sent, so a worker stopped mid-request looks before writing.
    pub fn writing(&self) -> Vec<String> {
        if self.step < Step::Create {
            return Vec::new();
        }
        let mut ids: Vec<String> = self
            .in_flight
            .iter()
            .map(|p| {
                p.split_once(':')
                    .map_or(p.as_str(), |(id, _)| id)
                    .to_string()
            })
            .collect();
        ids.dedup();
        ids
    }

    /// Items still without an outcome.
    fn open(&self) -> impl Iterator<Item = (usize, &Entry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !self.outcomes.contains_key(&e.item.id))
    }

    fn entry_mut(&mut self, id: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.item.id == id)
    }

    /// A whole request failed (no session, throttled, CRM down, connection lost): every item
    /// still open gets that outcome and the flush ends. Items in the lost request may have
    /// been written anyway, so their next try looks first.
    fn fail_all(&mut self, error: CrmError) {
        // No answer, a server failure, or a success we could not read: it may have landed.
        let maybe_committed = error.status == 0 || error.status >= 500 || error.status < 300;
        if maybe_committed {
            for id in self.in_flight.clone() {
                if let Some(entry) = self.entry_mut(&id) {
                    entry.uncertain = true;
                }
            }
        }
        let open: Vec<String> = self.open().map(|(_, e)| e.item.id.clone()).collect();
        for id in open {
            self.outcomes.insert(id, outcome_of(error.clone()));
        }
        self.step = Step::Done;
    }
}

/// Hex of a 64-bit FNV-1a hash: a stable multipart boundary from the batch's item ids.
fn stable_tag(parts: impl Iterator<Item = impl AsRef<str>>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.as_ref().bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
