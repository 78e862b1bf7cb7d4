//! The control API under `/_emulator/` on every host: tests and the demo reset and seed the
//! org, read records and the request log, issue and expire sessions, inject faults, switch
//! rules and set limits. docs/emulator.md lists every route.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::html;
use crate::http_util::json as json_response;
use crate::state::db::Crm;
use crate::state::faults::Fault;
use crate::state::limits::LimitsChange;
use crate::state::locks::lock;
use crate::state::rules::Rules;
use crate::state::seed;
use crate::state::sessions::{random_token, SessionKind};
use crate::state::Emulator;

pub fn router(emu: Arc<Emulator>) -> Router {
    Router::new()
        .route("/assets/{name}", get(asset))
        .route("/reset", post(reset))
        .route("/generate/contacts", post(generate))
        .route("/records/{crm}/{object}", get(records))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/sessions", post(issue_session))
        .route("/sessions/expire", post(expire_sessions))
        .route("/sessions/ttl", post(set_session_ttl))
        .route(
            "/faults",
            get(list_faults).post(add_faults).delete(clear_faults),
        )
        .route("/rules", get(get_rules).put(put_rules))
        .route("/rules/{name}", post(switch_rule))
        .route("/limits", get(get_limits).post(set_limits))
        .route("/features", post(set_features))
        .with_state(emu)
}

async fn asset(Path(name): Path<String>) -> Response {
    html::asset(&name).unwrap_or_else(|| StatusCode::NOT_FOUND.into_response())
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json_response(status, json!({"error": message.into()}))
}

#[derive(Deserialize)]
struct ResetQuery {
    seed: Option<String>,
    crm: Option<String>,
}

/// `POST /_emulator/reset?seed=demo|none|perf[&crm=salesforce|dynamics]`: empties both orgs,
/// ends sessions, clears faults, cursors and the log, restores default rules and limits, then
/// seeds. With `crm`, only that CRM's data, sessions, rules and limits are reset.
async fn reset(State(emu): State<Arc<Emulator>>, Query(q): Query<ResetQuery>) -> Response {
    let kind = q.seed.as_deref().unwrap_or("demo");
    let Some(seed) = seed::Seed::parse(kind) else {
        return error(StatusCode::BAD_REQUEST, format!("unknown seed '{kind}'"));
    };
    let scope = match q.crm.as_deref() {
        None => None,
        Some(name) => match Crm::parse(name) {
            Some(crm) => Some(crm),
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "crm must be salesforce or dynamics",
                )
            }
        },
    };
    match emu.reset(seed, scope) {
        Ok(()) => json_response(StatusCode::OK, json!({"seed": kind})),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

#[derive(Deserialize)]
struct GenerateQuery {
    count: Option<u64>,
    crm: Option<String>,
}

/// `POST /_emulator/generate/contacts?count=100000&crm=salesforce|dynamics|both`.
async fn generate(State(emu): State<Arc<Emulator>>, Query(q): Query<GenerateQuery>) -> Response {
    let count = q.count.unwrap_or(100_000);
    let crms: Vec<Crm> = match q.crm.as_deref().unwrap_or("both") {
        "both" => vec![Crm::Salesforce, Crm::Dynamics],
        name => match Crm::parse(name) {
            Some(c) => vec![c],
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "crm must be salesforce, dynamics or both",
                )
            }
        },
    };
    let started = std::time::Instant::now();
    let db = emu.db();
    for crm in crms {
        if let Err(e) = seed::generate_contacts(&db, crm, count) {
            return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
        }
    }
    json_response(
        StatusCode::OK,
        json!({"generated": count, "ms": started.elapsed().as_millis() as u64}),
    )
}

/// `GET /_emulator/records/{salesforce|dynamics}/{object}`: `[{id, fields}]`.
async fn records(
    State(emu): State<Arc<Emulator>>,
    Path((crm, object)): Path<(String, String)>,
) -> Response {
    let Some(crm) = Crm::parse(&crm) else {
        return error(StatusCode::NOT_FOUND, "unknown crm");
    };
    let rows = emu.db().list_ci(crm, &object).unwrap_or_default();
    let list: Vec<Value> = rows
        .into_iter()
        .map(|(id, mut fields)| {
            fields.remove("Password");
            json!({"id": id, "fields": fields})
        })
        .collect();
    json_response(StatusCode::OK, Value::Array(list))
}

async fn requests(State(emu): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, json!(emu.request_log.entries()))
}

