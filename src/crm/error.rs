//! CRM failures, classified so the extension can tell the user what happened and what to do.

use serde::{Deserialize, Serialize};

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CrmErrorKind {
    /// No session, or it expired: the user must sign in to the CRM again.
    SessionExpired,
    /// The user may not see or change this record.
    Forbidden,
    NotFound,
    /// The CRM asks us to slow down (Dataverse 429) or the daily API quota is spent.
    RateLimited,
    /// The org refuses this signed-in session's API calls by its own policy (no API access,
    /// API Access Control, no licence, Conditional Access): an admin must allow it, and
    /// neither signing in again nor retrying helps (CRM-APIS A19).
    Blocked,
    /// A validation rule, required field or duplicate rule rejected a write.
    Rejected,
    /// The CRM failed; trying again later may work.
    Unavailable,
    /// A response we could not understand.
    Unexpected,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrmError {
    pub kind: CrmErrorKind,
    /// The CRM's own error code, e.g. `INVALID_SESSION_ID` or `0x80072322`.
    pub code: String,
    /// The CRM's own message, shown to the user as text.
    pub message: String,
    pub status: u16,
    /// Seconds to wait before retrying, when the CRM said so.
    pub retry_after: Option<u32>,
}

/// The status the core reads for a redirect the fetch port did not follow. The browser hides
/// which 3xx it was (an opaque redirect), so this is no real HTTP code: only a 3xx-class
/// value no CRM API answer has.
pub const REDIRECTED: u16 = 399;

/// The code of a [`REDIRECTED`] answer's error, so the user reads why (`errorRedirected`).
pub const REDIRECTED_CODE: &str = "REDIRECTED";

/// The status the core reads for a 401 whose `WWW-Authenticate` is a claims challenge
/// (`error="insufficient_claims"`): the tenant's Conditional Access wants a new sign-in that
/// meets its policy (Microsoft Entra, "Claims challenges, claims requests and client
/// capabilities"; CRM-APIS A19). No real HTTP code: a 4xx no CRM answers, like [`REDIRECTED`].
pub const CLAIMS_CHALLENGE: u16 = 491;

/// The code of a [`CLAIMS_CHALLENGE`] answer's error (`errorConditionalAccess`).
pub const CLAIMS_CHALLENGE_CODE: &str = "INSUFFICIENT_CLAIMS";

/// Whether a `WWW-Authenticate` value is a claims challenge (`error="insufficient_claims"`,
/// the parameter's name in any case, its value quoted or not).
pub fn is_claims_challenge(www_authenticate: &str) -> bool {
    www_authenticate.split(',').any(|param| {
        let param = param.trim().trim_start_matches("Bearer").trim();
        param.split_once('=').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("error")
                && value.trim().trim_matches('"') == "insufficient_claims"
        })
    })
}

impl CrmError {
    pub fn new(kind: CrmErrorKind, status: u16, code: &str, message: &str) -> Self {
        CrmError {
            kind,
            code: code.to_string(),
            message: message.to_string(),
            status,
            retry_after: None,
        }
    }

    /// Used when a body is not the CRM's error shape at all.
    pub fn unexpected(status: u16, detail: &str) -> Self {
        if status == REDIRECTED {
            // The CRM sent the request elsewhere, in practice to its sign-in page: the session
            // is gone, and nothing was done.
            return CrmError::new(CrmErrorKind::SessionExpired, status, REDIRECTED_CODE, "");
        }
        if status == CLAIMS_CHALLENGE {
            return CrmError::new(CrmErrorKind::Blocked, status, CLAIMS_CHALLENGE_CODE, "");
        }
        let kind = match status {
            // fetch() failed before any answer: offline, DNS, TLS, dropped connection.
            0 => CrmErrorKind::Unavailable,
            401 => CrmErrorKind::SessionExpired,
            403 => CrmErrorKind::Forbidden,
            404 => CrmErrorKind::NotFound,
            429 => CrmErrorKind::RateLimited,
            500..=599 => CrmErrorKind::Unavailable,
            _ => CrmErrorKind::Unexpected,
        };
        CrmError::new(kind, status, "", detail)
    }
}

impl std::fmt::Display for CrmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} {}): {}",
            self.code,
            self.status,
            self.kind_name(),
            self.message
        )
    }
}

impl CrmError {
    fn kind_name(&self) -> &'static str {
        match self.kind {
            CrmErrorKind::SessionExpired => "session expired",
            CrmErrorKind::Forbidden => "forbidden",
            CrmErrorKind::NotFound => "not found",
            CrmErrorKind::RateLimited => "rate limited",
            CrmErrorKind::Blocked => "blocked",
            CrmErrorKind::Rejected => "rejected",
            CrmErrorKind::Unavailable => "unavailable",
            CrmErrorKind::Unexpected => "unexpected",
        }
    }
}

impl std::error::Error for CrmError {}

impl CrmError {
    /// Salesforce's daily API allowance is spent: 403 `REQUEST_LIMIT_EXCEEDED` "TotalRequests
    /// Limit exceeded." The same code for the short-term limit on concurrent long requests
    /// ("ConcurrentPerOrgLongTxn", "ConcurrentRequest") clears by itself soon (CRM-APIS A8).
    pub fn is_allowance_spent(&self) -> bool {
        self.code == "REQUEST_LIMIT_EXCEEDED"
            && !self.message.trim_start().starts_with("Concurrent")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claims_challenge_is_read_in_any_spelling() {
        assert!(is_claims_challenge(
            r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJ9""#
        ));
        assert!(is_claims_challenge("Bearer ERROR=insufficient_claims"));
        assert!(!is_claims_challenge(
            "Bearer authorization_uri=https://login.microsoftonline.com/t/oauth2/authorize, resource_id=https://acme.crm.dynamics.com/"
        ));
        assert!(!is_claims_challenge(""));
        let error = CrmError::unexpected(CLAIMS_CHALLENGE, "");
        assert_eq!(
            (error.kind, error.code.as_str()),
            (CrmErrorKind::Blocked, CLAIMS_CHALLENGE_CODE)
        );
    }

    #[test]
    fn only_the_total_requests_limit_is_the_spent_allowance() {
        let limit = |message: &str| {
            CrmError::new(
                CrmErrorKind::RateLimited,
                403,
                "REQUEST_LIMIT_EXCEEDED",
                message,
            )
        };
        assert!(limit("TotalRequests Limit exceeded.").is_allowance_spent());
        assert!(
            limit("").is_allowance_spent(),
            "an unknown wording is the safe reading"
        );
        assert!(!limit("ConcurrentPerOrgLongTxn Limit exceeded.").is_allowance_spent());
        assert!(
            !CrmError::new(CrmErrorKind::RateLimited, 429, "0x80072322", "").is_allowance_spent()
        );
    }

    #[test]
    fn a_redirect_means_sign_in_again() {
        let error = CrmError::unexpected(REDIRECTED, "");
        assert_eq!(error.kind, CrmErrorKind::SessionExpired);
        assert_eq!(error.code, REDIRECTED_CODE);
    }
}
