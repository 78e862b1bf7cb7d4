//! How long each page of query results takes to come, per CRM, so a long sync can be tried at
//! a real org's pace (a Salesforce query batch or a Dataverse page of 5,000 rows takes
//! hundreds of milliseconds there). Off (0) unless the control API sets it; a reset clears it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;

use super::db::Crm;

#[derive(Default)]
pub struct PageLatency {
    salesforce_ms: AtomicU64,
    dynamics_ms: AtomicU64,
}

/// The latencies as the control API shows them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageLatencyView {
    pub salesforce_ms: u64,
    pub dynamics_ms: u64,
}

impl PageLatency {
    fn slot(&self, crm: Crm) -> &AtomicU64 {
        match crm {
            Crm::Salesforce => &self.salesforce_ms,
            Crm::Dynamics => &self.dynamics_ms,
        }
    }

    /// The wait before each page of `crm`'s query results; None when off.
    pub fn of(&self, crm: Crm) -> Option<Duration> {
        let ms = self.slot(crm).load(Ordering::Relaxed);
        (ms > 0).then(|| Duration::from_millis(ms))
    }

    /// 0 turns it off.
    pub fn set(&self, crm: Crm, ms: u64) {
        self.slot(crm).store(ms, Ordering::Relaxed);
    }

    pub fn view(&self) -> PageLatencyView {
        PageLatencyView {
            salesforce_ms: self.slot(Crm::Salesforce).load(Ordering::Relaxed),
            dynamics_ms: self.slot(Crm::Dynamics).load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_means_off_and_each_crm_has_its_own() {
        let latency = PageLatency::default();
        assert_eq!(latency.of(Crm::Salesforce), None);
        latency.set(Crm::Dynamics, 500);
        assert_eq!(latency.of(Crm::Dynamics), Some(Duration::from_millis(500)));
        assert_eq!(latency.of(Crm::Salesforce), None);
        latency.set(Crm::Dynamics, 0);
        assert_eq!(latency.of(Crm::Dynamics), None);
    }
}
