//! A failed answer from the background, and the words the user reads for it. Answers are
//! `{ok}` or `{error}`; the error is a code the core names (`notAPage`), a CRM error, or
//! `{refused}` when the message itself was refused. Every text comes from `_locales`: a code
//! never reaches the user as it is.

use crate::crm::error::{CLAIMS_CHALLENGE_CODE, REDIRECTED_CODE, RESTARTED_CODE};
use crate::crm::{CrmError, CrmErrorKind};
use crate::message::{Limited, TooLarge};

/// What came back instead of `{ok}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Crm { error: CrmError },
    Code { error: String },
    Refused { refused: String },
}

/// A `_locales` key and, where the message has one, its substitution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub key: &'static str,
    pub detail: Option<String>,
}

/// The advice for a CRM error's kind (what to do), shared by the panel and the pages.
pub fn advice_key(kind: CrmErrorKind) -> &'static str {
    match kind {
        CrmErrorKind::SessionExpired => "errorSignIn",
        CrmErrorKind::Forbidden => "errorForbidden",
        CrmErrorKind::NotFound => "errorNotFound",
        CrmErrorKind::RateLimited | CrmErrorKind::Unavailable => "errorTryLater",
        CrmErrorKind::Blocked => "errorBlocked",
        CrmErrorKind::Rejected | CrmErrorKind::Unexpected => "errorUnexpected",
    }
}

/// The words for a CRM error with no message of the CRM's own: the core's own refusals and
/// a redirect by their code (why the user must sign in again), any other by the advice for
/// its kind.
pub fn advice_of(error: &CrmError) -> &'static str {
    match error.code.as_str() {
        REDIRECTED_CODE => "errorRedirected",
        RESTARTED_CODE => "errorCoreRestarted",
        "NOT_THE_TABS_PAGE" | "PANEL_NOT_FRAMED" => "failNotThisPage",
        "OTHER_COOKIE_STORE" => "failOtherCookieStore",
        _ if error.kind == CrmErrorKind::Blocked => blocked_key(&error.code),
        _ if error.kind == CrmErrorKind::RateLimited && error.is_allowance_spent() => {
            "errorAllowanceSpent"
        }
        _ => advice_key(error.kind),
    }
}

/// What the admin must allow for a session the org refuses, by the refusal (CRM-APIS A19).
fn blocked_key(code: &str) -> &'static str {
    match code {
        "API_DISABLED_FOR_ORG" => "errorApiDisabledForOrg",
        "API_CURRENTLY_DISABLED" => "errorApiDisabledForUser",
        "INVALID_SESSION_ID" => "errorApiAccessControl",
        crate::crm::salesforce::SESSION_PROXIED => "errorSessionProxied",
        "0x80072560" => "errorNotMemberOfOrg",
        CLAIMS_CHALLENGE_CODE => "errorConditionalAccess",
        _ => "errorBlocked",
    }
}

/// The key for a code the background answers with.
fn code_key(code: &str) -> &'static str {
    match code {
        "notAPage" | "notARecord" => "failNotAPage",
        "notRetryable" | "wrongState" => "failWrongState",
        "noSuchRecord" | "notFound" => "failNoSuchRecord",
        "noName" => "manualNeedsName",
        "notAProfileUrl" => "failNotAProfileUrl",
        "notThisPage" => "failNotThisPage",
        "orgNotAllowed" => "failOrgNotAllowed",
        "settingLocked" => "failSettingLocked",
        "settingInvalid" => "failSettingInvalid",
        _ => "activityFailedUnknown",
    }
}

/// A refused message's words: the limit it was over, else the reason as given.
pub fn refusal_words(refused: &str) -> Words {
    if let Some(too_large) = TooLarge::from_refusal(refused) {
        return too_large_words(too_large);
    }
    if refused.trim().is_empty() {
        return Words {
            key: "activityFailedUnknown",
            detail: None,
        };
    }
    Words {
        key: "activityFailed",
        detail: Some(refused.trim().to_string()),
    }
}

fn too_large_words(too_large: TooLarge) -> Words {
    let key = match too_large.what {
        Limited::Message => "tooLargeMessage",
        Limited::ImportFile => "tooLargeImportFile",
        Limited::ItemText => "tooLargeItemText",
        Limited::Capture => "tooLargeCapture",
        Limited::Ids => "tooLargeIds",
        Limited::Url => "tooLargeUrl",
    };
    let detail = match too_large.what {
        Limited::Ids => too_large.max.to_string(),
        _ => bytes(too_large.max),
    };
    Words {
        key,
        detail: Some(detail),
    }
}

/// `32 MiB`, `128 KiB`, `100 B`: unit symbols, the same in every language.
fn bytes(n: usize) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} B"),
    }
}

