//! Salesforce REST adapter (CRM-APIS A): sessions from the browser's `sid` cookies, request
//! building and response reading. No I/O.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{CrmError, CrmErrorKind, HttpRequest, OrgHost, RecordSummary, RecordType};
use crate::salesforce_id::SalesforceId;

/// The REST API version crmsync speaks; every org from Spring '26 on serves it (A1).
pub const API_VERSION: &str = "66.0";

/// A browser cookie as `chrome.cookies` reports it (only the parts we read).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cookie {
    pub name: String,
    pub value: String,
    pub domain: String,
    #[serde(default)]
    pub secure: bool,
}

/// An API session: a Bearer token valid on `api_host`, the only host it is sent to.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub api_host: OrgHost,
    pub token: String,
}

/// The org id is the part of a `sid` before `!` (A12.2).
pub fn org_id_of_sid(sid: &str) -> Option<&str> {
    let (org, rest) = sid.split_once('!')?;
    (org.starts_with("00D") && !rest.is_empty()).then_some(org)
}

/// Picks the API session for a Lightning page: the page's own `sid` names the org; the token
/// is the secure `sid` of the same org on the My Domain host, because the Lightning host's
/// `sid` is not valid for the REST API (A12, jsforce#1274).
pub fn pick_session(page_sid: &str, api_host: &str, cookies: &[Cookie]) -> Option<Session> {
    let org = org_id_of_sid(page_sid)?;
    let api_host = OrgHost::salesforce(api_host)?;
    let prefix = format!("{org}!");
    cookies
        .iter()
        .filter(|c| c.name == "sid" && c.secure && c.value.starts_with(&prefix))
        .find(|c| {
            c.domain
                .trim_start_matches('.')
                .eq_ignore_ascii_case(api_host.as_str())
        })
        .map(|c| Session {
            api_host,
            token: c.value.clone(),
        })
}

/// The code of [`proxied_session`].
pub const SESSION_PROXIED: &str = "SESSION_PROXIED";

/// The org is reached through a Defender for Cloud Apps proxy, whose `sid` is encrypted and no
/// API token (CRM-APIS A18, A19): no session can be had, and signing in again does not help.
pub fn proxied_session() -> CrmError {
    CrmError::new(CrmErrorKind::Blocked, 0, SESSION_PROXIED, "")
}

/// No session for the org in this browser: the user must sign in to Salesforce again.
pub fn no_session() -> CrmError {
    CrmError::new(
        CrmErrorKind::SessionExpired,
        401,
        "NO_SESSION",
        "No Salesforce session was found in this browser.",
    )
}

/// The REST query URL for a SOQL statement (built with `escape::soql`).
pub fn query_url(api_host: &OrgHost, soql: &str) -> String {
    let q: String = form_urlencoded::byte_serialize(soql.as_bytes()).collect();
    format!("{}/query?q={q}", base_url(api_host))
}

pub(crate) fn base_url(api_host: &OrgHost) -> String {
    format!("https://{api_host}/services/data/v{API_VERSION}")
}

pub(crate) fn authorized(session: &Session, method: &str, url: String) -> HttpRequest {
    HttpRequest {
        method: method.to_string(),
        url,
        headers: vec![
            ("Authorization".into(), format!("Bearer {}", session.token)),
            ("Accept".into(), "application/json".into()),
        ],
        body: None,
        with_cookies: false,
    }
}

/// The fields the panel shows per object, in order; `Name` first.
fn display_fields(record_type: RecordType) -> &'static [&'static str] {
    match record_type {
        RecordType::Contact => &["Name", "Title", "Email", "Phone"],
        RecordType::Lead => &["Name", "Title", "Company", "Email", "Phone"],
        RecordType::Account => &["Name", "Website", "Phone"],
        RecordType::Opportunity => &["Name", "StageName", "CloseDate"],
    }
}

/// The labels of the fields the panel shows after the name, in order.
pub fn shown_labels(record_type: RecordType) -> Vec<&'static str> {
    display_fields(record_type)[1..].to_vec()
}

/// `GET …/sobjects/{Object}/{id}?fields=…` (A5).
pub fn record_request(
    session: &Session,
    record_type: RecordType,
    id: &SalesforceId,
) -> HttpRequest {
    let fields = display_fields(record_type).join(",");
    let url = format!(
        "{}/sobjects/{}/{}?fields={fields}",
        base_url(&session.api_host),
        record_type.salesforce_name(),
        id
    );
    authorized(session, "GET", url)
}

