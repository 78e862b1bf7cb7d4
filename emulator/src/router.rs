//! The top-level router: the control API under `/_emulator/`, and every other request to the
//! product its Host header names, after logging it and applying any injected fault.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;

use crate::hosts::{classify, host, Product};
use crate::middleware::{faults, request_log};
use crate::state::Emulator;
use crate::{control, dynamics, network, salesforce};

/// The largest request body: a Bulk API 2.0 upload, or a people file for the control API.
const MAX_BODY: usize = 256 * 1024 * 1024;

pub fn router(emu: Arc<Emulator>) -> Router {
    let products = Products {
        salesforce_api: salesforce::api_router(emu.clone()),
        salesforce_ui: salesforce::ui_router(emu.clone()),
        dynamics: dynamics::router(emu.clone()),
        network: network::router(emu.clone()),
    };
    Router::new()
        .nest("/_emulator", control::router(emu.clone()))
        .fallback(move |req: Request| dispatch(products.clone(), req))
        .layer(from_fn_with_state(emu.clone(), faults::inject))
        // Bulk API 2.0 uploads reach 150 MB (A21); axum's default is 2 MB.
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(from_fn_with_state(emu, request_log::log))
}

#[derive(Clone)]
struct Products {
    salesforce_api: Router,
    salesforce_ui: Router,
    dynamics: Router,
    network: Router,
}

async fn dispatch(products: Products, req: Request) -> Response {
    let router = match classify(&host(req.headers()), req.uri().path()) {
        Product::SalesforceApi => products.salesforce_api,
        Product::SalesforceUi => products.salesforce_ui,
        Product::Dynamics => products.dynamics,
        Product::Network => products.network,
        Product::Other => return other_site().into_response(),
    };
    match router.oneshot(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Any site that is not a CRM: a plain page the extension must leave alone.
fn other_site() -> Response {
    crate::html::page(
        "default-src 'self'",
        "other",
        "Example Domain",
        "",
        "<h1>Example Domain</h1><p>This domain is for use in examples.</p>",
    )
}
