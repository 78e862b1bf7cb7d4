//! Query jobs: `POST …/jobs/query` runs the query at once (the emulated org is small next to
//! a real one) and keeps its CSV; `…/results` reads it in sets named by `Sforce-Locator`
//! (CRM-APIS A21).

use std::collections::HashMap;

use axum::http::StatusCode;
use base64::Engine;
use serde_json::Value;

use super::csv_cells::{line, write_rows};
use super::{csv_response, describe, invalid_state, job};
use crate::http_util::Reply;
use crate::salesforce::api::call::Ctx;
use crate::salesforce::api::query::{quoting, unparsed};
use crate::salesforce::api::{access, write::now};
use crate::salesforce::error::SfError;
use crate::salesforce::soql::{self, ast::SelectItem};
use crate::state::bulk_jobs::{Job, JobKind, JobState};
use crate::state::locks::lock;
use crate::state::salesforce::ids::new_id;

/// Records per result set when the client names no `maxRecords`.
const DEFAULT_SET: usize = 50_000;

pub fn create(ctx: &Ctx<'_>, body: &Value) -> Result<Reply, SfError> {
    let all_rows = match body.get("operation").and_then(Value::as_str) {
        Some("query") => false,
        Some("queryAll") => true,
        _ => {
            return Err(SfError::bad(
                "INVALIDJOB",
                "InvalidJob : operation must be query or queryAll",
            ))
        }
    };
    let text = body
        .get("query")
        .and_then(Value::as_str)
        .ok_or_else(|| SfError::bad("INVALIDJOB", "InvalidJob : query is required"))?;
    let parsed = soql::parse(text).map_err(|e| unparsed(text, &e))?;
    refuse_unsupported(&parsed)?;
    access::readable(ctx, &parsed.from).map_err(|e| quoting(text, e))?;
    let object = ctx
        .schema
        .object(&parsed.from)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| parsed.from.clone());
    let rows = soql::eval::run_cells(&ctx.schema, ctx.db, &parsed, &ctx.version, all_rows)
        .map_err(|e| quoting(text, e))?;
    let names: Vec<String> = parsed
        .select
        .iter()
        .filter_map(|item| match item {
            SelectItem::Field(path) => Some(path.join(".")),
            _ => None,
        })
        .collect();
    let (csv, ends) = write_rows(&rows);
    let job = Job {
        id: new_id("750"),
        object,
        created_by: ctx.user_id.clone(),
        created: now(),
        version: ctx.version.clone(),
        state: JobState::UploadComplete,
        polls_in_progress: 1,
        error_message: None,
        kind: JobKind::Query {
            header: line(&names),
            body: csv,
            ends,
        },
    };
    let answer = describe(&job);
    ctx.emu.bulk_jobs.add(job);
    Ok(Reply::ok(answer))
}

/// What a Bulk API 2.0 query may not use (A21).
fn refuse_unsupported(query: &soql::ast::Query) -> Result<(), SfError> {
    let clause = if !query.order.is_empty() {
        Some("ORDER BY")
    } else if query.limit.is_some() {
        Some("LIMIT")
    } else if query.offset.is_some() {
        Some("OFFSET")
    } else if query.select.iter().any(|s| matches!(s, SelectItem::Count)) {
        Some("COUNT()")
    } else if query.select.iter().any(|s| matches!(s, SelectItem::Sub(_))) {
        Some("a parent-to-child subquery")
    } else {
        None
    };
    match clause {
        Some(c) => Err(SfError::bad(
            "API_ERROR",
            format!("Bulk API 2.0 query jobs do not support {c}"),
        )),
        None => Ok(()),
    }
}

pub fn results(ctx: &Ctx<'_>, id: &str, query: &HashMap<String, String>) -> Result<Reply, SfError> {
    let handle = job(ctx, id)?;
    let job = lock(&handle);
    let JobKind::Query { header, body, ends } = &job.kind else {
        return Err(SfError::not_found());
    };
    match job.state {
        JobState::JobComplete => {}
        JobState::Failed | JobState::Aborted => {
            return Err(invalid_state(format!("job {id} is {}", job.state.name())))
        }
        _ => {
            return Err(SfError::new(
                StatusCode::PRECONDITION_FAILED,
                "JOB_NOT_COMPLETE",
                format!("job {id} is not complete"),
            ))
        }
    }
    let start = match query.get("locator") {
        Some(locator) => decode(locator)
            .filter(|n| *n <= ends.len())
            .ok_or_else(|| SfError::bad("INVALID_LOCATOR", "Invalid locator"))?,
        None => 0,
    };
    let max = match query.get("maxRecords") {
        Some(n) => n
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| SfError::bad("INVALID_PARAMETER", "maxRecords must be positive"))?,
        None => DEFAULT_SET,
    };
    let end = (start + max).min(ends.len());
    let from = if start == 0 { 0 } else { ends[start - 1] };
    let to = if end == 0 { 0 } else { ends[end - 1] };
    let mut text = String::with_capacity(header.len() + to - from);
    text.push_str(header);
    text.push_str(&body[from..to]);
    let next = if end < ends.len() {
        encode(end)
    } else {
        "null".to_string()
    };
    Ok(csv_response(
        text,
        &[
            ("Sforce-Locator", next),
            ("Sforce-NumberOfRecords", (end - start).to_string()),
        ],
    ))
}

/// Locators are opaque to clients; the emulator's are the next record's position in
/// unpadded base64, as an org's look.
fn encode(position: usize) -> String {
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(position.to_string())
}

fn decode(locator: &str) -> Option<usize> {
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(locator.trim_end_matches('='))
        .ok()?;
    String::from_utf8(bytes).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locators_round_trip_and_look_like_an_orgs() {
        assert_eq!(encode(10_000), "MTAwMDA");
        assert_eq!(decode("MTAwMDA"), Some(10_000));
        assert_eq!(decode("not a locator!"), None);
    }
}