/// Reads a record response into what the panel shows.
pub fn read_record(
    record_type: RecordType,
    status: u16,
    body: &str,
) -> Result<RecordSummary, CrmError> {
    if status != 200 {
        return Err(read_error(status, body));
    }
    let json: Value = serde_json::from_str(body)
        .map_err(|e| CrmError::unexpected(status, &format!("invalid JSON: {e}")))?;
    let text = |name: &str| json.get(name).and_then(Value::as_str).unwrap_or_default();
    let id = text("Id");
    if id.is_empty() {
        return Err(CrmError::unexpected(status, "record without Id"));
    }
    let fields = display_fields(record_type)[1..]
        .iter()
        .filter(|f| !text(f).is_empty())
        .map(|f| (f.to_string(), text(f).to_string()))
        .collect();
    Ok(RecordSummary {
        record_type,
        id: id.to_string(),
        name: text("Name").to_string(),
        fields,
    })
}

/// The message of a refused REST session under API Access Control (A19). The Lightning
/// host's `sid` gets the same words (A12.5), but crmsync only sends the My Domain one.
const NOT_AN_API_SESSION: &str = "This session is not valid for use with the REST API";

/// The kind of an error by its code (and, for the session, its words): A8, A17, A19.
fn kind_of(code: &str, message: &str, status: u16) -> CrmErrorKind {
    match code {
        "INVALID_SESSION_ID" if message.trim().starts_with(NOT_AN_API_SESSION) => {
            CrmErrorKind::Blocked
        }
        "INVALID_SESSION_ID" => CrmErrorKind::SessionExpired,
        "API_DISABLED_FOR_ORG" | "API_CURRENTLY_DISABLED" => CrmErrorKind::Blocked,
        "REQUEST_LIMIT_EXCEEDED" => CrmErrorKind::RateLimited,
        "NOT_FOUND" | "ENTITY_IS_DELETED" => CrmErrorKind::NotFound,
        "INSUFFICIENT_ACCESS" | "INSUFFICIENT_ACCESS_OR_READONLY" => CrmErrorKind::Forbidden,
        "REQUIRED_FIELD_MISSING"
        | "FIELD_CUSTOM_VALIDATION_EXCEPTION"
        | "DUPLICATES_DETECTED"
        | "INVALID_FIELD_FOR_INSERT_UPDATE"
        | "STRING_TOO_LONG" => CrmErrorKind::Rejected,
        _ => CrmError::unexpected(status, "").kind,
    }
}

/// A query error's reason without the query it quotes (A2): the message starts with a newline,
/// the query's line, a caret line and `ERROR at Row:R:Column:C`, then the reason. The query
/// can hold what the user typed, which is neither shown nor stored.
fn reason(message: &str) -> &str {
    match message.split_once("\nERROR at Row:") {
        Some((_, rest)) => rest
            .split_once('\n')
            .map_or("", |(_, reason)| reason)
            .trim(),
        None => message,
    }
}

