//! The Salesforce REST API (CRM-APIS A): versions, sObject reads, errors as JSON arrays, and
//! `Sforce-Limit-Info` on every response but the versions list.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::Emulator;
use crate::db::Crm;
use crate::http_util::{bearer, json as json_response};
use crate::sessions::SessionKind;

/// The versions list needs no session (A1).
pub async fn versions() -> Response {
    let list: Vec<Value> = (60..=66)
        .map(|v| {
            json!({"label": format!("v{v}.0"), "url": format!("/services/data/v{v}.0"), "version": format!("{v}.0")})
        })
        .collect();
    json_response(StatusCode::OK, Value::Array(list))
}

pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    json_response(status, json!([{ "message": message, "errorCode": code }]))
}

pub async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "The requested resource does not exist",
    )
}

/// Checks the Bearer token: only a My Domain `sid` is an API session (A8, jsforce#1274).
fn authenticate(emu: &Emulator, headers: &HeaderMap) -> Result<String, Response> {
    let session = bearer(headers).and_then(|t| emu.sessions.get(&t));
    match session {
        Some(s) if s.kind == SessionKind::SalesforceApi => Ok(s.user_id),
        Some(_) => Err(error(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "This session is not valid for use with the REST API",
        )),
        None => Err(error(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
        )),
    }
}

fn with_limit_info(emu: &Emulator, mut response: Response) -> Response {
    let (used, limit) = emu.count_api_request();
    if let Ok(v) = HeaderValue::from_str(&format!("api-usage={used}/{limit}")) {
        response.headers_mut().insert("Sforce-Limit-Info", v);
    }
    response
}

fn is_version(v: &str) -> bool {
    v.strip_prefix('v')
        .and_then(|v| v.strip_suffix(".0"))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[derive(Deserialize)]
pub struct FieldsQuery {
    fields: Option<String>,
}

pub async fn read_record(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    Path((version, object, id)): Path<(String, String, String)>,
    Query(q): Query<FieldsQuery>,
) -> Response {
    if let Err(denied) = authenticate(&emu, &headers) {
        return denied;
    }
    if !is_version(&version) {
        return not_found().await;
    }
    let record = emu.db().get(Crm::Salesforce, &object, &id).ok().flatten();
    let response = match record {
        Some(fields) => json_response(
            StatusCode::OK,
            shape(&emu, &version, &object, &id, fields, q.fields.as_deref()),
        ),
        None => error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource does not exist",
        ),
    };
    with_limit_info(&emu, response)
}

/// A record as the API returns it: `attributes`, `Id`, then the requested fields (null when
/// unset), or all fields when none were requested.
fn shape(
    emu: &Emulator,
    version: &str,
    object: &str,
    id: &str,
    fields: crate::db::Fields,
    wanted: Option<&str>,
) -> Value {
    let object = emu.canonical_object_name(object);
    let mut out = serde_json::Map::new();
    out.insert(
        "attributes".into(),
        json!({"type": object, "url": format!("/services/data/{version}/sobjects/{object}/{id}")}),
    );
    out.insert("Id".into(), Value::String(id.to_string()));
    match wanted {
        Some(list) => {
            for name in list
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty() && *n != "Id")
            {
                out.insert(
                    name.to_string(),
                    fields.get(name).cloned().unwrap_or(Value::Null),
                );
            }
        }
        None => out.extend(fields),
    }
    Value::Object(out)
}
