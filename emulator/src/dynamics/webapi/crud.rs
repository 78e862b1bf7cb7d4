//! Create (204 + `OData-EntityId`, or 201 with `return=representation`), read, PATCH with
//! upsert semantics and `If-Match`/`If-None-Match`, delete (CRM-APIS B5).

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::context::DCtx;
use super::error::DError;
use super::shape::{check_select, etag, record};
use super::write::{check, complete, validate, Party};
use crate::dynamics::odata::options;
use crate::http_util::Reply;
use crate::state::db::{Crm, Fields};
use crate::state::dynamics::schema::{EntityDef, LOOKUP_NAME, ONE_TO_MANY};

fn db_error(e: rusqlite::Error) -> DError {
    DError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "0x80040216",
        e.to_string(),
    )
}

pub fn new_guid() -> String {
    let a: u128 = rand::random();
    let hex = format!("{a:032x}");
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

fn entity_url(ctx: &DCtx<'_>, entity: &EntityDef, id: &str) -> String {
    format!("{}/{}({id})", ctx.base, entity.set)
}

fn stored(ctx: &DCtx<'_>, entity: &EntityDef, id: &str) -> Result<Option<Fields>, DError> {
    let row = ctx.db.row(Crm::Dynamics, id).map_err(db_error)?;
    Ok(row
        .filter(|r| !r.deleted && r.object == entity.logical)
        .map(|r| r.fields))
}

/// The answer to a write: 204 + OData-EntityId, or the record with `return=representation`.
fn written(ctx: &DCtx<'_>, entity: &EntityDef, id: &str, created: bool) -> Result<Reply, DError> {
    let url = entity_url(ctx, entity, id);
    let mut reply = if ctx.prefer.representation {
        let opts = options::parse(&ctx.query).map_err(DError::bad)?;
        check_select(entity, opts.select.as_ref())?;
        let fields = stored(ctx, entity, id)?.unwrap_or_default();
        let mut body = record(ctx, entity, id, &fields, opts.select.as_ref(), &opts.expand)?;
        body["@odata.context"] = json!(format!("{}/$metadata#{}/$entity", ctx.base, entity.set));
        let status = if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        Reply::json(status, body)
    } else {
        Reply::no_content()
    };
    reply.headers.push(("OData-EntityId".into(), url));
    if ctx.prefer.representation {
        reply
            .headers
            .push(("Preference-Applied".into(), "return=representation".into()));
    }
    Ok(reply)
}

fn insert(
    ctx: &DCtx<'_>,
    entity: &EntityDef,
    id: &str,
    mut fields: Fields,
    parties: Vec<Party>,
) -> Result<(), DError> {
    fields.remove(&entity.primary_id);
    complete(ctx, entity, &mut fields, true);
    validate(ctx, entity, None, &fields, true)?;
    ctx.db
        .insert(Crm::Dynamics, &entity.logical, id, &fields)
        .map_err(db_error)?;
    for party in parties {
        let mut row = Fields::new();
        row.insert("_activityid_value".into(), json!(id));
        row.insert("_partyid_value".into(), json!(party.id));
        row.insert(
            format!(
                "_partyid_value{}",
                crate::state::dynamics::schema::LOOKUP_NAME
            ),
            json!(party.entity),
        );
        row.insert("participationtypemask".into(), json!(party.mask));
        ctx.db
            .insert(Crm::Dynamics, "activityparty", &new_guid(), &row)
            .map_err(db_error)?;
    }
    Ok(())
}

/// Takes a deep insert's child rows out of a create's body (B13): `(child table, rows)`.
fn children(
    entity: &EntityDef,
    body: &mut Option<Value>,
) -> Vec<(&'static str, &'static str, Vec<Value>)> {
    let Some(Value::Object(map)) = body.as_mut() else {
        return Vec::new();
    };
    ONE_TO_MANY
        .iter()
        .filter(|(parent, ..)| *parent == entity.logical)
        .filter_map(|(_, nav, child, lookup)| match map.remove(*nav) {
            Some(Value::Array(rows)) => Some((*child, *lookup, rows)),
            _ => None,
        })
        .collect()
}

pub fn create(ctx: &DCtx<'_>, entity: &EntityDef, body: Option<&Value>) -> Result<Reply, DError> {
    let mut body = body.cloned();
    let children = children(entity, &mut body);
    let (fields, parties) = check(ctx, entity, body.as_ref())?;
    let id = fields
        .get(&entity.primary_id)
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(new_guid);
    if ctx.db.row(Crm::Dynamics, &id).map_err(db_error)?.is_some() {
        return Err(DError::new(
            StatusCode::PRECONDITION_FAILED,
            "0x80040237",
            "A record with matching key values already exists.",
        ));
    }
    // The children are checked before anything is stored: all or nothing.
    let mut rows = Vec::new();
    for (child, lookup, list) in children {
        let child_entity = ctx
            .schema
            .by_logical(child)
            .ok_or_else(|| DError::segment(child))?
            .clone();
        for mut row in list {
            if let Value::Object(map) = &mut row {
                map.remove(&format!("{lookup}@odata.bind"));
            }
            let (child_fields, _) = check(ctx, &child_entity, Some(&row))?;
            rows.push((child_entity.clone(), lookup, child_fields));
        }
    }
    insert(ctx, entity, &id, fields, parties)?;
    for (child_entity, lookup, mut child_fields) in rows {
        let nav = child_entity
            .nav(lookup)
            .ok_or_else(|| DError::segment(lookup))?;
        let key = format!("_{}_value", nav.attr);
        child_fields.insert(key.clone(), json!(id));
        child_fields.insert(format!("{key}{LOOKUP_NAME}"), json!(entity.logical));
        insert(ctx, &child_entity, &new_guid(), child_fields, Vec::new())?;
    }
    written(ctx, entity, &id, true)
}

pub fn read(ctx: &DCtx<'_>, entity: &EntityDef, id: &str) -> Result<Reply, DError> {
    let opts = options::parse(&ctx.query).map_err(DError::bad)?;
    check_select(entity, opts.select.as_ref())?;
    let fields = stored(ctx, entity, id)?.ok_or_else(|| DError::missing(&entity.logical, id))?;
    let mut body = record(ctx, entity, id, &fields, opts.select.as_ref(), &opts.expand)?;
    body["@odata.context"] = json!(format!("{}/$metadata#{}/$entity", ctx.base, entity.set));
    let mut reply = Reply::ok(body);
    reply.headers.push(("ETag".into(), etag(&fields)));
    Ok(reply)
}

fn header<'a>(ctx: &'a DCtx<'_>, name: &str) -> Option<&'a str> {
    ctx.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// PATCH creates when the row is missing unless `If-Match: *`; `If-None-Match: *` refuses
/// to update; `If-Match: <etag>` must match (412 otherwise).
pub fn upsert(
    ctx: &DCtx<'_>,
    entity: &EntityDef,
    id: &str,
    body: Option<&Value>,
) -> Result<Reply, DError> {
    let (changes, parties) = check(ctx, entity, body)?;
    let existing = stored(ctx, entity, id)?;
    let if_match = header(ctx, "if-match");
    let if_none_match = header(ctx, "if-none-match");
    match existing {
        None => {
            if if_match.is_some() {
                return Err(DError::missing(&entity.logical, id));
            }
            insert(ctx, entity, id, changes, parties)?;
            written(ctx, entity, id, true).map(|mut r| {
                if r.status == StatusCode::CREATED && !ctx.prefer.representation {
                    r.status = StatusCode::NO_CONTENT;
                }
                r
            })
        }
        Some(mut fields) => {
            if if_none_match == Some("*") {
                return Err(DError::new(
                    StatusCode::PRECONDITION_FAILED,
                    "0x80040237",
                    "A record with matching key values already exists.",
                ));
            }
            if let Some(tag) = if_match.filter(|t| *t != "*") {
                if tag != etag(&fields) {
                    return Err(DError::new(StatusCode::PRECONDITION_FAILED, "0x80060882", "The version of the existing record doesn't match the RowVersion property provided."));
                }
            }
            fields.extend(changes);
            fields.remove(&entity.primary_id);
            complete(ctx, entity, &mut fields, false);
            validate(ctx, entity, Some(id), &fields, false)?;
            ctx.db
                .update(Crm::Dynamics, id, &fields)
                .map_err(db_error)?;
            written(ctx, entity, id, false)
        }
    }
}

pub fn delete(ctx: &DCtx<'_>, entity: &EntityDef, id: &str) -> Result<Reply, DError> {
    if entity.read_only {
        return Err(DError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "0x80060888",
            "This entity set is read-only.",
        ));
    }
    stored(ctx, entity, id)?.ok_or_else(|| DError::missing(&entity.logical, id))?;
    ctx.db.delete(Crm::Dynamics, id, true).map_err(db_error)?;
    Ok(Reply::no_content())
}
