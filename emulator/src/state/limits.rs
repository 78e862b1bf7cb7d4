//! Request budgets: Salesforce's daily API limit (A8) and Dataverse's service protection
//! window (B9), set through the control API.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::locks::lock;

pub struct Limits {
    pub salesforce_used: AtomicU64,
    pub salesforce_daily: AtomicU64,
    pub dynamics_per_window: AtomicU64,
    pub dynamics_window_seconds: AtomicU64,
    dynamics_recent: Mutex<VecDeque<Instant>>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            salesforce_used: AtomicU64::new(0),
            salesforce_daily: AtomicU64::new(15_000),
            dynamics_per_window: AtomicU64::new(6_000),
            dynamics_window_seconds: AtomicU64::new(300),
            dynamics_recent: Mutex::new(VecDeque::new()),
        }
    }
}

/// The budgets as the control API shows them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitsView {
    pub salesforce_daily: u64,
    pub salesforce_used: u64,
    pub dynamics_per_window: u64,
    pub dynamics_window_seconds: u64,
}

/// New budgets; what is absent stays as it is.
#[derive(Default)]
pub struct LimitsChange {
    pub salesforce_daily: Option<u64>,
    pub salesforce_used: Option<u64>,
    pub dynamics_per_window: Option<u64>,
    pub dynamics_window_seconds: Option<u64>,
}

impl Limits {
    pub fn view(&self) -> LimitsView {
        LimitsView {
            salesforce_daily: self.salesforce_daily.load(Ordering::Relaxed),
            salesforce_used: self.salesforce_used.load(Ordering::Relaxed),
            dynamics_per_window: self.dynamics_per_window.load(Ordering::Relaxed),
            dynamics_window_seconds: self.dynamics_window_seconds.load(Ordering::Relaxed),
        }
    }

    pub fn change(&self, change: &LimitsChange) {
        let set = |slot: &AtomicU64, v: Option<u64>| {
            if let Some(v) = v {
                slot.store(v, Ordering::Relaxed);
            }
        };
        set(&self.salesforce_daily, change.salesforce_daily);
        set(&self.salesforce_used, change.salesforce_used);
        set(&self.dynamics_per_window, change.dynamics_per_window);
        set(
            &self.dynamics_window_seconds,
            change.dynamics_window_seconds,
        );
        // A new window starts empty, so a test sees the new budget at once.
        if change.dynamics_per_window.is_some() || change.dynamics_window_seconds.is_some() {
            self.reset_dynamics();
        }
    }

    /// Counts one REST call against the daily limit; returns (used, limit).
    pub fn count_api_request(&self) -> (u64, u64) {
        let used = self.salesforce_used.fetch_add(1, Ordering::Relaxed) + 1;
        (used, self.salesforce_daily.load(Ordering::Relaxed))
    }

    /// Whether the calls made today are more than the daily limit allows.
    pub fn salesforce_exceeded(&self) -> bool {
        self.salesforce_used.load(Ordering::Relaxed) > self.salesforce_daily.load(Ordering::Relaxed)
    }

    /// Records a Web API call; false when the service protection window is full (B9).
    pub fn admit_dynamics_request(&self) -> bool {
        let window = Duration::from_secs(self.dynamics_window_seconds.load(Ordering::Relaxed));
        let max = self.dynamics_per_window.load(Ordering::Relaxed) as usize;
        let mut recent = lock(&self.dynamics_recent);
        let now = Instant::now();
        while recent
            .front()
            .is_some_and(|t| now.duration_since(*t) > window)
        {
            recent.pop_front();
        }
        if recent.len() >= max {
            return false;
        }
        recent.push_back(now);
        true
    }

    /// A new day: nothing spent of the daily limit (the limit itself stays).
    pub fn reset_salesforce(&self) {
        self.salesforce_used.store(0, Ordering::Relaxed);
    }

    /// An empty service protection window (its size stays).
    pub fn reset_dynamics(&self) {
        lock(&self.dynamics_recent).clear();
    }
}
