//! Checks a record body before it is written: field names, access, types, lengths, picklists
//! and references (CRM-APIS A5, A8). `derive` completes it and `org_rules` applies the org's
//! rules.

use base64::Engine;
use chrono::{SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use super::call::Ctx;
use crate::salesforce::error::SfError;
use crate::salesforce::soql::eval::parse_datetime;
use crate::state::db::{Crm, Fields};
use crate::state::salesforce::schema::{FieldDef, FieldType, ObjectDef};

pub fn now() -> String {
    Utc::now()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
        .replace('Z', "+0000")
}

fn not_writable(field: &str) -> SfError {
    SfError::bad(
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        format!("Unable to create/update fields: {field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set."),
    )
    .with_fields(vec![field.to_string()])
}

/// The body's fields, checked and normalised (`existing` is None on create).
pub fn check_body(
    ctx: &Ctx<'_>,
    object: &ObjectDef,
    body: Option<&Value>,
    existing: Option<(&str, &Fields)>,
) -> Result<Fields, SfError> {
    let map = match body {
        Some(Value::Object(map)) => map,
        Some(_) => {
            return Err(SfError::bad(
                "JSON_PARSER_ERROR",
                "Cannot deserialize instance of SObject from START_ARRAY value",
            ))
        }
        None => {
            return Err(SfError::bad(
                "JSON_PARSER_ERROR",
                "No content to map due to end-of-input",
            ))
        }
    };
    let mut out = Map::new();
    for (key, value) in map {
        if key == "attributes" {
            continue;
        }
        let field = object.field(key).ok_or_else(|| {
            SfError::bad(
                "INVALID_FIELD",
                format!("No such column '{key}' on sobject of type {}", object.name),
            )
        })?;
        if field.name == "Id" {
            match existing {
                Some((id, _)) if value.as_str().is_some_and(|v| v.eq_ignore_ascii_case(id)) => continue,
                // A5: an Id in a create body is an INVALID_FIELD.
                _ => return Err(SfError::bad("INVALID_FIELD", "Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.").with_fields(vec!["Id".into()])),
            }
        }
        let writable = if existing.is_some() {
            field.updateable
        } else {
            field.createable
        };
        if !writable {
            return Err(not_writable(&field.name));
        }
        out.insert(field.name.clone(), check_value(ctx, field, value)?);
    }
    Ok(out)
}

fn type_error(field: &FieldDef, value: &Value) -> SfError {
    SfError::bad(
        "JSON_PARSER_ERROR",
        format!("Cannot deserialize instance of {} from {} value {value} or request may be missing a required field", field.ty.api_name(), json_kind(value)),
    )
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "VALUE_STRING",
        Value::Number(_) => "VALUE_NUMBER_INT",
        Value::Bool(_) => "VALUE_TRUE",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
        Value::Null => "VALUE_NULL",
    }
}

fn check_value(ctx: &Ctx<'_>, field: &FieldDef, value: &Value) -> Result<Value, SfError> {
    if value.is_null() || value.as_str() == Some("") && field.ty.is_text() {
        return Ok(Value::Null);
    }
    let ty = field.ty;
    if ty.is_text() {
        let s = value.as_str().ok_or_else(|| type_error(field, value))?;
        if field.length > 0 && ty != FieldType::Base64 && s.chars().count() > field.length as usize
        {
            return Err(SfError::bad(
                "STRING_TOO_LONG",
                format!(
                    "{}: data value too large: {s} (max length={})",
                    field.label, field.length
                ),
            )
            .with_fields(vec![field.name.clone()]));
        }
        if ty == FieldType::Email && !plausible_email(s) {
            return Err(SfError::bad(
                "INVALID_EMAIL_ADDRESS",
                format!("{}: invalid email address: {s}", field.label),
            )
            .with_fields(vec![field.name.clone()]));
        }
        if ty == FieldType::Picklist && field.restricted && !field.picklist.iter().any(|v| v == s) {
            return Err(SfError::bad(
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                format!(
                    "{}: bad value for restricted picklist field: {s}",
                    field.label
                ),
            )
            .with_fields(vec![field.name.clone()]));
        }
        if ty == FieldType::Reference {
            return check_reference(ctx, field, s).map(Value::String);
        }
        if ty == FieldType::Base64 && base64::engine::general_purpose::STANDARD.decode(s).is_err() {
            return Err(SfError::bad(
                "INVALID_FIELD",
                format!(
                    "{}: value not of required type: not valid base64",
                    field.label
                ),
            ));
        }
        return Ok(Value::String(s.to_string()));
    }
    match ty {
        FieldType::Boolean => value
            .as_bool()
            .map(Value::Bool)
            .ok_or_else(|| type_error(field, value)),
        FieldType::Int => value
            .as_i64()
            .map(|n| json!(n))
            .ok_or_else(|| type_error(field, value)),
        _ if ty.is_number() => value
            .as_f64()
            .map(|n| json!(n))
            .ok_or_else(|| type_error(field, value)),
        FieldType::Date => {
            let s = value.as_str().ok_or_else(|| type_error(field, value))?;
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|_| Value::String(s.to_string()))
                .map_err(|_| type_error(field, value))
        }
        FieldType::DateTime => {
            let s = value.as_str().ok_or_else(|| type_error(field, value))?;
            let parsed = parse_datetime(s).ok_or_else(|| type_error(field, value))?;
            Ok(Value::String(
                parsed
                    .to_rfc3339_opts(SecondsFormat::Millis, true)
                    .replace('Z', "+0000"),
            ))
        }
        _ => Ok(value.clone()),
    }
}

fn plausible_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// A reference must be an id of one of the field's target objects, live in the org.
fn check_reference(ctx: &Ctx<'_>, field: &FieldDef, id: &str) -> Result<String, SfError> {
    let well_formed =
        (id.len() == 15 || id.len() == 18) && id.chars().all(|c| c.is_ascii_alphanumeric());
    if !well_formed {
        return Err(SfError::bad(
            "MALFORMED_ID",
            format!("{}: id value of incorrect type: {id}", field.label),
        )
        .with_fields(vec![field.name.clone()]));
    }
    let target = ctx.schema.object_of_id(id);
    let allowed = target.is_some_and(|t| {
        field
            .reference_to
            .iter()
            .any(|r| r == &t.name || (r == "ContentDocument" && t.name == "ContentNote"))
    });
    if !allowed {
        return Err(SfError::bad(
            "FIELD_INTEGRITY_EXCEPTION",
            format!("{}: id value of incorrect type: {id}", field.label),
        )
        .with_fields(vec![field.name.clone()]));
    }
    let row = resolve_id(ctx, id);
    match row {
        Some((full, false)) => Ok(full),
        Some((_, true)) => Err(SfError::bad("ENTITY_IS_DELETED", "entity is deleted")
            .with_fields(vec![field.name.clone()])),
        None => Err(
            SfError::bad("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
                .with_fields(vec![field.name.clone()]),
        ),
    }
}

/// An id as stored (18 characters) from a 15- or 18-character one, and whether it is deleted.
pub fn resolve_id(ctx: &Ctx<'_>, id: &str) -> Option<(String, bool)> {
    if id.len() == 18 {
        let row = ctx.db.row(Crm::Salesforce, id).ok().flatten()?;
        return Some((row.id, row.deleted));
    }
    let object = ctx.schema.object_of_id(id)?;
    let rows = ctx.db.rows(Crm::Salesforce, &object.name, true).ok()?;
    rows.into_iter()
        .find(|r| r.id.starts_with(id))
        .map(|r| (r.id, r.deleted))
}
