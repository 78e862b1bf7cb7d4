//! sObject Collections under `…/composite/sobjects` (at most 200 records): create, update,
//! upsert, delete and read, results in request order (CRM-APIS A6).

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use super::call::{Call, Ctx};
use super::records::{insert, live_row, modify, object_def, remove, shape, upsert_one};
use crate::http_util::Reply;
use crate::salesforce::error::SfError;

const MAX_RECORDS: usize = 200;

fn too_many() -> SfError {
    SfError::bad(
        "EXCEEDED_ID_LIMIT",
        "record limit reached. cannot submit more than 200 records into this call",
    )
}

fn records_of(body: Option<&Value>) -> Result<(&Vec<Value>, bool), SfError> {
    let records = body
        .and_then(|b| b.get("records"))
        .and_then(Value::as_array)
        .ok_or_else(|| SfError::bad("JSON_PARSER_ERROR", "records is required"))?;
    if records.len() > MAX_RECORDS {
        return Err(too_many());
    }
    let all_or_none = body
        .and_then(|b| b.get("allOrNone"))
        .and_then(Value::as_bool)
        == Some(true);
    Ok((records, all_or_none))
}

fn type_of(record: &Value) -> Result<String, SfError> {
    record
        .pointer("/attributes/type")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| SfError::bad("INVALID_TYPE", "Must send a concrete entity type."))
}

/// The body without `attributes` (and without `Id`, which names the target on update).
fn fields_of(record: &Value, drop_id: bool) -> Value {
    let mut map: Map<String, Value> = record.as_object().cloned().unwrap_or_default();
    map.remove("attributes");
    if drop_id {
        map.remove("Id");
    }
    Value::Object(map)
}

fn success(id: &str) -> Value {
    json!({"id": id, "success": true, "errors": []})
}

fn failure(e: &SfError) -> Value {
    json!({"success": false, "errors": [e.collection_item()]})
}

/// Runs one operation per record; with `allOrNone`, any failure undoes them all.
fn each(
    ctx: &Ctx<'_>,
    count: usize,
    all_or_none: bool,
    mut op: impl FnMut(usize) -> Result<Value, SfError>,
) -> Result<Reply, SfError> {
    let unknown = |e: rusqlite::Error| SfError::bad("UNKNOWN_EXCEPTION", e.to_string());
    ctx.db.savepoint().map_err(unknown)?;
    let results: Vec<Result<Value, SfError>> = (0..count).map(&mut op).collect();
    let any_failed = results.iter().any(Result::is_err);
    if all_or_none && any_failed {
        ctx.db.rollback().map_err(unknown)?;
        let rolled_back = SfError::bad("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header");
        let items = results
            .iter()
            .map(|r| match r {
                Err(e) => failure(e),
                Ok(_) => failure(&rolled_back),
            })
            .collect();
        return Ok(Reply::ok(Value::Array(items)));
    }
    ctx.db.release().map_err(unknown)?;
    let items = results
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| failure(&e)))
        .collect();
    Ok(Reply::ok(Value::Array(items)))
}

pub fn create(ctx: &Ctx<'_>, body: Option<&Value>) -> Result<Reply, SfError> {
    let (records, all_or_none) = records_of(body)?;
    each(ctx, records.len(), all_or_none, |i| {
        let record = &records[i];
        let object = object_def(ctx, &type_of(record)?)?;
        if record.get("Id").is_some() {
            return Err(
                SfError::bad("INVALID_FIELD", "cannot specify Id in an insert call")
                    .with_fields(vec!["Id".into()]),
            );
        }
        insert(ctx, object, Some(&fields_of(record, false))).map(|id| success(&id))
    })
}

pub fn update(ctx: &Ctx<'_>, body: Option<&Value>) -> Result<Reply, SfError> {
    let (records, all_or_none) = records_of(body)?;
    each(ctx, records.len(), all_or_none, |i| {
        let record = &records[i];
        let object = object_def(ctx, &type_of(record)?)?;
        let id = record.get("Id").and_then(Value::as_str).ok_or_else(|| {
            SfError::bad("MISSING_ARGUMENT", "Id not specified in an update call")
                .with_fields(vec!["Id".into()])
        })?;
        let row = live_row(ctx, object, id).map_err(|_| {
            SfError::bad("ENTITY_IS_DELETED", "entity is deleted").with_fields(Vec::new())
        })?;
        modify(ctx, object, &row, Some(&fields_of(record, true)))?;
        Ok(success(&row.id))
    })
}

pub fn upsert(
    ctx: &Ctx<'_>,
    object: &str,
    field: &str,
    body: Option<&Value>,
) -> Result<Reply, SfError> {
    let object = object_def(ctx, object)?;
    let (records, all_or_none) = records_of(body)?;
    each(ctx, records.len(), all_or_none, |i| {
        let record = &records[i];
        let key = object
            .field(field)
            .map(|f| f.name.clone())
            .unwrap_or_else(|| field.to_string());
        let value = match record.get(&key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                return Err(
                    SfError::bad("MISSING_ARGUMENT", format!("{key} not specified"))
                        .with_fields(vec![key]),
                )
            }
        };
        let (id, created) = upsert_one(
            ctx,
            object,
            field,
            &value,
            Some(&fields_of(record, false)),
            false,
        )?;
        Ok(json!({"id": id, "success": true, "errors": [], "created": created}))
    })
}

pub fn delete(ctx: &Ctx<'_>, call: &Call<'_>) -> Result<Reply, SfError> {
    let ids: Vec<String> = call
        .query
        .get("ids")
        .map(|s| {
            s.split(',')
                .map(|i| i.trim().to_string())
                .filter(|i| !i.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if ids.len() > MAX_RECORDS {
        return Err(too_many());
    }
    let all_or_none = call.query.get("allOrNone").is_some_and(|v| v == "true");
    each(ctx, ids.len(), all_or_none, |i| {
        let id = &ids[i];
        let object = ctx
            .schema
            .object_of_id(id)
            .ok_or_else(|| SfError::bad("MALFORMED_ID", format!("malformed id {id}")))?;
        remove(ctx, object, id).map(|id| success(&id)).map_err(|e| {
            if e.status == StatusCode::NOT_FOUND {
                SfError::bad("ENTITY_IS_DELETED", "entity is deleted").with_fields(Vec::new())
            } else {
                e
            }
        })
    })
}

/// `GET …/composite/sobjects/Contact?ids=…&fields=…`: records in order, null when missing.
pub fn read(ctx: &Ctx<'_>, object: &str, call: &Call<'_>) -> Result<Reply, SfError> {
    let object = object_def(ctx, object)?;
    let fields = call
        .query
        .get("fields")
        .ok_or_else(|| SfError::bad("MISSING_ARGUMENT", "fields is required"))?;
    let ids: Vec<&str> = call
        .query
        .get("ids")
        .map(|s| s.split(',').collect())
        .unwrap_or_default();
    if ids.len() > 2000 {
        return Err(too_many());
    }
    let mut out = Vec::new();
    for id in ids {
        match live_row(ctx, object, id.trim()) {
            Ok(row) => out.push(shape(ctx, object, &row, Some(fields))?),
            Err(_) => out.push(Value::Null),
        }
    }
    Ok(Reply::ok(Value::Array(out)))
}
