//! A Dataverse flush: one `$batch` with each item's create (its id is the row's key) and the
//! close that completes it, continuing past failures so one rejected item does not hold up
//! the rest (B6). A create that meets its own row (a lost earlier try) counts as made.

use super::{outcome_of, stable_tag, Batch, Outcome, Step};
use crate::crm::batch::{self, read_multipart, Answer};
use crate::crm::dynamics::read_error;
use crate::crm::{Crm, CrmError, HttpRequest, OrgHost};
use crate::writeback::dynamics::{writes, Write};

/// Dataverse's answer when a row with that key already exists.
const DUPLICATE_KEY: &str = "0x80040237";

/// The parts of a batch: which item, and whether it is the item's create or its close.
struct Part {
    id: String,
    create: bool,
    write: Write,
}

fn parts(batch: &Batch) -> Vec<Part> {
    let mut parts = Vec::new();
    for (_, entry) in batch.open() {
        for (n, write) in writes(&entry.item, &entry.target).into_iter().enumerate() {
            let create = n == 0;
            if create && entry.progress.created {
                continue;
            }
            parts.push(Part {
                id: entry.item.id.clone(),
                create,
                write,
            });
        }
    }
    parts
}

pub(super) fn request(batch: &mut Batch) -> Option<HttpRequest> {
    if batch.step != Step::Create {
        return None;
    }
    let parts = parts(batch);
    if parts.is_empty() {
        return None;
    }
    let api_host = match OrgHost::checked(Crm::Dynamics, &batch.api_host) {
        Ok(api_host) => api_host,
        Err(error) => {
            batch.fail_all(error);
            return None;
        }
    };
    let boundary = format!("batch_{}", stable_tag(parts.iter().map(|p| &p.id)));
    let calls: Vec<batch::Part<'_>> = parts
        .iter()
        .map(|p| batch::Part {
            method: p.write.method,
            path: p.write.path.clone(),
            body: Some(p.write.body.to_string()),
            headers: Vec::new(),
        })
        .collect();
    let request = batch::request(&api_host, &boundary, &calls);
    // Encodes which part belongs to which item: "<id>:c" for a create, "<id>:u" for a close.
    batch.in_flight = parts
        .iter()
        .map(|p| format!("{}:{}", p.id, if p.create { 'c' } else { 'u' }))
        .collect();
    Some(request)
}

pub(super) fn read(batch: &mut Batch, status: u16, body: &str, retry_after: Option<u32>) {
    if !(200..300).contains(&status) {
        return batch.fail_all(read_error(status, body, retry_after));
    }
    let answers = match read_multipart(body) {
        Ok(answers) => answers,
        Err(detail) => return batch.fail_all(CrmError::unexpected(status, &detail)),
    };
    let parts = batch.in_flight.clone();
    for (n, part) in parts.iter().enumerate() {
        let (id, kind) = part.rsplit_once(':').unwrap_or((part, "c"));
        let answer = answers.get(n).cloned().unwrap_or_else(|| Answer {
            status: 0,
            body: "the batch ended before this request".into(),
        });
        apply(batch, id, kind == "c", answer);
    }
}

fn apply(batch: &mut Batch, id: &str, create: bool, answer: Answer) {
    if batch.outcomes.contains_key(id) {
        return; // its create already failed; the close's answer says nothing new
    }
    let ok = (200..300).contains(&answer.status);
    let error = (!ok).then(|| read_error(answer.status, &answer.body, None));
    let already_there = error.as_ref().is_some_and(|e| e.code == DUPLICATE_KEY);
    let Some(entry) = batch.entry_mut(id) else {
        return;
    };
    match (create, ok || already_there) {
        (true, true) => {
            entry.progress.created = true;
            // Notes have nothing to close: made is done.
            if !batch.in_flight.iter().any(|p| p == &format!("{id}:u")) {
                batch.outcomes.insert(id.to_string(), written(id));
            }
        }
        (false, true) => {
            batch.outcomes.insert(id.to_string(), written(id));
        }
        (_, false) => {
            let error = error.unwrap_or_else(|| CrmError::unexpected(answer.status, ""));
            batch.outcomes.insert(id.to_string(), outcome_of(error));
        }
    }
}

fn written(id: &str) -> Outcome {
    Outcome::Written {
        crm_ids: vec![id.to_string()],
    }
}
