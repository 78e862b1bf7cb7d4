//! Dynamics 365: the model-driven app (`main.aspx`) and the Dataverse Web API on one org host.

pub mod auth;
pub mod pages;
pub mod webapi;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;

use crate::app::Emulator;

/// The name of the org host's session cookie.
pub const SESSION_COOKIE: &str = "CrmOwinAuth";

pub fn router(state: Arc<Emulator>) -> Router {
    Router::new()
        .route("/_login", get(auth::login_page).post(auth::login_post))
        .route("/main.aspx", get(pages::main_aspx))
        .route("/api/data/{version}/WhoAmI", get(webapi::who_am_i))
        .route("/api/data/{version}/{segment}", get(webapi::read_entity))
        .fallback(pages::home)
        .with_state(state)
}
