//! The Dataverse Web API under `/api/data/v9.x/` (CRM-APIS B). The org's session cookie
//! authenticates same-origin calls (B11); a Bearer token works too. Errors use the OData
//! `{"error":{code,message}}` envelope (B9).

pub mod batch;
pub mod crud;
pub mod filter_check;
pub mod metadata;
pub mod query;
pub mod shape;
pub mod write;

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Value};

use super::odata::options::{prefer, Prefer};
use super::SESSION_COOKIE;
use crate::http_util::{bearer, cookie, Reply};
use crate::listener::Scheme;
use crate::state::db::Db;
use crate::state::dynamics::schema::Schema;
use crate::state::sessions::SessionKind;
use crate::state::Emulator;

/// A Web API error: status, hex code and message.
#[derive(Debug, Clone)]
pub struct DError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl DError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> DError {
        DError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad(message: impl Into<String>) -> DError {
        DError::new(StatusCode::BAD_REQUEST, "0x80060888", message)
    }

    pub fn segment(segment: &str) -> DError {
        DError::new(
            StatusCode::NOT_FOUND,
            "0x80060888",
            format!("Resource not found for the segment '{segment}'."),
        )
    }

    pub fn no_property(entity: &str, name: &str) -> DError {
        DError::bad(format!(
            "Could not find a property named '{name}' on type 'Microsoft.Dynamics.CRM.{entity}'."
        ))
    }

    pub fn missing(entity: &str, id: &str) -> DError {
        DError::new(
            StatusCode::NOT_FOUND,
            "0x80040217",
            format!("{entity} With Id = {id} Does Not Exist"),
        )
    }
}

impl From<DError> for Reply {
    fn from(e: DError) -> Reply {
        Reply::json(
            e.status,
            json!({"error": {"code": e.code, "message": e.message}}),
        )
    }
}

/// Everything a handler needs for one request.
pub struct DCtx<'a> {
    pub emu: &'a Emulator,
    pub db: &'a Db,
    pub schema: Arc<Schema>,
    pub user_id: String,
    /// `https://acme.crm.dynamics.com/api/data/v9.2`
    pub base: String,
    pub headers: HeaderMap,
    pub prefer: Prefer,
    /// The raw query string, for building nextLinks.
    pub raw_query: String,
    pub query: HashMap<String, String>,
}

fn authenticate(emu: &Emulator, headers: &HeaderMap) -> Result<String, DError> {
    let token = cookie(headers, SESSION_COOKIE).or_else(|| bearer(headers));
    match token.and_then(|t| emu.sessions.get(&t)) {
        Some(s) if s.kind == SessionKind::Dynamics => Ok(s.user_id),
        _ => Err(DError::new(
            StatusCode::UNAUTHORIZED,
            "0x80040220",
            "The user is not authenticated or the session has expired.",
        )),
    }
}

/// The versions the Web API answers on (B1).
fn known_version(v: &str) -> bool {
    matches!(v, "v9.0" | "v9.1" | "v9.2")
}

pub async fn entry(
    State(emu): State<Arc<Emulator>>,
    scheme: Option<axum::Extension<Scheme>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let scheme = scheme.map(|s| s.0 .0).unwrap_or("https");
    let reply = match serve(&emu, scheme, method, &uri, headers, &body) {
        Served::Api(reply) => reply,
        Served::Raw(response) => return response,
    };
    let mut response = reply.into_response();
    let h = response.headers_mut();
    h.insert("OData-Version", HeaderValue::from_static("4.0"));
    let is_json = h
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; odata.metadata=minimal"),
        );
    }
    response
}

/// What `serve` produced: an API reply, or a finished response (`$batch`).
enum Served {
    Api(Reply),
    Raw(Response),
}

impl From<Reply> for Served {
    fn from(reply: Reply) -> Served {
        Served::Api(reply)
    }
}

impl From<DError> for Served {
    fn from(e: DError) -> Served {
        Served::Api(e.into())
    }
}

/// A context for one request (or one `$batch` part).
pub fn new_ctx<'a>(
    emu: &'a Emulator,
    db: &'a Db,
    user_id: String,
    base: String,
    headers: HeaderMap,
    query: Option<&str>,
) -> DCtx<'a> {
    DCtx {
        emu,
        db,
        schema: emu.dyn_schema(),
        user_id,
        base,
        prefer: prefer(&headers),
        headers,
        raw_query: query.unwrap_or_default().to_string(),
        query: crate::http_util::parse_query(query),
    }
}

