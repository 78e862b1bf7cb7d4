//! `query` / `queryAll` with `nextRecordsUrl` paging (CRM-APIS A2), `search` (SOSL, A4) and
//! `parameterizedSearch`.

use serde_json::{json, Value};

use super::access;
use super::call::{Call, Ctx};
use crate::http_util::Reply;
use crate::salesforce::error::SfError;
use crate::salesforce::{soql, sosl};
use crate::state::admin::custom_permissions;
use crate::state::db::Row;
use crate::state::locks::lock;
use crate::state::salesforce::ids::new_id;
use crate::state::salesforce::schema::ObjectDef;
use crate::state::Cursor;

const MAX_BATCH: usize = 2000;
const MIN_BATCH: usize = 200;
/// Open cursors kept; the oldest beyond this are forgotten (an org also expires them).
const MAX_CURSORS: usize = 200;

/// `Sforce-Query-Options: batchSize=N` (200–2,000; the org may still return fewer).
fn batch_size(ctx: &Ctx<'_>) -> usize {
    ctx.headers
        .get("sforce-query-options")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .filter_map(|p| p.trim().split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("batchSize"))
                .and_then(|(_, n)| n.trim().parse::<usize>().ok())
        })
        .map(|n| n.clamp(MIN_BATCH, MAX_BATCH))
        .unwrap_or(MAX_BATCH)
}

pub fn query(ctx: &Ctx<'_>, call: &Call<'_>, all_rows: bool) -> Result<Reply, SfError> {
    let text = call
        .query
        .get("q")
        .ok_or_else(|| SfError::malformed_query("A query string must be provided"))?;
    let parsed = soql::parse(text).map_err(|e| unparsed(text, &e))?;
    access::readable(ctx, &parsed.from).map_err(|e| quoting(text, e))?;
    let out = if parsed.from.eq_ignore_ascii_case("UserSetupEntityAccess") {
        // The running user's enabled custom permissions only (A15).
        let held = custom_permissions(ctx.db, &ctx.user_id);
        let mine = |_: &ObjectDef, row: &Row| {
            let id = row.fields.get("SetupEntityId").and_then(Value::as_str);
            id.is_some_and(|id| held.iter().any(|h| h == id))
        };
        soql::eval::run_with(&ctx.schema, ctx.db, &parsed, &ctx.version, all_rows, &mine)
    } else {
        soql::eval::run(&ctx.schema, ctx.db, &parsed, &ctx.version, all_rows)
    };
    let out = out.map_err(|e| quoting(text, e))?;
    Ok(page(ctx, out.records, out.total, batch_size(ctx)))
}

/// A query that does not parse, worded as an org words it: the query's line and a caret
/// where parsing stopped (the end of the query when it ended too soon).
pub(crate) fn unparsed(text: &str, error: &str) -> SfError {
    let (detail, column) = soql::echo::split_column(error);
    let at = column.unwrap_or(text.chars().count());
    SfError::malformed_query(&soql::echo::quoted(text, at, detail))
}

/// A check's error about a name the query uses, quoting the query with a caret under it.
pub(crate) fn quoting(text: &str, mut error: SfError) -> SfError {
    let found = error
        .at
        .as_deref()
        .and_then(|name| soql::echo::find_name(text, name));
    if let Some(at) = found {
        error.message = soql::echo::quoted(text, at, &error.message);
    }
    error
}

/// The first page; the rest waits in a cursor named by `nextRecordsUrl`.
fn page(ctx: &Ctx<'_>, mut records: Vec<Value>, total: usize, batch: usize) -> Reply {
    if records.len() <= batch {
        return Reply::ok(json!({"totalSize": total, "done": true, "records": records}));
    }
    let rest = records.split_off(batch);
    let locator = new_id("01g");
    let next = format!("/services/data/{}/query/{locator}-{batch}", ctx.version);
    let mut cursors = lock(&ctx.emu.cursors);
    if cursors.len() >= MAX_CURSORS {
        cursors.clear();
    }
    cursors.insert(
        locator,
        Cursor {
            records: rest,
            batch,
        },
    );
    Reply::ok(
        json!({"totalSize": total, "done": false, "nextRecordsUrl": next, "records": records}),
    )
}

