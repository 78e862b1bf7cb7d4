//! The background's one answer shape, and the words the user reads for a failure. Every
//! request answers `{ok: …}` or `{error: Problem}`: a [`Code`] the pages and the panel branch
//! on, the detail the words take (a limit, the CRM's or the browser's own words), the CRM's
//! error when the CRM refused, and the item's state when that state refused a change. Every
//! text comes from `_locales` ([`Problem::words`]): a code never reaches the user as it is.

use serde::{Deserialize, Serialize};

use crate::crm::error::{CLAIMS_CHALLENGE_CODE, REDIRECTED_CODE};
use crate::crm::{CrmError, CrmErrorKind};
use crate::message::{Limited, TooLarge};
use crate::writeback::item::ItemProblem;
use crate::writeback::ItemState;

/// An answer of the background: `{ok: T}` or `{error: Problem}`.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Answer<T> {
    Ok(T),
    Error(Problem),
}

impl<T> Answer<T> {
    pub fn refused(code: Code) -> Answer<T> {
        Answer::Error(Problem::new(code))
    }
}

impl<T, E: Into<Problem>> From<Result<T, E>> for Answer<T> {
    fn from(result: Result<T, E>) -> Self {
        match result {
            Ok(value) => Answer::Ok(value),
            Err(problem) => Answer::Error(problem.into()),
        }
    }
}

/// Why a request did not do what it asked: one code per refusal, in one spelling.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Code {
    /// The CRM refused or failed: `crm` says how.
    Crm,
    /// The sender's tab shows no page the extension knows, or not a record where one is needed.
    NotAPage,
    /// The message names another page than the sender's tab shows.
    NotThisPage,
    /// The panel was asked for outside a page's frame.
    PanelNotFramed,
    /// A Dynamics request from a container or private window (docs/background.md).
    OtherCookieStore,
    /// The network profile page's person was not captured (yet).
    ProfileNotCaptured,
    /// No stored item (or, on the admin page, no CRM user) has that id.
    NotFound,
    /// The picked record is not synced, or cannot take activities.
    NoSuchRecord,
    /// The item's state (`state`) does not allow the change.
    WrongState,
    EmptyBody,
    NoTags,
    NoCallDetails,
    BadTime,
    /// A typed-in profile without a name or profile URL.
    NoName,
    /// The pasted text is not a member profile's URL.
    NotAProfileUrl,
    /// The settings do not allow this org.
    OrgNotAllowed,
    /// CRM sync is not on for the user in this org: matches are read-only.
    SyncNotEnabled,
    /// The admin page: the org is not connected yet, so it takes no publish, seat or
    /// disconnect.
    OrgNotConnected,
    SettingLocked,
    SettingInvalid,
    /// The message itself was refused (its shape, its sender, a limit: `detail`).
    Refused,
    /// A port of the background failed (the store, say): `detail` is its own words.
    BackgroundFailed,
    /// The core failed during the request and was started again; nothing stored is lost.
    CoreRestarted,
    /// The part of the background that does this (the rare module, src/background/rare.rs)
    /// could not be loaded, so nothing was done: `detail` is the browser's words (for a
    /// developer; the user's words need none).
    PartNotLoaded,
    /// No answer came (the background could not be reached): `detail` is the browser's words.
    NoAnswer,
}

/// A failed answer. (An admin page request that stopped at a step names it in `detail`.)
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub code: Code,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub crm: Option<CrmError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub state: Option<ItemState>,
}

impl Problem {
    pub fn new(code: Code) -> Problem {
        Problem {
            code,
            detail: None,
            crm: None,
            state: None,
        }
    }

    pub fn with_detail(code: Code, detail: impl Into<String>) -> Problem {
        Problem {
            detail: Some(detail.into()),
            ..Problem::new(code)
        }
    }

    /// The item's state refused the change.
    pub fn wrong_state(state: ItemState) -> Problem {
        Problem {
            state: Some(state),
            ..Problem::new(Code::WrongState)
        }
    }
}

/// The core's own refusals that travel as CRM errors (a page that is no record, from the
/// request planner; a cookie store an item was logged in) get their own code.
impl From<CrmError> for Problem {
    fn from(error: CrmError) -> Problem {
        let code = match error.code.as_str() {
            crate::record_fetch::NOT_A_RECORD_PAGE => Code::NotAPage,
            crate::background::session::OTHER_COOKIE_STORE => Code::OtherCookieStore,
            _ => Code::Crm,
        };
        Problem {
            crm: (code == Code::Crm).then_some(error),
            ..Problem::new(code)
        }
    }
}

