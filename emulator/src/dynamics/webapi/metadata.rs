//! `EntityDefinitions`: table and column metadata, and creating a Boolean (or String) column
//! (CRM-APIS B7; `state::dynamics::custom_attributes` keeps it).

use axum::http::{Method, StatusCode};
use serde_json::{json, Map, Value};

use super::context::DCtx;
use super::error::DError;
use crate::dynamics::odata::{eval, options};
use crate::http_util::Reply;
use crate::state::dynamics::custom_attributes;
use crate::state::dynamics::schema::{
    attr_metadata, metadata_id, option_set, Attr, AttrType, EntityDef, Schema,
};

/// `EntityDefinitions(LogicalName='contact')` → Some("contact"); by MetadataId too.
fn entity_key<'s>(schema: &'s Schema, segment: &str) -> Result<Option<&'s EntityDef>, DError> {
    let Some(inner) = segment
        .strip_prefix("EntityDefinitions(")
        .and_then(|s| s.strip_suffix(')'))
    else {
        return if segment == "EntityDefinitions" {
            Ok(None)
        } else {
            Err(DError::segment(segment))
        };
    };
    let key = inner
        .strip_prefix("LogicalName=")
        .unwrap_or(inner)
        .trim_matches('\'');
    schema
        .entities
        .iter()
        .find(|e| e.logical == key || metadata_id(&e.logical, "") == key)
        .map(Some)
        .ok_or_else(|| {
            DError::new(
                StatusCode::NOT_FOUND,
                "0x80040217",
                format!("Could not find entity with LogicalName '{key}'."),
            )
        })
}

/// Applies `$filter` and `$select` to metadata objects.
fn listing(ctx: &DCtx<'_>, items: Vec<Value>, context: &str) -> Result<Reply, DError> {
    let opts = options::parse(&ctx.query).map_err(DError::bad)?;
    let value: Vec<Value> = items
        .into_iter()
        .filter(|item| {
            let map = item.as_object().cloned().unwrap_or_default();
            opts.filter.as_ref().is_none_or(|f| eval::matches(f, &map))
        })
        .map(|item| select(item, opts.select.as_ref()))
        .collect();
    Ok(Reply::ok(
        json!({"@odata.context": format!("{}/$metadata#{context}", ctx.base), "value": value}),
    ))
}

