//! Data validation on Salesforce: the flag is a custom checkbox on Contact, made through the
//! Tooling API (A11) like Prepare org's item-id field, granted to the seat permission set
//! (a field made so is readable by nobody until a permission set grants it, A16), and
//! written with sObject Collections updates of up to 200 contacts (A6). The Tooling API adds
//! no field to page layouts, so the flag is hidden from layouts by default, as the seeds say.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{FlagChange, FlagOutcome, FlagWrite, FLAGS_PER_REQUEST};
use crate::crm::admin::composite::{answer, composite, read_composite, sub_path, sub_query};
use crate::crm::admin::salesforce::SEAT;
use crate::crm::admin::salesforce_connect::already_there;
use crate::crm::salesforce::{authorized, base_url, query_url, read_error, Session};
use crate::crm::{CrmError, CrmErrorKind, HttpRequest};
use crate::escape::soql;

/// The flag's API name on Contact.
pub const FLAG_FIELD: &str = "crmsync_Not_at_Company__c";

fn json_request(session: &Session, method: &str, path: &str, body: Value) -> HttpRequest {
    let mut request = authorized(
        session,
        method,
        format!("{}/{path}", base_url(&session.api_host)),
    );
    request
        .headers
        .push(("Content-Type".into(), "application/json".into()));
    request.body = Some(body.to_string());
    request
}

/// Creates the checkbox (setup step 1).
pub fn field_request(session: &Session) -> HttpRequest {
    json_request(
        session,
        "POST",
        "tooling/sobjects/CustomField",
        json!({"FullName": format!("Contact.{FLAG_FIELD}"), "Metadata": {
            "label": "Not at Company Flag",
            "description": "Set by crmsync: the person's current employer on their profile is no longer this contact's account.",
            "type": "Checkbox",
            "defaultValue": "false",
        }}),
    )
}

/// Grants read and edit of the flag to the seat permission set (setup step 2): seat
/// holders' extensions write it.
pub fn grant_request(session: &Session) -> HttpRequest {
    let seat = soql::quote(SEAT);
    composite(
        session,
        vec![
            sub_query(
                "set",
                &format!("SELECT Id FROM PermissionSet WHERE Name = {seat}"),
            ),
            json!({"method": "POST", "referenceId": "flag", "url": sub_path("sobjects/FieldPermissions"),
                   "body": {"ParentId": "@{set.records[0].Id}", "SobjectType": "Contact",
                            "Field": format!("Contact.{FLAG_FIELD}"),
                            "PermissionsRead": true, "PermissionsEdit": true}}),
        ],
    )
}

/// The field step is done when the field was made or already existed.
pub fn read_field(status: u16, body: &str) -> Result<(), CrmError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let error = read_error(status, body);
    if already_there(&error.code) {
        Ok(())
    } else {
        Err(error)
    }
}

/// The grant step is done when the permission was made or already there.
pub fn read_grant(status: u16, body: &str) -> Result<(), CrmError> {
    let answers = read_composite(status, body)?;
    for reference in ["set", "flag"] {
        let a = answer(&answers, reference)?;
        if !a.ok() && !already_there(a.error_code()) {
            return Err(a.error());
        }
    }
    Ok(())
}

/// Reads the flagged contacts (the first page, or the page `next` names, A2). An org
/// without the field answers `INVALID_FIELD`: data validation is not set up there.
pub fn flagged_request(session: &Session, next: Option<&str>) -> HttpRequest {
    let url = match next {
        Some(path) => format!("https://{}{path}", session.api_host),
        None => query_url(
            &session.api_host,
            &format!("SELECT Id FROM Contact WHERE {FLAG_FIELD} = true"),
        ),
    };
    authorized(session, "GET", url)
}

/// One page of flagged contact ids, and the next page's path.
pub fn read_flagged(status: u16, body: &str) -> Result<(Vec<String>, Option<String>), CrmError> {
    let (rows, next) = crate::sync::salesforce::query_page(status, body)?;
    let ids = rows
        .iter()
        .filter_map(|r| r.get("Id").and_then(Value::as_str).map(String::from))
        .collect();
    Ok((ids, next))
}

/// The write requests for `changes`: one collection update per 200 flags, every other
/// record kept when one fails (`allOrNone: false`). Writing a flag twice sets the same
/// value, so a retry after a lost answer changes nothing.
pub fn write_requests(session: &Session, changes: &[FlagChange]) -> Vec<FlagWrite> {
    changes
        .chunks(FLAGS_PER_REQUEST)
        .map(|chunk| FlagWrite {
            changes: chunk.to_vec(),
            request: chunk_request(session, chunk),
        })
        .collect()
}

fn chunk_request(session: &Session, chunk: &[FlagChange]) -> HttpRequest {
    {
        let records: Vec<Value> = chunk
                .iter()
                .map(|c| json!({"attributes": {"type": "Contact"}, "Id": c.contact_id, FLAG_FIELD: c.flagged}))
                .collect();
        json_request(
            session,
            "PATCH",
            "composite/sobjects",
            json!({"allOrNone": false, "records": records}),
        )
    }
}

