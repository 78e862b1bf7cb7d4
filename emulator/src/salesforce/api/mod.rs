//! The Salesforce REST API under `/services/data/vNN.0/` (CRM-APIS A). One dispatcher serves
//! HTTP requests and `composite` subrequests alike, over one locked database.

pub mod collections;
pub mod composite;
pub mod derive;
pub mod describe;
pub mod org_rules;
pub mod query;
pub mod records;
pub mod tooling;
pub mod write;

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Value};

use super::error::SfError;
use crate::http_util::{bearer, parse_query, segments};
use crate::state::db::Db;
use crate::state::salesforce::schema::Schema;
use crate::state::sessions::SessionKind;
use crate::state::Emulator;

pub use crate::http_util::Reply;

impl From<SfError> for Reply {
    fn from(e: SfError) -> Reply {
        Reply::json(e.status, e.body())
    }
}

/// Everything a handler needs, for the duration of one request.
pub struct Ctx<'a> {
    pub emu: &'a Emulator,
    pub db: &'a Db,
    pub schema: Arc<Schema>,
    pub user_id: String,
    /// `v66.0`
    pub version: String,
    pub headers: HeaderMap,
}

/// One API call, from HTTP or from a composite subrequest.
pub struct Call<'a> {
    pub method: Method,
    /// Segments after `/services/data/vNN.0/`, without empty ones (trailing slashes).
    pub segments: Vec<String>,
    pub query: HashMap<String, String>,
    pub body: Option<&'a Value>,
}

pub fn is_version(v: &str) -> bool {
    v.strip_prefix('v')
        .and_then(|v| v.strip_suffix(".0"))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Checks the Bearer token: only a My Domain `sid` is an API session (A8, jsforce#1274).
pub fn authenticate(emu: &Emulator, headers: &HeaderMap) -> Result<String, SfError> {
    let session = bearer(headers).and_then(|t| emu.sessions.get(&t));
    let invalid =
        |message: &str| SfError::new(StatusCode::UNAUTHORIZED, "INVALID_SESSION_ID", message);
    match session {
        Some(s) if s.kind == SessionKind::SalesforceApi => Ok(s.user_id),
        Some(_) => Err(invalid(
            "This session is not valid for use with the REST API",
        )),
        None => Err(invalid("Session expired or invalid")),
    }
}

/// The versions list needs no session (A1).
pub async fn versions() -> Response {
    let list: Vec<Value> = (31..=66)
        .map(|v| {
            json!({"label": release_name(v), "url": format!("/services/data/v{v}.0"), "version": format!("{v}.0")})
        })
        .collect();
    crate::http_util::json(StatusCode::OK, Value::Array(list))
}

fn release_name(version: u32) -> String {
    // Three releases a year; v63.0 was Spring '25 (A1).
    let offset = version as i32 - 63;
    let year = 25 + offset.div_euclid(3);
    let season = ["Spring", "Summer", "Winter"][offset.rem_euclid(3) as usize];
    let year = if season == "Winter" { year + 1 } else { year };
    format!("{season} '{year:02}")
}

fn with_limit_info(mut response: Response, used: u64, limit: u64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("api-usage={used}/{limit}")) {
        response.headers_mut().insert("Sforce-Limit-Info", v);
    }
    response
}

/// Every `/services/…` request on the My Domain host but the versions list.
pub async fn entry(
    State(emu): State<Arc<Emulator>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (used, limit) = emu.limits.count_api_request();
    let reply = serve(&emu, method, &uri, headers, &body);
    with_limit_info(reply.into_response(), used.min(limit), limit)
}

fn serve(emu: &Emulator, method: Method, uri: &Uri, headers: HeaderMap, body: &[u8]) -> Reply {
    let user_id = match authenticate(emu, &headers) {
        Ok(u) => u,
        Err(e) => return e.into(),
    };
    if emu.limits.salesforce_exceeded() {
        return SfError::new(
            StatusCode::FORBIDDEN,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        )
        .into();
    }
    let all = segments(uri.path());
    if all.first().map(String::as_str) == Some("services")
        && all.get(1).map(String::as_str) == Some("oauth2")
        && all.get(2).map(String::as_str) == Some("userinfo")
    {
        let db = emu.db();
        return describe::userinfo(emu, &db, &user_id, &headers);
    }
    let Some(version) = all
        .get(2)
        .filter(|v| all[1] == "data" && is_version(v))
        .cloned()
    else {
        return SfError::not_found().into();
    };
    let parsed = if body.is_empty() {
        None
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => Some(v),
            Err(e) => {
                return SfError::bad("JSON_PARSER_ERROR", format!("Unexpected character: {e}"))
                    .into()
            }
        }
    };
    let mut query = parse_query(uri.query());
    let method = match query.remove("_HttpMethod") {
        Some(m) if method == Method::POST => Method::from_bytes(m.as_bytes()).unwrap_or(method),
        _ => method,
    };
    let db = emu.db();
    let ctx = Ctx {
        emu,
        db: &db,
        schema: emu.sf_schema(),
        user_id,
        version,
        headers,
    };
    let call = Call {
        method,
        segments: all[3..].to_vec(),
        query,
        body: parsed.as_ref(),
    };
    dispatch(&ctx, &call)
}

/// Routes one call by its path segments.
pub fn dispatch(ctx: &Ctx<'_>, call: &Call<'_>) -> Reply {
    let seg: Vec<&str> = call.segments.iter().map(String::as_str).collect();
    let m = &call.method;
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
        ("POST", ["composite"]) => composite::composite(ctx, call.body),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names_follow_the_calendar() {
        assert_eq!(release_name(63), "Spring '25");
        assert_eq!(release_name(65), "Winter '26");
        assert_eq!(release_name(66), "Spring '26");
    }

    #[test]
    fn versions_are_vnn_dot_zero() {
        assert!(is_version("v66.0"));
        assert!(!is_version("v66.1"));
        assert!(!is_version("66.0"));
    }
}
