//! Checks a create or update body: declared properties with the right types, lookups only
//! through `<nav>@odata.bind` (activity-specific names included, B6), activity parties; then
//! derived attributes and the org's rules.

use axum::http::StatusCode;
use chrono::{SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use super::context::DCtx;
use super::error::DError;
use super::keys::split_key;
use crate::state::db::{Crm, Fields};
use crate::state::dynamics::schema::{AttrType, EntityDef, LOOKUP_NAME};

pub fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A party of a phone call: who, as which participation type (B6).
#[derive(Debug, Clone)]
pub struct Party {
    pub entity: String,
    pub id: String,
    pub mask: i64,
}

/// Attributes the server computes; writes to them are ignored as Dataverse does.
const COMPUTED: &[&str] = &[
    "fullname",
    "createdon",
    "modifiedon",
    "versionnumber",
    "activitytypecode",
    "objecttypecode",
];

pub fn check(
    ctx: &DCtx<'_>,
    entity: &EntityDef,
    body: Option<&Value>,
) -> Result<(Fields, Vec<Party>), DError> {
    if entity.read_only {
        return Err(DError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "0x80060888",
            format!("The entity set '{}' is read-only here.", entity.set),
        ));
    }
    let Some(Value::Object(map)) = body else {
        return Err(DError::bad("The request body must be a JSON object."));
    };
    let mut out = Map::new();
    let mut parties = Vec::new();
    for (key, value) in map {
        if let Some(nav) = key.strip_suffix("@odata.bind") {
            bind(ctx, entity, nav, value, &mut out)?;
        } else if key.contains('@') {
            continue;
        } else if entity.party_list.as_deref() == Some(key.as_str()) {
            parties = read_parties(ctx, value)?;
        } else if COMPUTED.contains(&key.as_str()) || key == &entity.primary_id {
            if key == &entity.primary_id {
                if let Some(id) = value.as_str() {
                    out.insert(key.clone(), Value::String(id.to_ascii_lowercase()));
                }
            }
        } else {
            let attr = entity
                .attrs
                .iter()
                .find(|a| &a.name == key)
                .ok_or_else(|| undeclared(entity, key))?;
            if attr.ty == AttrType::Lookup {
                return Err(DError::bad(format!("A lookup such as '{key}' must be set with '{key}_<entity>@odata.bind' or its navigation property, not as a value.")));
            }
            if !attr.writable {
                continue;
            }
            out.insert(
                key.clone(),
                convert(entity, key, attr.ty, attr.max_length, value)?,
            );
        }
    }
    Ok((out, parties))
}

fn undeclared(entity: &EntityDef, key: &str) -> DError {
    DError::bad(format!("The property '{key}' does not exist on type 'Microsoft.Dynamics.CRM.{}'. Make sure to only use property names that are defined by the type or mark the type as open type.", entity.logical))
}

fn convert(
    entity: &EntityDef,
    key: &str,
    ty: AttrType,
    max: u32,
    value: &Value,
) -> Result<Value, DError> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let edm = match ty {
        AttrType::String | AttrType::Memo => "Edm.String",
        AttrType::Boolean => "Edm.Boolean",
        AttrType::DateTime | AttrType::DateOnly => "Edm.DateTimeOffset",
        AttrType::Money | AttrType::Decimal => "Edm.Decimal",
        AttrType::Uniqueidentifier => "Edm.Guid",
        _ => "Edm.Int32",
    };
    let wrong = || {
        DError::bad(format!(
            "Cannot convert the literal '{value}' to the expected type '{edm}'."
        ))
    };
    match ty {
        AttrType::String | AttrType::Memo => {
            let s = value.as_str().ok_or_else(wrong)?;
            if s.chars().count() > max as usize {
                return Err(DError::new(StatusCode::BAD_REQUEST, "0x80044331", format!("A validation error occurred. The length of the '{key}' attribute of the '{}' entity exceeded the maximum allowed length of '{max}'.", entity.logical)));
            }
            Ok(Value::String(s.to_string()))
        }
        AttrType::Boolean => value.as_bool().map(Value::Bool).ok_or_else(wrong),
        AttrType::Money | AttrType::Decimal => value.as_f64().map(|n| json!(n)).ok_or_else(wrong),
        AttrType::DateTime => {
            let s = value.as_str().ok_or_else(wrong)?;
            let d = chrono::DateTime::parse_from_rfc3339(s).map_err(|_| wrong())?;
            Ok(Value::String(
                d.with_timezone(&Utc)
                    .to_rfc3339_opts(SecondsFormat::Secs, true),
            ))
        }
        AttrType::DateOnly => {
            let s = value.as_str().ok_or_else(wrong)?;
            chrono::NaiveDate::parse_from_str(&s[..s.len().min(10)], "%Y-%m-%d")
                .map(|d| Value::String(d.to_string()))
                .map_err(|_| wrong())
        }
        _ => value.as_i64().map(|n| json!(n)).ok_or_else(wrong),
    }
}

/// `/contacts(guid)`, `contacts(guid)` or an absolute URL → (set, guid).
fn parse_reference(text: &str) -> Result<(String, String), DError> {
    let tail = text.rsplit('/').next().unwrap_or(text);
    let (set, key) = split_key(tail)?;
    let key = key.ok_or_else(|| {
        DError::bad(format!(
            "The reference '{text}' is not a valid entity reference."
        ))
    })?;
    Ok((set.to_string(), key))
}

