//! What a Web API handler needs for one request, or for one part of a `$batch`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::HeaderMap;

use crate::dynamics::odata::options::{prefer, Prefer};
use crate::http_util::parse_query;
use crate::state::db::Db;
use crate::state::dynamics::schema::Schema;
use crate::state::Emulator;

/// Everything a handler needs for one request.
pub struct DCtx<'a> {
    pub emu: &'a Emulator,
    pub db: &'a Db,
    pub schema: Arc<Schema>,
    pub user_id: String,
    /// `https://acme.crm.dynamics.com/api/data/v9.2`
    pub base: String,
    pub headers: HeaderMap,
    pub prefer: Prefer,
    /// The raw query string, for building nextLinks.
    pub raw_query: String,
    pub query: HashMap<String, String>,
}

/// A context for one request (or one `$batch` part).
pub fn new_ctx<'a>(
    emu: &'a Emulator,
    db: &'a Db,
    user_id: String,
    base: String,
    headers: HeaderMap,
    query: Option<&str>,
) -> DCtx<'a> {
    DCtx {
        emu,
        db,
        schema: emu.dyn_schema(),
        user_id,
        base,
        prefer: prefer(&headers),
        headers,
        raw_query: query.unwrap_or_default().to_string(),
        query: parse_query(query),
    }
}
