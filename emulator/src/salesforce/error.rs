//! Salesforce errors: a JSON array of `{message, errorCode, fields}` (CRM-APIS A8).

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::http_util::Reply;

#[derive(Debug, Clone)]
pub struct SfError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Option<Vec<String>>,
    /// Extra members of the error object (e.g. `duplicateResult`).
    pub extra: Option<Box<(String, Value)>>,
    /// The name in a query this error is about (an unknown field or object), where a query's
    /// error message puts its caret (`soql::echo`).
    pub at: Option<String>,
}

impl SfError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> SfError {
        SfError {
            status,
            code,
            message: message.into(),
            fields: None,
            extra: None,
            at: None,
        }
    }

    pub fn bad(code: &'static str, message: impl Into<String>) -> SfError {
        SfError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn with_fields(mut self, fields: Vec<String>) -> SfError {
        self.fields = Some(fields);
        self
    }

    pub fn not_found() -> SfError {
        SfError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource does not exist",
        )
    }

    pub fn malformed_query(detail: &str) -> SfError {
        SfError::bad("MALFORMED_QUERY", detail)
    }

    pub fn no_such_column(field: &str, object: &str) -> SfError {
        SfError::pointing_at(field, SfError::bad(
            "INVALID_FIELD",
            format!(
                "No such column '{field}' on entity '{object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
            ),
        ))
    }

    pub fn invalid_type(object: &str) -> SfError {
        SfError::pointing_at(object, SfError::bad(
            "INVALID_TYPE",
            format!(
                "sObject type '{object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
            ),
        ))
    }

    fn pointing_at(name: &str, mut error: SfError) -> SfError {
        error.at = Some(name.to_string());
        error
    }

    /// One element of the REST error array.
    pub fn item(&self) -> Value {
        let mut item = json!({"message": self.message, "errorCode": self.code});
        if let Some(fields) = &self.fields {
            item["fields"] = json!(fields);
        }
        if let Some(extra) = &self.extra {
            let (key, value) = extra.as_ref();
            item[key] = value.clone();
        }
        item
    }

    /// The shape inside `composite/sobjects` results, which names the code `statusCode`.
    pub fn collection_item(&self) -> Value {
        json!({"statusCode": self.code, "message": self.message, "fields": self.fields.clone().unwrap_or_default()})
    }

    /// The response body: the error array, except for 300 Multiple Choices, which answers
    /// with the matching records' URLs only (A5 upsert).
    pub fn body(&self) -> Value {
        if self.code == "MULTIPLE_CHOICES" {
            if let Some(extra) = &self.extra {
                return extra.1.clone();
            }
        }
        Value::Array(vec![self.item()])
    }
}

impl From<SfError> for Reply {
    fn from(e: SfError) -> Reply {
        Reply::json(e.status, e.body())
    }
}
