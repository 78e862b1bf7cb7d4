//! Web API errors: status, hex code and message, answered in the OData
//! `{"error":{code,message}}` envelope (B9).

use axum::http::StatusCode;
use serde_json::json;

use crate::http_util::Reply;

/// A Web API error: status, hex code and message.
#[derive(Debug, Clone)]
pub struct DError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl DError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> DError {
        DError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad(message: impl Into<String>) -> DError {
        DError::new(StatusCode::BAD_REQUEST, "0x80060888", message)
    }

    pub fn segment(segment: &str) -> DError {
        DError::new(
            StatusCode::NOT_FOUND,
            "0x80060888",
            format!("Resource not found for the segment '{segment}'."),
        )
    }

    pub fn no_property(entity: &str, name: &str) -> DError {
        DError::bad(format!(
            "Could not find a property named '{name}' on type 'Microsoft.Dynamics.CRM.{entity}'."
        ))
    }

    pub fn missing(entity: &str, id: &str) -> DError {
        DError::new(
            StatusCode::NOT_FOUND,
            "0x80040217",
            format!("{entity} With Id = {id} Does Not Exist"),
        )
    }
}

impl From<DError> for Reply {
    fn from(e: DError) -> Reply {
        Reply::json(
            e.status,
            json!({"error": {"code": e.code, "message": e.message}}),
        )
    }
}