fn serve(
    emu: &Emulator,
    scheme: &str,
    method: Method,
    uri: &Uri,
    headers: HeaderMap,
    body: &[u8],
) -> Served {
    let user_id = match authenticate(emu, &headers) {
        Ok(u) => u,
        Err(e) => return e.into(),
    };
    if !emu.limits.admit_dynamics_request() {
        let mut reply: Reply = DError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "0x80072322",
            "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
        )
        .into();
        reply.headers.push(("Retry-After".into(), "5".into()));
        return reply.into();
    }
    let segments: Vec<String> = crate::http_util::segments(uri.path());
    let Some(version) = segments.get(2).filter(|v| known_version(v)).cloned() else {
        return DError::segment(segments.get(2).map(String::as_str).unwrap_or("")).into();
    };
    // Kept with its port: next links must lead back to whichever address the client used.
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
        .to_string();
    let is_batch = method == Method::POST && segments.len() == 4 && segments[3] == "$batch";
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let db = emu.db();
    let base = format!("{scheme}://{host}/api/data/{version}");
    let ctx = new_ctx(emu, &db, user_id, base, headers, uri.query());
    if is_batch {
        return Served::Raw(batch::run(&ctx, &content_type, body));
    }
    let parsed = if body.is_empty() {
        None
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => Some(v),
            Err(e) => return DError::bad(format!("Invalid JSON. {e}")).into(),
        }
    };
    Served::Api(
        dispatch(&ctx, &method, &segments[3..], parsed.as_ref()).unwrap_or_else(Reply::from),
    )
}

/// `contacts(5a1b…)` → (`contacts`, Some(guid)); `contacts` → (`contacts`, None).
pub fn split_key(segment: &str) -> Result<(&str, Option<String>), DError> {
    let Some((set, rest)) = segment.split_once('(') else {
        return Ok((segment, None));
    };
    let key = rest
        .strip_suffix(')')
        .ok_or_else(|| DError::bad(format!("Bad Request - Error in query syntax: '{segment}'.")))?;
    let key = key.rsplit('=').next().unwrap_or(key);
    let key = key
        .trim_matches(|c| c == '{' || c == '}' || c == '\'')
        .to_ascii_lowercase();
    let guid_like = key.len() == 36 && key.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if !guid_like {
        return Err(DError::bad(format!(
            "Unrecognized 'Edm.String' literal '{key}' at '0' in '{key}'."
        )));
    }
    Ok((set, Some(key)))
}

pub fn dispatch(
    ctx: &DCtx<'_>,
    method: &Method,
    segments: &[String],
    body: Option<&Value>,
) -> Result<Reply, DError> {
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    match (method.as_str(), seg.as_slice()) {
        ("GET", ["WhoAmI" | "WhoAmI()"]) => Ok(who_am_i(ctx)),
        ("POST", ["PublishXml" | "PublishAllXml"]) => Ok(Reply::no_content()),
        (_, [first, ..]) if first.starts_with("EntityDefinitions") => {
            metadata::handle(ctx, method, &seg, body)
        }
        ("POST", ["$batch"]) => Err(DError::bad(
            "A $batch request cannot contain another $batch.",
        )),
        (_, [segment]) => {
            let (set, key) = split_key(segment)?;
            let entity = ctx
                .schema
                .by_set(set)
                .ok_or_else(|| DError::segment(set))?
                .clone();
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
            let entity = ctx
                .schema
                .by_set(set)
                .ok_or_else(|| DError::segment(set))?
                .clone();
            query::count(ctx, &entity)
        }
        (_, [segment, ..]) => Err(DError::segment(segment)),
        _ => Err(DError::segment("")),
    }
}

fn who_am_i(ctx: &DCtx<'_>) -> Reply {
    Reply::ok(json!({
        "@odata.context": format!("{}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse", ctx.base),
        "BusinessUnitId": ctx.emu.org.dynamics_business_unit,
        "UserId": ctx.user_id,
        "OrganizationId": ctx.emu.org.dynamics_org_id,
    }))
}
