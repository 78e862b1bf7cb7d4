//! Rows as the Web API returns them: `@odata.etag`, the selected attributes (lookups as
//! `_x_value`), the primary id always, annotations only when `Prefer` asks for them (B3).

use serde_json::{Map, Value};

use super::context::DCtx;
use super::error::DError;
use crate::dynamics::odata::options::Expand;
use crate::state::db::{Crm, Fields};
use crate::state::dynamics::schema::{AttrType, EntityDef, LOOKUP_NAME};

pub const FORMATTED: &str = "@OData.Community.Display.V1.FormattedValue";

pub fn etag(fields: &Fields) -> String {
    let version = fields
        .get("versionnumber")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    format!("W/\"{version}\"")
}

/// Checks `$select` names against the entity.
pub fn check_select(entity: &EntityDef, select: Option<&Vec<String>>) -> Result<(), DError> {
    for name in select.into_iter().flatten() {
        let known = name == &entity.primary_id || entity.attrs.iter().any(|a| &a.key() == name);
        if !known {
            return Err(DError::no_property(&entity.logical, name));
        }
    }
    Ok(())
}

pub fn record(
    ctx: &DCtx<'_>,
    entity: &EntityDef,
    id: &str,
    fields: &Fields,
    select: Option<&Vec<String>>,
    expand: &[Expand],
) -> Result<Value, DError> {
    let mut out = Map::new();
    out.insert("@odata.etag".into(), Value::String(etag(fields)));
    let keys: Vec<String> = match select {
        Some(list) => list.clone(),
        None => entity.attrs.iter().map(|a| a.key()).collect(),
    };
    for key in keys {
        let value = if key == entity.primary_id {
            Value::String(id.to_string())
        } else {
            match fields.get(&key) {
                Some(v) => v.clone(),
                // A custom Boolean column reads its default (false) on rows older than it, as
                // `merged` does on rows never merged.
                None if entity.attr(&key).is_some_and(|a| {
                    (a.custom || a.name == "merged") && a.ty == AttrType::Boolean
                }) =>
                {
                    Value::Bool(false)
                }
                None => Value::Null,
            }
        };
        if ctx.prefer.annotations && key.starts_with('_') && !value.is_null() {
            annotate_lookup(ctx, &mut out, &key, fields);
        }
        out.insert(key, value);
    }
    out.insert(entity.primary_id.clone(), Value::String(id.to_string()));
    for e in expand {
        let nav = entity
            .nav(&e.nav)
            .ok_or_else(|| DError::no_property(&entity.logical, &e.nav))?;
        let key = format!("_{}_value", nav.attr);
        let target = fields
            .get(format!("{key}{LOOKUP_NAME}").as_str())
            .and_then(Value::as_str);
        let related = fields
            .get(&key)
            .and_then(Value::as_str)
            .filter(|_| target.is_none_or(|t| t == nav.target))
            .and_then(|rid| ctx.db.row(Crm::Dynamics, rid).ok().flatten());
        let value = match (related, ctx.schema.by_logical(&nav.target)) {
            (Some(row), Some(target_def)) => {
                target_def_check(target_def, e)?;
                record(
                    ctx,
                    target_def,
                    &row.id,
                    &row.fields,
                    e.select.as_ref(),
                    &[],
                )?
            }
            _ => Value::Null,
        };
        out.insert(e.nav.clone(), value);
    }
    Ok(Value::Object(out))
}

fn target_def_check(target: &EntityDef, e: &Expand) -> Result<(), DError> {
    check_select(target, e.select.as_ref())
}

fn annotate_lookup(ctx: &DCtx<'_>, out: &mut Map<String, Value>, key: &str, fields: &Fields) {
    let logical = fields.get(format!("{key}{LOOKUP_NAME}").as_str()).cloned();
    if let Some(logical) = logical {
        out.insert(format!("{key}{LOOKUP_NAME}"), logical.clone());
        let name = fields
            .get(key)
            .and_then(Value::as_str)
            .and_then(|id| ctx.db.row(Crm::Dynamics, id).ok().flatten())
            .and_then(|row| {
                let def = ctx.schema.by_logical(logical.as_str()?)?;
                row.fields.get(&def.primary_name).cloned()
            });
        if let Some(name) = name {
            out.insert(format!("{key}{FORMATTED}"), name);
        }
    }
}
