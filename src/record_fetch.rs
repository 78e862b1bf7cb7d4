//! Fetching one record for the panel: which request to send for a detected page, and how to
//! read the answer, whichever CRM it is.

use crate::crm::{
    dynamics, salesforce, Crm, CrmError, CrmErrorKind, DataverseGuid, HttpRequest, OrgHost,
    RecordSummary,
};
use crate::page::Page;
use crate::salesforce_id::SalesforceId;

/// The code of a planner's refusal for a page that shows no single record.
pub const NOT_A_RECORD_PAGE: &str = "NOT_A_RECORD_PAGE";

/// The request that reads a record page's record. Salesforce needs the API session the
/// background found in the browser's cookies; without one the user must sign in.
pub fn plan(page: &Page, session: Option<&salesforce::Session>) -> Result<HttpRequest, CrmError> {
    let Page::Record {
        crm,
        api_host,
        record_type,
        record_id,
        ..
    } = page
    else {
        return Err(not_a_record_page());
    };
    // A detected page already holds checked values; a page from anywhere else is checked here.
    match crm {
        Crm::Salesforce => {
            let id = SalesforceId::parse(record_id).ok_or_else(not_a_record_page)?;
            let session = session.ok_or_else(signed_out)?;
            Ok(salesforce::record_request(session, *record_type, &id))
        }
        Crm::Dynamics => {
            let host = OrgHost::dynamics(api_host).ok_or_else(not_a_record_page)?;
            let guid = DataverseGuid::parse(record_id).ok_or_else(not_a_record_page)?;
            Ok(dynamics::record_request(&host, *record_type, &guid))
        }
    }
}

fn not_a_record_page() -> CrmError {
    CrmError::new(
        CrmErrorKind::Unexpected,
        0,
        NOT_A_RECORD_PAGE,
        "This page does not show a single record.",
    )
}

/// Reads the response to [`plan`]'s request.
pub fn read(
    page: &Page,
    status: u16,
    body: &str,
    retry_after: Option<u32>,
) -> Result<RecordSummary, CrmError> {
    let Page::Record { record_type, .. } = page else {
        return Err(CrmError::unexpected(status, "not a record page"));
    };
    let result = match page.crm() {
        Crm::Salesforce => salesforce::read_record(*record_type, status, body),
        Crm::Dynamics => dynamics::read_record(*record_type, status, body),
    };
    result.map_err(|mut e| {
        e.retry_after = e.retry_after.or(retry_after);
        e
    })
}

fn signed_out() -> CrmError {
    salesforce::no_session()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::detect;

    #[test]
    fn salesforce_without_session_asks_to_sign_in() {
        let page =
            detect("https://acme.lightning.force.com/lightning/r/Contact/0035g00000ABCDeAAP/view")
                .unwrap();
        let err = plan(&page, None).unwrap_err();
        assert_eq!(err.kind, CrmErrorKind::SessionExpired);
    }

    #[test]
    fn dynamics_plan_needs_no_token() {
        let page = detect("https://acme.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=lead&id=5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b").unwrap();
        let req = plan(&page, None).unwrap();
        assert!(req
            .url
            .contains("/leads(5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b)"));
    }

    /// A page that did not come from detection (a message, a stored value) with a host or id
    /// no org has never becomes a request.
    #[test]
    fn foreign_hosts_and_ids_never_become_a_request() {
        let page = |crm: &str, api_host: &str, id: &str| -> Page {
            serde_json::from_value(serde_json::json!({
                "kind": "record", "crm": crm, "pageHost": api_host, "apiHost": api_host,
                "recordType": "contact", "recordId": id,
            }))
            .unwrap()
        };
        let session = salesforce::Session {
            api_host: OrgHost::salesforce("acme.my.salesforce.com").unwrap(),
            token: "T".into(),
        };
        for page in [
            page(
                "salesforce",
                "acme.my.salesforce.com",
                "003xx/../../query?q=SELECT+Id+FROM+User",
            ),
            page(
                "dynamics",
                "evil.example/x?.crm.dynamics.com",
                "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b",
            ),
            page(
                "dynamics",
                "acme.crm.dynamics.com",
                "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b)/../../accounts(",
            ),
        ] {
            assert!(plan(&page, Some(&session)).is_err(), "{page:?}");
        }
    }

    #[test]
    fn list_pages_have_no_record_to_fetch() {
        let page = detect("https://acme.lightning.force.com/lightning/o/Contact/list").unwrap();
        assert!(plan(&page, None).is_err());
    }

    /// The record read redirected (to a sign-in page): the port's opaque redirect reads as
    /// "sign in again", in both CRMs, not as an unreadable answer.
    #[test]
    fn a_redirected_record_read_asks_to_sign_in() {
        let port = serde_json::json!({"status": 0, "body": "", "redirected": true});
        let answer: crate::host::HttpAnswer = serde_json::from_value(port).unwrap();
        for url in [
            "https://acme.lightning.force.com/lightning/r/Contact/0035g00000ABCDeAAP/view",
            "https://acme.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=lead&id=5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b",
        ] {
            let page = detect(url).unwrap();
            let err = read(&page, answer.status, &answer.body, answer.retry_after).unwrap_err();
            assert_eq!((err.kind, err.code.as_str()), (CrmErrorKind::SessionExpired, "REDIRECTED"));
        }
    }

    /// Dataverse refused the session with a Conditional Access claims challenge: the port's
    /// 401 and its `WWW-Authenticate` read as a blocked session, not "sign in again" (A19).
    #[test]
    fn a_claims_challenge_reads_as_a_blocked_session() {
        let challenge = r#"Bearer authorization_uri=https://login.microsoftonline.com/t/oauth2/authorize, resource_id=https://acme.crm.dynamics.com/, error="insufficient_claims", claims="e30=""#;
        let port = serde_json::json!({"status": 401, "body": "", "headers": [["www-authenticate", challenge]]});
        let answer: crate::host::HttpAnswer = serde_json::from_value(port).unwrap();
        let page = detect("https://acme.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=lead&id=5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b").unwrap();
        let err = read(&page, answer.status, &answer.body, answer.retry_after).unwrap_err();
        assert_eq!(
            (err.kind, err.code.as_str()),
            (CrmErrorKind::Blocked, "INSUFFICIENT_CLAIMS")
        );
        let plain = serde_json::json!({"status": 401, "body": "", "headers": [["www-authenticate", "Bearer resource_id=x"]]});
        let answer: crate::host::HttpAnswer = serde_json::from_value(plain).unwrap();
        let err = read(&page, answer.status, &answer.body, answer.retry_after).unwrap_err();
        assert_eq!(err.kind, CrmErrorKind::SessionExpired);
    }
}
