//! A Salesforce flush: look for items an earlier try may have written (by the item id in
//! `Crmsync_Item_Id__c`), create Tasks and ContentNotes in one sObject collection, then link
//! the new notes to their records in another (A6, A9).

use serde::Deserialize;
use serde_json::{json, Value};

use super::{outcome_of, Batch, Outcome, Step};
use crate::crm::salesforce::{authorized, base_url, no_session, query_url, read_error, Session};
use crate::crm::{Crm, CrmError, CrmErrorKind, HttpRequest, OrgHost};
use crate::escape::soql::quote;
use crate::writeback::salesforce::{
    classic_note_title, writes, writes_in, NoteStyle, Write, ITEM_ID_FIELD,
};
use crate::writeback::ItemKind;

pub(super) fn request(batch: &mut Batch) -> Option<HttpRequest> {
    let Some(token) = batch.token.clone() else {
        batch.fail_all(no_session());
        return None;
    };
    let api_host = match OrgHost::checked(Crm::Salesforce, &batch.api_host) {
        Ok(api_host) => api_host,
        Err(error) => {
            batch.fail_all(error);
            return None;
        }
    };
    let session = Session { api_host, token };
    let classic = batch.notes == NoteStyle::Classic;
    let (ids, request) = match batch.step {
        Step::CheckTasks => check_by_item_id(batch, &session, "Task", |e| !is_note(e))?,
        Step::CheckNotes if classic => check_classic_notes(batch, &session)?,
        Step::CheckNotes => check_by_item_id(batch, &session, "ContentNote", |e| {
            is_note(e) && e.progress.note_id.is_none()
        })?,
        Step::CheckLinks => check_links(batch, &session)?,
        Step::Create => create(batch, &session)?,
        Step::Link => link(batch, &session)?,
        Step::Done => return None,
    };
    batch.in_flight = ids;
    Some(request)
}

fn is_note(entry: &super::Entry) -> bool {
    entry.item.kind == ItemKind::Note
}

fn query(session: &Session, soql: &str) -> HttpRequest {
    authorized(session, "GET", query_url(&session.api_host, soql))
}

/// Items of one object whose earlier try went unanswered, looked up by their item id.
fn check_by_item_id(
    batch: &Batch,
    session: &Session,
    object: &str,
    wanted: impl Fn(&super::Entry) -> bool,
) -> Option<(Vec<String>, HttpRequest)> {
    let ids: Vec<String> = batch
        .open()
        .filter(|(_, e)| e.uncertain && wanted(e))
        .map(|(_, e)| e.item.id.clone())
        .collect();
    if ids.is_empty() {
        return None;
    }
    let list = ids.iter().map(|id| quote(id)).collect::<Vec<_>>().join(",");
    let soql =
        format!("SELECT Id, {ITEM_ID_FIELD} FROM {object} WHERE {ITEM_ID_FIELD} IN ({list})");
    Some((ids, query(session, &soql)))
}

/// Classic notes whose earlier try went unanswered, looked up by their marked titles.
fn check_classic_notes(batch: &Batch, session: &Session) -> Option<(Vec<String>, HttpRequest)> {
    let (ids, titles): (Vec<String>, Vec<String>) = batch
        .open()
        .filter(|(_, e)| e.uncertain && is_note(e))
        .map(|(_, e)| (e.item.id.clone(), quote(&classic_note_title(&e.item))))
        .unzip();
    if ids.is_empty() {
        return None;
    }
    let soql = format!(
        "SELECT Id, Title, ParentId FROM Note WHERE Title IN ({})",
        titles.join(",")
    );
    Some((ids, query(session, &soql)))
}

/// Notes whose ContentNote exists but whose link went unanswered.
fn check_links(batch: &Batch, session: &Session) -> Option<(Vec<String>, HttpRequest)> {
    let (ids, notes): (Vec<String>, Vec<String>) = batch
        .open()
        .filter(|(_, e)| e.uncertain && is_note(e))
        .filter_map(|(_, e)| Some((e.item.id.clone(), e.progress.note_id.clone()?)))
        .unzip();
    if ids.is_empty() {
        return None;
    }
    let list = notes
        .iter()
        .map(|id| quote(id))
        .collect::<Vec<_>>()
        .join(",");
    let soql = format!(
        "SELECT Id, ContentDocumentId, LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId IN ({list})"
    );
    Some((ids, query(session, &soql)))
}

