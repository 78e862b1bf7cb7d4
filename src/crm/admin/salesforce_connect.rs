//! "Connect org" in Salesforce: the objects the published settings and seats need, made by
//! an admin (A16, A15). Every step is safe to run again: a step whose object already exists
//! is answered "duplicate" by Salesforce, changes nothing, and counts as done.

use serde_json::{json, Value};

use super::composite::{answer, composite, read_composite, sub_path, sub_query};
use super::salesforce::{JSON_FIELD, KEY_FIELD, SEAT, SETTINGS_OBJECT};
use crate::crm::salesforce::{authorized, base_url, read_error, Session};
use crate::crm::{CrmError, HttpRequest};
use crate::escape::soql;

/// The steps of connect, in order; `publish_request` then writes the first settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    SettingsObject,
    JsonField,
    KeyField,
    SeatPermission,
    SeatPermissionSet,
    /// The permission set's contents, and the connecting admin's own seat.
    Grants,
}

pub const STEPS: [Step; 6] = [
    Step::SettingsObject,
    Step::JsonField,
    Step::KeyField,
    Step::SeatPermission,
    Step::SeatPermissionSet,
    Step::Grants,
];

fn tooling_create(session: &Session, kind: &str, body: Value) -> HttpRequest {
    let url = format!("{}/tooling/sobjects/{kind}", base_url(&session.api_host));
    let mut request = authorized(session, "POST", url);
    request
        .headers
        .push(("Content-Type".into(), "application/json".into()));
    request.body = Some(body.to_string());
    request
}

fn field(name: &str, metadata: Value) -> Value {
    json!({"FullName": format!("{SETTINGS_OBJECT}.{name}"), "Metadata": metadata})
}

/// The request of one step; `admin_user_id` (the signed-in admin, from `userinfo` or the
/// sync's owner) gets a seat in `Grants`, since a field made through the Tooling API is
/// readable by nobody until a permission set grants it (A16).
pub fn request(session: &Session, step: Step, admin_user_id: &str) -> HttpRequest {
    match step {
        // Public Read Only sharing: seat holders read the record, only admins (Modify All
        // Data) change it.
        Step::SettingsObject => tooling_create(
            session,
            "CustomObject",
            json!({"FullName": SETTINGS_OBJECT, "Metadata": {
                "label": "crmsync settings", "pluralLabel": "crmsync settings",
                "description": "Published by a crmsync admin; read by every seat holder's extension.",
                "nameField": {"label": "Name", "type": "Text"},
                "deploymentStatus": "Deployed", "sharingModel": "Read"}}),
        ),
        Step::JsonField => tooling_create(
            session,
            "CustomField",
            field(
                JSON_FIELD,
                json!({"label": "Settings JSON", "type": "LongTextArea", "length": 131072, "visibleLines": 10}),
            ),
        ),
        Step::KeyField => tooling_create(
            session,
            "CustomField",
            field(
                KEY_FIELD,
                json!({"label": "Key", "type": "Text", "length": 40, "externalId": true, "unique": true}),
            ),
        ),
        Step::SeatPermission => tooling_create(
            session,
            "CustomPermission",
            json!({"FullName": SEAT, "Metadata": {"label": "crmsync seat", "isLicensed": false,
                   "description": "Holders use crmsync with this org's published settings."}}),
        ),
        Step::SeatPermissionSet => {
            let url = format!("{}/sobjects/PermissionSet", base_url(&session.api_host));
            let mut request = authorized(session, "POST", url);
            request
                .headers
                .push(("Content-Type".into(), "application/json".into()));
            request.body = Some(
                json!({"Name": SEAT, "Label": "crmsync seat",
                       "Description": "A crmsync seat: reads the org's published crmsync settings."})
                .to_string(),
            );
            request
        }
        Step::Grants => grants(session, admin_user_id),
    }
}

fn create(reference: &str, object: &str, body: Value) -> Value {
    json!({"method": "POST", "referenceId": reference, "url": sub_path(&format!("sobjects/{object}")), "body": body})
}