fn select(item: Value, fields: Option<&Vec<String>>) -> Value {
    let Some(fields) = fields else { return item };
    let mut out = Map::new();
    for f in fields.iter().chain(["MetadataId".to_string()].iter()) {
        if let Some(v) = item.get(f) {
            out.insert(f.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// A trailing `Microsoft.Dynamics.CRM.PicklistAttributeMetadata` casts attributes to one type
/// (B12): the attribute type it names, and the segments before it.
fn cast<'s>(seg: &'s [&'s str]) -> (Option<&'s str>, &'s [&'s str]) {
    match seg.split_last() {
        Some((last, rest)) if last.starts_with("Microsoft.Dynamics.CRM.") => {
            let ty = last
                .trim_start_matches("Microsoft.Dynamics.CRM.")
                .trim_end_matches("AttributeMetadata");
            (Some(ty), rest)
        }
        _ => (None, seg),
    }
}

fn of_type(a: &Attr, ty: Option<&str>) -> bool {
    ty.is_none_or(|t| a.ty.metadata_name().0 == t)
}

/// One attribute's metadata; `$expand=OptionSet` adds a picklist's options.
fn attribute(ctx: &DCtx<'_>, e: &EntityDef, a: &Attr, ty: Option<&str>) -> Result<Reply, DError> {
    let opts = options::parse(&ctx.query).map_err(DError::bad)?;
    let mut body = select(attr_metadata(&e.logical, a), opts.select.as_ref());
    if opts.expand.iter().any(|x| x.nav == "OptionSet") {
        if ty != Some("Picklist") {
            return Err(DError::bad("Could not find a property named 'OptionSet' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'."));
        }
        body["OptionSet"] = option_set(a);
    }
    Ok(Reply::ok(body))
}

pub fn handle(
    ctx: &DCtx<'_>,
    method: &Method,
    seg: &[&str],
    body: Option<&Value>,
) -> Result<Reply, DError> {
    let (ty, seg) = cast(seg);
    let entity = entity_key(&ctx.schema, seg[0])?;
    match (method.as_str(), entity, &seg[1..]) {
        ("GET", None, []) => listing(
            ctx,
            ctx.schema
                .entities
                .iter()
                .map(EntityDef::metadata)
                .collect(),
            "EntityDefinitions",
        ),
        ("GET", Some(e), []) => {
            let opts = options::parse(&ctx.query).map_err(DError::bad)?;
            let mut body = select(e.metadata(), opts.select.as_ref());
            body["@odata.context"] =
                json!(format!("{}/$metadata#EntityDefinitions/$entity", ctx.base));
            Ok(Reply::ok(body))
        }
        ("GET", Some(e), ["Attributes"]) => {
            let items = e
                .attrs
                .iter()
                .filter(|a| of_type(a, ty))
                .map(|a| attr_metadata(&e.logical, a))
                .collect();
            listing(
                ctx,
                items,
                &format!("EntityDefinitions('{}')/Attributes", e.logical),
            )
        }
        ("GET", Some(e), [attr]) if attr.starts_with("Attributes(") => {
            let key = attr.trim_start_matches("Attributes(").trim_end_matches(')');
            let key = key
                .strip_prefix("LogicalName=")
                .unwrap_or(key)
                .trim_matches('\'');
            let a = e
                .attrs
                .iter()
                .filter(|a| of_type(a, ty))
                .find(|a| a.name == key || metadata_id(&e.logical, &a.name) == key)
                .ok_or_else(|| {
                    DError::new(
                        StatusCode::NOT_FOUND,
                        "0x80040217",
                        format!("Could not find attribute '{key}' on '{}'.", e.logical),
                    )
                })?;
            attribute(ctx, e, a, ty)
        }
        ("POST", Some(e), ["Attributes"]) => create_attribute(ctx, e, body),
        _ => Err(DError::segment(seg.last().copied().unwrap_or_default())),
    }
}

/// B7: `@odata.type` BooleanAttributeMetadata with an OptionSet, or StringAttributeMetadata;
/// the logical name is the lower-cased SchemaName, which needs a publisher prefix.
fn create_attribute(
    ctx: &DCtx<'_>,
    entity: &EntityDef,
    body: Option<&Value>,
) -> Result<Reply, DError> {
    let body = body
        .and_then(Value::as_object)
        .ok_or_else(|| DError::bad("The request body must be attribute metadata."))?;
    let odata_type = body
        .get("@odata.type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let ty = match odata_type.trim_start_matches('#') {
        "Microsoft.Dynamics.CRM.BooleanAttributeMetadata" => AttrType::Boolean,
        "Microsoft.Dynamics.CRM.StringAttributeMetadata" => AttrType::String,
        other => {
            return Err(DError::bad(format!(
            "Attribute type '{other}' is not supported by the emulator (Boolean and String are)."
        )))
        }
    };
    if ty == AttrType::Boolean && body.get("OptionSet").and_then(Value::as_object).is_none() {
        return Err(DError::new(
            StatusCode::BAD_REQUEST,
            "0x80044355",
            "A Boolean attribute needs an OptionSet with TrueOption and FalseOption.",
        ));
    }
    let schema_name = body
        .get("SchemaName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let has_prefix = schema_name
        .split_once('_')
        .is_some_and(|(p, rest)| !p.is_empty() && !rest.is_empty());
    if !has_prefix {
        return Err(DError::new(
            StatusCode::BAD_REQUEST,
            "0x80048403",
            format!(
                "The SchemaName '{schema_name}' must start with a publisher prefix such as 'new_'."
            ),
        ));
    }
    let logical = schema_name.to_lowercase();
    let mut schema: Schema = (*ctx.schema).clone();
    if !schema.add_attr(&entity.logical, &logical, ty, schema_name) {
        return Err(DError::new(
            StatusCode::BAD_REQUEST,
            "0x80047013",
            format!(
                "An attribute with the name {logical} already exists on {}.",
                entity.logical
            ),
        ));
    }
    let id = metadata_id(&entity.logical, &logical);
    custom_attributes::save(ctx.db, &id, &entity.logical, &logical, ty, schema_name)
        .map_err(|e| DError::bad(e.to_string()))?;
    ctx.emu.set_dyn_schema(schema);
    let mut reply = Reply::no_content();
    reply.headers.push((
        "OData-EntityId".into(),
        format!(
            "{}/EntityDefinitions(LogicalName='{}')/Attributes({id})",
            ctx.base, entity.logical
        ),
    ));
    Ok(reply)
}
