//! Dynamics 365: the model-driven app (`main.aspx`) and the Dataverse Web API on one org host.

pub mod auth;
pub mod grid;
pub mod odata;
pub mod pages;
pub mod webapi;

use std::sync::Arc;

use axum::routing::{any, get};
use axum::Router;

use crate::state::Emulator;

pub fn router(state: Arc<Emulator>) -> Router {
    Router::new()
        .route("/_login", get(auth::login_page).post(auth::login_post))
        .route("/main.aspx", get(pages::main_aspx))
        // An app addressed by its unique name serves the same pages (CRM-APIS A18).
        .route("/apps/uniquename/{app}/main.aspx", get(pages::main_aspx))
        .route("/api/data/{*rest}", any(webapi::entry))
        .fallback(pages::home)
        .with_state(state)
}
