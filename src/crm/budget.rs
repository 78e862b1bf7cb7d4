//! An org's API budget as its answers report it, and when background work must wait for it.
//! Salesforce counts every call of the org over a rolling 24 hours and, once the allowance is
//! spent, refuses every user's calls (CRM-APIS A8), so crmsync's own background sync steps
//! aside well before: from [`PAUSE_AT_PERCENT`] of the allowance. Dataverse limits each user
//! over a five-minute window and says how long to wait (B9). What the user asks for (the
//! panel's record, Copy to CRM of their own item) is never held here.

use serde::{Deserialize, Serialize};

use super::CrmError;

/// Background work waits once the org has used this much of its daily allowance. 80 %
/// leaves a fifth of the day's calls (at least 3,000 of the smallest allowance, 15,000) for
/// the org's integrations and its users' own work, which cannot wait as a sync can, and one
/// more hour's worth of every seat's reads. Not a setting: no org gains from crmsync's sync
/// spending the last fifth of an allowance every user and integration of the org shares.
pub const PAUSE_AT_PERCENT: u64 = 80;

/// How long a usage reading stands: after an hour without a newer one, background work may
/// send one request to learn the usage again (usage over a rolling 24 hours falls as the
/// calls of a day ago age out, and nothing else tells when).
pub const RECHECK_MS: f64 = 3_600_000.0;

/// The wait after a short-term limit that named none (Salesforce's concurrent-request limit).
const SHORT_WAIT_MS: f64 = 60_000.0;

/// The org's daily API usage from `Sforce-Limit-Info` (A8).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiUsage {
    pub used: u64,
    pub limit: u64,
}

impl ApiUsage {
    /// The `api-usage=N/M` entry of a `Sforce-Limit-Info` value, among any others
    /// (`api-usage=25/5000; per-app-api-usage=17/250(appName=…)`); `None` for anything else.
    pub fn from_limit_info(header: &str) -> Option<ApiUsage> {
        header.split([';', ',']).find_map(|entry| {
            let (name, value) = entry.trim().split_once('=')?;
            if !name.trim().eq_ignore_ascii_case("api-usage") {
                return None;
            }
            let (used, limit) = value.trim().split_once('/')?;
            let used = used.trim().parse().ok()?;
            let limit = limit.trim().parse().ok()?;
            (limit > 0).then_some(ApiUsage { used, limit })
        })
    }

    /// Whole percent of the allowance used (at most 100 shown as it is, more when over).
    pub fn percent(&self) -> u64 {
        self.used.saturating_mul(100) / self.limit.max(1)
    }
}

/// Why background work waits, for the options page (`{"apiUsage": {"percent": 85}}`:
/// externally tagged, which reads without buffering in the pages' wasm).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Hold {
    /// The org has used `percent` of its daily allowance.
    ApiUsage { percent: u64 },
    /// The CRM asked to slow down until then (ms since the epoch).
    Throttled { until: f64 },
}

/// What the org's answers said of its budget, stored under `apiBudget:<apiHost>`.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrgBudget {
    /// The last usage an answer reported, and when (ms since the epoch).
    pub usage: Option<ApiUsage>,
    pub seen_at: f64,
    /// Background work waits until then: a throttling answer or a spent allowance.
    pub wait_until: f64,
}

impl OrgBudget {
    /// Reads an answer's `Sforce-Limit-Info` (when it has a readable one). True when the
    /// reading changed what [`OrgBudget::hold`] answers or the percent shown.
    pub fn note_limit_info(&mut self, header: Option<&str>, now: f64) -> bool {
        let Some(usage) = header.and_then(ApiUsage::from_limit_info) else {
            return false;
        };
        let changed = self.usage.map(|u| u.percent()) != Some(usage.percent())
            || now - self.seen_at >= RECHECK_MS;
        self.usage = Some(usage);
        self.seen_at = now;
        changed
    }

    /// A request failed on a limit: wait as long as the CRM said, an hour for a spent daily
    /// allowance (it says nothing), a minute for Salesforce's concurrent-request limit.
    pub fn note_limited(&mut self, error: &CrmError, now: f64) {
        let wait = match error.retry_after {
            Some(seconds) => f64::from(seconds) * 1000.0,
            None if error.is_allowance_spent() => RECHECK_MS,
            None => SHORT_WAIT_MS,
        };
        self.wait_until = self.wait_until.max(now + wait);
    }

