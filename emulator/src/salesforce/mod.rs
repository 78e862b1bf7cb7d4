//! Salesforce: My Domain login and REST API (`*.my.salesforce.com`) and the Lightning UI
//! (`*.lightning.force.com`).

pub mod auth;
pub mod ids;
pub mod pages;
pub mod rest;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::app::Emulator;

/// Routes of the My Domain host.
pub fn api_router(state: Arc<Emulator>) -> Router {
    Router::new()
        .route("/", get(auth::login_page))
        .route("/login.jsp", get(auth::login_get))
        .route("/login", post(auth::login_post))
        .route("/services/data", get(rest::versions))
        .route("/services/data/", get(rest::versions))
        .route(
            "/services/data/{version}/sobjects/{object}/{id}",
            get(rest::read_record),
        )
        .fallback(rest::not_found)
        .with_state(state)
}

/// Routes of the Lightning host.
pub fn ui_router(state: Arc<Emulator>) -> Router {
    Router::new()
        .route("/secur/frontdoor.jsp", get(auth::frontdoor))
        .route("/lightning/page/home", get(pages::home))
        .route("/lightning/r/{object}/{id}/view", get(pages::record))
        .route("/lightning/o/{object}/list", get(pages::list))
        .fallback(pages::home)
        .with_state(state)
}