fn collection(session: &Session, records: Vec<Value>) -> HttpRequest {
    let mut request = authorized(
        session,
        "POST",
        format!("{}/composite/sobjects", base_url(&session.api_host)),
    );
    request
        .headers
        .push(("Content-Type".into(), "application/json".into()));
    request.body = Some(json!({"allOrNone": false, "records": records}).to_string());
    request
}

fn record(write: Write) -> Value {
    let mut body = write.body;
    body["attributes"] = json!({"type": write.object});
    body
}

/// Tasks and not-yet-made ContentNotes, in one collection.
fn create(batch: &Batch, session: &Session) -> Option<(Vec<String>, HttpRequest)> {
    let (ids, records): (Vec<String>, Vec<Value>) = batch
        .open()
        .filter(|(_, e)| e.progress.note_id.is_none())
        .map(|(_, e)| {
            let first = writes_in(&e.item, &e.target, batch.notes).swap_remove(0);
            (e.item.id.clone(), record(first))
        })
        .unzip();
    (!ids.is_empty()).then(|| (ids, collection(session, records)))
}

/// Links from made notes to their records.
fn link(batch: &Batch, session: &Session) -> Option<(Vec<String>, HttpRequest)> {
    let (ids, records): (Vec<String>, Vec<Value>) = batch
        .open()
        .filter_map(|(_, e)| {
            let note_id = e.progress.note_id.as_deref()?;
            let mut link = writes(&e.item, &e.target).pop()?;
            // The mapping's composite reference becomes the note made in the create step.
            link.body["ContentDocumentId"] = json!(note_id);
            Some((e.item.id.clone(), record(link)))
        })
        .unzip();
    (!ids.is_empty()).then(|| (ids, collection(session, records)))
}

pub(super) fn read(batch: &mut Batch, status: u16, body: &str, retry_after: Option<u32>) {
    if !(200..300).contains(&status) {
        let mut error = read_error(status, body);
        error.retry_after = retry_after;
        return batch.fail_all(error);
    }
    let classic = batch.notes == NoteStyle::Classic;
    let read = match batch.step {
        Step::CheckNotes if classic => read_classic_check(batch, body),
        Step::CheckTasks | Step::CheckNotes => read_item_check(batch, body),
        Step::CheckLinks => read_link_check(batch, body),
        Step::Create | Step::Link => read_collection(batch, body),
        Step::Done => Ok(()),
    };
    if let Err(detail) = read {
        batch.fail_all(CrmError::unexpected(status, &detail));
    }
}

#[derive(Deserialize)]
struct QueryPage {
    records: Vec<Value>,
}

fn rows(body: &str) -> Result<Vec<Value>, String> {
    serde_json::from_str::<QueryPage>(body)
        .map(|p| p.records)
        .map_err(|e| format!("unreadable query answer: {e}"))
}

fn text<'a>(row: &'a Value, field: &str) -> Option<&'a str> {
    row.get(field).and_then(Value::as_str)
}

/// Found items were written by a lost try: Tasks are done; notes go on to their link.
fn read_item_check(batch: &mut Batch, body: &str) -> Result<(), String> {
    let found = rows(body)?;
    let notes = batch.step == Step::CheckNotes;
    for id in batch.in_flight.clone() {
        let made = found
            .iter()
            .find(|r| text(r, ITEM_ID_FIELD) == Some(id.as_str()))
            .and_then(|r| text(r, "Id"))
            .map(str::to_string);
        let Some(entry) = batch.entry_mut(&id) else {
            continue;
        };
        match (made, notes) {
            (Some(made), true) => entry.progress.note_id = Some(made),
            (Some(made), false) => {
                batch.outcomes.insert(id, written(vec![made]));
            }
            // Not there: the lost try never landed, so writing now cannot duplicate it.
            (None, _) => entry.uncertain = false,
        }
    }
    Ok(())
}