/// Salesforce errors are a JSON array of `{message, errorCode, fields?}` (A8).
pub fn read_error(status: u16, body: &str) -> CrmError {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct SfError {
        message: String,
        error_code: String,
    }
    let Ok(errors) = serde_json::from_str::<Vec<SfError>>(body) else {
        return CrmError::unexpected(status, body.chars().take(200).collect::<String>().trim());
    };
    let Some(first) = errors.into_iter().next() else {
        return CrmError::unexpected(status, "empty error list");
    };
    let message = reason(&first.message);
    let kind = kind_of(&first.error_code, message, status);
    CrmError::new(kind, status, &first.error_code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "00D5g000004XyZa";

    fn cookie(domain: &str, value: &str, secure: bool) -> Cookie {
        Cookie {
            name: "sid".into(),
            value: value.into(),
            domain: domain.into(),
            secure,
        }
    }

    #[test]
    fn session_is_the_my_domain_sid_of_the_same_org() {
        let page_sid = format!("{ORG}!lightning-token");
        let cookies = [
            cookie("acme.lightning.force.com", &page_sid, true),
            cookie("other.my.salesforce.com", "00D000000000001!other", true),
            cookie("acme.my.salesforce.com", &format!("{ORG}!api-token"), true),
        ];
        let session = pick_session(&page_sid, "acme.my.salesforce.com", &cookies).unwrap();
        assert_eq!(session.token, format!("{ORG}!api-token"));
        assert_eq!(session.api_host.as_str(), "acme.my.salesforce.com");
    }

    #[test]
    fn no_session_without_a_secure_api_cookie_of_that_org() {
        let page_sid = format!("{ORG}!x");
        let insecure = [cookie("acme.my.salesforce.com", &format!("{ORG}!t"), false)];
        assert_eq!(
            pick_session(&page_sid, "acme.my.salesforce.com", &insecure),
            None
        );
        let other_org = [cookie("acme.my.salesforce.com", "00D000000000009!t", true)];
        assert_eq!(
            pick_session(&page_sid, "acme.my.salesforce.com", &other_org),
            None
        );
        assert_eq!(
            pick_session("garbage", "acme.my.salesforce.com", &other_org),
            None
        );
        // A host that only ends like an org's never gets the token.
        let spoofed = "evil.example/x?.my.salesforce.com";
        let cookies = [cookie(spoofed, &format!("{ORG}!t"), true)];
        assert_eq!(pick_session(&page_sid, spoofed, &cookies), None);
    }

    #[test]
    fn record_request_is_an_authorized_get_on_the_api_host() {
        let session = Session {
            api_host: OrgHost::salesforce("acme.my.salesforce.com").unwrap(),
            token: "T".into(),
        };
        let id = SalesforceId::parse("0035g00000ABCDeAAP").unwrap();
        let req = record_request(&session, RecordType::Contact, &id);
        assert_eq!(req.method, "GET");
        assert_eq!(
            req.url,
            "https://acme.my.salesforce.com/services/data/v66.0/sobjects/Contact/0035g00000ABCDeAAP?fields=Name,Title,Email,Phone"
        );
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer T".into())));
        assert!(!req.with_cookies);
    }

    #[test]
    fn record_response_keeps_non_empty_display_fields() {
        let body = r#"{"attributes":{"type":"Contact"},"Id":"0035g00000ABCDeAAP","Name":"Ada Lovelace","Title":"CTO","Email":null,"Phone":""}"#;
        let summary = read_record(RecordType::Contact, 200, body).unwrap();
        assert_eq!(summary.name, "Ada Lovelace");
        assert_eq!(
            summary.fields,
            vec![("Title".to_string(), "CTO".to_string())]
        );
    }

    #[test]
    fn expired_session_is_classified() {
        let body = r#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#;
        let err = read_record(RecordType::Contact, 401, body).unwrap_err();
        assert_eq!(err.kind, CrmErrorKind::SessionExpired);
        assert_eq!(err.message, "Session expired or invalid");
    }

    /// What an org answers a session it refuses, or a spent or busy allowance (A8, A19).
    #[test]
    fn refused_sessions_are_blocked_and_limits_are_told_apart() {
        let error = |status: u16, code: &str, message: &str| {
            let body = serde_json::json!([{ "message": message, "errorCode": code }]).to_string();
            read_error(status, &body)
        };
        for (status, code, message) in [
            (
                403,
                "API_DISABLED_FOR_ORG",
                "The REST API is not enabled for this Organization.",
            ),
            (
                403,
                "API_CURRENTLY_DISABLED",
                "API is disabled for this User",
            ),
            (
                401,
                "INVALID_SESSION_ID",
                "This session is not valid for use with the REST API",
            ),
        ] {
            assert_eq!(
                error(status, code, message).kind,
                CrmErrorKind::Blocked,
                "{code}"
            );
        }
        let expired = error(401, "INVALID_SESSION_ID", "Session expired or invalid");
        assert_eq!(expired.kind, CrmErrorKind::SessionExpired);
        let spent = error(
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        );
        let busy = error(
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "ConcurrentPerOrgLongTxn Limit exceeded.",
        );
        assert_eq!(
            (spent.kind, busy.kind),
            (CrmErrorKind::RateLimited, CrmErrorKind::RateLimited)
        );
        assert!(spent.is_allowance_spent() && !busy.is_allowance_spent());
    }

    /// A query error quotes the query, which may hold what the user typed: only the reason
    /// is kept (A2).
    #[test]
    fn query_errors_keep_the_reason_not_the_query() {
        let body = r#"[{"message":"\nSELECT Id FROM Contact WHERE Email = 'ada@example.com' AND Nope__c = 1\n                                                      ^\nERROR at Row:1:Column:55\nNo such column 'Nope__c' on entity 'Contact'.","errorCode":"INVALID_FIELD"}]"#;
        let error = read_error(400, body);
        assert_eq!(
            error.message,
            "No such column 'Nope__c' on entity 'Contact'."
        );
        assert_eq!(error.kind, CrmErrorKind::Unexpected);
        let plain = r#"[{"message":"unexpected token: SELEC","errorCode":"MALFORMED_QUERY"}]"#;
        assert_eq!(read_error(400, plain).message, "unexpected token: SELEC");
        let cut = r#"[{"message":"\nSELECT\n ^\nERROR at Row:1:Column:2","errorCode":"MALFORMED_QUERY"}]"#;
        assert_eq!(read_error(400, cut).message, "");
    }

    #[test]
    fn non_json_errors_fall_back_to_status() {
        let err = read_record(RecordType::Contact, 503, "<html>down</html>").unwrap_err();
        assert_eq!(err.kind, CrmErrorKind::Unavailable);
        let err = read_record(RecordType::Contact, 200, "not json").unwrap_err();
        assert_eq!(err.kind, CrmErrorKind::Unexpected);
    }
}
