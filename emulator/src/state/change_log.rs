//! What each org can still tell about deletions: how far back the Salesforce delete log
//! reaches (its `earliestDateAvailable`, moved on when the recycle bin is emptied, and never
//! more than 15 days, CRM-APIS A20), and Dataverse change tracking: on or off for the
//! standard tables, and for how many days a delta token is honoured (B18).

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use super::locks::lock;

/// Salesforce keeps deleted records' ids this long (A20).
pub const SALESFORCE_LOG_DAYS: i64 = 15;
/// Dataverse's `ExpireChangeTrackingInDays` default (B18).
pub const DATAVERSE_TOKEN_DAYS: u32 = 7;

pub struct ChangeLog {
    /// Nothing deleted before this is in the Salesforce log any more.
    purged_at: Mutex<Option<DateTime<Utc>>>,
    tracking: AtomicBool,
    token_days: AtomicU32,
}

impl Default for ChangeLog {
    fn default() -> Self {
        ChangeLog {
            purged_at: Mutex::new(None),
            tracking: AtomicBool::new(true),
            token_days: AtomicU32::new(DATAVERSE_TOKEN_DAYS),
        }
    }
}

impl ChangeLog {
    /// The earliest time the Salesforce log still reports deletions from.
    pub fn salesforce_earliest(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let reach = now - Duration::days(SALESFORCE_LOG_DAYS);
        lock(&self.purged_at).map_or(reach, |purged| purged.max(reach))
    }

    /// The recycle bin was emptied now.
    pub fn salesforce_purged(&self, now: DateTime<Utc>) {
        *lock(&self.purged_at) = Some(now);
    }

    pub fn reset_salesforce(&self) {
        *lock(&self.purged_at) = None;
    }

    pub fn tracking(&self) -> bool {
        self.tracking.load(Ordering::Relaxed)
    }

    pub fn token_days(&self) -> u32 {
        self.token_days.load(Ordering::Relaxed)
    }

    /// Change tracking on or off for the standard tables, and its tokens' lifetime.
    pub fn set_dataverse(&self, tracking: Option<bool>, token_days: Option<u32>) {
        if let Some(on) = tracking {
            self.tracking.store(on, Ordering::Relaxed);
        }
        if let Some(days) = token_days {
            self.token_days.store(days, Ordering::Relaxed);
        }
    }

    pub fn reset_dataverse(&self) {
        self.set_dataverse(Some(true), Some(DATAVERSE_TOKEN_DAYS));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_reaches_back_fifteen_days_or_to_the_last_purge() {
        let log = ChangeLog::default();
        let now = Utc::now();
        assert_eq!(log.salesforce_earliest(now), now - Duration::days(15));
        log.salesforce_purged(now - Duration::hours(1));
        assert_eq!(log.salesforce_earliest(now), now - Duration::hours(1));
        log.reset_salesforce();
        assert_eq!(log.salesforce_earliest(now), now - Duration::days(15));
    }
}
