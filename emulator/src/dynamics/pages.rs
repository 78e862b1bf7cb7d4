//! Unified Interface pages at `main.aspx` (CRM-APIS B10). The extension's contract is the URL;
//! where it reads the DOM (the form header, grid rows) the markup is the real product's: the
//! header title EasyRepro reads (`[data-id=header_title]`), grids as AG Grid (`grid.rs`).

use std::sync::Arc;

use axum::extract::{OriginalUri, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use super::auth::SESSION_COOKIE;
use super::grid::{self, GridRow};
use crate::html::{escape, page, DYNAMICS_CSP};
use crate::http_util::{cookie, redirect};
use crate::state::db::{Crm, Fields};
use crate::state::sessions::SessionKind;
use crate::state::Emulator;

/// The model-driven app the links point into (any GUID works; Dynamics needs one).
pub const APP_ID: &str = "4f7c8d2e-1a3b-4c5d-9e6f-7a8b9c0d1e2f";
const ENTITIES: [&str; 4] = ["contact", "lead", "account", "opportunity"];

fn require_session(
    emu: &Emulator,
    headers: &HeaderMap,
    uri: &OriginalUri,
) -> Result<(), Box<Response>> {
    let ok = cookie(headers, SESSION_COOKIE)
        .and_then(|t| emu.sessions.get(&t))
        .is_some_and(|s| s.kind == SessionKind::Dynamics);
    if ok {
        return Ok(());
    }
    let back = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/main.aspx");
    let back: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
    Err(Box::new(redirect(
        &format!("/_login?returnUrl={back}"),
        None,
    )))
}

fn nav() -> String {
    ENTITIES
        .iter()
        .map(|e| format!("<a data-spa href=\"/main.aspx?appid={APP_ID}&amp;pagetype=entitylist&amp;etn={e}\">{e}s</a>"))
        .collect()
}

pub fn name_of(entity: &str, fields: &Fields) -> String {
    let attribute = if matches!(entity, "contact" | "lead") {
        "fullname"
    } else {
        "name"
    };
    fields
        .get(attribute)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

pub fn record_href(entity: &str, id: &str) -> String {
    format!("/main.aspx?appid={APP_ID}&pagetype=entityrecord&etn={entity}&id={id}")
}

#[derive(Deserialize)]
pub struct MainQuery {
    pagetype: Option<String>,
    etn: Option<String>,
    id: Option<String>,
}

pub async fn home(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    uri: OriginalUri,
) -> Response {
    if let Err(login) = require_session(&emu, &headers, &uri) {
        return *login;
    }
    page(
        DYNAMICS_CSP,
        "dynamics",
        "Dynamics 365",
        &nav(),
        "<h1>Dashboards</h1>",
    )
}

pub async fn main_aspx(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    uri: OriginalUri,
    Query(q): Query<MainQuery>,
) -> Response {
    if let Err(login) = require_session(&emu, &headers, &uri) {
        return *login;
    }
    let entity = q.etn.as_deref().unwrap_or_default().to_ascii_lowercase();
    match (q.pagetype.as_deref(), q.id.as_deref()) {
        (Some("entityrecord"), Some(id)) => record(&emu, &entity, id),
        (Some("entitylist"), _) => list(&emu, &entity),
        _ => page(
            DYNAMICS_CSP,
            "dynamics",
            "Dynamics 365",
            &nav(),
            "<h1>Dashboards</h1>",
        ),
    }
}

fn record(emu: &Emulator, entity: &str, raw_id: &str) -> Response {
    let id = raw_id
        .trim_matches(|c| c == '{' || c == '}')
        .to_ascii_lowercase();
    let Some(fields) = emu.db().get(Crm::Dynamics, entity, &id).ok().flatten() else {
        let main = "<h1>Record Is Unavailable</h1><p>The requested record was not found or you do not have sufficient permissions to view it.</p>";
        return page(DYNAMICS_CSP, "dynamics", "Dynamics 365", &nav(), main);
    };
    let name = name_of(entity, &fields);
    let details: String = fields
        .iter()
        .filter(|(_, v)| v.is_string())
        .map(|(k, v)| {
            format!(
                "<dt>{}</dt><dd>{}</dd>",
                escape(k),
                escape(v.as_str().unwrap_or_default())
            )
        })
        .collect();
    let others: String = emu
        .db()
        .list_first(Crm::Dynamics, entity, 6)
        .unwrap_or_default()
        .iter()
        .filter(|(other, _)| *other != id)
        .take(5)
        .map(|(other, f)| {
            format!(
                "<li><a data-spa href=\"{}\">{}</a></li>",
                escape(&record_href(entity, other)),
                escape(&name_of(entity, f))
            )
        })
        .collect();
    let main = format!(
        "<section class=\"record-header\" data-id=\"{id}\" data-emulator-rerender=\"{id}\"><p class=\"record-type\">{entity}</p>\
         <h1 class=\"record-name\" data-id=\"header_title\" title=\"{name}\">{name}</h1>\
         <button type=\"button\" data-emulator-save>Save</button></section>\
         <dl class=\"details\">{details}</dl><h2>More</h2><ul class=\"related\">{others}</ul>",
        id = escape(&id),
        entity = escape(entity),
        name = escape(&name),
    );
    page(
        DYNAMICS_CSP,
        "dynamics",
        &format!("{name} - Dynamics 365"),
        &nav(),
        &main,
    )
}

/// Rows a grid shows (Unified Interface pages through the rest).
const GRID_ROWS: usize = 200;

fn list(emu: &Emulator, entity: &str) -> Response {
    let rows: Vec<GridRow> = emu
        .db()
        .list_first(Crm::Dynamics, entity, GRID_ROWS)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(n, (id, f))| GridRow {
            href: grid::record_link(APP_ID, entity, id, n),
            name: name_of(entity, f),
            email: f
                .get("emailaddress1")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        })
        .collect();
    let main = format!("<h1>Active {}s</h1>{}", escape(entity), grid::grid(&rows));
    page(DYNAMICS_CSP, "dynamics", "Dynamics 365", &nav(), &main)
}
