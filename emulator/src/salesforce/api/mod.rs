//! The Salesforce REST API under `/services/data/vNN.0/` (CRM-APIS A): authentication, the
//! daily limit and `Sforce-Limit-Info`, then one dispatcher (`dispatch`) that serves HTTP
//! requests and `composite` subrequests alike, over one locked database.

pub mod access;
pub mod call;
pub mod collections;
pub mod composite;
pub mod deleted;
pub mod derive;
pub mod describe;
pub mod dispatch;
pub mod org_rules;
pub mod query;
pub mod records;
pub mod tooling;
pub mod write;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Value};

use super::error::SfError;
use crate::http_util::{bearer, parse_query, segments, Reply};
use crate::state::db::Crm;
use crate::state::refusals::Refusal;
use crate::state::sessions::SessionKind;
use crate::state::Emulator;
use call::{is_version, Call, Ctx};
use dispatch::dispatch;

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

fn with_limit_info(mut response: Response, info: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(info) {
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
    if let Some(wait) = emu.page_latency.of(Crm::Salesforce) {
        // Outside `serve`, which holds the database: other requests go on meanwhile.
        if is_query_page(&method, uri.path()) {
            tokio::time::sleep(wait).await;
        }
    }
    let reply = serve(&emu, method, &uri, headers, &body);
    with_limit_info(reply.into_response(), &emu.limits.limit_info(used, limit))
}

/// `GET …/query?q=`, `…/queryAll?q=`, `…/query/01g…-2000` (a `nextRecordsUrl`) and a Bulk
/// API 2.0 job's result sets: the requests page latency slows down.
fn is_query_page(method: &Method, path: &str) -> bool {
    let all = segments(path);
    let under_data = all.len() > 3 && all[0] == "services" && all[1] == "data";
    let rest: Vec<&str> = all.iter().skip(3).map(String::as_str).collect();
    method == Method::GET
        && under_data
        && is_version(&all[2])
        && matches!(
            rest.as_slice(),
            ["query" | "queryAll"] | ["query" | "queryAll", _] | ["jobs", "query", _, "results"]
        )
}

fn serve(emu: &Emulator, method: Method, uri: &Uri, headers: HeaderMap, body: &[u8]) -> Reply {
    let user_id = match authenticate(emu, &headers) {
        Ok(u) => u,
        Err(e) => return e.into(),
    };
    if let Some(refusal) = emu.refusal(Crm::Salesforce, &user_id) {
        return refused(refusal).into();
    }
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
    if all.get(3).map(String::as_str) == Some("jobs") {
        return bulk_jobs(
            emu,
            &method,
            &all,
            uri.query(),
            headers,
            user_id,
            version,
            body,
        );
    }
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
    route(&ctx, &call)
}

/// Bulk API 2.0 (`…/jobs/…`): CSV bodies, so not through the JSON dispatcher.
#[allow(clippy::too_many_arguments)]
fn bulk_jobs(
    emu: &Emulator,
    method: &Method,
    all: &[String],
    query: Option<&str>,
    headers: HeaderMap,
    user_id: String,
    version: String,
    body: &[u8],
) -> Reply {
    let db = emu.db();
    let ctx = Ctx {
        emu,
        db: &db,
        schema: emu.sf_schema(),
        user_id,
        version,
        headers,
    };
    let rest: Vec<&str> = all[4..].iter().map(String::as_str).collect();
    crate::salesforce::bulk::serve(&ctx, method.as_str(), &rest, &parse_query(query), body)
}

/// A signed-in user whose API calls the org refuses (CRM-APIS A19): an org without API
/// access and a profile without "API Enabled" answer 403 with their own codes (as public
/// clients record them: SFDO-Tooling/MetaDeploy `multisalesforce/tests/views.py`; "API is
/// disabled for this User" in Microsoft's and Apsona's Salesforce connector troubleshooting);
/// under API Access Control a browser session "is
/// not valid for use with the REST API" (sorenkrabbe/Chrome-Salesforce-inspector#149).
fn refused(refusal: Refusal) -> SfError {
    match refusal {
        Refusal::ApiDisabledForOrg => SfError::new(
            StatusCode::FORBIDDEN,
            "API_DISABLED_FOR_ORG",
            "The REST API is not enabled for this Organization.",
        ),
        Refusal::ApiDisabledForUser => SfError::new(
            StatusCode::FORBIDDEN,
            "API_CURRENTLY_DISABLED",
            "API is disabled for this User",
        ),
        _ => SfError::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "This session is not valid for use with the REST API",
        ),
    }
}

/// `composite` runs its subrequests through `dispatch`, so it is routed here, above it;
/// composites do not nest (`composite::run_one` refuses one inside another).
fn route(ctx: &Ctx<'_>, call: &Call<'_>) -> Reply {
    match (call.method.as_str(), call.segments.as_slice()) {
        ("POST", [only]) if only == "composite" => {
            composite::composite(ctx, call.body).unwrap_or_else(Reply::from)
        }
        _ => dispatch(ctx, call),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pages_are_first_pages_and_locators() {
        let get = &Method::GET;
        assert!(is_query_page(get, "/services/data/v66.0/query"));
        assert!(is_query_page(get, "/services/data/v66.0/queryAll/"));
        assert!(is_query_page(get, "/services/data/v66.0/query/01gXX-2000"));
        assert!(is_query_page(
            get,
            "/services/data/v66.0/jobs/query/750X/results"
        ));
        assert!(!is_query_page(get, "/services/data/v66.0/jobs/query/750X"));
        assert!(!is_query_page(&Method::POST, "/services/data/v66.0/query"));
        assert!(!is_query_page(get, "/services/data/v66.0/search"));
        assert!(!is_query_page(get, "/services/data/v66.0/sobjects/Contact"));
        assert!(!is_query_page(get, "/services/data/v66.0"));
    }

    #[test]
    fn release_names_follow_the_calendar() {
        assert_eq!(release_name(63), "Spring '25");
        assert_eq!(release_name(65), "Winter '26");
        assert_eq!(release_name(66), "Spring '26");
    }
}
