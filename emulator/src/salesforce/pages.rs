//! Lightning pages: the extension's contract is the URL; where it reads the DOM (the record
//! header, list rows) the markup is the real products' (`lightning_dom.rs`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;

use super::lightning_dom::{self, Shown, CONSOLE_APP};
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
        &lightning_dom::standard_view("<h1>Home</h1>"),
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
            &lightning_dom::standard_view(main),
        );
    };
    let name = name_of(&fields);
    let shown = Shown {
        object: &object,
        id: &id,
        name: &name,
    };
    let title = format!("{name} | {object} | Salesforce");
    let main = match params.get("app") {
        Some(app) if app == CONSOLE_APP => console(&emu, &shown, app),
        _ => lightning_dom::standard_view(&record_body(&emu, &shown, &fields)),
    };
    page(LIGHTNING_CSP, "salesforce", &title, &nav(), &main)
}

/// A record page's view: the highlights panel (Opportunities as orgs on earlier releases
/// render it, so both shapes are served), the fields, related lists and links to more records.
fn record_body(emu: &Emulator, record: &Shown, fields: &Fields) -> String {
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
    format!(
        "<one-record-home-flexipage2>{header}<dl class=\"details\">{details}</dl>{lists}{related}</one-record-home-flexipage2>",
        header = lightning_dom::highlights(record, record.object == "Opportunity"),
        lists = super::related::lists(emu, record.object, record.id),
        related = related_links(emu, record.object, record.id),
    )
}

/// The console with two workspace tabs: another record of the object behind, this one in front.
fn console(emu: &Emulator, record: &Shown, app: &str) -> String {
    let href = |id: &str| format!("/lightning/app/{app}/r/{}/{id}/view", record.object);
    let front = emu
        .db()
        .get(Crm::Salesforce, record.object, record.id)
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut tabs = Vec::new();
    let others = emu
        .db()
        .list_first(Crm::Salesforce, record.object, 2)
        .unwrap_or_default();
    let behind = others.iter().find(|(other, _)| other != record.id);
    let behind_name = behind.map(|(_, f)| name_of(f)).unwrap_or_default();
    if let Some((other, fields)) = behind {
        let shown = Shown {
            object: record.object,
            id: other,
            name: &behind_name,
        };
        let body = record_body(emu, &shown, fields);
        tabs.push((shown, href(other), body));
    }
    tabs.push((*record, href(record.id), record_body(emu, record, &front)));
    lightning_dom::console(&tabs)
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
    let records: Vec<(String, String)> = emu
        .db()
        .list_first(Crm::Salesforce, &object, LIST_VIEW_ROWS)
        .unwrap_or_default()
        .into_iter()
        .map(|(id, f)| {
            let name = name_of(&f);
            (id, name)
        })
        .collect();
    let main = format!(
        "<h1>{}s</h1>{}",
        escape(&object),
        lightning_dom::datatable(&object, &records)
    );
    page(
        LIGHTNING_CSP,
        "salesforce",
        &format!("{object}s | Salesforce"),
        &nav(),
        &lightning_dom::standard_view(&main),
    )
}
