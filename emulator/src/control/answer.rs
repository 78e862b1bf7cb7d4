//! How the control API refuses a request: a status and `{"error": message}`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::http_util::json as json_response;
use crate::state::db::Crm;

pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json_response(status, json!({"error": message.into()}))
}

/// The CRM a `crm=` parameter names, or the refusal to send back.
pub fn crm_named(name: &str) -> Result<Crm, Box<Response>> {
    Crm::parse(name).ok_or_else(|| {
        Box::new(error(
            StatusCode::BAD_REQUEST,
            "crm must be salesforce or dynamics",
        ))
    })
}
