//! Ingest jobs (update only): one CSV upload, processed when the client marks the job
//! `UploadComplete`, each row through the REST write path (field checks, validation rules),
//! each outcome kept for `successfulResults` / `failedResults` (CRM-APIS A21).

use serde_json::{Map, Value};

use super::csv_cells::{line, value_of};
use super::{csv_response, describe, invalid_state, job};
use crate::http_util::Reply;
use crate::salesforce::api::call::Ctx;
use crate::salesforce::api::records::{live_row, modify, object_def};
use crate::salesforce::api::{access, write::now};
use crate::salesforce::error::SfError;
use crate::state::bulk_jobs::{Ingest, Job, JobKind, JobState, RowOutcome};
use crate::state::locks::lock;
use crate::state::salesforce::ids::new_id;
use crate::state::salesforce::schema::ObjectDef;

/// An org takes up to 150 MB of CSV per job (base64 included); the emulator the same raw.
const MAX_UPLOAD: usize = 150 * 1024 * 1024;

pub fn create(ctx: &Ctx<'_>, body: &Value) -> Result<Reply, SfError> {
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    let object = text("object")
        .ok_or_else(|| SfError::bad("INVALIDJOB", "InvalidJob : object is required"))?;
    let object = object_def(ctx, object)
        .map_err(|_| {
            SfError::bad(
                "INVALIDJOB",
                format!("InvalidJob : Invalid object: {object}"),
            )
        })?
        .name
        .clone();
    if text("operation") != Some("update") {
        return Err(SfError::bad(
            "INVALIDJOB",
            "InvalidJob : the emulator runs update jobs only",
        ));
    }
    if text("contentType").is_some_and(|c| c != "CSV")
        || text("columnDelimiter").is_some_and(|c| c != "COMMA")
    {
        return Err(SfError::bad(
            "INVALIDJOB",
            "InvalidJob : the emulator takes comma-separated CSV only",
        ));
    }
    access::writable(ctx, &object)?;
    let job = Job {
        id: new_id("750"),
        object,
        created_by: ctx.user_id.clone(),
        created: now(),
        version: ctx.version.clone(),
        state: JobState::Open,
        polls_in_progress: 1,
        error_message: None,
        kind: JobKind::Ingest(Ingest {
            operation: "update".into(),
            ..Ingest::default()
        }),
    };
    let answer = describe(&job);
    ctx.emu.bulk_jobs.add(job);
    Ok(Reply::ok(answer))
}

pub fn upload(ctx: &Ctx<'_>, id: &str, body: &[u8]) -> Result<Reply, SfError> {
    let handle = job(ctx, id)?;
    let mut job = lock(&handle);
    let state = job.state;
    let JobKind::Ingest(ingest) = &mut job.kind else {
        return Err(SfError::not_found());
    };
    if state != JobState::Open {
        return Err(invalid_state(format!("job {id} is not Open")));
    }
    if ingest.upload.is_some() {
        return Err(invalid_state(format!(
            "Found multiple contents for job: <{id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job."
        )));
    }
    if body.len() > MAX_UPLOAD {
        return Err(SfError::bad("INVALIDBATCH", "the upload is over 150 MB"));
    }
    ingest.upload = Some(body.to_vec());
    Ok(Reply::status(axum::http::StatusCode::CREATED))
}

/// `PATCH …/jobs/ingest/{id}` with `UploadComplete` (runs the job) or `Aborted`.
pub fn close(ctx: &Ctx<'_>, id: &str, body: &Value) -> Result<Reply, SfError> {
    let handle = job(ctx, id)?;
    let mut job = lock(&handle);
    if job.state != JobState::Open {
        return Err(invalid_state(format!("job {id} is not Open")));
    }
    match body.get("state").and_then(Value::as_str) {
        Some("Aborted") => job.state = JobState::Aborted,
        Some("UploadComplete") => run(ctx, &mut job),
        _ => return Err(invalid_state("state must be UploadComplete or Aborted")),
    }
    Ok(Reply::ok(describe(&job)))
}

