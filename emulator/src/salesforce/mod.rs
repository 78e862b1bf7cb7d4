//! Salesforce: My Domain login and REST API (`*.my.salesforce.com`) and the Lightning UI
//! (`*.lightning.force.com`).

pub mod api;
pub mod auth;
pub mod bulk;
pub mod error;
pub mod lightning_dom;
pub mod pages;
pub mod related;
pub mod soql;
pub mod sosl;

use std::sync::Arc;

use axum::routing::{any, get, post};
use axum::Router;

use crate::state::Emulator;

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
    crate::http_util::Reply::from(error::SfError::not_found()).into_response()
}

/// The Lightning host serves no API: it redirects to My Domain, and a browser drops the
/// `Authorization` header on that cross-origin redirect (CRM-APIS A12.3, A12.5).
async fn api_on_lightning(
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    let target = format!(
        "https://{}{}",
        crate::hosts::my_domain_host(&crate::hosts::host(&headers)),
        uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
    );
    crate::http_util::redirect(&target, None)
}

/// Routes of the Lightning host.
pub fn ui_router(state: Arc<Emulator>) -> Router {
    Router::new()
        .route("/secur/frontdoor.jsp", get(auth::frontdoor))
        .route("/lightning/page/home", get(pages::home))
        .route("/lightning/r/{object}/{id}/view", get(pages::record))
        .route("/lightning/r/{id}/view", get(pages::record))
        .route("/lightning/o/{object}/list", get(pages::list))
        .route("/lightning/o/{object}/home", get(pages::list))
        // The same pages opened inside an app (CRM-APIS A18).
        .route(
            "/lightning/app/{app}/r/{object}/{id}/view",
            get(pages::record),
        )
        .route("/lightning/app/{app}/r/{id}/view", get(pages::record))
        .route("/lightning/app/{app}/o/{object}/list", get(pages::list))
        .route("/services/{*rest}", any(api_on_lightning))
        .fallback(pages::home)
        .with_state(state)
}
