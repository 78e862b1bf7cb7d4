//! The orgs' data and the request log: reset and seed, generate contacts, read stored
//! records, read or clear the log.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::answer::{crm_named, error};
use crate::http_util::json as json_response;
use crate::state::db::Crm;
use crate::state::Emulator;
use crate::state::{merge, seed};

#[derive(Deserialize)]
pub struct ResetQuery {
    seed: Option<String>,
    crm: Option<String>,
}

/// `POST /_emulator/reset?seed=demo|none|perf[&crm=salesforce|dynamics]`: empties both orgs,
/// ends sessions, clears faults, cursors and the log, restores default rules and limits, then
/// seeds. With `crm`, only that CRM's data, sessions, rules and limits are reset.
pub async fn reset(State(emu): State<Arc<Emulator>>, Query(q): Query<ResetQuery>) -> Response {
    let kind = q.seed.as_deref().unwrap_or("demo");
    let Some(seed) = seed::Seed::parse(kind) else {
        return error(StatusCode::BAD_REQUEST, format!("unknown seed '{kind}'"));
    };
    let scope = match q.crm.as_deref().map(crm_named).transpose() {
        Ok(scope) => scope,
        Err(refusal) => return *refusal,
    };
    match emu.reset(seed, scope) {
        Ok(()) => json_response(StatusCode::OK, json!({"seed": kind})),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

#[derive(Deserialize)]
pub struct GenerateQuery {
    count: Option<u64>,
    crm: Option<String>,
}

/// `POST /_emulator/generate/contacts?count=100000&crm=salesforce|dynamics|both`.
pub async fn generate(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<GenerateQuery>,
) -> Response {
    let count = q.count.unwrap_or(100_000);
    let crms: Vec<Crm> = match q.crm.as_deref().unwrap_or("both") {
        "both" => vec![Crm::Salesforce, Crm::Dynamics],
        name => match Crm::parse(name) {
            Some(c) => vec![c],
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "crm must be salesforce, dynamics or both",
                )
            }
        },
    };
    let started = std::time::Instant::now();
    let db = emu.db();
    for crm in crms {
        if let Err(e) = seed::generate_contacts(&db, crm, count) {
            return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
        }
    }
    json_response(
        StatusCode::OK,
        json!({"generated": count, "ms": started.elapsed().as_millis() as u64}),
    )
}

/// `GET /_emulator/records/{salesforce|dynamics}/{object}`: `[{id, fields}]`.
pub async fn records(
    State(emu): State<Arc<Emulator>>,
    Path((crm, object)): Path<(String, String)>,
) -> Response {
    let Some(crm) = Crm::parse(&crm) else {
        return error(StatusCode::NOT_FOUND, "unknown crm");
    };
    let rows = emu.db().list_ci(crm, &object).unwrap_or_default();
    let list: Vec<Value> = rows
        .into_iter()
        .map(|(id, mut fields)| {
            fields.remove("Password");
            json!({"id": id, "fields": fields})
        })
        .collect();
    json_response(StatusCode::OK, Value::Array(list))
}

pub async fn requests(State(emu): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, json!(emu.request_log.entries()))
}

pub async fn clear_requests(State(emu): State<Arc<Emulator>>) -> Response {
    emu.request_log.clear();
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
pub struct CrmQuery {
    crm: Option<String>,
}

/// `POST /_emulator/recyclebin/empty?crm=salesforce`: an admin empties the recycle bin; the
/// delete log no longer reaches back before now (A20).
pub async fn empty_recycle_bin(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<CrmQuery>,
) -> Response {
    if q.crm.as_deref().unwrap_or("salesforce") != "salesforce" {
        return error(StatusCode::BAD_REQUEST, "only Salesforce has a recycle bin");
    }
    let purged = emu.db().purge_deleted(Crm::Salesforce);
    emu.change_log.salesforce_purged(chrono::Utc::now());
    match purged {
        Ok(n) => json_response(StatusCode::OK, json!({"purged": n})),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

#[derive(Deserialize)]
pub struct MergeQuery {
    crm: String,
    object: String,
    master: String,
    merged: String,
}

/// `POST /_emulator/merge?crm=&object=&master=&merged=`: `merged` is merged into `master`
/// as the CRM's own merge does it (Salesforce: deleted; Dataverse: deactivated, as the Web
/// API's `Merge` action also does).
pub async fn merge(State(emu): State<Arc<Emulator>>, Query(q): Query<MergeQuery>) -> Response {
    let crm = match crm_named(&q.crm) {
        Ok(crm) => crm,
        Err(refusal) => return *refusal,
    };
    let db = emu.db();
    let merged = match crm {
        Crm::Salesforce => merge::salesforce(&db, &q.object, &q.master, &q.merged),
        Crm::Dynamics => merge::dataverse(&db, &q.object, &q.master, &q.merged),
    };
    match merged {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(merge::Refused(why)) => error(StatusCode::BAD_REQUEST, why),
    }
}