/// A classic note found under its title and record was written by a lost try.
fn read_classic_check(batch: &mut Batch, body: &str) -> Result<(), String> {
    let found = rows(body)?;
    for id in batch.in_flight.clone() {
        let Some(entry) = batch.entry_mut(&id) else {
            continue;
        };
        let title = classic_note_title(&entry.item);
        let parent = entry.target.record_id.clone();
        entry.uncertain = false;
        let made = found.iter().find(|r| {
            text(r, "Title") == Some(title.as_str()) && text(r, "ParentId") == Some(parent.as_str())
        });
        if let Some(note_id) = made.and_then(|r| text(r, "Id")) {
            batch
                .outcomes
                .insert(id, written(vec![note_id.to_string()]));
        }
    }
    Ok(())
}

fn read_link_check(batch: &mut Batch, body: &str) -> Result<(), String> {
    let found = rows(body)?;
    for id in batch.in_flight.clone() {
        let Some(entry) = batch.entry_mut(&id) else {
            continue;
        };
        let note = entry.progress.note_id.clone().unwrap_or_default();
        let record = entry.target.record_id.clone();
        entry.uncertain = false;
        let link = found.iter().find(|r| {
            text(r, "ContentDocumentId") == Some(note.as_str())
                && text(r, "LinkedEntityId") == Some(record.as_str())
        });
        if let Some(link_id) = link.and_then(|r| text(r, "Id")) {
            batch
                .outcomes
                .insert(id, written(vec![note, link_id.to_string()]));
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct Saved {
    id: Option<String>,
    success: bool,
    #[serde(default)]
    errors: Vec<SavedError>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedError {
    status_code: String,
    message: String,
}

/// One result per record, in request order (A6).
fn read_collection(batch: &mut Batch, body: &str) -> Result<(), String> {
    let results: Vec<Saved> =
        serde_json::from_str(body).map_err(|e| format!("unreadable collection answer: {e}"))?;
    let ids = batch.in_flight.clone();
    if results.len() != ids.len() {
        return Err(format!(
            "{} results for {} records",
            results.len(),
            ids.len()
        ));
    }
    let linking = batch.step == Step::Link;
    for (id, result) in ids.into_iter().zip(results) {
        let outcome = match (result.success, result.id) {
            (true, Some(made)) => saved(batch, &id, made, linking),
            _ => {
                let failure = record_failure(result.errors);
                if let (Outcome::Retry { .. }, Some(entry)) = (&failure, batch.entry_mut(&id)) {
                    // A unique item id already taken means a lost try did land: look next time.
                    entry.uncertain = true;
                }
                Some(failure)
            }
        };
        if let Some(outcome) = outcome {
            batch.outcomes.insert(id, outcome);
        }
    }
    Ok(())
}

/// A made Task is done; a made note still needs its link (no outcome yet).
fn saved(batch: &mut Batch, id: &str, made: String, linking: bool) -> Option<Outcome> {
    let content_notes = batch.notes == NoteStyle::Content;
    let entry = batch.entry_mut(id)?;
    if linking {
        let note = entry.progress.note_id.clone().unwrap_or_default();
        return Some(written(vec![note, made]));
    }
    if is_note(entry) && content_notes {
        entry.progress.note_id = Some(made);
        return None;
    }
    Some(written(vec![made]))
}

fn record_failure(errors: Vec<SavedError>) -> Outcome {
    let Some(first) = errors.into_iter().next() else {
        return outcome_of(CrmError::unexpected(
            400,
            "a record failed without an error",
        ));
    };
    let body = json!([{"errorCode": first.status_code, "message": first.message}]).to_string();
    let error = read_error(400, &body);
    match first.status_code.as_str() {
        // A lock held by another save clears by itself; a duplicate item id is a lost try.
        "UNABLE_TO_LOCK_ROW" | "DUPLICATE_VALUE" => Outcome::Retry {
            error: CrmError {
                kind: CrmErrorKind::Unavailable,
                ..error
            },
        },
        _ => outcome_of(error),
    }
}

fn written(crm_ids: Vec<String>) -> Outcome {
    Outcome::Written { crm_ids }
}
