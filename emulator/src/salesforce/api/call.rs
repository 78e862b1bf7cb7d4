//! One API call and what its handler needs, whether it came over HTTP or as a composite
//! subrequest.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::{HeaderMap, Method};
use serde_json::Value;

use crate::state::db::Db;
use crate::state::salesforce::schema::Schema;
use crate::state::Emulator;

/// Everything a handler needs, for the duration of one request.
pub struct Ctx<'a> {
    pub emu: &'a Emulator,
    pub db: &'a Db,
    pub schema: Arc<Schema>,
    pub user_id: String,
    /// `v66.0`
    pub version: String,
    pub headers: HeaderMap,
}

/// One API call, from HTTP or from a composite subrequest.
pub struct Call<'a> {
    pub method: Method,
    /// Segments after `/services/data/vNN.0/`, without empty ones (trailing slashes).
    pub segments: Vec<String>,
    pub query: HashMap<String, String>,
    pub body: Option<&'a Value>,
}

/// `v66.0`: any `vNN.0` names a version (the emulator answers every one alike).
pub fn is_version(v: &str) -> bool {
    v.strip_prefix('v')
        .and_then(|v| v.strip_suffix(".0"))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_vnn_dot_zero() {
        assert!(is_version("v66.0"));
        assert!(!is_version("v66.1"));
        assert!(!is_version("66.0"));
    }
}
