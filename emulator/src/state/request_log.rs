//! The log of requests the products served, for tests that count or inspect API calls.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use serde::Serialize;

use super::locks::lock;

/// One logged request.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    pub host: String,
    pub path: String,
    pub status: u16,
    /// Request headers; credentials reduced to their scheme or cookie names.
    pub headers: BTreeMap<String, String>,
    /// The request body when it is text and at most 64 KiB.
    pub body: Option<String>,
}

/// The most requests the log keeps (oldest dropped first).
const CAPACITY: usize = 10_000;

#[derive(Default)]
pub struct RequestLog {
    entries: Mutex<VecDeque<LoggedRequest>>,
}

impl RequestLog {
    pub fn push(&self, entry: LoggedRequest) {
        let mut entries = lock(&self.entries);
        if entries.len() >= CAPACITY {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// Oldest first.
    pub fn entries(&self) -> Vec<LoggedRequest> {
        lock(&self.entries).iter().cloned().collect()
    }

    pub fn clear(&self) {
        lock(&self.entries).clear();
    }
}
