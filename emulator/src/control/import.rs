//! `POST /_emulator/import/people` with a people CSV (the `crm-match` records format: `id,
//! first_name, last_name, email, company, title, city, country, phone[, profile_url]`): adds
//! them to the Salesforce org as Contacts at Accounts named after their companies. The
//! org-wide validation benchmark loads its million generated contacts this way; with
//! `?ids=true` the answer lists the Contacts' ids in the file's order, so the benchmark can
//! tell which Contact is which generated person.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::answer::error;
use crate::http_util::json as json_response;
use crate::state::seed::{import_people, ImportedPerson};
use crate::state::Emulator;

const COLUMNS: [&str; 8] = [
    "first_name",
    "last_name",
    "email",
    "company",
    "title",
    "city",
    "country",
    "phone",
];

#[derive(serde::Deserialize)]
pub struct PeopleImport {
    #[serde(default)]
    ids: bool,
}

pub async fn people(
    State(emu): State<Arc<Emulator>>,
    Query(asked): Query<PeopleImport>,
    body: Bytes,
) -> Response {
    let started = std::time::Instant::now();
    let mut reader = csv::ReaderBuilder::new().from_reader(body.as_ref());
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("not CSV: {e}")),
    };
    let position = |name: &str| header.iter().position(|h| h.trim() == name);
    let columns: Vec<Option<usize>> = COLUMNS.iter().map(|c| position(c)).collect();
    if columns[1].is_none() {
        return error(StatusCode::BAD_REQUEST, "the header needs last_name");
    }
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        match record {
            Ok(r) => rows.push(r),
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("row {}: {e}", n + 2)),
        }
    }
    let people: Vec<ImportedPerson<'_>> = rows
        .iter()
        .map(|r| {
            let cell = |i: usize| columns[i].and_then(|c| r.get(c)).unwrap_or("").trim();
            ImportedPerson {
                first: cell(0),
                last: cell(1),
                email: cell(2),
                company: cell(3),
                title: cell(4),
                city: cell(5),
                country: cell(6),
                phone: cell(7),
            }
        })
        .collect();
    let db = emu.db();
    match import_people(&db, &people) {
        Ok((accounts, ids)) => {
            let mut answer = json!({"contacts": people.len(), "accounts": accounts, "ms": started.elapsed().as_millis() as u64});
            if asked.ids {
                answer["ids"] = json!(ids);
            }
            json_response(StatusCode::OK, answer)
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
