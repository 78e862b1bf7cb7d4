//! Many-to-many relationships (`teammembership_association`, CRM-APIS B14): the related rows
//! of one side, associate (`POST …/nav/$ref`) and disassociate (`DELETE …/nav(id)/$ref`).

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use super::context::DCtx;
use super::crud::new_guid;
use super::error::DError;
use super::keys::split_key;
use super::shape::{check_select, record};
use crate::dynamics::odata::eval::{self, WithKey};
use crate::dynamics::odata::options;
use crate::http_util::Reply;
use crate::state::db::{Crm, Fields};
use crate::state::dynamics::schema::{EntityDef, MANY_TO_MANY};

/// The relationship a navigation property of `entity` names: `(other table, stored in)`.
pub fn relation(entity: &EntityDef, nav: &str) -> Option<(&'static str, &'static str)> {
    MANY_TO_MANY.iter().find_map(|(name, a, b, table)| {
        (*name == nav).then_some(())?;
        match entity.logical.as_str() {
            l if l == *a => Some((*b, *table)),
            l if l == *b => Some((*a, *table)),
            _ => None,
        }
    })
}

fn db_error(e: rusqlite::Error) -> DError {
    DError::bad(e.to_string())
}

fn key_of(logical: &str) -> String {
    format!("{logical}id")
}

/// The stored pairs `(row id, link fields)` of a relationship table.
fn links(ctx: &DCtx<'_>, table: &str) -> Result<Vec<(String, Fields)>, DError> {
    ctx.db.list(Crm::Dynamics, table).map_err(db_error)
}

fn linked(fields: &Fields, logical: &str, id: &str) -> bool {
    fields.get(&key_of(logical)).and_then(Value::as_str) == Some(id)
}

fn exists(ctx: &DCtx<'_>, logical: &str, id: &str) -> Result<(), DError> {
    let row = ctx.db.row(Crm::Dynamics, id).map_err(db_error)?;
    match row {
        Some(r) if r.object == logical && !r.deleted => Ok(()),
        _ => Err(DError::missing(logical, id)),
    }
}

/// `GET {set}({id})/{nav}`: the related rows, with `$select` and `$filter`.
pub fn list(ctx: &DCtx<'_>, entity: &EntityDef, id: &str, nav: &str) -> Result<Reply, DError> {
    let (other, table) = relation(entity, nav).ok_or_else(|| DError::segment(nav))?;
    exists(ctx, &entity.logical, id)?;
    let target = ctx
        .schema
        .by_logical(other)
        .ok_or_else(|| DError::segment(nav))?
        .clone();
    let opts = options::parse(&ctx.query).map_err(DError::bad)?;
    check_select(&target, opts.select.as_ref())?;
    if let Some(filter) = &opts.filter {
        super::filter_check::check(&target, filter)?;
    }
    let mut value = Vec::new();
    for (_, link) in links(ctx, table)? {
        if !linked(&link, &entity.logical, id) {
            continue;
        }
        let Some(other_id) = link.get(&key_of(other)).and_then(Value::as_str) else {
            continue;
        };
        let Some(row) = ctx.db.row(Crm::Dynamics, other_id).map_err(db_error)? else {
            continue;
        };
        let key = Value::String(row.id.clone());
        let with_key = WithKey {
            fields: &row.fields,
            key: &target.primary_id,
            id: &key,
            booleans: &[],
        };
        if opts
            .filter
            .as_ref()
            .is_none_or(|f| eval::matches(f, &with_key))
        {
            value.push(record(
                ctx,
                &target,
                &row.id,
                &row.fields,
                opts.select.as_ref(),
                &[],
            )?);
        }
    }
    Ok(Reply::ok(json!({
        "@odata.context": format!("{}/$metadata#{}", ctx.base, target.set),
        "value": value,
    })))
}

/// `POST {set}({id})/{nav}/$ref` with `{"@odata.id": ".../systemusers(guid)"}`.
pub fn associate(
    ctx: &DCtx<'_>,
    entity: &EntityDef,
    id: &str,
    nav: &str,
    body: Option<&Value>,
) -> Result<Reply, DError> {
    let (other, table) = relation(entity, nav).ok_or_else(|| DError::segment(nav))?;
    exists(ctx, &entity.logical, id)?;
    let reference = body
        .and_then(|b| b.get("@odata.id"))
        .and_then(Value::as_str)
        .ok_or_else(|| DError::bad("The payload must name the related row in '@odata.id'."))?;
    let last = reference.rsplit('/').next().unwrap_or_default();
    let (_, other_id) = split_key(last)?;
    let other_id = other_id.ok_or_else(|| DError::bad("'@odata.id' names no row."))?;
    exists(ctx, other, &other_id)?;
    let duplicate = links(ctx, table)?
        .iter()
        .any(|(_, l)| linked(l, &entity.logical, id) && linked(l, other, &other_id));
    if duplicate {
        return Err(DError::new(
            StatusCode::PRECONDITION_FAILED,
            "0x80040237",
            "Cannot insert duplicate key.",
        ));
    }
    let mut link = Map::new();
    link.insert(key_of(&entity.logical), json!(id));
    link.insert(key_of(other), json!(other_id));
    ctx.db
        .insert(Crm::Dynamics, table, &new_guid(), &link)
        .map_err(db_error)?;
    Ok(Reply::no_content())
}

/// `DELETE {set}({id})/{nav}({other})/$ref`; a pair that is not linked is already apart.
pub fn disassociate(
    ctx: &DCtx<'_>,
    entity: &EntityDef,
    id: &str,
    nav: &str,
    other_id: &str,
) -> Result<Reply, DError> {
    let (other, table) = relation(entity, nav).ok_or_else(|| DError::segment(nav))?;
    exists(ctx, &entity.logical, id)?;
    for (link_id, l) in links(ctx, table)? {
        if linked(&l, &entity.logical, id) && linked(&l, other, other_id) {
            ctx.db
                .delete(Crm::Dynamics, &link_id, true)
                .map_err(db_error)?;
        }
    }
    Ok(Reply::no_content())
}