impl Failure {
    pub fn words(&self) -> Words {
        match self {
            // A refused session says what the admin must allow, and a limit what it means,
            // not the CRM's bare words ("TotalRequests Limit exceeded.").
            Failure::Crm { error }
                if error.message.trim().is_empty()
                    || matches!(
                        error.kind,
                        CrmErrorKind::Blocked | CrmErrorKind::RateLimited
                    ) =>
            {
                Words {
                    key: advice_of(error),
                    detail: None,
                }
            }
            // The CRM's own words say what was wrong (a validation rule, a limit).
            Failure::Crm { error } => Words {
                key: "activityFailed",
                detail: Some(error.message.trim().to_string()),
            },
            Failure::Code { error } => Words {
                key: code_key(error),
                detail: None,
            },
            Failure::Refused { refused } => refusal_words(refused),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// As the wasm boundary reads answers (src/wasm/panel.rs).
    fn words(answer: serde_json::Value) -> Words {
        let failure = match &answer["error"] {
            serde_json::Value::String(code) => Failure::Code {
                error: code.clone(),
            },
            error @ serde_json::Value::Object(_) => Failure::Crm {
                error: serde_json::from_value(error.clone()).unwrap(),
            },
            _ => Failure::Refused {
                refused: answer["refused"].as_str().unwrap_or_default().into(),
            },
        };
        failure.words()
    }

    #[test]
    fn codes_become_sentences_never_themselves() {
        assert_eq!(words(json!({"error": "notAPage"})).key, "failNotAPage");
        assert_eq!(
            words(json!({"error": "notRetryable"})).key,
            "failWrongState"
        );
        assert_eq!(
            words(json!({"error": "somethingNew"})).key,
            "activityFailedUnknown"
        );
        assert_eq!(words(json!(null)).key, "activityFailedUnknown");
        for answer in [json!({"error": "notAPage"}), json!({"error": "x"})] {
            assert_eq!(words(answer).detail, None, "no code is shown as detail");
        }
    }

    #[test]
    fn crm_errors_give_the_crms_words_or_the_advice() {
        let rule = json!({"error": {"kind": "rejected", "code": "FIELD_CUSTOM_VALIDATION_EXCEPTION",
            "message": "Subject is required ", "status": 400, "retryAfter": null}});
        assert_eq!(
            words(rule),
            Words {
                key: "activityFailed",
                detail: Some("Subject is required".into())
            }
        );
        let expired = json!({"error": {"kind": "sessionExpired", "code": "", "message": "",
            "status": 401, "retryAfter": null}});
        assert_eq!(words(expired).key, "errorSignIn");
        let redirected = json!({"error": {"kind": "sessionExpired", "code": "REDIRECTED",
            "message": "", "status": 399, "retryAfter": null}});
        assert_eq!(words(redirected).key, "errorRedirected");
        let restarted = serde_json::to_value(CrmError::core_restarted()).unwrap();
        assert_eq!(
            words(json!({ "error": restarted })).key,
            "errorCoreRestarted"
        );
    }

    #[test]
    fn a_refused_session_says_what_the_admin_must_allow() {
        let blocked = |code: &str, message: &str| {
            let error = CrmError::new(CrmErrorKind::Blocked, 403, code, message);
            (
                Failure::Crm {
                    error: error.clone(),
                }
                .words(),
                advice_of(&error),
            )
        };
        for (code, key) in [
            ("API_DISABLED_FOR_ORG", "errorApiDisabledForOrg"),
            ("API_CURRENTLY_DISABLED", "errorApiDisabledForUser"),
            ("INVALID_SESSION_ID", "errorApiAccessControl"),
            ("SESSION_PROXIED", "errorSessionProxied"),
            ("0x80072560", "errorNotMemberOfOrg"),
            ("INSUFFICIENT_CLAIMS", "errorConditionalAccess"),
            ("SOMETHING_NEW", "errorBlocked"),
        ] {
            let (words, advice) = blocked(code, "the CRM's words");
            assert_eq!(words, Words { key, detail: None }, "{code}");
            assert_eq!(advice, key);
        }
    }

    #[test]
    fn a_limit_is_said_in_words_not_the_crms_code() {
        let limited = |status: u16, code: &str, message: &str| {
            let error = CrmError::new(CrmErrorKind::RateLimited, status, code, message);
            Failure::Crm { error }.words().key
        };
        assert_eq!(
            limited(
                403,
                "REQUEST_LIMIT_EXCEEDED",
                "TotalRequests Limit exceeded."
            ),
            "errorAllowanceSpent"
        );
        assert_eq!(
            limited(
                403,
                "REQUEST_LIMIT_EXCEEDED",
                "ConcurrentPerOrgLongTxn Limit exceeded."
            ),
            "errorTryLater"
        );
        assert_eq!(
            limited(429, "0x80072321", "Combined execution time…"),
            "errorTryLater"
        );
    }

    #[test]
    fn a_request_about_another_page_than_the_tabs_says_so() {
        assert_eq!(
            words(json!({"error": "notThisPage"})).key,
            "failNotThisPage"
        );
        let refused = json!({"error": {"kind": "forbidden", "code": "NOT_THE_TABS_PAGE",
            "message": "", "status": 0, "retryAfter": null}});
        assert_eq!(words(refused).key, "failNotThisPage");
    }

    #[test]
    fn a_refused_message_says_why() {
        let refused = words(json!({"refused": "item longer than 128 KiB"}));
        assert_eq!(refused.key, "activityFailed");
        assert_eq!(refused.detail.as_deref(), Some("item longer than 128 KiB"));
    }

    #[test]
    fn a_message_over_a_limit_says_the_limit() {
        let refused = |limit: &str| words(json!({ "refused": limit }));
        assert_eq!(
            refused("tooLarge:itemText:131072"),
            Words {
                key: "tooLargeItemText",
                detail: Some("128 KiB".into())
            }
        );
        assert_eq!(
            refused("tooLarge:importFile:33554432").detail.as_deref(),
            Some("32 MiB")
        );
        assert_eq!(
            refused("tooLarge:ids:10000"),
            Words {
                key: "tooLargeIds",
                detail: Some("10000".into())
            }
        );
    }
}
