//! Salesforce: My Domain login and REST API (`*.my.salesforce.com`) and the Lightning UI
//! (`*.lightning.force.com`).

pub mod api;
pub mod auth;
pub mod error;
pub mod ids;
pub mod pages;
pub mod related;
pub mod schema;
pub mod soql;
pub mod sosl;
pub mod tooling;

use std::sync::Arc;

use axum::routing::{any, get, post};
use axum::Router;

use crate::app::Emulator;

/// Routes of the My Domain host.
pub fn api_router(state: Arc<Emulator>) -> Router {
    Router::new()
        .route("/", get(auth::login_page))
        .route("/login.jsp", get(auth::login_get))
        .route("/login", post(auth::login_post))
        .route("/services/data", get(api::versions))
        .route("/services/data/", get(api::versions))
        .route("/services/{*rest}", any(api::entry))
        .fallback(not_found)
        .with_state(state)
}

async fn not_found() -> axum::response::Response {
    api::Reply::from(error::SfError::not_found()).into_response()
}

/// Routes of the Lightning host.
pub fn ui_router(state: Arc<Emulator>) -> Router {
    Router::new()
        .route("/secur/frontdoor.jsp", get(auth::frontdoor))
        .route("/lightning/page/home", get(pages::home))
        .route("/lightning/r/{object}/{id}/view", get(pages::record))
        .route("/lightning/o/{object}/list", get(pages::list))
        .route("/lightning/o/{object}/home", get(pages::list))
        .fallback(pages::home)
        .with_state(state)
}