impl From<ItemProblem> for Problem {
    fn from(problem: ItemProblem) -> Problem {
        Problem::new(match problem {
            ItemProblem::EmptyBody => Code::EmptyBody,
            ItemProblem::NoTags => Code::NoTags,
            ItemProblem::NoCallDetails => Code::NoCallDetails,
            ItemProblem::BadTime => Code::BadTime,
        })
    }
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

/// The words for a CRM error with no message of the CRM's own: a redirect by its code (why
/// the user must sign in again), a refused session by what the admin must allow, a spent
/// allowance by what it means, any other by the advice for its kind.
pub fn advice_of(error: &CrmError) -> &'static str {
    match error.code.as_str() {
        REDIRECTED_CODE => "errorRedirected",
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

/// A refused message's words: the limit it was over, else the reason as given.
pub fn refusal_words(refused: &str) -> Words {
    match TooLarge::from_refusal(refused) {
        Some(too_large) => too_large_words(too_large),
        None => said(refused),
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

impl Problem {
    /// What the user reads.
    pub fn words(&self) -> Words {
        let key = match self.code {
            Code::Crm => return self.crm.as_ref().map_or_else(unknown, crm_words),
            Code::Refused => return refusal_words(self.detail.as_deref().unwrap_or_default()),
            Code::BackgroundFailed | Code::NoAnswer => {
                return self.detail.as_deref().map_or_else(unknown, said)
            }
            Code::NotAPage => "failNotAPage",
            Code::NotThisPage | Code::PanelNotFramed => "failNotThisPage",
            Code::OtherCookieStore => "failOtherCookieStore",
            Code::ProfileNotCaptured => "errorNotFound",
            Code::NotFound | Code::NoSuchRecord => "failNoSuchRecord",
            Code::WrongState => "failWrongState",
            Code::EmptyBody => "activityNeedBody",
            Code::NoTags => "activityNeedTags",
            Code::NoCallDetails => "activityBadDuration",
            Code::BadTime => "activityFailedUnknown",
            Code::NoName => "manualNeedsName",
            Code::NotAProfileUrl => "failNotAProfileUrl",
            Code::OrgNotAllowed => "failOrgNotAllowed",
            Code::SyncNotEnabled => "panelNotEnabled",
            Code::OrgNotConnected => "adminNotConnected",
            Code::SettingLocked => "failSettingLocked",
            Code::SettingInvalid => "failSettingInvalid",
            Code::CoreRestarted => "errorCoreRestarted",
            Code::PartNotLoaded => "errorPartNotLoaded",
        };
        Words { key, detail: None }
    }
}

fn unknown() -> Words {
    Words {
        key: "activityFailedUnknown",
        detail: None,
    }
}

/// "That did not go through: …" with someone else's words (the CRM's, the browser's).
fn said(words: &str) -> Words {
    match words.trim() {
        "" => unknown(),
        words => Words {
            key: "activityFailed",
            detail: Some(words.to_string()),
        },
    }
}

/// The CRM's own words say what was wrong (a validation rule); else the advice. A refused
/// session says what the admin must allow, and a limit what it means, not the CRM's bare
/// words ("TotalRequests Limit exceeded.").
fn crm_words(error: &CrmError) -> Words {
    let own_words = !matches!(
        error.kind,
        CrmErrorKind::Blocked | CrmErrorKind::RateLimited
    );
    match error.message.trim() {
        message if own_words && !message.is_empty() => said(message),
        _ => Words {
            key: advice_of(error),
            detail: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// As the panel and the pages read an answer.
    fn words(answer: serde_json::Value) -> Words {
        let answer: Answer<serde_json::Value> = serde_json::from_value(answer).unwrap();
        match answer {
            Answer::Error(problem) => problem.words(),
            Answer::Ok(_) => panic!("not a failure"),
        }
    }

    #[test]
    fn a_part_not_loaded_says_so_in_the_users_words() {
        let missing = json!({"error": {"code": "partNotLoaded", "detail": "Failed to fetch"}});
        assert_eq!(
            words(missing),
            Words {
                key: "errorPartNotLoaded",
                detail: None
            }
        );
    }

    #[test]
    fn codes_become_sentences_never_themselves() {
        assert_eq!(
            words(json!({"error": {"code": "notAPage"}})).key,
            "failNotAPage"
        );
        assert_eq!(
            words(json!({"error": {"code": "wrongState", "state": "written"}})).key,
            "failWrongState"
        );
        assert_eq!(
            words(json!({"error": {"code": "backgroundFailed"}})).key,
            "activityFailedUnknown"
        );
        assert_eq!(words(json!({"error": {"code": "noName"}})).detail, None);
    }

    #[test]
    fn an_unknown_code_is_no_answer_the_pages_can_read() {
        let unknown = serde_json::from_value::<Answer<()>>(json!({"error": {"code": "x"}}));
        assert!(unknown.is_err());
    }

    #[test]
    fn crm_errors_give_the_crms_words_or_the_advice() {
        let crm = |error: CrmError| serde_json::to_value(Answer::<()>::from(Err::<(), _>(error)));
        let mut rule = CrmError::new(CrmErrorKind::Rejected, 400, "X", "Subject is required ");
        assert_eq!(
            words(crm(rule.clone()).unwrap()),
            Words {
                key: "activityFailed",
                detail: Some("Subject is required".into())
            }
        );
        rule.message.clear();
        assert_eq!(words(crm(rule).unwrap()).key, "errorUnexpected");
        let expired = CrmError::new(CrmErrorKind::SessionExpired, 401, "", "");
        assert_eq!(words(crm(expired).unwrap()).key, "errorSignIn");
        let redirected = CrmError::unexpected(crate::crm::error::REDIRECTED, "");
        assert_eq!(words(crm(redirected).unwrap()).key, "errorRedirected");
    }

    #[test]
    fn the_cores_own_refusals_from_the_crm_layer_have_their_own_code() {
        let store = crate::background::session::dynamics(Some("firefox-container-1")).unwrap_err();
        let problem = Problem::from(store);
        assert_eq!(
            (problem.code, &problem.crm),
            (Code::OtherCookieStore, &None)
        );
        assert_eq!(problem.words().key, "failOtherCookieStore");
    }

    #[test]
    fn a_refused_session_says_what_the_admin_must_allow() {
        for (code, key) in [
            ("API_DISABLED_FOR_ORG", "errorApiDisabledForOrg"),
            ("API_CURRENTLY_DISABLED", "errorApiDisabledForUser"),
            ("INVALID_SESSION_ID", "errorApiAccessControl"),
            ("SESSION_PROXIED", "errorSessionProxied"),
            ("0x80072560", "errorNotMemberOfOrg"),
            ("INSUFFICIENT_CLAIMS", "errorConditionalAccess"),
            ("SOMETHING_NEW", "errorBlocked"),
        ] {
            let error = CrmError::new(CrmErrorKind::Blocked, 403, code, "the CRM's words");
            let problem = Problem::from(error.clone());
            assert_eq!(problem.code, Code::Crm, "{code}");
            assert_eq!(problem.words(), Words { key, detail: None }, "{code}");
            assert_eq!(advice_of(&error), key);
        }
    }

    #[test]
    fn a_limit_is_said_in_words_not_the_crms_code() {
        let limited = |status: u16, code: &str, message: &str| {
            let error = CrmError::new(CrmErrorKind::RateLimited, status, code, message);
            Problem::from(error).words().key
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
        for code in ["notThisPage", "panelNotFramed"] {
            assert_eq!(
                words(json!({"error": {"code": code}})).key,
                "failNotThisPage"
            );
        }
    }

    #[test]
    fn a_refused_message_says_why() {
        let refused =
            words(json!({"error": {"code": "refused", "detail": "item longer than 128 KiB"}}));
        assert_eq!(refused.key, "activityFailed");
        assert_eq!(refused.detail.as_deref(), Some("item longer than 128 KiB"));
        let restarted = serde_json::to_value(Answer::<()>::refused(Code::CoreRestarted)).unwrap();
        assert_eq!(words(restarted).key, "errorCoreRestarted");
    }

    #[test]
    fn a_message_over_a_limit_says_the_limit() {
        let refused = |limit: &str| words(json!({"error": {"code": "refused", "detail": limit}}));
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
