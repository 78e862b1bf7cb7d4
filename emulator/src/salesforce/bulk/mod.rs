//! Bulk API 2.0 under `/services/data/vNN.0/jobs/` (CRM-APIS A21): query jobs answer CSV
//! results read in sets named by `Sforce-Locator`; ingest jobs take one CSV upload, run when
//! the client marks them `UploadComplete`, and report each row's outcome. Routed ahead of
//! the REST dispatcher because uploads are CSV, not JSON.

mod csv_cells;
mod ingest_job;
mod query_job;

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::api::call::Ctx;
use super::error::SfError;
use crate::http_util::Reply;
use crate::state::bulk_jobs::{Job, JobKind};

/// One request under `jobs/`: `rest` are the segments after `jobs`.
pub fn serve(
    ctx: &Ctx<'_>,
    method: &str,
    rest: &[&str],
    query: &std::collections::HashMap<String, String>,
    body: &[u8],
) -> Reply {
    let answer = match (method, rest) {
        ("POST", ["query"]) => json_body(body).and_then(|b| query_job::create(ctx, &b)),
        ("GET", ["query", id]) => info(ctx, id),
        ("GET", ["query", id, "results"]) => query_job::results(ctx, id, query),
        ("DELETE", ["query" | "ingest", id]) => delete(ctx, id),
        ("PATCH", ["query", id]) => json_body(body).and_then(|b| abort(ctx, id, &b)),
        ("POST", ["ingest"]) => json_body(body).and_then(|b| ingest_job::create(ctx, &b)),
        ("PUT", ["ingest", id, "batches"]) => ingest_job::upload(ctx, id, body),
        ("PATCH", ["ingest", id]) => json_body(body).and_then(|b| ingest_job::close(ctx, id, &b)),
        ("GET", ["ingest", id]) => info(ctx, id),
        ("GET", ["ingest", id, "successfulResults"]) => ingest_job::outcomes(ctx, id, true),
        ("GET", ["ingest", id, "failedResults"]) => ingest_job::outcomes(ctx, id, false),
        _ => Err(SfError::not_found()),
    };
    answer.unwrap_or_else(Reply::from)
}

fn json_body(body: &[u8]) -> Result<Value, SfError> {
    serde_json::from_slice(body)
        .map_err(|e| SfError::bad("JSON_PARSER_ERROR", format!("Unexpected character: {e}")))
}

/// The job named `id`, or the 404 an org answers for an unknown one.
fn job(ctx: &Ctx<'_>, id: &str) -> Result<std::sync::Arc<std::sync::Mutex<Job>>, SfError> {
    ctx.emu.bulk_jobs.get(id).ok_or_else(|| {
        SfError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource does not exist",
        )
    })
}

fn info(ctx: &Ctx<'_>, id: &str) -> Result<Reply, SfError> {
    let handle = job(ctx, id)?;
    let mut job = crate::state::locks::lock(&handle);
    job.advance();
    Ok(Reply::ok(describe(&job)))
}

fn delete(ctx: &Ctx<'_>, id: &str) -> Result<Reply, SfError> {
    if ctx.emu.bulk_jobs.remove(id) {
        Ok(Reply::no_content())
    } else {
        Err(SfError::not_found())
    }
}

fn abort(ctx: &Ctx<'_>, id: &str, body: &Value) -> Result<Reply, SfError> {
    let handle = job(ctx, id)?;
    let mut job = crate::state::locks::lock(&handle);
    if body.get("state").and_then(Value::as_str) != Some("Aborted") {
        return Err(invalid_state("a query job can only be Aborted"));
    }
    job.state = crate::state::bulk_jobs::JobState::Aborted;
    Ok(Reply::ok(describe(&job)))
}

pub(crate) fn invalid_state(message: impl Into<String>) -> SfError {
    SfError::bad("INVALIDJOBSTATE", message)
}

/// The job as `GET …/jobs/{query|ingest}/{id}` answers it.
pub(crate) fn describe(job: &Job) -> Value {
    let version: f64 = job.version.trim_start_matches('v').parse().unwrap_or(66.0);
    let mut out = json!({
        "id": job.id,
        "object": job.object,
        "createdById": job.created_by,
        "createdDate": job.created,
        "systemModstamp": job.created,
        "state": job.state.name(),
        "concurrencyMode": "Parallel",
        "contentType": "CSV",
        "apiVersion": version,
        "lineEnding": "LF",
        "columnDelimiter": "COMMA",
        "retries": 0,
        "totalProcessingTime": 0,
    });
    match &job.kind {
        JobKind::Query { ends, .. } => {
            out["operation"] = json!("query");
            out["jobType"] = json!("V2Query");
            out["numberRecordsProcessed"] = json!(ends.len());
        }
        JobKind::Ingest(ingest) => {
            let failed = ingest.outcomes.iter().filter(|o| o.error.is_some()).count();
            out["operation"] = json!(ingest.operation);
            out["jobType"] = json!("V2Ingest");
            out["contentUrl"] = json!(format!(
                "services/data/{}/jobs/ingest/{}/batches",
                job.version, job.id
            ));
            out["numberRecordsProcessed"] = json!(ingest.outcomes.len());
            out["numberRecordsFailed"] = json!(failed);
        }
    }
    if let Some(message) = &job.error_message {
        out["errorMessage"] = json!(message);
    }
    out
}

/// A CSV answer with extra headers.
pub(crate) fn csv_response(body: String, headers: &[(&'static str, String)]) -> Reply {
    let extra = headers
        .iter()
        .map(|(name, value)| (name.to_string(), value.clone()))
        .collect();
    Reply::csv(body, extra)
}
