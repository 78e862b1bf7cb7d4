//! Logs every product request (not the control API's) into `state::request_log`, with its
//! headers, its body when that is short text, and the status it was answered with.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::hosts::host;
use crate::state::request_log::LoggedRequest;
use crate::state::Emulator;

/// Longer bodies are not kept (the entry's `body` is then absent).
const LOGGED_BODY_LIMIT: usize = 64 * 1024;

pub async fn log(State(emu): State<Arc<Emulator>>, req: Request, next: Next) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    if path.starts_with("/_emulator/") {
        return next.run(req).await;
    }
    let method = req.method().to_string();
    let host = host(req.headers());
    let headers = logged_headers(req.headers());
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let logged_body = (!bytes.is_empty() && bytes.len() <= LOGGED_BODY_LIMIT)
        .then(|| String::from_utf8(bytes.to_vec()).ok())
        .flatten();
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let entry = LoggedRequest {
        method,
        host,
        path,
        status: response.status().as_u16(),
        headers,
        body: logged_body,
    };
    emu.request_log.push(entry);
    response
}

fn logged_headers(headers: &axum::http::HeaderMap) -> BTreeMap<String, String> {
    headers
        .iter()
        .filter_map(|(name, value)| {
            let value = value.to_str().ok()?;
            let shown = match name.as_str() {
                "authorization" => value.split(' ').next().unwrap_or_default().to_string(),
                "cookie" => value
                    .split(';')
                    .filter_map(|p| p.trim().split_once('=').map(|(k, _)| k))
                    .collect::<Vec<_>>()
                    .join("; "),
                _ => value.to_string(),
            };
            Some((name.as_str().to_string(), shown))
        })
        .collect()
}
