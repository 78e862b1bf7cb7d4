//! What the outbox needs to know about an org before writing: who the seat holder is in the
//! CRM (activities are theirs; A12 userinfo, B WhoAmI) and how a Salesforce org keeps notes.

use serde::Deserialize;

use crate::crm::salesforce::{authorized, Session};
use crate::crm::{dynamics, salesforce, Crm, CrmError, HttpRequest, OrgHost};
use crate::writeback::salesforce::NoteStyle;

pub fn request(
    crm: Crm,
    api_host: &str,
    session: Option<&Session>,
) -> Result<HttpRequest, CrmError> {
    match crm {
        Crm::Salesforce => {
            let session = session.ok_or_else(salesforce::no_session)?;
            Ok(authorized(
                session,
                "GET",
                format!("https://{}/services/oauth2/userinfo", session.api_host),
            ))
        }
        Crm::Dynamics => Ok(HttpRequest {
            method: "GET".into(),
            url: format!(
                "{}/WhoAmI",
                dynamics::api_base(&OrgHost::checked(crm, api_host)?)
            ),
            headers: dynamics::odata_headers(),
            body: None,
            with_cookies: true,
        }),
    }
}

/// The user's id from the answer.
pub fn read(
    crm: Crm,
    status: u16,
    body: &str,
    retry_after: Option<u32>,
) -> Result<String, CrmError> {
    #[derive(Deserialize)]
    struct UserInfo {
        user_id: String,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct WhoAmI {
        user_id: String,
    }
    let ok = (200..300).contains(&status);
    let id = match crm {
        Crm::Salesforce if ok => serde_json::from_str::<UserInfo>(body).map(|u| u.user_id),
        Crm::Dynamics if ok => serde_json::from_str::<WhoAmI>(body).map(|u| u.user_id),
        Crm::Salesforce => {
            let mut error = salesforce::read_error(status, body);
            error.retry_after = retry_after;
            return Err(error);
        }
        Crm::Dynamics => return Err(dynamics::read_error(status, body, retry_after)),
    };
    id.map_err(|e| CrmError::unexpected(status, &format!("unreadable user: {e}")))
}

/// Whether the org has Lightning notes: `describe` of ContentNote.
pub fn notes_request(session: &Session) -> HttpRequest {
    authorized(
        session,
        "GET",
        format!(
            "https://{}/services/data/v{}/sobjects/ContentNote/describe",
            session.api_host,
            salesforce::API_VERSION
        ),
    )
}

/// ContentNote there and createable: Lightning notes; unknown to the org: classic Notes.
pub fn read_notes(status: u16, body: &str) -> Result<NoteStyle, CrmError> {
    if (200..300).contains(&status) {
        let createable = serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|d| d.get("createable")?.as_bool())
            .unwrap_or(false);
        return Ok(if createable {
            NoteStyle::Content
        } else {
            NoteStyle::Classic
        });
    }
    let error = salesforce::read_error(status, body);
    match error.code.as_str() {
        "NOT_FOUND" | "INVALID_TYPE" => Ok(NoteStyle::Classic),
        _ => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::CrmErrorKind;

    #[test]
    fn user_ids_are_read_from_each_crm() {
        assert_eq!(
            read(
                Crm::Salesforce,
                200,
                r#"{"user_id":"005A","organization_id":"00D"}"#,
                None
            ),
            Ok("005A".to_string())
        );
        assert_eq!(
            read(
                Crm::Dynamics,
                200,
                r#"{"UserId":"u-1","BusinessUnitId":"b"}"#,
                None
            ),
            Ok("u-1".to_string())
        );
        let expired = read(
            Crm::Salesforce,
            401,
            r#"[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]"#,
            None,
        );
        assert_eq!(expired.unwrap_err().kind, CrmErrorKind::SessionExpired);
    }

    #[test]
    fn orgs_without_lightning_notes_use_classic_notes() {
        let described = r#"{"name":"ContentNote","createable":true}"#;
        assert_eq!(read_notes(200, described), Ok(NoteStyle::Content));
        let missing =
            r#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#;
        assert_eq!(read_notes(404, missing), Ok(NoteStyle::Classic));
        let expired =
            r#"[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]"#;
        assert!(read_notes(401, expired).is_err());
    }

    #[test]
    fn salesforce_needs_a_session() {
        let err = request(Crm::Salesforce, "acme.my.salesforce.com", None).unwrap_err();
        assert_eq!(err.kind, CrmErrorKind::SessionExpired);
    }
}
