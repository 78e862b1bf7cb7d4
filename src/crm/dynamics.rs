//! Dataverse Web API adapter (CRM-APIS B): the org host authenticates the browser's own
//! session cookie (B11), so requests ask for cookies instead of carrying a token. No I/O.

use serde::Deserialize;
use serde_json::Value;

use super::{
    CrmError, CrmErrorKind, DataverseGuid, HttpRequest, OrgHost, RecordSummary, RecordType,
};

pub const API_VERSION: &str = "9.2";

/// The entity set of each record type (B2).
pub fn entity_set(record_type: RecordType) -> &'static str {
    match record_type {
        RecordType::Contact => "contacts",
        RecordType::Lead => "leads",
        RecordType::Account => "accounts",
        RecordType::Opportunity => "opportunities",
    }
}

/// The name attribute first, then the fields the panel shows.
fn display_fields(record_type: RecordType) -> &'static [(&'static str, &'static str)] {
    match record_type {
        RecordType::Contact => &[
            ("fullname", "Name"),
            ("jobtitle", "Title"),
            ("emailaddress1", "Email"),
            ("telephone1", "Phone"),
        ],
        RecordType::Lead => &[
            ("fullname", "Name"),
            ("jobtitle", "Title"),
            ("companyname", "Company"),
            ("emailaddress1", "Email"),
        ],
        RecordType::Account => &[
            ("name", "Name"),
            ("websiteurl", "Website"),
            ("telephone1", "Phone"),
        ],
        RecordType::Opportunity => &[
            ("name", "Name"),
            ("stepname", "StageName"),
            ("estimatedclosedate", "CloseDate"),
        ],
    }
}

/// The labels of the fields the panel shows after the name, in order.
pub fn shown_labels(record_type: RecordType) -> Vec<&'static str> {
    display_fields(record_type)[1..]
        .iter()
        .map(|(_, label)| *label)
        .collect()
}

pub(crate) fn odata_headers() -> Vec<(String, String)> {
    vec![
        ("Accept".into(), "application/json".into()),
        ("OData-MaxVersion".into(), "4.0".into()),
        ("OData-Version".into(), "4.0".into()),
    ]
}

/// `https://{org host}/api/data/v9.2`: the root of every Web API request (B1).
pub fn api_base(api_host: &OrgHost) -> String {
    format!("https://{api_host}/api/data/v{API_VERSION}")
}

/// `GET /api/data/v9.2/{set}({guid})?$select=…` (B5), authenticated by the session cookie.
pub fn record_request(
    api_host: &OrgHost,
    record_type: RecordType,
    guid: &DataverseGuid,
) -> HttpRequest {
    let select: Vec<&str> = display_fields(record_type)
        .iter()
        .map(|(f, _)| *f)
        .collect();
    HttpRequest {
        method: "GET".into(),
        url: format!(
            "{}/{}({guid})?$select={}",
            api_base(api_host),
            entity_set(record_type),
            select.join(",")
        ),
        headers: odata_headers(),
        body: None,
        with_cookies: true,
    }
}

pub fn read_record(
    record_type: RecordType,
    status: u16,
    body: &str,
) -> Result<RecordSummary, CrmError> {
    if status != 200 {
        return Err(read_error(status, body, None));
    }
    let json: Value = serde_json::from_str(body)
        .map_err(|e| CrmError::unexpected(status, &format!("invalid JSON: {e}")))?;
    let id_field = format!("{}id", record_type.dynamics_name());
    let text = |name: &str| json.get(name).and_then(Value::as_str).unwrap_or_default();
    let id = text(&id_field);
    if id.is_empty() {
        return Err(CrmError::unexpected(status, "record without id"));
    }
    let [(name_field, _), rest @ ..] = display_fields(record_type) else {
        unreachable!("every record type has a name field")
    };
    let fields = rest
        .iter()
        .filter(|(f, _)| !text(f).is_empty())
        .map(|(f, label)| (label.to_string(), text(f).to_string()))
        .collect();
    Ok(RecordSummary {
        record_type,
        id: id.to_string(),
        name: text(name_field).to_string(),
        fields,
    })
}

/// The user is not a member of the environment: no licence or security role (A19).
const NOT_A_MEMBER: &str = "0x80072560";

