//! Routes one Web API call by its method and path segments to the handler that answers it.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use super::context::DCtx;
use super::error::DError;
use super::keys::split_key;
use super::{crud, metadata, privileges, query, relations};
use crate::http_util::Reply;
use crate::state::dynamics::schema::EntityDef;

pub fn dispatch(
    ctx: &DCtx<'_>,
    method: &Method,
    segments: &[String],
    body: Option<&Value>,
) -> Result<Reply, DError> {
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    privileges::check(ctx, method, &seg)?;
    match (method.as_str(), seg.as_slice()) {
        ("GET", ["WhoAmI" | "WhoAmI()"]) => Ok(who_am_i(ctx)),
        ("POST", ["PublishXml" | "PublishAllXml"]) => Ok(Reply::no_content()),
        ("POST", ["Merge"]) => merge(ctx, body),
        (_, [first, ..]) if first.starts_with("EntityDefinitions") => {
            metadata::handle(ctx, method, &seg, body)
        }
        ("POST", ["$batch"]) => Err(DError::bad(
            "A $batch request cannot contain another $batch.",
        )),
        (_, [segment]) => {
            let (set, key) = split_key(segment)?;
            let entity = entity_of(ctx, set)?;
            match (method.as_str(), key) {
                ("GET", None) => query::list(ctx, &entity),
                ("POST", None) => crud::create(ctx, &entity, body),
                ("GET", Some(id)) => crud::read(ctx, &entity, &id),
                ("PATCH", Some(id)) => crud::upsert(ctx, &entity, &id, body),
                ("DELETE", Some(id)) => crud::delete(ctx, &entity, &id),
                _ => Err(DError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "0x80060888",
                    format!("The HTTP method '{method}' is not allowed on this resource."),
                )),
            }
        }
        ("GET", [segment, "$count"]) => {
            let (set, _) = split_key(segment)?;
            let entity = entity_of(ctx, set)?;
            query::count(ctx, &entity)
        }
        (_, [segment, nav, rest @ ..]) if rest.len() <= 1 => {
            relationship(ctx, method, segment, nav, rest, body)
        }
        (_, [segment, ..]) => Err(DError::segment(segment)),
        _ => Err(DError::segment("")),
    }
}

/// The `Merge` action (B19): the subordinate is deactivated, merged into the target.
fn merge(ctx: &DCtx<'_>, body: Option<&Value>) -> Result<Reply, DError> {
    let record = |name: &str| -> Result<(String, String), DError> {
        let part = body.and_then(|b| b.get(name));
        let logical = part
            .and_then(|p| p.get("@odata.type"))
            .and_then(Value::as_str)
            .and_then(|t| t.strip_prefix("Microsoft.Dynamics.CRM."))
            .ok_or_else(|| DError::bad(format!("{name} needs its @odata.type.")))?;
        let id = part
            .and_then(|p| p.get(format!("{logical}id")))
            .and_then(Value::as_str)
            .ok_or_else(|| DError::bad(format!("{name} needs its {logical}id.")))?;
        Ok((logical.to_string(), id.to_lowercase()))
    };
    let (entity, target) = record("Target")?;
    let (other, subordinate) = record("Subordinate")?;
    if entity != other || !matches!(entity.as_str(), "account" | "contact" | "lead") {
        return Err(DError::bad(
            "Only two accounts, contacts or leads can be merged.",
        ));
    }
    crate::state::merge::dataverse(ctx.db, &entity, &target, &subordinate)
        .map(|()| Reply::no_content())
        .map_err(|refused| DError::bad(refused.0))
}

fn who_am_i(ctx: &DCtx<'_>) -> Reply {
    Reply::ok(json!({
        "@odata.context": format!("{}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse", ctx.base),
        "BusinessUnitId": ctx.emu.org.dynamics_business_unit,
        "UserId": ctx.user_id,
        "OrganizationId": ctx.emu.org.dynamics_org_id,
    }))
}

/// `{set}({id})/{nav}`, `…/{nav}/$ref` and `…/{nav}({other})/$ref` (B14).
fn relationship(
    ctx: &DCtx<'_>,
    method: &Method,
    segment: &str,
    nav: &str,
    rest: &[&str],
    body: Option<&Value>,
) -> Result<Reply, DError> {
    let (set, key) = split_key(segment)?;
    let entity = entity_of(ctx, set)?;
    let id = key.ok_or_else(|| DError::segment(segment))?;
    let (nav_name, other) = split_key(nav)?;
    match (method.as_str(), rest, other) {
        ("GET", [], None) => relations::list(ctx, &entity, &id, nav_name),
        ("POST", ["$ref"], None) => relations::associate(ctx, &entity, &id, nav_name, body),
        ("DELETE", ["$ref"], Some(other)) => {
            relations::disassociate(ctx, &entity, &id, nav_name, &other)
        }
        _ => Err(DError::segment(nav)),
    }
}

fn entity_of(ctx: &DCtx<'_>, set: &str) -> Result<EntityDef, DError> {
    ctx.schema
        .by_set(set)
        .cloned()
        .ok_or_else(|| DError::segment(set))
}
