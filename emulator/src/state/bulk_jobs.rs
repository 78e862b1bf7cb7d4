//! Bulk API 2.0 jobs (CRM-APIS A21): a query job's CSV result rows, an ingest job's upload
//! and per-row outcomes. Jobs live in memory, like an org keeps them for 7 days; a reset
//! forgets them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::locks::lock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Open,
    UploadComplete,
    InProgress,
    JobComplete,
    Failed,
    Aborted,
}

impl JobState {
    pub fn name(self) -> &'static str {
        match self {
            JobState::Open => "Open",
            JobState::UploadComplete => "UploadComplete",
            JobState::InProgress => "InProgress",
            JobState::JobComplete => "JobComplete",
            JobState::Failed => "Failed",
            JobState::Aborted => "Aborted",
        }
    }
}

/// One row an ingest job processed: the uploaded cells and, when it failed, the CRM's error.
#[derive(Debug, Clone)]
pub struct RowOutcome {
    pub id: String,
    pub error: Option<String>,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Ingest {
    pub operation: String,
    pub upload: Option<Vec<u8>>,
    /// The upload's header row.
    pub columns: Vec<String>,
    pub outcomes: Vec<RowOutcome>,
}

#[derive(Debug, Clone)]
pub enum JobKind {
    /// The result's header row, then the records' CSV lines: `body[ends[i-1]..ends[i]]` is
    /// record `i` (each line ending in `\n`).
    Query {
        header: String,
        body: String,
        ends: Vec<usize>,
    },
    Ingest(Ingest),
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub object: String,
    pub created_by: String,
    pub created: String,
    /// `v66.0`: results are read with the version that made the job.
    pub version: String,
    pub state: JobState,
    /// Polls left that still answer `InProgress`: a job takes a moment, as in an org.
    pub polls_in_progress: u32,
    pub error_message: Option<String>,
    pub kind: JobKind,
}

impl Job {
    /// One poll of a job whose work is done: it answers `InProgress` for its first polls,
    /// then `JobComplete`.
    pub fn advance(&mut self) {
        if matches!(self.state, JobState::UploadComplete | JobState::InProgress) {
            if self.polls_in_progress > 0 {
                self.polls_in_progress -= 1;
                self.state = JobState::InProgress;
            } else {
                self.state = JobState::JobComplete;
            }
        }
    }
}

#[derive(Default)]
pub struct BulkJobs {
    jobs: Mutex<HashMap<String, Arc<Mutex<Job>>>>,
}

impl BulkJobs {
    pub fn add(&self, job: Job) {
        lock(&self.jobs).insert(job.id.clone(), Arc::new(Mutex::new(job)));
    }

    pub fn get(&self, id: &str) -> Option<Arc<Mutex<Job>>> {
        lock(&self.jobs).get(id).cloned()
    }

    pub fn remove(&self, id: &str) -> bool {
        lock(&self.jobs).remove(id).is_some()
    }

    pub fn clear(&self) {
        lock(&self.jobs).clear();
    }
}