#[derive(Deserialize)]
struct Saved {
    success: bool,
    #[serde(default)]
    errors: Vec<SavedError>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedError {
    status_code: String,
    message: String,
}

/// One outcome per change of the request's `chunk`, in order (A6); an error for the whole
/// request (session, limits, an outage) is the `Err`, and every flag of it is tried again.
pub fn read_write(
    chunk: &[FlagChange],
    status: u16,
    body: &str,
) -> Result<Vec<FlagOutcome>, CrmError> {
    if status != 200 {
        return Err(read_error(status, body));
    }
    let results: Vec<Saved> = serde_json::from_str(body)
        .map_err(|e| CrmError::unexpected(status, &format!("unreadable collection answer: {e}")))?;
    if results.len() != chunk.len() {
        let detail = format!("{} results for {} flags", results.len(), chunk.len());
        return Err(CrmError::unexpected(status, &detail));
    }
    Ok(results.into_iter().map(outcome).collect())
}

fn outcome(saved: Saved) -> FlagOutcome {
    if saved.success {
        return FlagOutcome::Written;
    }
    let Some(first) = saved.errors.into_iter().next() else {
        return FlagOutcome::Retry(CrmError::unexpected(
            400,
            "a record failed without an error",
        ));
    };
    let body = json!([{"errorCode": first.status_code, "message": first.message}]).to_string();
    let error = read_error(400, &body);
    if first.status_code == "UNABLE_TO_LOCK_ROW" {
        FlagOutcome::Retry(CrmError {
            kind: CrmErrorKind::Unavailable,
            ..error
        })
    } else {
        FlagOutcome::Refused(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session {
            api_host: crate::crm::OrgHost::salesforce("acme.my.salesforce.com").unwrap(),
            token: "T".into(),
        }
    }

    fn changes(n: usize) -> Vec<FlagChange> {
        (0..n)
            .map(|i| FlagChange {
                contact_id: format!("003{i:012}AAA"),
                flagged: i % 2 == 0,
            })
            .collect()
    }

    #[test]
    fn two_hundred_flags_per_request() {
        let writes = write_requests(&session(), &changes(401));
        assert_eq!(writes[2].changes.len(), 1);
        let requests: Vec<HttpRequest> = writes.into_iter().map(|w| w.request).collect();
        assert_eq!(requests.len(), 3);
        let body: Value = serde_json::from_str(requests[0].body.as_deref().unwrap()).unwrap();
        assert_eq!(body["allOrNone"], false);
        assert_eq!(body["records"].as_array().unwrap().len(), 200);
        assert_eq!(body["records"][0][FLAG_FIELD], true);
        assert_eq!(
            body["records"][0]["Id"], "003000000000000AAA",
            "the field's own name"
        );
        assert_eq!(body["records"][1][FLAG_FIELD], false);
        assert_eq!(requests[0].method, "PATCH");
        assert!(requests[0].url.ends_with("/composite/sobjects"));
    }

    #[test]
    fn per_row_outcomes_keep_the_crm_message() {
        let chunk = changes(3);
        let body = r#"[{"id":"003A","success":true,"errors":[]},
            {"success":false,"errors":[{"statusCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","message":"Contacts of key accounts are checked by hand","fields":[]}]},
            {"success":false,"errors":[{"statusCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access to this record","fields":[]}]}]"#;
        let outcomes = read_write(&chunk, 200, body).unwrap();
        assert_eq!(outcomes[0], FlagOutcome::Written);
        let FlagOutcome::Refused(e) = &outcomes[1] else {
            panic!("{:?}", outcomes[1])
        };
        assert_eq!(e.message, "Contacts of key accounts are checked by hand");
        assert!(matches!(outcomes[2], FlagOutcome::Retry(_)));
        assert!(
            read_write(&chunk, 200, "[]").is_err(),
            "a short answer is an error"
        );
        let expired =
            r#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#;
        assert_eq!(
            read_write(&chunk, 401, expired).unwrap_err().kind,
            CrmErrorKind::SessionExpired
        );
    }

    #[test]
    fn flagged_contacts_are_read_page_by_page() {
        let first = flagged_request(&session(), None);
        assert!(first.url.contains("crmsync_Not_at_Company__c"));
        let body = r#"{"done":false,"nextRecordsUrl":"/services/data/v66.0/query/01g-2000","records":[{"Id":"003A"},{"Id":"003B"}]}"#;
        let (ids, next) = read_flagged(200, body).unwrap();
        assert_eq!(ids, ["003A", "003B"]);
        let next = flagged_request(&session(), next.as_deref());
        assert_eq!(
            next.url,
            "https://acme.my.salesforce.com/services/data/v66.0/query/01g-2000"
        );
        let missing = r#"[{"message":"No such column 'crmsync_Not_at_Company__c' on entity 'Contact'.","errorCode":"INVALID_FIELD"}]"#;
        assert_eq!(
            read_flagged(400, missing).unwrap_err().code,
            "INVALID_FIELD"
        );
    }

    #[test]
    fn setup_makes_a_checkbox_and_grants_it_to_seats() {
        let field = field_request(&session());
        assert!(field.url.ends_with("/tooling/sobjects/CustomField"));
        let body: Value = serde_json::from_str(field.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["FullName"], "Contact.crmsync_Not_at_Company__c");
        assert_eq!(body["Metadata"]["type"], "Checkbox");
        let dup = r#"[{"message":"duplicate","errorCode":"DUPLICATE_DEVELOPER_NAME"}]"#;
        assert!(read_field(400, dup).is_ok());
        let grant = grant_request(&session());
        assert!(grant.body.as_deref().unwrap().contains("crmsync_Seat"));
    }
}
