//! Checks and completes a record before it is written: field names, access, types, lengths,
//! picklists, references, required fields, derived fields, then the org's validation and
//! duplicate rules (CRM-APIS A5, A8, A9).

use base64::Engine;
use chrono::{SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use super::Ctx;
use crate::db::{Crm, Fields};
use crate::salesforce::error::SfError;
use crate::salesforce::schema::{FieldDef, FieldType, ObjectDef};
use crate::salesforce::soql::eval::{parse_datetime, record_head};

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

/// Fills defaults, derived and audit fields, then checks required fields.
pub fn complete(
    ctx: &Ctx<'_>,
    object: &ObjectDef,
    fields: &mut Fields,
    creating: bool,
) -> Result<(), SfError> {
    let now = now();
    if creating {
        for f in object.fields.iter().filter(|f| f.defaulted) {
            if !fields.contains_key(&f.name) {
                if let Some(v) = &f.default_value {
                    fields.insert(f.name.clone(), v.clone());
                }
            }
        }
        if object.field("OwnerId").is_some() && fields.get("OwnerId").is_none_or(Value::is_null) {
            fields.insert("OwnerId".into(), Value::String(ctx.user_id.clone()));
        }
        fields.insert("CreatedDate".into(), Value::String(now.clone()));
        fields.insert("CreatedById".into(), Value::String(ctx.user_id.clone()));
    }
    fields.insert("LastModifiedDate".into(), Value::String(now.clone()));
    fields.insert(
        "LastModifiedById".into(),
        Value::String(ctx.user_id.clone()),
    );
    fields.insert("SystemModstamp".into(), Value::String(now));
    derive(ctx, object, fields);
    let missing: Vec<String> = object
        .fields
        .iter()
        .filter(|f| !f.nillable && f.createable && fields.get(&f.name).is_none_or(Value::is_null))
        .map(|f| f.name.clone())
        .chain(event_missing(object, fields))
        .collect();
    if !missing.is_empty() {
        return Err(SfError::bad(
            "REQUIRED_FIELD_MISSING",
            format!("Required fields are missing: [{}]", missing.join(", ")),
        )
        .with_fields(missing));
    }
    Ok(())
}

/// Events need a duration or an end unless they last all day (A9).
fn event_missing(object: &ObjectDef, fields: &Fields) -> Vec<String> {
    if object.name != "Event" || fields.get("IsAllDayEvent") == Some(&Value::Bool(true)) {
        return Vec::new();
    }
    let has = |n: &str| fields.get(n).is_some_and(|v| !v.is_null());
    let mut missing = Vec::new();
    if !has("StartDateTime") && !has("ActivityDateTime") {
        missing.push("StartDateTime".to_string());
    }
    if !has("DurationInMinutes") && !has("EndDateTime") {
        missing.push("DurationInMinutes".to_string());
    }
    missing
}

fn text(fields: &Fields, name: &str) -> Option<String> {
    fields.get(name).and_then(Value::as_str).map(str::to_string)
}

fn derive(ctx: &Ctx<'_>, object: &ObjectDef, fields: &mut Fields) {
    match object.name.as_str() {
        "Contact" | "Lead" | "User" => {
            let name = [text(fields, "FirstName"), text(fields, "LastName")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            fields.insert("Name".into(), Value::String(name));
        }
        "Opportunity" => {
            let stage = text(fields, "StageName").unwrap_or_default();
            fields.insert("IsClosed".into(), Value::Bool(stage.starts_with("Closed")));
            fields.insert("IsWon".into(), Value::Bool(stage == "Closed Won"));
        }
        "Task" => {
            let done = text(fields, "Status").as_deref() == Some("Completed");
            fields.insert("IsClosed".into(), Value::Bool(done));
            derive_account(ctx, fields);
        }
        "Event" => {
            derive_event_times(fields);
            derive_account(ctx, fields);
        }
        "ContentNote" => {
            let preview = text(fields, "Content")
                .and_then(|c| base64::engine::general_purpose::STANDARD.decode(c).ok())
                .map(|b| strip_tags(&String::from_utf8_lossy(&b)))
                .unwrap_or_default();
            fields.insert(
                "TextPreview".into(),
                Value::String(preview.chars().take(255).collect()),
            );
            fields.insert("FileType".into(), Value::String("SNOTE".into()));
        }
        _ => {}
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

/// Activities' AccountId follows the contact's account, else the related account (A9).
fn derive_account(ctx: &Ctx<'_>, fields: &mut Fields) {
    let from_who = text(fields, "WhoId")
        .and_then(|id| ctx.db.row(Crm::Salesforce, &id).ok().flatten())
        .filter(|r| r.object == "Contact")
        .and_then(|r| text(&r.fields, "AccountId"));
    let from_what = text(fields, "WhatId").and_then(|id| {
        let row = ctx.db.row(Crm::Salesforce, &id).ok().flatten()?;
        match row.object.as_str() {
            "Account" => Some(row.id),
            _ => text(&row.fields, "AccountId"),
        }
    });
    let account = from_who
        .or(from_what)
        .map(Value::String)
        .unwrap_or(Value::Null);
    fields.insert("AccountId".into(), account);
}

fn derive_event_times(fields: &mut Fields) {
    let start = text(fields, "StartDateTime").or_else(|| text(fields, "ActivityDateTime"));
    let Some(start) = start.as_deref().and_then(parse_datetime) else {
        return;
    };
    let stamp = |d: chrono::DateTime<Utc>| {
        Value::String(
            d.to_rfc3339_opts(SecondsFormat::Millis, true)
                .replace('Z', "+0000"),
        )
    };
    fields.insert("StartDateTime".into(), stamp(start));
    fields.insert("ActivityDateTime".into(), stamp(start));
    fields.insert(
        "ActivityDate".into(),
        Value::String(start.date_naive().to_string()),
    );
    let minutes = fields.get("DurationInMinutes").and_then(Value::as_i64);
    let end = text(fields, "EndDateTime")
        .as_deref()
        .and_then(parse_datetime);
    match (minutes, end) {
        (_, Some(end)) => {
            fields.insert(
                "DurationInMinutes".into(),
                json!((end - start).num_minutes()),
            );
        }
        (Some(m), None) => {
            fields.insert(
                "EndDateTime".into(),
                stamp(start + chrono::Duration::minutes(m)),
            );
        }
        _ => {}
    }
}

/// The org's validation and duplicate rules (A8 FIELD_CUSTOM_VALIDATION_EXCEPTION, DUPLICATES_DETECTED).
pub fn apply_rules(
    ctx: &Ctx<'_>,
    object: &ObjectDef,
    id: Option<&str>,
    fields: &Fields,
) -> Result<(), SfError> {
    let rules = ctx.emu.rules();
    if let Some(rule) = rules.violated(Crm::Salesforce, &object.name, fields) {
        return Err(
            SfError::bad("FIELD_CUSTOM_VALIDATION_EXCEPTION", rule.message.clone())
                .with_fields(Vec::new()),
        );
    }
    if allow_save(ctx) {
        return Ok(());
    }
    let Some((rule, matches)) = rules.duplicates(ctx.db, Crm::Salesforce, &object.name, id, fields)
    else {
        return Ok(());
    };
    let message =
        "You're creating a duplicate record. We recommend you use an existing record instead.";
    let records: Vec<Value> = matches
        .iter()
        .map(|m| {
            let mut record = record_head(&object.name, m, &ctx.version);
            record.insert("Id".into(), Value::String(m.clone()));
            json!({"additionalInformation": [], "fieldDiffs": [], "matchConfidence": 100.0, "record": record})
        })
        .collect();
    let result = json!({
        "allowSave": true, "duplicateRule": rule.name, "duplicateRuleEntityType": object.name,
        "errorMessage": message,
        "matchResults": [{"entityType": object.name, "errors": [], "matchEngine": "ExactMatchEngine", "matchRecords": records, "rule": format!("{}_Match_Rule", rule.name), "size": matches.len(), "success": true}],
    });
    let mut error = SfError::bad("DUPLICATES_DETECTED", message).with_fields(Vec::new());
    error.extra = Some(Box::new(("duplicateResult".into(), result)));
    Err(error)
}

/// `Sforce-Duplicate-Rule-Header: allowSave=true` saves despite duplicate rules (A8).
fn allow_save(ctx: &Ctx<'_>) -> bool {
    ctx.headers
        .get("sforce-duplicate-rule-header")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|p| p.trim().eq_ignore_ascii_case("allowSave=true"))
        })
}
