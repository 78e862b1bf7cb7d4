//! Routes one REST call by its method and path segments to the handler that answers it.

use axum::http::StatusCode;
use serde_json::json;

use super::call::{Call, Ctx};
use super::{access, collections, deleted, describe, query, records, tooling};
use crate::http_util::Reply;
use crate::salesforce::error::SfError;

/// Routes one call by its path segments.
pub fn dispatch(ctx: &Ctx<'_>, call: &Call<'_>) -> Reply {
    let seg: Vec<&str> = call.segments.iter().map(String::as_str).collect();
    let m = &call.method;
    if let Err(refused) = access::check(ctx, call) {
        return refused.into();
    }
    let result: Result<Reply, SfError> = match (m.as_str(), seg.as_slice()) {
        ("GET", []) => Ok(describe::resources(ctx)),
        ("GET", ["limits"]) => Ok(describe::limits(ctx)),
        ("GET", ["query"]) => query::query(ctx, call, false),
        ("GET", ["queryAll"]) => query::query(ctx, call, true),
        ("GET", ["query" | "queryAll", locator]) => query::more(ctx, locator),
        ("GET", ["search"]) => query::search(ctx, call),
        ("GET" | "POST", ["parameterizedSearch"]) => query::parameterized_search(ctx, call),
        ("GET", ["sobjects"]) => Ok(describe::global(ctx)),
        ("GET", ["sobjects", object]) => describe::basic(ctx, object),
        ("POST", ["sobjects", object]) => records::create(ctx, object, call.body),
        ("GET", ["sobjects", object, "describe"]) => describe::describe(ctx, object),
        ("GET", ["sobjects", object, "deleted"]) => deleted::deleted(ctx, object, call),
        ("GET", ["sobjects", object, id]) => {
            records::read(ctx, object, id, call.query.get("fields"))
        }
        ("PATCH", ["sobjects", object, id]) => records::update(ctx, object, id, call.body),
        ("DELETE", ["sobjects", object, id]) => records::delete(ctx, object, id),
        ("GET", ["sobjects", object, field, value]) => {
            records::read_by_external(ctx, object, field, value, call.query.get("fields"))
        }
        ("PATCH", ["sobjects", object, field, value]) => records::upsert(
            ctx,
            object,
            field,
            value,
            call.body,
            call.query.get("updateOnly").is_some_and(|v| v == "true"),
        ),
        ("POST", ["composite", "sobjects"]) => collections::create(ctx, call.body),
        ("PATCH", ["composite", "sobjects"]) => collections::update(ctx, call.body),
        ("DELETE", ["composite", "sobjects"]) => collections::delete(ctx, call),
        ("GET", ["composite", "sobjects", object]) => collections::read(ctx, object, call),
        ("PATCH", ["composite", "sobjects", object, field]) => {
            collections::upsert(ctx, object, field, call.body)
        }
        ("POST", ["tooling", "sobjects", "CustomField"]) => {
            tooling::create_custom_field(ctx, call.body)
        }
        ("POST", ["tooling", "sobjects", "CustomObject"]) => {
            tooling::create_custom_object(ctx, call.body)
        }
        ("POST", ["tooling", "sobjects", "CustomPermission"]) => {
            tooling::create_custom_permission(ctx, call.body)
        }
        ("GET", ["tooling", "sobjects", "CustomField", "describe"]) => {
            Ok(Reply::ok(json!({"name": "CustomField"})))
        }
        (_, [..]) if known_resource(&seg) => Err(SfError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            format!("HTTP Method '{m}' not allowed. Allowed are GET,PATCH,DELETE,HEAD"),
        )),
        _ => Err(SfError::not_found()),
    };
    result.unwrap_or_else(Reply::from)
}

fn known_resource(seg: &[&str]) -> bool {
    matches!(seg.first(), Some(&("sobjects" | "query" | "composite")))
}