/// Dataverse errors use the OData envelope `{"error":{"code","message"}}` (B9); throttling is
/// 429 with `Retry-After` in seconds, whichever of the three service protection limits it is;
/// a claims challenge (`CLAIMS_CHALLENGE`) or a user who is not a member is a blocked session
/// (A19). A 401's body may be empty (B9).
pub fn read_error(status: u16, body: &str, retry_after: Option<u32>) -> CrmError {
    if status == super::error::CLAIMS_CHALLENGE {
        return CrmError::unexpected(status, "");
    }
    #[derive(Deserialize)]
    struct Envelope {
        error: Inner,
    }
    #[derive(Deserialize)]
    struct Inner {
        #[serde(default)]
        code: String,
        message: String,
    }
    let mut err = match serde_json::from_str::<Envelope>(body) {
        Ok(Envelope { error }) => {
            let kind = CrmError::unexpected(status, "").kind;
            let kind = match (status, kind) {
                _ if error.code == NOT_A_MEMBER => CrmErrorKind::Blocked,
                (400 | 412, _) => CrmErrorKind::Rejected,
                (_, kind) => kind,
            };
            CrmError::new(kind, status, &error.code, &error.message)
        }
        Err(_) => CrmError::unexpected(status, body.chars().take(200).collect::<String>().trim()),
    };
    err.retry_after = retry_after;
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUID: &str = "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b";

    #[test]
    fn record_request_uses_cookies_and_odata_headers() {
        let host = OrgHost::dynamics("acme.crm.dynamics.com").unwrap();
        let guid = DataverseGuid::parse(GUID).unwrap();
        let req = record_request(&host, RecordType::Contact, &guid);
        assert_eq!(
            req.url,
            format!("https://acme.crm.dynamics.com/api/data/v9.2/contacts({GUID})?$select=fullname,jobtitle,emailaddress1,telephone1")
        );
        assert!(req.with_cookies);
        assert!(req
            .headers
            .contains(&("OData-Version".into(), "4.0".into())));
    }

    #[test]
    fn record_response_is_read() {
        let body = format!(
            r#"{{"@odata.etag":"W/\"1\"","contactid":"{GUID}","fullname":"Grace Hopper","jobtitle":"Admiral","emailaddress1":null}}"#
        );
        let summary = read_record(RecordType::Contact, 200, &body).unwrap();
        assert_eq!(summary.name, "Grace Hopper");
        assert_eq!(
            summary.fields,
            vec![("Title".to_string(), "Admiral".to_string())]
        );
    }

    #[test]
    fn throttling_keeps_retry_after() {
        let body =
            r#"{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit"}}"#;
        let err = read_error(429, body, Some(30));
        assert_eq!(err.kind, CrmErrorKind::RateLimited);
        assert_eq!(err.code, "0x80072322");
        assert_eq!(err.retry_after, Some(30));
    }

    #[test]
    fn every_service_protection_limit_is_rate_limited_with_its_wait() {
        for code in ["0x80072322", "0x80072321", "0x80072326"] {
            let body = format!(r#"{{"error":{{"code":"{code}","message":"limit"}}}}"#);
            let err = read_error(429, &body, Some(7));
            assert_eq!(
                (err.kind, err.retry_after),
                (CrmErrorKind::RateLimited, Some(7)),
                "{code}"
            );
        }
    }

    #[test]
    fn a_user_who_is_not_a_member_or_a_claims_challenge_is_blocked() {
        let body = r#"{"error":{"code":"0x80072560","message":"The user is not a member of the organization."}}"#;
        assert_eq!(read_error(403, body, None).kind, CrmErrorKind::Blocked);
        let challenged = read_error(super::super::error::CLAIMS_CHALLENGE, "", None);
        assert_eq!(
            (challenged.kind, challenged.code.as_str()),
            (CrmErrorKind::Blocked, "INSUFFICIENT_CLAIMS")
        );
        assert_eq!(read_error(401, "", None).kind, CrmErrorKind::SessionExpired);
    }

    #[test]
    fn missing_row_is_not_found() {
        let body =
            r#"{"error":{"code":"0x80040217","message":"contact With Id = x Does Not Exist"}}"#;
        let err = read_record(RecordType::Contact, 404, body).unwrap_err();
        assert_eq!(err.kind, CrmErrorKind::NotFound);
    }
}
