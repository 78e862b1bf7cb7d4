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
            CrmErrorKind::Rejected => "rejected",
            CrmErrorKind::Unavailable => "unavailable",
            CrmErrorKind::Unexpected => "unexpected",
        }
    }
}

impl std::error::Error for CrmError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_means_sign_in_again() {
        let error = CrmError::unexpected(REDIRECTED, "");
        assert_eq!(error.kind, CrmErrorKind::SessionExpired);
        assert_eq!(error.code, REDIRECTED_CODE);
    }
}
