//! Request budgets, set through the control API: Salesforce's daily API allowance (A8) and
//! Dataverse's three service protection limits per user over a sliding window (B9): the
//! number of requests, their combined execution time, and concurrent requests.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::locks::lock;

pub struct Limits {
    pub salesforce_used: AtomicU64,
    pub salesforce_daily: AtomicU64,
    /// A connected app's own quota, reported as `per-app-api-usage` (0: none).
    pub salesforce_app_quota: AtomicU64,
    pub dynamics_per_window: AtomicU64,
    pub dynamics_window_seconds: AtomicU64,
    pub dynamics_execution_ms: AtomicU64,
    pub dynamics_concurrent: AtomicU64,
    dynamics_in_flight: AtomicU64,
    /// When each request of the window came, and how long it ran (ms, 0 while it runs).
    dynamics_recent: Mutex<VecDeque<(Instant, u64)>>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            salesforce_used: AtomicU64::new(0),
            salesforce_daily: AtomicU64::new(15_000),
            salesforce_app_quota: AtomicU64::new(0),
            dynamics_per_window: AtomicU64::new(6_000),
            dynamics_window_seconds: AtomicU64::new(300),
            dynamics_execution_ms: AtomicU64::new(1_200_000),
            dynamics_concurrent: AtomicU64::new(52),
            dynamics_in_flight: AtomicU64::new(0),
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
    pub salesforce_app_quota: u64,
    pub dynamics_per_window: u64,
    pub dynamics_window_seconds: u64,
    pub dynamics_execution_ms: u64,
    pub dynamics_concurrent: u64,
}

/// New budgets; what is absent stays as it is.
#[derive(Default)]
pub struct LimitsChange {
    pub salesforce_daily: Option<u64>,
    pub salesforce_used: Option<u64>,
    pub salesforce_app_quota: Option<u64>,
    pub dynamics_per_window: Option<u64>,
    pub dynamics_window_seconds: Option<u64>,
    pub dynamics_execution_ms: Option<u64>,
    pub dynamics_concurrent: Option<u64>,
}

/// Which Dataverse service protection limit refused a request, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttled {
    Requests {
        limit: u64,
        window: u64,
        retry_after: u64,
    },
    ExecutionTime {
        limit_ms: u64,
        window: u64,
        retry_after: u64,
    },
    Concurrent {
        limit: u64,
    },
}

/// A Web API request that was admitted: dropping it ends it, and records how long it ran.
pub struct Admitted<'a> {
    limits: &'a Limits,
    started: Instant,
}

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.limits
            .dynamics_in_flight
            .fetch_sub(1, Ordering::Relaxed);
        let ran = self.started.elapsed().as_millis().max(1) as u64;
        let mut recent = lock(&self.limits.dynamics_recent);
        if let Some(entry) = recent.iter_mut().rev().find(|(at, _)| *at == self.started) {
            entry.1 = ran;
        }
    }
}

