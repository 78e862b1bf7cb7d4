//! Small request/response helpers shared by both products.

use std::collections::HashMap;

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// A query string's pairs, percent-decoded (the last of a repeated name wins).
pub fn parse_query(q: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// A path's segments, percent-decoded; empty ones (doubled or trailing slashes) are dropped.
pub fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

/// A cookie value from the request's `Cookie` header.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_string())
}

/// A session cookie as both products set theirs: host-only, Secure, HttpOnly, sent cross-site.
pub fn session_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite=None")
}

pub fn redirect(location: &str, set_cookie: Option<String>) -> Response {
    let mut response = (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response();
    if let Some(cookie) = set_cookie {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

pub fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        body.to_string(),
    )
        .into_response()
}

/// What a handler answers: status, extra headers, optional JSON body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// A body that is not JSON (Bulk API 2.0's CSV), its type among `headers`.
    pub text: Option<Box<String>>,
}

impl Reply {
    pub fn json(status: StatusCode, body: Value) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Some(body),
            text: None,
        }
    }

    pub fn ok(body: Value) -> Reply {
        Reply::json(StatusCode::OK, body)
    }

    pub fn no_content() -> Reply {
        Reply {
            status: StatusCode::NO_CONTENT,
            headers: Vec::new(),
            body: None,
            text: None,
        }
    }

    /// A CSV answer.
    pub fn csv(text: String, headers: Vec<(String, String)>) -> Reply {
        let mut all = vec![("Content-Type".to_string(), "text/csv".to_string())];
        all.extend(headers);
        Reply {
            status: StatusCode::OK,
            headers: all,
            body: None,
            text: Some(Box::new(text)),
        }
    }

    pub fn status(status: StatusCode) -> Reply {
        Reply {
            status,
            ..Reply::no_content()
        }
    }

    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    pub fn into_response(self) -> Response {
        let mut response = match (self.body, self.text) {
            (Some(body), _) => json(self.status, body),
            (None, Some(text)) => (self.status, *text).into_response(),
            (None, None) => self.status.into_response(),
        };
        for (name, value) in self.headers {
            if let (Ok(n), Ok(v)) = (
                HeaderName::try_from(name.as_str()),
                HeaderValue::from_str(&value),
            ) {
                response.headers_mut().insert(n, v);
            }
        }
        response
    }
}
