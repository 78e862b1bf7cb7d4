//! A failed answer from the background, and the words the user reads for it. Answers are
//! `{ok}` or `{error}`; the error is a code the core names (`notAPage`), a CRM error, or
//! `{refused}` when the message itself was refused. Every text comes from `_locales`: a code
//! never reaches the user as it is.

use crate::crm::{CrmError, CrmErrorKind};

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
        CrmErrorKind::Rejected | CrmErrorKind::Unexpected => "errorUnexpected",
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
        "orgNotAllowed" => "failOrgNotAllowed",
        "settingLocked" => "failSettingLocked",
        "settingInvalid" => "failSettingInvalid",
        _ => "activityFailedUnknown",
    }
}

impl Failure {
    pub fn words(&self) -> Words {
        match self {
            Failure::Crm { error } if error.message.trim().is_empty() => Words {
                key: advice_key(error.kind),
                detail: None,
            },
            // The CRM's own words say what was wrong (a validation rule, a limit).
            Failure::Crm { error } => Words {
                key: "activityFailed",
                detail: Some(error.message.trim().to_string()),
            },
            Failure::Code { error } => Words {
                key: code_key(error),
                detail: None,
            },
            Failure::Refused { refused } if refused.trim().is_empty() => Words {
                key: "activityFailedUnknown",
                detail: None,
            },
            Failure::Refused { refused } => Words {
                key: "activityFailed",
                detail: Some(refused.trim().to_string()),
            },
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
    }

    #[test]
    fn a_refused_message_says_why() {
        let refused = words(json!({"refused": "item longer than 128 KiB"}));
        assert_eq!(refused.key, "activityFailed");
        assert_eq!(refused.detail.as_deref(), Some("item longer than 128 KiB"));
    }
}
