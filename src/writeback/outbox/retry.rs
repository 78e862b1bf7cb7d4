//! What a failed write means for the item, and how long to wait before the next try.

use serde::{Deserialize, Serialize};

use crate::crm::{CrmError, CrmErrorKind};

/// What became of one item in a flush.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "status",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Outcome {
    /// In the CRM: the ids of what was made (a note's ContentNote and its link).
    Written { crm_ids: Vec<String> },
    /// Try again after a backoff (5xx, timeouts, dropped connections, 429).
    Retry { error: CrmError },
    /// The session expired: keep it queued until the user signs in again.
    SignIn { error: CrmError },
    /// The org's API allowance is spent: nothing is sent to it for `seconds`.
    Pause { error: CrmError, seconds: u64 },
    /// The org refuses this session's API calls (CRM-APIS A19): kept queued, not retried
    /// until the session changes (a new sign-in, a panel that loads) or the user retries.
    Blocked { error: CrmError },
    /// The CRM rejected it (validation rule, required field…): the user fixes and retries.
    Park { error: CrmError },
}

/// How long a spent daily allowance pauses an org before one probing request (Salesforce
/// counts over a rolling 24 hours and does not say when room frees up).
pub const DAILY_LIMIT_PAUSE_SECONDS: u64 = 3600;

/// Reads a failure as what to do with the item.
pub fn outcome_of(error: CrmError) -> Outcome {
    match error.kind {
        CrmErrorKind::SessionExpired => Outcome::SignIn { error },
        CrmErrorKind::Blocked => Outcome::Blocked { error },
        // Salesforce's spent daily allowance; its concurrent-request limit and Dataverse's
        // 429s are short-term throttling (A8, B9).
        CrmErrorKind::RateLimited if error.is_allowance_spent() => {
            let seconds = error
                .retry_after
                .map_or(DAILY_LIMIT_PAUSE_SECONDS, u64::from);
            Outcome::Pause { error, seconds }
        }
        CrmErrorKind::RateLimited | CrmErrorKind::Unavailable => Outcome::Retry { error },
        CrmErrorKind::Rejected
        | CrmErrorKind::Forbidden
        | CrmErrorKind::NotFound
        | CrmErrorKind::Unexpected => Outcome::Park { error },
    }
}

/// First retry after about 2 s, doubling to at most 5 minutes.
const BASE_MS: f64 = 2_000.0;
const CAP_MS: f64 = 300_000.0;

/// Milliseconds before try number `attempts + 1`: exponential backoff with "equal jitter"
/// (half fixed, half random from `jitter` in [0, 1)), so many clients retrying after one
/// outage spread out; never sooner than the CRM's `Retry-After`.
pub fn retry_delay_ms(attempts: u32, retry_after_seconds: Option<u32>, jitter: f64) -> u64 {
    let exponential = (BASE_MS * 2f64.powi(attempts.min(20) as i32)).min(CAP_MS);
    let jittered = exponential / 2.0 + exponential / 2.0 * jitter.clamp(0.0, 1.0);
    let floor = f64::from(retry_after_seconds.unwrap_or(0)) * 1000.0;
    jittered.max(floor).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(kind: CrmErrorKind, status: u16) -> CrmError {
        let code = match (kind, status) {
            (CrmErrorKind::RateLimited, 403) => "REQUEST_LIMIT_EXCEEDED",
            _ => "CODE",
        };
        CrmError::new(kind, status, code, "TotalRequests Limit exceeded.")
    }

    #[test]
    fn failures_map_to_what_the_user_needs() {
        let cases = [
            (CrmErrorKind::SessionExpired, 401, "signIn"),
            (CrmErrorKind::RateLimited, 403, "pause"),
            (CrmErrorKind::RateLimited, 429, "retry"),
            (CrmErrorKind::Blocked, 403, "blocked"),
            (CrmErrorKind::Blocked, 401, "blocked"),
            (CrmErrorKind::Unavailable, 0, "retry"),
            (CrmErrorKind::Unavailable, 503, "retry"),
            (CrmErrorKind::Rejected, 400, "park"),
            (CrmErrorKind::Forbidden, 403, "park"),
            (CrmErrorKind::NotFound, 404, "park"),
            (CrmErrorKind::Unexpected, 400, "park"),
        ];
        for (kind, status, expected) in cases {
            let outcome = serde_json::to_value(outcome_of(error(kind, status))).unwrap();
            assert_eq!(outcome["status"], expected, "{kind:?} {status}");
        }
    }

    #[test]
    fn salesforces_concurrent_request_limit_is_retried_not_paused() {
        let busy = CrmError::new(
            CrmErrorKind::RateLimited,
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "ConcurrentPerOrgLongTxn Limit exceeded.",
        );
        assert!(matches!(outcome_of(busy), Outcome::Retry { .. }));
    }

    #[test]
    fn the_daily_limit_pauses_for_an_hour_unless_told_otherwise() {
        let Outcome::Pause { seconds, .. } = outcome_of(error(CrmErrorKind::RateLimited, 403))
        else {
            panic!("not a pause")
        };
        assert_eq!(seconds, DAILY_LIMIT_PAUSE_SECONDS);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        assert_eq!(retry_delay_ms(0, None, 0.0), 1_000);
        assert_eq!(retry_delay_ms(0, None, 1.0), 2_000);
        assert_eq!(retry_delay_ms(3, None, 1.0), 16_000);
        assert_eq!(retry_delay_ms(30, None, 1.0), 300_000);
        for attempts in 0..12 {
            let low = retry_delay_ms(attempts, None, 0.0);
            let high = retry_delay_ms(attempts, None, 0.999);
            assert!(
                low <= high && high <= 2 * low + 1,
                "{attempts}: {low}..{high}"
            );
        }
    }

    #[test]
    fn retry_after_is_a_floor() {
        assert_eq!(retry_delay_ms(0, Some(30), 0.5), 30_000);
        assert_eq!(retry_delay_ms(10, Some(1), 1.0), 300_000);
    }
}
