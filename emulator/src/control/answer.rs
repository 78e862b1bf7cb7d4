//! How the control API refuses a request: a status and `{"error": message}`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::http_util::json as json_response;

pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json_response(status, json!({"error": message.into()}))
}
