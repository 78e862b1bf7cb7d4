//! How the orgs behave: injected faults, validation and duplicate rules, features, request
//! budgets, refused API access and page latency.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::answer::{crm_named, error};
use crate::http_util::json as json_response;
use crate::state::db::Crm;
use crate::state::faults::Fault;
use crate::state::limits::LimitsChange;
use crate::state::locks::lock;
use crate::state::refusals::RefusalRule;
use crate::state::rules::Rules;
use crate::state::Emulator;

pub async fn list_faults(State(emu): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, json!(*lock(&emu.faults)))
}

/// A body holding one `T` or an array of them.
fn one_or_many<T: serde::de::DeserializeOwned>(body: Value) -> serde_json::Result<Vec<T>> {
    match body {
        Value::Array(_) => serde_json::from_value(body),
        other => serde_json::from_value(other).map(|one| vec![one]),
    }
}

/// `POST /_emulator/faults` with one fault or an array (see `faults::Fault`).
pub async fn add_faults(State(emu): State<Arc<Emulator>>, Json(body): Json<Value>) -> Response {
    match one_or_many::<Fault>(body) {
        Ok(faults) => {
            lock(&emu.faults).extend(faults);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => error(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

pub async fn clear_faults(State(emu): State<Arc<Emulator>>) -> Response {
    lock(&emu.faults).clear();
    StatusCode::NO_CONTENT.into_response()
}

pub async fn get_rules(State(emu): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, json!(emu.rules()))
}

/// `PUT /_emulator/rules` replaces every rule with `{validation:[…], duplicate:[…]}`.
pub async fn put_rules(State(emu): State<Arc<Emulator>>, Json(rules): Json<Rules>) -> Response {
    emu.set_rules(rules);
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    active: bool,
}

/// `POST /_emulator/rules/{name}?active=true|false`.
pub async fn switch_rule(
    State(emu): State<Arc<Emulator>>,
    Path(name): Path<String>,
    Query(q): Query<SwitchQuery>,
) -> Response {
    if emu.switch_rule(&name, q.active) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(StatusCode::NOT_FOUND, format!("no rule '{name}'"))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeaturesQuery {
    lightning_notes: Option<bool>,
    change_tracking: Option<bool>,
    change_tracking_days: Option<u32>,
}

/// `POST /_emulator/features?lightningNotes=false`: a Salesforce org without Lightning notes
/// (no ContentNote or ContentDocumentLink; classic Notes only), as orgs that never enabled
/// them are. `true`, or a reset, brings them back. `changeTracking=false`: Dataverse tables
/// without change tracking (no delta links); `changeTrackingDays=N`: delta tokens honoured
/// for N days (default 7; 0 expires every token at once).
pub async fn set_features(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<FeaturesQuery>,
) -> Response {
    if let Some(enabled) = q.lightning_notes {
        emu.set_lightning_notes(enabled);
    }
    emu.change_log
        .set_dataverse(q.change_tracking, q.change_tracking_days);
    StatusCode::NO_CONTENT.into_response()
}

pub async fn list_refusals(State(emu): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, json!(*lock(&emu.refusals)))
}

/// `POST /_emulator/refusals` with one `{refusal, user?}` or an array: every user of the
/// refusal's CRM (or the one named by username) is refused API access that way.
pub async fn add_refusals(State(emu): State<Arc<Emulator>>, Json(body): Json<Value>) -> Response {
    let mut rules = match one_or_many::<RefusalRule>(body) {
        Ok(rules) => rules,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    for rule in &mut rules {
        let Some(username) = rule.user.clone() else {
            continue;
        };
        let crm = Crm::parse(rule.refusal.crm_key()).unwrap_or(Crm::Salesforce);
        let (object, field) = match crm {
            Crm::Salesforce => ("User", "Username"),
            Crm::Dynamics => ("systemuser", "internalemailaddress"),
        };
        match emu.db().find_by(crm, object, field, &username) {
            Ok(Some((id, _))) => rule.user_id = Some(id),
            _ => return error(StatusCode::BAD_REQUEST, format!("no user '{username}'")),
        }
    }
    lock(&emu.refusals).extend(rules);
    StatusCode::NO_CONTENT.into_response()
}

pub async fn clear_refusals(State(emu): State<Arc<Emulator>>) -> Response {
    lock(&emu.refusals).clear();
    StatusCode::NO_CONTENT.into_response()
}

pub async fn get_limits(State(emu): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, json!(emu.limits.view()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitsQuery {
    salesforce_daily: Option<u64>,
    salesforce_used: Option<u64>,
    salesforce_app_quota: Option<u64>,
    dynamics_per_window: Option<u64>,
    dynamics_window_seconds: Option<u64>,
    dynamics_execution_ms: Option<u64>,
    dynamics_concurrent: Option<u64>,
}

/// `POST /_emulator/limits?salesforceDaily=N&salesforceUsed=N&salesforceAppQuota=N&dynamicsPerWindow=N&dynamicsWindowSeconds=N&dynamicsExecutionMs=N&dynamicsConcurrent=N`.
pub async fn set_limits(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<LimitsQuery>,
) -> Response {
    emu.limits.change(&LimitsChange {
        salesforce_daily: q.salesforce_daily,
        salesforce_used: q.salesforce_used,
        salesforce_app_quota: q.salesforce_app_quota,
        dynamics_per_window: q.dynamics_per_window,
        dynamics_window_seconds: q.dynamics_window_seconds,
        dynamics_execution_ms: q.dynamics_execution_ms,
        dynamics_concurrent: q.dynamics_concurrent,
    });
    json_response(StatusCode::OK, json!(emu.limits.view()))
}

pub async fn get_latency(State(emu): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, json!(emu.page_latency.view()))
}

#[derive(Deserialize)]
pub struct LatencyQuery {
    ms: u64,
    crm: Option<String>,
}

/// `POST /_emulator/latency?ms=500[&crm=salesforce|dynamics]`: each page of query results
/// (a Salesforce `query`/`queryAll` and each of its `nextRecordsUrl` pages; a Dataverse
/// entity set and each of its `@odata.nextLink` pages) waits `ms` before it is served, for
/// both CRMs unless `crm` names one. 0 turns it off.
pub async fn set_latency(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<LatencyQuery>,
) -> Response {
    let crms = match q.crm.as_deref().map(crm_named).transpose() {
        Ok(Some(crm)) => vec![crm],
        Ok(None) => vec![Crm::Salesforce, Crm::Dynamics],
        Err(refusal) => return *refusal,
    };
    for crm in crms {
        emu.page_latency.set(crm, q.ms);
    }
    json_response(StatusCode::OK, json!(emu.page_latency.view()))
}
