//! The control API under `/_emulator/` on every host: tests and the demo reset and seed the
//! org, read records and the request log, issue and expire sessions, inject faults, switch
//! rules, set limits, refuse API access and set page latency. docs/emulator.md lists every route.

mod answer;
mod behaviour;
mod data;
mod import;
mod sessions;

use std::sync::Arc;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::html;
use crate::state::Emulator;

pub fn router(emu: Arc<Emulator>) -> Router {
    Router::new()
        .route("/assets/{name}", get(asset))
        .route("/reset", post(data::reset))
        .route("/generate/contacts", post(data::generate))
        .route("/import/people", post(import::people))
        .route("/records/{crm}/{object}", get(data::records))
        .route("/recyclebin/empty", post(data::empty_recycle_bin))
        .route("/merge", post(data::merge))
        .route(
            "/requests",
            get(data::requests).delete(data::clear_requests),
        )
        .route("/sessions", post(sessions::issue_session))
        .route("/sessions/expire", post(sessions::expire_sessions))
        .route("/sessions/ttl", post(sessions::set_session_ttl))
        .route(
            "/faults",
            get(behaviour::list_faults)
                .post(behaviour::add_faults)
                .delete(behaviour::clear_faults),
        )
        .route(
            "/rules",
            get(behaviour::get_rules).put(behaviour::put_rules),
        )
        .route("/rules/{name}", post(behaviour::switch_rule))
        .route(
            "/limits",
            get(behaviour::get_limits).post(behaviour::set_limits),
        )
        .route("/features", post(behaviour::set_features))
        .route(
            "/refusals",
            get(behaviour::list_refusals)
                .post(behaviour::add_refusals)
                .delete(behaviour::clear_refusals),
        )
        .route(
            "/latency",
            get(behaviour::get_latency).post(behaviour::set_latency),
        )
        .with_state(emu)
}

async fn asset(Path(name): Path<String>) -> Response {
    html::asset(&name).unwrap_or_else(|| StatusCode::NOT_FOUND.into_response())
}
