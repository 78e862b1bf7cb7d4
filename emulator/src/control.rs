//! The control API under `/_emulator/` on every host: tests and the demo reset and seed the
//! org, read records and the request log, and expire sessions.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::Emulator;
use crate::db::Crm;
use crate::http_util::json as json_response;
use crate::sessions::SessionKind;
use crate::{html, seed};

pub fn router(emu: Arc<Emulator>) -> Router {
    Router::new()
        .route("/assets/{name}", get(asset))
        .route("/reset", post(reset))
        .route("/records/{crm}/{object}", get(records))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/sessions/expire", post(expire_sessions))
        .route("/sessions/ttl", post(set_session_ttl))
        .with_state(emu)
}

async fn asset(Path(name): Path<String>) -> Response {
    html::asset(&name).unwrap_or_else(|| StatusCode::NOT_FOUND.into_response())
}

#[derive(Deserialize)]
struct ResetQuery {
    seed: Option<String>,
}

/// `POST /_emulator/reset?seed=demo|none`: empties the org, ends sessions, then seeds.
async fn reset(State(emu): State<Arc<Emulator>>, Query(q): Query<ResetQuery>) -> Response {
    let kind = q.seed.as_deref().unwrap_or("demo");
    let Some(seed) = seed::Seed::parse(kind) else {
        return json_response(
            StatusCode::BAD_REQUEST,
            json!({"error": format!("unknown seed '{kind}'")}),
        );
    };
    emu.sessions.expire_all();
    emu.reset_api_usage();
    emu.request_log.lock().unwrap().clear();
    let db = emu.db();
    let result = db.clear().and_then(|_| seed::apply(&db, seed));
    match result {
        Ok(()) => json_response(StatusCode::OK, json!({"seed": kind})),
        Err(e) => json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": e.to_string()}),
        ),
    }
}

fn crm_of(name: &str) -> Option<Crm> {
    match name {
        "salesforce" => Some(Crm::Salesforce),
        "dynamics" => Some(Crm::Dynamics),
        _ => None,
    }
}

/// `GET /_emulator/records/{salesforce|dynamics}/{object}`: `[{id, fields}]`.
async fn records(
    State(emu): State<Arc<Emulator>>,
    Path((crm, object)): Path<(String, String)>,
) -> Response {
    let Some(crm) = crm_of(&crm) else {
        return json_response(StatusCode::NOT_FOUND, json!({"error": "unknown crm"}));
    };
    let rows = emu.db().list(crm, &object).unwrap_or_default();
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
    let log = emu.request_log.lock().unwrap().clone();
    json_response(StatusCode::OK, json!(log))
}

async fn clear_requests(State(emu): State<Arc<Emulator>>) -> Response {
    emu.request_log.lock().unwrap().clear();
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
        Some(Some(kind)) => emu.sessions.expire_kind(kind),
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
struct TtlQuery {
    seconds: u64,
}

/// `POST /_emulator/sessions/ttl?seconds=N`: sessions issued from now on expire after N s.
async fn set_session_ttl(State(emu): State<Arc<Emulator>>, Query(q): Query<TtlQuery>) -> Response {
    emu.sessions
        .set_ttl(std::time::Duration::from_secs(q.seconds));
    StatusCode::NO_CONTENT.into_response()
}