/// One composite: find the permission set and the custom permission, then link them, grant
/// Read on the object and its fields (edit on the fields too: an admin edits through Modify
/// All Data, which field-level security still limits), and seat the admin.
fn grants(session: &Session, admin_user_id: &str) -> HttpRequest {
    let seat = soql::quote(SEAT);
    let set = "@{set.records[0].Id}";
    let field_grant = |reference: &str, name: &str| {
        create(
            reference,
            "FieldPermissions",
            json!({"ParentId": set, "SobjectType": SETTINGS_OBJECT,
                   "Field": format!("{SETTINGS_OBJECT}.{name}"), "PermissionsRead": true, "PermissionsEdit": true}),
        )
    };
    composite(
        session,
        vec![
            sub_query(
                "set",
                &format!("SELECT Id FROM PermissionSet WHERE Name = {seat}"),
            ),
            sub_query(
                "permission",
                &format!("SELECT Id FROM CustomPermission WHERE DeveloperName = {seat}"),
            ),
            create(
                "link",
                "SetupEntityAccess",
                json!({"ParentId": set, "SetupEntityId": "@{permission.records[0].Id}"}),
            ),
            create(
                "object",
                "ObjectPermissions",
                json!({"ParentId": set, "SobjectType": SETTINGS_OBJECT, "PermissionsRead": true}),
            ),
            field_grant("json", JSON_FIELD),
            field_grant("key", KEY_FIELD),
            create(
                "admin",
                "PermissionSetAssignment",
                json!({"AssigneeId": admin_user_id, "PermissionSetId": set}),
            ),
        ],
    )
}

/// Error codes that mean "already there" for a create (A5, A11).
pub(crate) fn already_there(code: &str) -> bool {
    matches!(code, "DUPLICATE_DEVELOPER_NAME" | "DUPLICATE_VALUE")
}

/// A step is done when it made its objects or they already existed.
pub fn read(step: Step, status: u16, body: &str) -> Result<(), CrmError> {
    if step != Step::Grants {
        if (200..300).contains(&status) {
            return Ok(());
        }
        let error = read_error(status, body);
        return if already_there(&error.code) {
            Ok(())
        } else {
            Err(error)
        };
    }
    let answers = read_composite(status, body)?;
    for reference in [
        "set",
        "permission",
        "link",
        "object",
        "json",
        "key",
        "admin",
    ] {
        let a = answer(&answers, reference)?;
        if !a.ok() && !already_there(a.error_code()) {
            return Err(a.error());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::CrmErrorKind;

    fn session() -> Session {
        Session {
            api_host: crate::crm::OrgHost::salesforce("acme.my.salesforce.com").unwrap(),
            token: "T".into(),
        }
    }

    #[test]
    fn the_objects_are_made_through_the_tooling_api_and_the_seat_through_rest() {
        let urls: Vec<String> = STEPS
            .iter()
            .map(|s| request(&session(), *s, "005A").url)
            .collect();
        let base = "https://acme.my.salesforce.com/services/data/v66.0";
        assert_eq!(urls[0], format!("{base}/tooling/sobjects/CustomObject"));
        assert_eq!(urls[3], format!("{base}/tooling/sobjects/CustomPermission"));
        assert_eq!(urls[4], format!("{base}/sobjects/PermissionSet"));
        assert_eq!(urls[5], format!("{base}/composite"));
        let grants: Value = serde_json::from_str(
            request(&session(), Step::Grants, "005A")
                .body
                .as_deref()
                .unwrap(),
        )
        .unwrap();
        let subs = grants["compositeRequest"].as_array().unwrap();
        assert!(subs.len() <= 25);
        assert_eq!(subs[6]["body"]["AssigneeId"], "005A");
        assert_eq!(subs[2]["body"]["ParentId"], "@{set.records[0].Id}");
    }

    #[test]
    fn running_connect_again_counts_existing_objects_as_done() {
        let exists = r#"[{"errorCode":"DUPLICATE_DEVELOPER_NAME","message":"exists"}]"#;
        assert_eq!(read(Step::SettingsObject, 400, exists), Ok(()));
        let dup = |r: &str| {
            format!(
                r#"{{"referenceId":"{r}","httpStatusCode":400,"body":[{{"errorCode":"DUPLICATE_VALUE","message":"dup"}}]}}"#
            )
        };
        let found = |r: &str| {
            format!(
                r#"{{"referenceId":"{r}","httpStatusCode":200,"body":{{"totalSize":1,"done":true,"records":[{{"Id":"0PS"}}]}}}}"#
            )
        };
        let body = format!(
            r#"{{"compositeResponse":[{},{},{},{},{},{},{}]}}"#,
            found("set"),
            found("permission"),
            dup("link"),
            dup("object"),
            dup("json"),
            dup("key"),
            dup("admin")
        );
        assert_eq!(read(Step::Grants, 200, &body), Ok(()));
    }

    #[test]
    fn a_non_admin_gets_the_crms_refusal() {
        let denied =
            r#"[{"errorCode":"INSUFFICIENT_ACCESS","message":"insufficient access rights"}]"#;
        let err = read(Step::SettingsObject, 403, denied).unwrap_err();
        assert_eq!(err.kind, CrmErrorKind::Forbidden);
        assert!(super::super::salesforce::needs_admin(&err).is_some());
    }
}