    /// Whether background work waits at `now`, and why. A high reading older than
    /// [`RECHECK_MS`] lets one request through to read the usage again.
    pub fn hold(&self, now: f64) -> Option<Hold> {
        if self.wait_until > now {
            return Some(Hold::Throttled {
                until: self.wait_until,
            });
        }
        let usage = self.usage?;
        let fresh = now - self.seen_at < RECHECK_MS;
        (fresh && usage.percent() >= PAUSE_AT_PERCENT).then_some(Hold::ApiUsage {
            percent: usage.percent(),
        })
    }

    /// When held work should look again: the end of the wait, or the usage's recheck.
    pub fn recheck_at(&self) -> f64 {
        self.wait_until.max(self.seen_at + RECHECK_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::CrmErrorKind;

    #[test]
    fn the_org_usage_is_read_among_other_entries_and_bad_headers_are_none() {
        let usage = |h: &str| ApiUsage::from_limit_info(h);
        assert_eq!(
            usage("api-usage=18/5000"),
            Some(ApiUsage {
                used: 18,
                limit: 5000
            })
        );
        assert_eq!(
            usage("api-usage=25/5000; per-app-api-usage=17/250(appName=sample-connected-app)"),
            Some(ApiUsage {
                used: 25,
                limit: 5000
            })
        );
        assert_eq!(
            usage("per-app-api-usage=17/250(appName=x), API-USAGE = 7 / 10"),
            Some(ApiUsage { used: 7, limit: 10 })
        );
        for bad in [
            "",
            "api-usage",
            "api-usage=",
            "api-usage=12",
            "api-usage=a/b",
            "api-usage=5/0",
            "api-usage=-1/10",
            "api-usage=99999999999999999999999/1",
        ] {
            assert_eq!(usage(bad), None, "{bad:?}");
        }
        assert_eq!(
            ApiUsage {
                used: 12_750,
                limit: 15_000
            }
            .percent(),
            85
        );
        assert_eq!(
            ApiUsage {
                used: u64::MAX,
                limit: 1
            }
            .percent(),
            u64::MAX
        );
    }

    #[test]
    fn background_work_waits_from_eighty_percent_and_probes_after_an_hour() {
        let mut budget = OrgBudget::default();
        assert!(budget.note_limit_info(Some("api-usage=11999/15000"), 0.0));
        assert_eq!(budget.hold(1.0), None, "79 %");
        assert!(budget.note_limit_info(Some("api-usage=12000/15000"), 10.0));
        assert_eq!(budget.hold(11.0), Some(Hold::ApiUsage { percent: 80 }));
        assert!(
            !budget.note_limit_info(Some("api-usage=12001/15000"), 20.0),
            "same percent"
        );
        assert!(!budget.note_limit_info(Some("garbage"), 30.0));
        assert_eq!(
            budget.hold(20.0 + RECHECK_MS),
            None,
            "stale: one request may look again"
        );
        assert_eq!(budget.recheck_at(), 20.0 + RECHECK_MS);
    }

    #[test]
    fn a_throttled_answer_holds_for_its_wait() {
        let mut budget = OrgBudget::default();
        let mut throttled = CrmError::new(CrmErrorKind::RateLimited, 429, "0x80072322", "");
        throttled.retry_after = Some(30);
        budget.note_limited(&throttled, 1_000.0);
        assert_eq!(
            budget.hold(2_000.0),
            Some(Hold::Throttled { until: 31_000.0 })
        );
        assert_eq!(budget.hold(31_000.0), None);
        let spent = CrmError::new(
            CrmErrorKind::RateLimited,
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        );
        budget.note_limited(&spent, 40_000.0);
        assert_eq!(budget.wait_until, 40_000.0 + RECHECK_MS);
        let mut later = OrgBudget::default();
        let busy = CrmError::new(
            CrmErrorKind::RateLimited,
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "ConcurrentPerOrgLongTxn Limit exceeded.",
        );
        later.note_limited(&busy, 0.0);
        assert_eq!(later.wait_until, 60_000.0);
    }
}