/// `GET …/query/01g…-2000`: the next batch of an open cursor.
pub fn more(ctx: &Ctx<'_>, locator: &str) -> Result<Reply, SfError> {
    let invalid = || SfError::bad("INVALID_QUERY_LOCATOR", "invalid query locator");
    let (id, offset) = locator.rsplit_once('-').ok_or_else(invalid)?;
    let offset: usize = offset.parse().map_err(|_| invalid())?;
    let mut cursors = lock(&ctx.emu.cursors);
    let cursor = cursors.get_mut(id).ok_or_else(invalid)?;
    let batch = cursor.batch;
    // The cursor holds rows after the first batch; `offset` counts from the query's start.
    let start = offset.checked_sub(batch).ok_or_else(invalid)?;
    if start > cursor.records.len() {
        return Err(invalid());
    }
    let end = (start + batch).min(cursor.records.len());
    let records = cursor.records[start..end].to_vec();
    let total = cursor.records.len() + batch;
    let done = end >= cursor.records.len();
    let mut body = json!({"totalSize": total, "done": done, "records": records});
    if done {
        cursors.remove(id);
    } else {
        body["nextRecordsUrl"] = json!(format!(
            "/services/data/{}/query/{id}-{}",
            ctx.version,
            offset + batch
        ));
    }
    Ok(Reply::ok(body))
}

pub fn search(ctx: &Ctx<'_>, call: &Call<'_>) -> Result<Reply, SfError> {
    let text = call
        .query
        .get("q")
        .ok_or_else(|| sosl::malformed("A search string must be provided"))?;
    let parsed = sosl::parse(text)?;
    let records = sosl::run(&ctx.schema, ctx.db, &parsed, &ctx.version)?;
    Ok(Reply::ok(json!({"searchRecords": records})))
}

/// `parameterizedSearch?q=Acme&sobject=Contact&Contact.fields=Id,Name` (A4): the text is
/// searched as a phrase, so it needs no SOSL escaping.
pub fn parameterized_search(ctx: &Ctx<'_>, call: &Call<'_>) -> Result<Reply, SfError> {
    let params = match call.body {
        Some(Value::Object(body)) => body
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string()),
                )
            })
            .collect(),
        _ => call.query.clone(),
    };
    let q = params
        .get("q")
        .filter(|q| q.trim().chars().count() >= 2)
        .ok_or_else(|| sosl::malformed("search term must be longer than one character"))?;
    let objects: Vec<String> = match params.get("sobject") {
        Some(list) => list.split(',').map(|s| s.trim().to_string()).collect(),
        None => vec![
            "Account".into(),
            "Contact".into(),
            "Lead".into(),
            "Opportunity".into(),
        ],
    };
    let scope = match params.get("in").map(|s| s.to_ascii_uppercase()).as_deref() {
        Some("NAME") => sosl::Scope::Name,
        Some("EMAIL") => sosl::Scope::Email,
        Some("PHONE") => sosl::Scope::Phone,
        _ => sosl::Scope::All,
    };
    let mut returning = Vec::new();
    for object in &objects {
        let def = ctx
            .schema
            .object(object)
            .ok_or_else(|| SfError::invalid_type(object))?;
        let fields = params
            .get(&format!("{object}.fields"))
            .cloned()
            .unwrap_or_else(|| "Id".into());
        let limit = params
            .get(&format!("{object}.limit"))
            .or(params.get("defaultLimit"))
            .map(|l| format!(" LIMIT {l}"))
            .unwrap_or_default();
        returning.push((
            def.name.clone(),
            format!("SELECT {fields} FROM {}{limit}", def.name),
        ));
    }
    let search = sosl::Search {
        term: sosl::term::Term::Phrase(q.trim().to_string()),
        scope,
        returning,
        limit: params.get("overallLimit").and_then(|l| l.parse().ok()),
    };
    let records = sosl::run(&ctx.schema, ctx.db, &search, &ctx.version)?;
    Ok(Reply::ok(json!({"searchRecords": records})))
}
