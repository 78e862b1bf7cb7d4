//! Fault injection per route, set through the control API: an error status, latency, or a
//! dropped connection, for a percentage of matching requests or for the next N of them.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::Notify;

use crate::hosts::Product;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// Path prefix the fault applies to, e.g. `/services/data/` or `/api/data/v9.2/contacts`.
    pub path: String,
    /// Only this method (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// Only hosts containing this text (any when absent).
    #[serde(default)]
    pub host: Option<String>,
    /// Answer with this status (401, 403, 429, 500, 503) instead of serving the request.
    #[serde(default)]
    pub status: Option<u16>,
    /// Delay before serving or failing.
    #[serde(default)]
    pub latency_ms: u64,
    /// Close the connection without answering.
    #[serde(default)]
    pub drop: bool,
    /// Serve the request (so its writes commit), then close the connection without sending
    /// the answer: the client cannot tell whether it worked.
    #[serde(default)]
    pub drop_after_commit: bool,
    /// Share of matching requests hit, 1–100.
    #[serde(default = "all")]
    pub percent: u8,
    /// Hit only the next N matching requests, then disappear.
    #[serde(default)]
    pub count: Option<u64>,
    /// `Retry-After` seconds on 429 and 503.
    #[serde(default = "one")]
    pub retry_after: u64,
}

fn all() -> u8 {
    100
}
fn one() -> u64 {
    1
}

impl Fault {
    fn applies(&self, method: &str, host: &str, path: &str) -> bool {
        path.starts_with(&self.path)
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.host.as_deref().is_none_or(|h| host.contains(h))
    }
}

/// The fault to apply to a request, if any; spends one use of counted faults.
pub fn pick(faults: &mut Vec<Fault>, method: &str, host: &str, path: &str) -> Option<Fault> {
    let index = faults.iter().position(|f| {
        f.applies(method, host, path)
            && (f.percent >= 100 || rand::random::<u8>() % 100 < f.percent)
    })?;
    let fault = faults[index].clone();
    if let Some(n) = faults[index].count.as_mut() {
        *n = n.saturating_sub(1);
        if *n == 0 {
            faults.remove(index);
        }
    }
    Some(fault)
}

/// Put into each request by the listener: notifying it closes the connection unanswered.
#[derive(Clone)]
pub struct ConnectionKill(pub Arc<Notify>);

pub fn latency(fault: &Fault) -> Duration {
    Duration::from_millis(fault.latency_ms)
}

/// The error each product answers with for a status (CRM-APIS A8, B9).
pub fn error_response(product: Product, status: u16, retry_after: u64) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = match product {
        Product::SalesforceApi | Product::SalesforceUi => {
            let (error_code, message) = match status {
                401 => ("INVALID_SESSION_ID", "Session expired or invalid"),
                403 => ("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
                429 => ("REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."),
                503 => ("SERVER_UNAVAILABLE", "Server is unavailable"),
                _ => ("UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)"),
            };
            json!([{"message": message, "errorCode": error_code}])
        }
        Product::Dynamics => {
            let (error_code, message) = match status {
                401 => ("0x80040220", "The user is not authenticated or the session has expired."),
                403 => ("0x80040220", "Principal user is missing prvReadContact privilege."),
                429 => ("0x80072322", "Number of requests exceeded the limit of 6000 over time window of 300 seconds."),
                503 => ("0x80040216", "The service is temporarily unavailable."),
                _ => ("0x80040216", "An unexpected error occurred."),
            };
            json!({"error": {"code": error_code, "message": message}})
        }
        Product::Network | Product::Other => json!({"error": "injected fault"}),
    };
    let mut response = crate::http_util::json(code, body);
    if matches!(status, 429 | 503) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(count: Option<u64>) -> Fault {
        serde_json::from_value(json!({"path": "/api/", "status": 429, "count": count})).unwrap()
    }

    #[test]
    fn counted_faults_expire() {
        let mut faults = vec![fault(Some(2))];
        assert!(pick(&mut faults, "GET", "h", "/api/data").is_some());
        assert!(pick(&mut faults, "GET", "h", "/other").is_none());
        assert!(pick(&mut faults, "GET", "h", "/api/data").is_some());
        assert!(pick(&mut faults, "GET", "h", "/api/data").is_none());
    }

    #[test]
    fn uncounted_faults_stay() {
        let mut faults = vec![fault(None)];
        for _ in 0..3 {
            assert!(pick(&mut faults, "GET", "h", "/api/x").is_some());
        }
    }
}
