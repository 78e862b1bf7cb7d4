//! The Tooling API's `POST …/tooling/sobjects/CustomField`: an admin setup adds a custom field,
//! which then shows in describe and SOQL (`state::salesforce::custom_fields` keeps it).

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::call::Ctx;
use crate::http_util::Reply;
use crate::salesforce::error::SfError;
use crate::state::salesforce::custom_fields;
use crate::state::salesforce::ids::new_id;
use crate::state::salesforce::schema::{custom_field, CustomField, Schema};

/// Body: `{"FullName": "Contact.Synced__c", "Metadata": {"label", "type", …}}`.
pub fn create_custom_field(ctx: &Ctx<'_>, body: Option<&Value>) -> Result<Reply, SfError> {
    let full_name = body
        .and_then(|b| b.get("FullName"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            SfError::bad(
                "REQUIRED_FIELD_MISSING",
                "Required fields are missing: [FullName]",
            )
            .with_fields(vec!["FullName".into()])
        })?;
    let metadata = body
        .and_then(|b| b.get("Metadata"))
        .cloned()
        .unwrap_or(Value::Null);
    let (object, name) = full_name
        .split_once('.')
        .filter(|(_, n)| n.ends_with("__c") && n.len() > 3)
        .ok_or_else(|| {
            SfError::bad(
                "INVALID_FIELD",
                format!("Invalid custom field name: {full_name}. Custom field names end with __c."),
            )
        })?;
    let field =
        custom_field(name, &metadata).map_err(|e| SfError::bad("FIELD_INTEGRITY_EXCEPTION", e))?;
    let mut schema: Schema = (*ctx.schema).clone();
    let object_name = schema
        .object(object)
        .map(|o| o.name.clone())
        .ok_or_else(|| SfError::bad("INVALID_TYPE", format!("Cannot find entity: {object}")))?;
    if !schema.add_custom(CustomField {
        object: object_name.clone(),
        field,
    }) {
        return Err(SfError::bad(
            "DUPLICATE_DEVELOPER_NAME",
            format!("There is already a field named {name} on {object_name}."),
        ));
    }
    let id = new_id("00N");
    custom_fields::save(ctx.db, &id, &object_name, name, metadata).map_err(|e| {
        SfError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "UNKNOWN_EXCEPTION",
            e.to_string(),
        )
    })?;
    ctx.emu.set_sf_schema(schema);
    Ok(Reply::json(
        StatusCode::CREATED,
        json!({"id": id, "success": true, "errors": [], "warnings": [], "infos": []}),
    ))
}
