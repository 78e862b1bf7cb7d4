//! Applies the faults the control API injected (`state::faults`): waits, answers with the
//! product's own error or a redirect, or drops the connection before or after serving the
//! request.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::hosts::{classify, host, Product};
use crate::listener::ConnectionKill;
use crate::state::locks::lock;
use crate::state::{faults, Emulator};

pub async fn inject(State(emu): State<Arc<Emulator>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/_emulator/") {
        return next.run(req).await;
    }
    let host = host(req.headers());
    let fault = faults::pick(&mut lock(&emu.faults), req.method().as_str(), &host, &path);
    let Some(fault) = fault else {
        return next.run(req).await;
    };
    tokio::time::sleep(faults::latency(&fault)).await;
    if fault.drop_after_commit {
        let kill = req.extensions().get::<ConnectionKill>().cloned();
        let served = next.run(req).await;
        // Read the whole answer so every write behind it is done before the line goes dead.
        let _ = axum::body::to_bytes(served.into_body(), usize::MAX).await;
        if let Some(kill) = kill {
            kill.0.notify_one();
            std::future::pending::<()>().await;
        }
        return broken_body();
    }
    if fault.drop {
        if let Some(kill) = req.extensions().get::<ConnectionKill>() {
            kill.0.notify_one();
            std::future::pending::<()>().await;
        }
        return broken_body();
    }
    if let Some(location) = &fault.redirect {
        return crate::http_util::redirect(location, None);
    }
    let product = classify(&host, &path);
    match fault.status {
        Some(401) if product == Product::Dynamics => {
            crate::dynamics::webapi::unauthorized(&emu, req.headers(), None).into_response()
        }
        Some(status) => error_response(product, status, fault.retry_after),
        None => next.run(req).await,
    }
}

/// The error each product answers with for a status (CRM-APIS A8, B9). Salesforce documents
/// no 429: a 429 fault answers as its short-term limit on concurrent long requests does, 403
/// `REQUEST_LIMIT_EXCEEDED` worded `ConcurrentPerOrgLongTxn Limit exceeded.`, while a 403 is
/// the spent daily allowance, `TotalRequests Limit exceeded.` (Adobe Marketo Engage's
/// Salesforce sync error list names both); Salesforce sends no `Retry-After`.
pub fn error_response(product: Product, status: u16, retry_after: u64) -> Response {
    let (code, body, waits) = match product {
        Product::SalesforceApi | Product::SalesforceUi => {
            let (status, error_code, message) = match status {
                401 => (401, "INVALID_SESSION_ID", "Session expired or invalid"),
                403 => (403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
                429 => (403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."),
                503 => (503, "SERVER_UNAVAILABLE", "Server is unavailable"),
                other => (other, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)"),
            };
            (
                status,
                json!([{"message": message, "errorCode": error_code}]),
                status == 503,
            )
        }
        Product::Dynamics => {
            let (error_code, message) = match status {
                403 => ("0x80040220", "Principal user is missing prvReadContact privilege."),
                429 => ("0x80072322", "Number of requests exceeded the limit of 6000 over time window of 300 seconds."),
                503 => ("0x80040216", "The service is temporarily unavailable."),
                _ => ("0x80040216", "An unexpected error occurred."),
            };
            (
                status,
                json!({"error": {"code": error_code, "message": message}}),
                matches!(status, 429 | 503),
            )
        }
        Product::Network | Product::Other => (
            status,
            json!({"error": "injected fault"}),
            matches!(status, 429 | 503),
        ),
    };
    let code = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = crate::http_util::json(code, body);
    if waits {
        if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    response
}

/// A body that fails at once: the fallback for dropping when no listener connection exists
/// (in-process tests), so the client still sees a broken response.
pub fn broken_body() -> Response {
    struct Broken;
    impl http_body::Body for Broken {
        type Data = axum::body::Bytes;
        type Error = std::io::Error;
        fn poll_frame(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
            std::task::Poll::Ready(Some(Err(std::io::Error::other("connection dropped"))))
        }
    }
    axum::body::Body::new(Broken).into_response()
}
