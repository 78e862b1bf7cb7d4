//! Preparing a Salesforce org for Copy to CRM: the item-id field on Task and ContentNote
//! (A11 Tooling API), which lets a retry find a write whose answer was lost. Dataverse needs
//! nothing: the item id is the activity's own key.

use serde_json::json;

use super::salesforce::ITEM_ID_FIELD;
use crate::crm::salesforce::{authorized, read_error, Session, API_VERSION};
use crate::crm::{CrmError, HttpRequest};

pub const OBJECTS: [&str; 2] = ["Task", "ContentNote"];

/// One Tooling API create per object.
pub fn requests(session: &Session) -> Vec<HttpRequest> {
    OBJECTS
        .iter()
        .map(|object| {
            let url = format!(
                "https://{}/services/data/v{API_VERSION}/tooling/sobjects/CustomField",
                session.api_host
            );
            let mut request = authorized(session, "POST", url);
            request
                .headers
                .push(("Content-Type".into(), "application/json".into()));
            let field = ITEM_ID_FIELD.trim_end_matches("__c");
            request.body = Some(
                json!({
                    "FullName": format!("{object}.{ITEM_ID_FIELD}"),
                    "Metadata": {
                        "label": "crmsync item id",
                        "description": format!("Set by crmsync ({field}): finds an activity again after a lost answer."),
                        "type": "Text",
                        "length": 36,
                        "externalId": true,
                        "unique": true,
                    }
                })
                .to_string(),
            );
            request
        })
        .collect()
}

/// A made field, or one that is already there, is ready.
pub fn read(status: u16, body: &str) -> Result<(), CrmError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let error = read_error(status, body);
    // Already there; or ContentNote in an org without Lightning notes (classic Notes need no
    // field: their title carries the id).
    if matches!(
        error.code.as_str(),
        "DUPLICATE_DEVELOPER_NAME" | "INVALID_TYPE"
    ) {
        Ok(())
    } else {
        Err(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_field_counts_as_ready() {
        assert_eq!(read(201, r#"{"id":"00N","success":true}"#), Ok(()));
        let exists =
            r#"[{"errorCode":"DUPLICATE_DEVELOPER_NAME","message":"There is already a field"}]"#;
        assert_eq!(read(400, exists), Ok(()));
        let denied = r#"[{"errorCode":"INSUFFICIENT_ACCESS","message":"no"}]"#;
        assert_eq!(read(403, denied).unwrap_err().code, "INSUFFICIENT_ACCESS");
    }
}