impl Limits {
    pub fn view(&self) -> LimitsView {
        let get = |slot: &AtomicU64| slot.load(Ordering::Relaxed);
        LimitsView {
            salesforce_daily: get(&self.salesforce_daily),
            salesforce_used: get(&self.salesforce_used),
            salesforce_app_quota: get(&self.salesforce_app_quota),
            dynamics_per_window: get(&self.dynamics_per_window),
            dynamics_window_seconds: get(&self.dynamics_window_seconds),
            dynamics_execution_ms: get(&self.dynamics_execution_ms),
            dynamics_concurrent: get(&self.dynamics_concurrent),
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
        set(&self.salesforce_app_quota, change.salesforce_app_quota);
        set(&self.dynamics_per_window, change.dynamics_per_window);
        set(
            &self.dynamics_window_seconds,
            change.dynamics_window_seconds,
        );
        set(&self.dynamics_execution_ms, change.dynamics_execution_ms);
        set(&self.dynamics_concurrent, change.dynamics_concurrent);
        // A new window starts empty, so a test sees the new budget at once.
        let window_changed = [
            change.dynamics_per_window,
            change.dynamics_window_seconds,
            change.dynamics_execution_ms,
        ]
        .iter()
        .any(Option::is_some);
        if window_changed {
            self.reset_dynamics();
        }
    }

    /// Counts one REST call against the daily limit; returns (used, limit).
    pub fn count_api_request(&self) -> (u64, u64) {
        let used = self.salesforce_used.fetch_add(1, Ordering::Relaxed) + 1;
        (used, self.salesforce_daily.load(Ordering::Relaxed))
    }

    /// The `Sforce-Limit-Info` value for a call that made the count `used` (A8): the org's
    /// `api-usage`, then a connected app's own quota when one is set.
    pub fn limit_info(&self, used: u64, limit: u64) -> String {
        let mut info = format!("api-usage={}/{limit}", used.min(limit));
        let quota = self.salesforce_app_quota.load(Ordering::Relaxed);
        if quota > 0 {
            let app = used.min(quota);
            info.push_str(&format!(
                "; per-app-api-usage={app}/{quota}(appName=crmsync-emulator)"
            ));
        }
        info
    }

    /// Whether the calls made today are more than the daily limit allows.
    pub fn salesforce_exceeded(&self) -> bool {
        self.salesforce_used.load(Ordering::Relaxed) > self.salesforce_daily.load(Ordering::Relaxed)
    }

    /// Admits a Web API call, or says which service protection limit refuses it (B9).
    pub fn admit_dynamics(&self) -> Result<Admitted<'_>, Throttled> {
        let concurrent = self.dynamics_concurrent.load(Ordering::Relaxed);
        if self.dynamics_in_flight.load(Ordering::Relaxed) >= concurrent {
            return Err(Throttled::Concurrent { limit: concurrent });
        }
        let window_secs = self.dynamics_window_seconds.load(Ordering::Relaxed);
        let window = Duration::from_secs(window_secs);
        let max = self.dynamics_per_window.load(Ordering::Relaxed) as usize;
        let max_ms = self.dynamics_execution_ms.load(Ordering::Relaxed);
        let mut recent = lock(&self.dynamics_recent);
        let now = Instant::now();
        while recent
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) > window)
        {
            recent.pop_front();
        }
        // Until the oldest request of the window leaves it (at least a second).
        let retry_after = recent.front().map_or(1, |(t, _)| {
            window
                .saturating_sub(now.duration_since(*t))
                .as_secs()
                .max(1)
        });
        if recent.len() >= max {
            return Err(Throttled::Requests {
                limit: max as u64,
                window: window_secs,
                retry_after,
            });
        }
        if recent.iter().map(|(_, ms)| ms).sum::<u64>() >= max_ms {
            return Err(Throttled::ExecutionTime {
                limit_ms: max_ms,
                window: window_secs,
                retry_after,
            });
        }
        recent.push_back((now, 0));
        self.dynamics_in_flight.fetch_add(1, Ordering::Relaxed);
        Ok(Admitted {
            limits: self,
            started: now,
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_protection_limit_refuses_with_its_own_reason() {
        let limits = Limits::default();
        limits.change(&LimitsChange {
            dynamics_concurrent: Some(1),
            ..LimitsChange::default()
        });
        let running = limits.admit_dynamics().unwrap();
        assert_eq!(
            limits.admit_dynamics().err(),
            Some(Throttled::Concurrent { limit: 1 })
        );
        drop(running);
        limits.change(&LimitsChange {
            dynamics_concurrent: Some(52),
            dynamics_execution_ms: Some(1),
            ..LimitsChange::default()
        });
        drop(limits.admit_dynamics().unwrap());
        assert!(matches!(
            limits.admit_dynamics(),
            Err(Throttled::ExecutionTime { limit_ms: 1, .. })
        ));
        limits.change(&LimitsChange {
            dynamics_execution_ms: Some(1_200_000),
            dynamics_per_window: Some(1),
            ..LimitsChange::default()
        });
        drop(limits.admit_dynamics().unwrap());
        let Err(Throttled::Requests { retry_after, .. }) = limits.admit_dynamics() else {
            panic!("the window is full")
        };
        assert!((1..=300).contains(&retry_after));
    }

    #[test]
    fn limit_info_adds_the_app_quota_when_there_is_one() {
        let limits = Limits::default();
        assert_eq!(limits.limit_info(20, 15_000), "api-usage=20/15000");
        limits.salesforce_app_quota.store(250, Ordering::Relaxed);
        assert_eq!(
            limits.limit_info(20_000, 15_000),
            "api-usage=15000/15000; per-app-api-usage=250/250(appName=crmsync-emulator)"
        );
    }
}