fn bind(
    ctx: &DCtx<'_>,
    entity: &EntityDef,
    nav_name: &str,
    value: &Value,
    out: &mut Fields,
) -> Result<(), DError> {
    let nav = entity.nav(nav_name).ok_or_else(|| {
        DError::bad(format!("An undeclared property '{nav_name}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values."))
    })?;
    let key = format!("_{}_value", nav.attr);
    let Some(text) = value.as_str() else {
        out.insert(key.clone(), Value::Null);
        out.insert(format!("{key}{LOOKUP_NAME}"), Value::Null);
        return Ok(());
    };
    let (set, id) = parse_reference(text)?;
    let target = ctx
        .schema
        .by_logical(&nav.target)
        .ok_or_else(|| DError::segment(&set))?;
    if target.set != set {
        return Err(DError::bad(format!(
            "The navigation property '{nav_name}' expects a reference to '{}', not '{set}'.",
            target.set
        )));
    }
    let exists = ctx
        .db
        .row(Crm::Dynamics, &id)
        .ok()
        .flatten()
        .is_some_and(|r| r.object == target.logical);
    if !exists {
        return Err(DError::missing(&target.logical, &id));
    }
    out.insert(key.clone(), Value::String(id));
    out.insert(
        format!("{key}{LOOKUP_NAME}"),
        Value::String(target.logical.clone()),
    );
    if nav.attr == "objectid" {
        out.insert(
            "objecttypecode".into(),
            Value::String(target.logical.clone()),
        );
    }
    Ok(())
}

fn read_parties(ctx: &DCtx<'_>, value: &Value) -> Result<Vec<Party>, DError> {
    let items = value
        .as_array()
        .ok_or_else(|| DError::bad("Activity parties must be an array."))?;
    let mut parties = Vec::new();
    for item in items {
        let map = item
            .as_object()
            .ok_or_else(|| DError::bad("Each activity party must be an object."))?;
        let mask = map
            .get("participationtypemask")
            .and_then(Value::as_i64)
            .ok_or_else(|| {
                DError::bad("participationtypemask is required on an activity party.")
            })?;
        let (entity, reference) = map
            .iter()
            .find_map(|(k, v)| {
                Some((
                    k.strip_prefix("partyid_")?
                        .strip_suffix("@odata.bind")?
                        .to_string(),
                    v.as_str()?.to_string(),
                ))
            })
            .ok_or_else(|| DError::bad("An activity party needs partyid_<entity>@odata.bind."))?;
        let (_, id) = parse_reference(&reference)?;
        if ctx
            .db
            .row(Crm::Dynamics, &id)
            .ok()
            .flatten()
            .is_none_or(|r| r.object != entity)
        {
            return Err(DError::missing(&entity, &id));
        }
        parties.push(Party { entity, id, mask });
    }
    Ok(parties)
}

/// Defaults and computed attributes; `existing` is the stored row on update.
pub fn complete(ctx: &DCtx<'_>, entity: &EntityDef, fields: &mut Fields, creating: bool) {
    let stamp = Value::String(now());
    if creating {
        fields.insert("createdon".into(), stamp.clone());
        fields.entry("statecode").or_insert(json!(0));
        fields.entry("statuscode").or_insert(json!(1));
        if fields.get("_ownerid_value").is_none_or(Value::is_null) {
            fields.insert("_ownerid_value".into(), Value::String(ctx.user_id.clone()));
            fields.insert(format!("_ownerid_value{LOOKUP_NAME}"), json!("systemuser"));
        }
        if entity.is_activity {
            fields.insert(
                "activitytypecode".into(),
                Value::String(entity.logical.clone()),
            );
        }
    }
    let version = fields
        .get("versionnumber")
        .and_then(Value::as_u64)
        .unwrap_or(1_000_000)
        + 1;
    fields.insert("versionnumber".into(), json!(version));
    fields.insert("modifiedon".into(), stamp);
    if matches!(entity.logical.as_str(), "contact" | "lead") {
        let part = |n: &str| fields.get(n).and_then(Value::as_str).map(str::to_string);
        let full = [part("firstname"), part("lastname")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        fields.insert("fullname".into(), Value::String(full));
    }
}

/// Entity-specific rules, then the org's validation and duplicate rules (B5, B8).
pub fn validate(
    ctx: &DCtx<'_>,
    entity: &EntityDef,
    id: Option<&str>,
    fields: &Fields,
    creating: bool,
) -> Result<(), DError> {
    if entity.logical == "savedquery" && creating {
        for required in ["name", "returnedtypecode", "fetchxml"] {
            if fields.get(required).is_none_or(Value::is_null) {
                return Err(DError::new(
                    StatusCode::BAD_REQUEST,
                    "0x80040203",
                    format!("Attribute '{required}' cannot be NULL"),
                ));
            }
        }
        // B8: a new view must be a public view.
        if fields.get("querytype").and_then(Value::as_i64).unwrap_or(0) != 0 {
            return Err(DError::new(
                StatusCode::BAD_REQUEST,
                "0x80040203",
                "querytype must be 0 (public view) when creating a view.",
            ));
        }
    }
    let rules = ctx.emu.rules();
    if let Some(rule) = rules.violated(Crm::Dynamics, &entity.logical, fields) {
        return Err(DError::new(
            StatusCode::BAD_REQUEST,
            "0x80040265",
            rule.message.clone(),
        ));
    }
    // B5: detection runs only when the caller sends MSCRM.SuppressDuplicateDetection: false.
    let detect = ctx
        .headers
        .get("mscrm.suppressduplicatedetection")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("false"));
    if detect
        && rules
            .duplicates(ctx.db, Crm::Dynamics, &entity.logical, id, fields)
            .is_some()
    {
        return Err(DError::new(StatusCode::PRECONDITION_FAILED, "0x80040333", "A record was not created or updated because a duplicate of the current record already exists."));
    }
    Ok(())
}
