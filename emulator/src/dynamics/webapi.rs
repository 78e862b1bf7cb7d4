//! The Dataverse Web API (CRM-APIS B): entity reads with `$select`, `WhoAmI`, and errors in the
//! OData `{"error":{…}}` envelope. The org's session cookie authenticates same-origin calls
//! (B11); a Bearer token works too.

use std::sync::Arc;

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use super::SESSION_COOKIE;
use crate::app::Emulator;
use crate::db::Crm;
use crate::hosts::host;
use crate::http_util::{bearer, cookie, json as json_response};
use crate::sessions::SessionKind;

pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    json_response(status, json!({"error": {"code": code, "message": message}}))
}

fn authenticate(emu: &Emulator, headers: &HeaderMap) -> Result<String, Response> {
    let token = cookie(headers, SESSION_COOKIE).or_else(|| bearer(headers));
    match token.and_then(|t| emu.sessions.get(&t)) {
        Some(s) if s.kind == SessionKind::Dynamics => Ok(s.user_id),
        _ => Err(error(
            StatusCode::UNAUTHORIZED,
            "0x80040220",
            "The user is not authenticated or the session has expired.",
        )),
    }
}

/// The versions the Web API answers on (B1).
fn known_version(v: &str) -> bool {
    matches!(v, "v9.0" | "v9.1" | "v9.2")
}

pub async fn who_am_i(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    Path(version): Path<String>,
) -> Response {
    let user = match authenticate(&emu, &headers) {
        Ok(user) => user,
        Err(denied) => return denied,
    };
    if !known_version(&version) {
        return error(
            StatusCode::NOT_FOUND,
            "0x80060888",
            "Resource not found for the segment.",
        );
    }
    json_response(
        StatusCode::OK,
        json!({
            "@odata.context": format!("https://{}/api/data/{version}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse", host(&headers)),
            "BusinessUnitId": emu.org.dynamics_business_unit,
            "UserId": user,
            "OrganizationId": emu.org.dynamics_org_id,
        }),
    )
}

#[derive(Deserialize)]
pub struct ReadQuery {
    #[serde(rename = "$select")]
    select: Option<String>,
}

/// `GET {set}({guid})`; the segment arrives whole because the key is part of it.
pub async fn read_entity(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    uri: OriginalUri,
    Path((version, segment)): Path<(String, String)>,
    Query(q): Query<ReadQuery>,
) -> Response {
    if let Err(denied) = authenticate(&emu, &headers) {
        return denied;
    }
    if !known_version(&version) {
        return error(
            StatusCode::NOT_FOUND,
            "0x80060888",
            "Resource not found for the segment.",
        );
    }
    let Some((set, key)) = parse_keyed_segment(&segment) else {
        return error(
            StatusCode::NOT_FOUND,
            "0x80060888",
            &format!("Resource not found for the segment '{segment}'."),
        );
    };
    let Some(entity) = entity_of_set(set) else {
        return error(
            StatusCode::NOT_FOUND,
            "0x80060888",
            &format!("Resource not found for the segment '{set}'."),
        );
    };
    let Some(fields) = emu.db().get(Crm::Dynamics, entity, &key).ok().flatten() else {
        return error(
            StatusCode::NOT_FOUND,
            "0x80040217",
            &format!("{entity} With Id = {key} Does Not Exist"),
        );
    };
    let base = format!("https://{}/api/data/{version}", host(&headers));
    let mut out = serde_json::Map::new();
    out.insert(
        "@odata.context".into(),
        Value::String(format!("{base}/$metadata#{set}/$entity")),
    );
    out.insert("@odata.etag".into(), Value::String("W/\"1000001\"".into()));
    let id_field = format!("{entity}id");
    match &q.select {
        Some(list) => {
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                if !fields.contains_key(name) && !emu.dynamics_attribute_exists(entity, name) {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "0x0",
                        &format!("Could not find a property named '{name}' on type 'Microsoft.Dynamics.CRM.{entity}'."),
                    );
                }
                out.insert(
                    name.to_string(),
                    fields.get(name).cloned().unwrap_or(Value::Null),
                );
            }
        }
        None => out.extend(fields.clone()),
    }
    out.insert(id_field, Value::String(key));
    let _ = uri;
    json_response(StatusCode::OK, Value::Object(out))
}

/// `contacts(5a1b…)` → (`contacts`, guid).
fn parse_keyed_segment(segment: &str) -> Option<(&str, String)> {
    let (set, rest) = segment.split_once('(')?;
    let key = rest.strip_suffix(')')?;
    Some((
        set,
        key.trim_matches(|c| c == '{' || c == '}')
            .to_ascii_lowercase(),
    ))
}

pub fn entity_of_set(set: &str) -> Option<&'static str> {
    Some(match set {
        "contacts" => "contact",
        "accounts" => "account",
        "leads" => "lead",
        "opportunities" => "opportunity",
        "systemusers" => "systemuser",
        _ => return None,
    })
}