fn run(ctx: &Ctx<'_>, job: &mut Job) {
    job.state = JobState::UploadComplete;
    let object = job.object.clone();
    let JobKind::Ingest(ingest) = &mut job.kind else {
        return;
    };
    let Some(upload) = ingest.upload.take() else {
        job.state = JobState::Failed;
        job.error_message = Some("InvalidBatch : No data was uploaded for this job".into());
        return;
    };
    let outcome = match object_def(ctx, &object) {
        Ok(def) => process(ctx, def, &upload, ingest),
        Err(e) => Err(e.message),
    };
    if let Err(message) = outcome {
        job.state = JobState::Failed;
        job.error_message = Some(message);
    }
}

/// Every row through the write path, in one transaction.
fn process(
    ctx: &Ctx<'_>,
    object: &ObjectDef,
    upload: &[u8],
    ingest: &mut Ingest,
) -> Result<(), String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(upload);
    let columns: Vec<String> = reader
        .headers()
        .map_err(|e| format!("InvalidBatch : {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    for name in &columns {
        if object.field(name).is_none() {
            return Err(format!("InvalidBatch : Field name not found : {name}"));
        }
    }
    let id_column = columns.iter().position(|c| c.eq_ignore_ascii_case("Id"));
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("InvalidBatch : {e}"))?;
        rows.push(record.iter().map(str::to_string).collect::<Vec<_>>());
    }
    let outcomes = ctx.db.bulk(|_| {
        Ok(rows
            .into_iter()
            .map(|cells| update_row(ctx, object, &columns, id_column, cells))
            .collect::<Vec<_>>())
    });
    ingest.outcomes = outcomes.map_err(|e| format!("InvalidBatch : {e}"))?;
    ingest.columns = columns;
    Ok(())
}

fn update_row(
    ctx: &Ctx<'_>,
    object: &ObjectDef,
    columns: &[String],
    id_column: Option<usize>,
    cells: Vec<String>,
) -> RowOutcome {
    let id = id_column
        .and_then(|i| cells.get(i))
        .cloned()
        .unwrap_or_default();
    let result = apply(ctx, object, columns, &id, &cells);
    RowOutcome {
        id: result.as_ref().map_or(id, Clone::clone),
        error: result.err().map(|e| row_error(&e)),
        cells,
    }
}

fn apply(
    ctx: &Ctx<'_>,
    object: &ObjectDef,
    columns: &[String],
    id: &str,
    cells: &[String],
) -> Result<String, SfError> {
    if id.is_empty() {
        return Err(
            SfError::bad("MISSING_ARGUMENT", "Id not specified in an update call")
                .with_fields(vec!["Id".into()]),
        );
    }
    let row = live_row(ctx, object, id)?;
    let mut fields = Map::new();
    for (name, text) in columns.iter().zip(cells) {
        let Some(field) = object.field(name) else {
            continue;
        };
        // An empty cell leaves the field as it is; `#N/A` clears it.
        if field.name == "Id" || text.is_empty() {
            continue;
        }
        fields.insert(field.name.clone(), value_of(field.ty, text));
    }
    modify(ctx, object, &row, Some(&Value::Object(fields)))?;
    Ok(row.id)
}

/// `sf__Error` as an org writes it: the code, the message, then the fields.
fn row_error(e: &SfError) -> String {
    let fields = e.fields.clone().unwrap_or_default().join(",");
    format!("{}:{}:{} --", e.code, e.message, fields)
}

/// `successfulResults` (`ok`) or `failedResults` of a finished job.
pub fn outcomes(ctx: &Ctx<'_>, id: &str, ok: bool) -> Result<Reply, SfError> {
    let handle = job(ctx, id)?;
    let job = lock(&handle);
    let JobKind::Ingest(ingest) = &job.kind else {
        return Err(SfError::not_found());
    };
    if !matches!(job.state, JobState::JobComplete | JobState::Failed) {
        return Err(invalid_state(format!("job {id} is not complete")));
    }
    let second = if ok { "sf__Created" } else { "sf__Error" };
    let mut header: Vec<&str> = vec!["sf__Id", second];
    header.extend(ingest.columns.iter().map(String::as_str));
    let mut text = line(&header);
    for o in ingest.outcomes.iter().filter(|o| o.error.is_none() == ok) {
        let mut cells: Vec<&str> = vec![o.id.as_str(), o.error.as_deref().unwrap_or("false")];
        cells.extend(o.cells.iter().map(String::as_str));
        text.push_str(&line(&cells));
    }
    Ok(csv_response(text, &[]))
}