async fn clear_requests(State(emu): State<Arc<Emulator>>) -> Response {
    emu.request_log.clear();
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
struct ExpireQuery {
    kind: Option<String>,
}

/// `POST /_emulator/sessions/expire[?kind=salesforce-api|salesforce-ui|dynamics]`.
async fn expire_sessions(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<ExpireQuery>,
) -> Response {
    match q.kind.as_deref().map(SessionKind::parse) {
        None => emu.sessions.expire_all(),
        Some(Some(kind)) => emu.sessions.expire_where(|k| k == kind),
        Some(None) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({"error": "unknown session kind"}),
            );
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
struct SessionQuery {
    crm: String,
    user: Option<String>,
}

/// `POST /_emulator/sessions?crm=salesforce|dynamics&user=…`: an API session for clients
/// (a My Domain `sid` for Salesforce, a Bearer token for Dataverse) without a browser login.
async fn issue_session(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<SessionQuery>,
) -> Response {
    let (crm, object, field, default_user) = match q.crm.as_str() {
        "salesforce" => (Crm::Salesforce, "User", "Username", "demo@acme.com"),
        "dynamics" => (
            Crm::Dynamics,
            "systemuser",
            "internalemailaddress",
            "demo@acme.onmicrosoft.com",
        ),
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "crm must be salesforce or dynamics",
            )
        }
    };
    let user = q.user.as_deref().unwrap_or(default_user);
    let found = emu.db().find_by(crm, object, field, user).ok().flatten();
    let Some((user_id, _)) = found else {
        return error(StatusCode::NOT_FOUND, format!("no user '{user}'"));
    };
    let (token, kind, instance) = match crm {
        Crm::Salesforce => (
            format!("{}!{}", emu.org.salesforce_org_id, random_token()),
            SessionKind::SalesforceApi,
            "https://acme.my.salesforce.com",
        ),
        Crm::Dynamics => (
            random_token(),
            SessionKind::Dynamics,
            "https://acme.crm.dynamics.com",
        ),
    };
    emu.sessions.issue(token.clone(), kind, &user_id);
    json_response(
        StatusCode::OK,
        json!({"token": token, "userId": user_id, "instanceUrl": instance}),
    )
}

#[derive(Deserialize)]
struct TtlQuery {
    seconds: u64,
}

/// `POST /_emulator/sessions/ttl?seconds=N`: sessions issued from now on expire after N s.
async fn set_session_ttl(State(emu): State<Arc<Emulator>>, Query(q): Query<TtlQuery>) -> Response {
    emu.sessions.set_ttl(Duration::from_secs(q.seconds));
    StatusCode::NO_CONTENT.into_response()
}

async fn list_faults(State(emu): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, json!(*lock(&emu.faults)))
}

/// `POST /_emulator/faults` with one fault or an array (see `faults::Fault`).
async fn add_faults(State(emu): State<Arc<Emulator>>, Json(body): Json<Value>) -> Response {
    let parsed: Result<Vec<Fault>, _> = match body {
        Value::Array(_) => serde_json::from_value(body),
        other => serde_json::from_value(other).map(|f| vec![f]),
    };
    match parsed {
        Ok(faults) => {
            lock(&emu.faults).extend(faults);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => error(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

async fn clear_faults(State(emu): State<Arc<Emulator>>) -> Response {
    lock(&emu.faults).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn get_rules(State(emu): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, json!(emu.rules()))
}

/// `PUT /_emulator/rules` replaces every rule with `{validation:[…], duplicate:[…]}`.
async fn put_rules(State(emu): State<Arc<Emulator>>, Json(rules): Json<Rules>) -> Response {
    emu.set_rules(rules);
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
struct SwitchQuery {
    active: bool,
}

/// `POST /_emulator/rules/{name}?active=true|false`.
async fn switch_rule(
    State(emu): State<Arc<Emulator>>,
    Path(name): Path<String>,
    Query(q): Query<SwitchQuery>,
) -> Response {
    if emu.switch_rule(&name, q.active) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(StatusCode::NOT_FOUND, format!("no rule '{name}'"))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FeaturesQuery {
    lightning_notes: bool,
}

/// `POST /_emulator/features?lightningNotes=false`: a Salesforce org without Lightning notes
/// (no ContentNote or ContentDocumentLink; classic Notes only), as orgs that never enabled
/// them are. `true`, or a reset, brings them back.
async fn set_features(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<FeaturesQuery>,
) -> Response {
    emu.set_lightning_notes(q.lightning_notes);
    StatusCode::NO_CONTENT.into_response()
}

async fn get_limits(State(emu): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, json!(emu.limits.view()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LimitsQuery {
    salesforce_daily: Option<u64>,
    salesforce_used: Option<u64>,
    dynamics_per_window: Option<u64>,
    dynamics_window_seconds: Option<u64>,
}

/// `POST /_emulator/limits?salesforceDaily=N&salesforceUsed=N&dynamicsPerWindow=N&dynamicsWindowSeconds=N`.
async fn set_limits(State(emu): State<Arc<Emulator>>, Query(q): Query<LimitsQuery>) -> Response {
    emu.limits.change(&LimitsChange {
        salesforce_daily: q.salesforce_daily,
        salesforce_used: q.salesforce_used,
        dynamics_per_window: q.dynamics_per_window,
        dynamics_window_seconds: q.dynamics_window_seconds,
    });
    json_response(StatusCode::OK, json!(emu.limits.view()))
}
