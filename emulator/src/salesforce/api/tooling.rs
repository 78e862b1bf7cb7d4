//! The Tooling API's `POST …/tooling/sobjects/CustomField`, `CustomObject` and
//! `CustomPermission` (A11, A15, A16): an admin's setup adds a field, an object or a custom
//! permission, which then show in describe and SOQL (`state::salesforce::custom_fields`
//! keeps the definitions).

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use super::call::Ctx;
use crate::http_util::Reply;
use crate::salesforce::error::SfError;
use crate::state::db::Crm;
use crate::state::salesforce::custom_fields;
use crate::state::salesforce::ids::new_id;
use crate::state::salesforce::schema::{custom_field, CustomField, Schema};

/// Body: `{"FullName": "Contact.Synced__c", "Metadata": {"label", "type", …}}`.
pub fn create_custom_field(ctx: &Ctx<'_>, body: Option<&Value>) -> Result<Reply, SfError> {
    let full_name = full_name(body)?;
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

fn full_name(body: Option<&Value>) -> Result<&str, SfError> {
    body.and_then(|b| b.get("FullName"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            SfError::bad(
                "REQUIRED_FIELD_MISSING",
                "Required fields are missing: [FullName]",
            )
            .with_fields(vec!["FullName".into()])
        })
}

fn metadata_text<'a>(body: Option<&'a Value>, key: &str) -> Option<&'a str> {
    body.and_then(|b| b.pointer(&format!("/Metadata/{key}")))
        .and_then(Value::as_str)
}

fn created(id: &str) -> Reply {
    Reply::json(
        StatusCode::CREATED,
        json!({"id": id, "success": true, "errors": [], "warnings": [], "infos": []}),
    )
}

fn db_error(e: rusqlite::Error) -> SfError {
    SfError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "UNKNOWN_EXCEPTION",
        e.to_string(),
    )
}

fn duplicate(name: &str) -> SfError {
    SfError::bad(
        "DUPLICATE_DEVELOPER_NAME",
        format!("The name {name} is already in use. Enter a unique name."),
    )
}

/// Body: `{"FullName": "X__c", "Metadata": {"label", "pluralLabel", "nameField", …}}`.
pub fn create_custom_object(ctx: &Ctx<'_>, body: Option<&Value>) -> Result<Reply, SfError> {
    let name = full_name(body)?;
    let valid = name.strip_suffix("__c").is_some_and(|stem| {
        !stem.is_empty() && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if !valid {
        return Err(SfError::bad(
            "INVALID_FIELD",
            format!("Invalid custom object name: {name}. Custom object names end with __c."),
        ));
    }
    let label = metadata_text(body, "label").unwrap_or(name);
    let plural = metadata_text(body, "pluralLabel").unwrap_or(label);
    let mut schema: Schema = (*ctx.schema).clone();
    if !schema.add_object(name, label, plural) {
        return Err(duplicate(name));
    }
    let id = new_id("01I");
    custom_fields::save_object(ctx.db, &id, name, label, plural).map_err(db_error)?;
    ctx.emu.set_sf_schema(schema);
    Ok(created(&id))
}

/// Body: `{"FullName": "crmsync_Seat", "Metadata": {"label", "description", …}}`: a
/// CustomPermission record, and the row `UserSetupEntityAccess` answers for its holders.
pub fn create_custom_permission(ctx: &Ctx<'_>, body: Option<&Value>) -> Result<Reply, SfError> {
    let name = full_name(body)?;
    let exists = ctx
        .db
        .list(Crm::Salesforce, "CustomPermission")
        .map_err(db_error)?
        .iter()
        .any(|(_, f)| f.get("DeveloperName").and_then(Value::as_str) == Some(name));
    if exists {
        return Err(duplicate(name));
    }
    let label = metadata_text(body, "label").unwrap_or(name);
    let id = new_id("0CP");
    let mut permission = Map::new();
    permission.insert("DeveloperName".into(), json!(name));
    permission.insert("MasterLabel".into(), json!(label));
    permission.insert(
        "Description".into(),
        json!(metadata_text(body, "description")),
    );
    permission.insert("IsLicensed".into(), json!(false));
    ctx.db
        .insert(Crm::Salesforce, "CustomPermission", &id, &permission)
        .map_err(db_error)?;
    let mut access = Map::new();
    access.insert("DeveloperName".into(), json!(name));
    access.insert("SetupEntityId".into(), json!(id));
    access.insert("KeyPrefix".into(), json!("0CP"));
    ctx.db
        .insert(
            Crm::Salesforce,
            "UserSetupEntityAccess",
            &new_id("0US"),
            &access,
        )
        .map_err(db_error)?;
    Ok(created(&id))
}
