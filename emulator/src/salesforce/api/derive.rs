//! Fields Salesforce computes on save: person `Name`, Opportunity `IsClosed`/`IsWon`, Task
//! `IsClosed`, activity `AccountId` (A9), Event times, ContentNote `TextPreview`, and the
//! required-field check that runs after them.

use base64::Engine;
use chrono::{SecondsFormat, Utc};
use serde_json::{json, Value};

use super::call::Ctx;
use super::write::now;
use crate::salesforce::error::SfError;
use crate::salesforce::soql::eval::parse_datetime;
use crate::state::db::{Crm, Fields};
use crate::state::salesforce::schema::ObjectDef;

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
