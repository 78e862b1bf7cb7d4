//! The Dataverse Web API under `/api/data/v9.x/` (CRM-APIS B). The org's session cookie
//! authenticates same-origin calls (B11); a Bearer token works too. Errors use the OData
//! `{"error":{code,message}}` envelope (B9).

pub mod batch;
pub mod changes;
pub mod context;
pub mod crud;
pub mod dispatch;
pub mod error;
pub mod filter_check;
pub mod keys;
pub mod metadata;
pub mod privileges;
pub mod query;
pub mod relations;
pub mod shape;
pub mod write;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::Value;

use super::auth::SESSION_COOKIE;
use crate::http_util::{bearer, cookie, segments, Reply};
use crate::listener::Scheme;
use crate::state::db::Crm;
use crate::state::limits::Throttled;
use crate::state::refusals::Refusal;
use crate::state::sessions::SessionKind;
use crate::state::Emulator;
use context::new_ctx;
use dispatch::dispatch;
use error::DError;

fn authenticate(emu: &Emulator, headers: &HeaderMap) -> Result<String, Reply> {
    let token = cookie(headers, SESSION_COOKIE).or_else(|| bearer(headers));
    match token.and_then(|t| emu.sessions.get(&t)) {
        Some(s) if s.kind == SessionKind::Dynamics => Ok(s.user_id),
        _ => Err(unauthorized(emu, headers, None)),
    }
}

/// Dataverse's 401: no body, and a `WWW-Authenticate` challenge naming the tenant's authority
/// and the environment as the resource, the header clients read to find where to sign in
/// (microsoft/PowerPlatform-DataverseServiceClient, `Client/Auth/AuthorityResolver.cs`).
/// `claims` adds a Conditional Access claims challenge (`error="insufficient_claims"`, as
/// Microsoft Entra's "Claims challenges" page shows one).
pub fn unauthorized(emu: &Emulator, headers: &HeaderMap, claims: Option<&str>) -> Reply {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let mut challenge = format!(
        "Bearer authorization_uri=https://login.microsoftonline.com/{}/oauth2/authorize, resource_id=https://{host}/",
        emu.org.dynamics_tenant_id
    );
    if let Some(claims) = claims {
        challenge.push_str(&format!(
            ", error=\"insufficient_claims\", claims=\"{claims}\""
        ));
    }
    Reply {
        status: StatusCode::UNAUTHORIZED,
        headers: vec![("WWW-Authenticate".into(), challenge)],
        body: None,
        text: None,
    }
}

/// A signed-in user the environment refuses (CRM-APIS A19): not a member of it (no licence
/// or security role: 403 `0x80072560`, as Microsoft's dual-write troubleshooting quotes it),
/// or a session the tenant's Conditional Access wants renewed (a claims challenge).
fn refused(emu: &Emulator, headers: &HeaderMap, refusal: Refusal) -> Reply {
    match refusal {
        Refusal::ConditionalAccess => {
            // Base64 of {"access_token":{"nbf":{"essential":true,"value":"…"}}}, the shape
            // of Entra's claims challenges (a token issued before the policy changed).
            let claims = "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNzAwMDAwMDAwIn19fQ==";
            unauthorized(emu, headers, Some(claims))
        }
        _ => DError::new(
            StatusCode::FORBIDDEN,
            "0x80072560",
            "The user is not a member of the organization.",
        )
        .into(),
    }
}

/// A service protection refusal: 429, the limit's own code and words, and `Retry-After` in
/// seconds (B9; the messages as Microsoft's "Service protection API limits" page quotes them).
fn throttled_reply(throttled: Throttled) -> Reply {
    let (code, message, retry_after) = match throttled {
        Throttled::Requests { limit, window, retry_after } => (
            "0x80072322",
            format!("Number of requests exceeded the limit of {limit} over time window of {window} seconds."),
            retry_after,
        ),
        Throttled::ExecutionTime { limit_ms, window, retry_after } => (
            "0x80072321",
            format!("Combined execution time of incoming requests exceeded limit of {} milliseconds over time window of {window} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.", thousands(limit_ms)),
            retry_after,
        ),
        Throttled::Concurrent { limit } => (
            "0x80072326",
            format!("Number of concurrent requests exceeded the limit of {limit}."),
            1,
        ),
    };
    let mut reply: Reply = DError::new(StatusCode::TOO_MANY_REQUESTS, code, message).into();
    reply
        .headers
        .push(("Retry-After".into(), retry_after.to_string()));
    reply
}

/// `1200000` as Microsoft writes it in that message: `1,200,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    if let Some(wait) = emu.page_latency.of(Crm::Dynamics) {
        // Outside `serve`, which holds the database: other requests go on meanwhile.
        if is_collection_page(&emu, &method, uri.path()) {
            tokio::time::sleep(wait).await;
        }
    }
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

/// `GET …/contacts?…`, also through an `@odata.nextLink`: a page of an entity set, the
/// requests page latency slows down (a single record or `$count` is no page).
fn is_collection_page(emu: &Emulator, method: &Method, path: &str) -> bool {
    let segments = segments(path);
    method == Method::GET
        && segments.len() == 4
        && known_version(&segments[2])
        && emu.dyn_schema().by_set(&segments[3]).is_some()
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
        Err(reply) => return reply.into(),
    };
    if let Some(refusal) = emu.refusal(Crm::Dynamics, &user_id) {
        return refused(emu, &headers, refusal).into();
    }
    let _admitted = match emu.limits.admit_dynamics() {
        Ok(admitted) => admitted,
        Err(throttled) => return throttled_reply(throttled).into(),
    };
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
