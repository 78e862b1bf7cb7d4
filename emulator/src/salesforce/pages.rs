//! Lightning-like pages. The extension's contract is the URL; the DOM is only plausible.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;

use crate::hosts::{host, my_domain_host};
use crate::html::{escape, page, LIGHTNING_CSP};
use crate::http_util::{cookie, redirect};
use crate::state::db::{Crm, Fields};
use crate::state::sessions::SessionKind;
use crate::state::Emulator;

const OBJECTS: [&str; 4] = ["Contact", "Lead", "Account", "Opportunity"];

/// Lightning pages need the Lightning host's session; without one, go to the login page.
fn require_session(emu: &Emulator, headers: &HeaderMap, path: &str) -> Result<(), Box<Response>> {
    let ok = cookie(headers, "sid")
        .and_then(|t| emu.sessions.get(&t))
        .is_some_and(|s| s.kind == SessionKind::SalesforceUi);
    if ok {
        return Ok(());
    }
    let start: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
    let login = format!(
        "https://{}/?startURL={start}",
        my_domain_host(&host(headers))
    );
    Err(Box::new(redirect(&login, None)))
}

fn nav() -> String {
    OBJECTS
        .iter()
        .map(|o| format!("<a data-spa href=\"/lightning/o/{o}/list\">{o}s</a>"))
        .collect()
}

fn name_of(fields: &Fields) -> String {
    fields
        .get("Name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

pub async fn home(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    uri: OriginalUri,
) -> Response {
    if let Err(login) = require_session(&emu, &headers, uri.path()) {
        return *login;
    }
    page(
        LIGHTNING_CSP,
        "salesforce",
        "Home | Salesforce",
        &nav(),
        "<h1>Home</h1>",
    )
}

/// `/lightning/r/{object}/{id}/view`, or `/lightning/r/{id}/view` (the object from the id's
/// key prefix), either inside an app (`/lightning/app/{app}/…`), as Lightning serves them.
pub async fn record(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    uri: OriginalUri,
    Path(params): Path<HashMap<String, String>>,
) -> Response {
    if let Err(login) = require_session(&emu, &headers, uri.path()) {
        return *login;
    }
    let id = params.get("id").cloned().unwrap_or_default();
    let object = match params.get("object") {
        Some(object) => emu.canonical_object_name(object),
        None => emu
            .sf_schema()
            .object_of_id(&id)
            .map(|o| o.name.clone())
            .unwrap_or_default(),
    };
    let Some(fields) = emu.db().get(Crm::Salesforce, &object, &id).ok().flatten() else {
        let main = "<h1>Looks like there's a problem.</h1><p>The record you're looking for doesn't exist.</p>";
        return page(
            LIGHTNING_CSP,
            "salesforce",
            "Error | Salesforce",
            &nav(),
            main,
        );
    };
    let name = name_of(&fields);
    let details: String = fields
        .iter()
        .filter(|(k, v)| k.as_str() != "Name" && v.is_string())
        .map(|(k, v)| {
            format!(
                "<dt>{}</dt><dd>{}</dd>",
                escape(k),
                escape(v.as_str().unwrap_or_default())
            )
        })
        .collect();
    let main = format!(
        "<section class=\"record-header\" data-record-id=\"{id}\"><p class=\"record-type\">{object}</p>\
         <h1 class=\"record-name\">{name}</h1></section><dl class=\"details\">{details}</dl>{lists}{related}",
        id = escape(&id),
        object = escape(&object),
        name = escape(&name),
        lists = super::related::lists(&emu, &object, &id),
        related = related_links(&emu, &object, &id),
    );
    let title = format!("{name} | {object} | Salesforce");
    page(LIGHTNING_CSP, "salesforce", &title, &nav(), &main)
}

/// Rows a list view shows (Lightning loads more as the user scrolls).
const LIST_VIEW_ROWS: usize = 200;

/// Links to other records of the same object, to move between records without a reload.
fn related_links(emu: &Emulator, object: &str, current: &str) -> String {
    let others = emu
        .db()
        .list_first(Crm::Salesforce, object, 6)
        .unwrap_or_default();
    let items: String = others
        .iter()
        .filter(|(id, _)| id != current)
        .take(5)
        .map(|(id, f)| {
            format!(
                "<li><a data-spa href=\"/lightning/r/{object}/{id}/view\">{}</a></li>",
                escape(&name_of(f))
            )
        })
        .collect();
    format!("<h2>More {object}s</h2><ul class=\"related\">{items}</ul>")
}

pub async fn list(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    uri: OriginalUri,
    Path(params): Path<HashMap<String, String>>,
) -> Response {
    if let Err(login) = require_session(&emu, &headers, uri.path()) {
        return *login;
    }
    let object = emu.canonical_object_name(params.get("object").map_or("", String::as_str));
    let rows: String = emu
        .db()
        .list_first(Crm::Salesforce, &object, LIST_VIEW_ROWS)
        .unwrap_or_default()
        .iter()
        .map(|(id, f)| {
            format!(
                "<tr data-row-key-value=\"{id}\"><th scope=\"row\"><a data-spa href=\"/lightning/r/{object}/{id}/view\">{}</a></th></tr>",
                escape(&name_of(f))
            )
        })
        .collect();
    let main = format!("<h1>{object}s</h1><table class=\"list\"><tbody>{rows}</tbody></table>");
    page(
        LIGHTNING_CSP,
        "salesforce",
        &format!("{object}s | Salesforce"),
        &nav(),
        &main,
    )
}
