//! `POST …/composite`: up to 25 subrequests, later ones referring to earlier results as
//! `@{ref.id}`; with `allOrNone` a failure rolls everything back and the other subrequests
//! answer `PROCESSING_HALTED` (CRM-APIS A6).

use std::collections::HashMap;

use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{json, Value};

use super::call::{is_version, Call, Ctx};
use super::dispatch::dispatch;
use crate::http_util::Reply;
use crate::http_util::{parse_query, segments};
use crate::salesforce::error::SfError;

const MAX_SUBREQUESTS: usize = 25;
const MAX_QUERIES: usize = 5;

fn halted(message: &str) -> Reply {
    SfError::bad("PROCESSING_HALTED", message).into()
}

const ROLLED_BACK: &str =
    "The transaction was rolled back since another operation in the same transaction failed.";

pub fn composite(ctx: &Ctx<'_>, body: Option<&Value>) -> Result<Reply, SfError> {
    let requests = body
        .and_then(|b| b.get("compositeRequest"))
        .and_then(Value::as_array)
        .ok_or_else(|| SfError::bad("JSON_PARSER_ERROR", "compositeRequest is required"))?;
    let all_or_none = body
        .and_then(|b| b.get("allOrNone"))
        .and_then(Value::as_bool)
        == Some(true);
    if requests.is_empty() || requests.len() > MAX_SUBREQUESTS {
        // [U] the exact code; the limit itself is documented (A6).
        return Err(SfError::bad(
            "INVALID_BATCH_REQUEST",
            format!("The number of subrequests must be between 1 and {MAX_SUBREQUESTS}."),
        ));
    }
    let queries = requests
        .iter()
        .filter(|r| is_query_or_collection(r))
        .count();
    if queries > MAX_QUERIES {
        return Err(SfError::bad("INVALID_BATCH_REQUEST", format!("A composite request may contain at most {MAX_QUERIES} query or sObject Collections subrequests.")));
    }
    let mut seen = Vec::new();
    for r in requests {
        let id = r
            .get("referenceId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if id.is_empty()
            || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || seen.contains(&id)
        {
            return Err(SfError::bad(
                "INVALID_BATCH_REQUEST",
                format!("Invalid or duplicate referenceId '{id}'"),
            ));
        }
        seen.push(id);
    }
    if all_or_none {
        ctx.db
            .savepoint()
            .map_err(|e| SfError::bad("UNKNOWN_EXCEPTION", e.to_string()))?;
    }
    let mut results: HashMap<String, Value> = HashMap::new();
    let mut replies: Vec<(String, Reply)> = Vec::new();
    let mut failed_at = None;
    for (i, request) in requests.iter().enumerate() {
        let reference = request["referenceId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let reply = run_one(ctx, request, &results);
        if reply.is_success() {
            if let Some(body) = &reply.body {
                results.insert(reference.clone(), body.clone());
            }
        }
        let failed = !reply.is_success();
        replies.push((reference, reply));
        if failed && all_or_none {
            failed_at = Some(i);
            break;
        }
    }
    if all_or_none {
        let done = if failed_at.is_some() {
            ctx.db.rollback()
        } else {
            ctx.db.release()
        };
        done.map_err(|e| SfError::bad("UNKNOWN_EXCEPTION", e.to_string()))?;
    }
    if let Some(failed) = failed_at {
        for (i, (_, reply)) in replies.iter_mut().enumerate() {
            if i != failed {
                *reply = halted(ROLLED_BACK);
            }
        }
        for request in &requests[replies.len()..] {
            let reference = request["referenceId"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            replies.push((reference, halted(ROLLED_BACK)));
        }
    }
    let items: Vec<Value> = replies
        .into_iter()
        .map(|(reference, reply)| {
            let headers: serde_json::Map<String, Value> = reply
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            json!({"body": reply.body, "httpHeaders": headers, "httpStatusCode": reply.status.as_u16(), "referenceId": reference})
        })
        .collect();
    Ok(Reply::ok(json!({"compositeResponse": items})))
}

fn is_query_or_collection(request: &Value) -> bool {
    let url = request
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    url.contains("/query") || url.contains("/composite/sobjects")
}

fn run_one(ctx: &Ctx<'_>, request: &Value, results: &HashMap<String, Value>) -> Reply {
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("GET");
    let Ok(method) = Method::from_bytes(method.as_bytes()) else {
        return SfError::bad("INVALID_BATCH_REQUEST", "Invalid method").into();
    };
    let raw_url = request
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let url = match substitute(raw_url, results) {
        Ok(u) => u,
        Err(reference) => return halted(&invalid_reference(&reference)),
    };
    let body = match request
        .get("body")
        .map(|b| substitute_json(b, results))
        .transpose()
    {
        Ok(b) => b,
        Err(reference) => return halted(&invalid_reference(&reference)),
    };
    let (path, query) = url
        .split_once('?')
        .map(|(p, q)| (p, Some(q)))
        .unwrap_or((url.as_str(), None));
    let all = segments(path);
    let Some(version) = all
        .get(2)
        .filter(|v| all[0] == "services" && all[1] == "data" && is_version(v))
    else {
        return SfError::not_found().into();
    };
    let mut headers = ctx.headers.clone();
    if let Some(extra) = request.get("httpHeaders").and_then(Value::as_object) {
        for (k, v) in extra {
            if let (Ok(n), Some(Ok(v))) = (
                HeaderName::try_from(k.as_str()),
                v.as_str().map(HeaderValue::from_str),
            ) {
                headers.insert(n, v);
            }
        }
    }
    let sub = Ctx {
        emu: ctx.emu,
        db: ctx.db,
        schema: ctx.schema.clone(),
        user_id: ctx.user_id.clone(),
        version: version.clone(),
        headers,
    };
    let segs = all[3..].to_vec();
    if segs.first().map(String::as_str) == Some("composite") && segs.len() == 1 {
        return SfError::bad(
            "INVALID_BATCH_REQUEST",
            "A composite request cannot contain another composite request",
        )
        .into();
    }
    let call = Call {
        method: method.clone(),
        segments: segs,
        query: parse_query(query),
        body: body.as_ref(),
    };
    let mut reply = dispatch(&sub, &call);
    if reply.status == StatusCode::CREATED && method == Method::POST {
        if let Some(id) = reply
            .body
            .as_ref()
            .and_then(|b| b.get("id"))
            .and_then(Value::as_str)
        {
            let location = format!("{}/{id}", path.trim_end_matches('/'));
            reply.headers.push(("Location".into(), location));
        }
    }
    reply
}

fn invalid_reference(reference: &str) -> String {
    let name = reference.split('.').next().unwrap_or(reference);
    format!("Invalid reference specified. No value for {reference} found in {name}. Provided referenceId ('{name}') must match a previous referenceId in this request.")
}

/// Replaces every `@{ref.path}` in `text`; Err names the reference that has no value.
fn substitute(text: &str, results: &HashMap<String, Value>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("@{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let reference = &after[..end];
        let value = lookup(reference, results).ok_or_else(|| reference.to_string())?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn substitute_json(value: &Value, results: &HashMap<String, Value>) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => Value::String(substitute(s, results)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute_json(v, results))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute_json(v, results)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// `refAccount.id` or `refQuery.records[0].Id`.
fn lookup(reference: &str, results: &HashMap<String, Value>) -> Option<String> {
    let mut parts = reference.split('.');
    let mut current = results.get(parts.next()?)?;
    for part in parts {
        let (name, index) = match part.split_once('[') {
            Some((n, i)) => (n, i.strip_suffix(']')?.parse::<usize>().ok()),
            None => (part, None),
        };
        current = current.get(name)?;
        if let Some(i) = index {
            current = current.get(i)?;
        }
    }
    match current {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_paths_and_indexes() {
        let mut results = HashMap::new();
        results.insert("refAccount".to_string(), json!({"id": "001A"}));
        results.insert("q".to_string(), json!({"records": [{"Id": "003B"}]}));
        assert_eq!(
            substitute("/x/@{refAccount.id}", &results).unwrap(),
            "/x/001A"
        );
        assert_eq!(substitute("@{q.records[0].Id}", &results).unwrap(), "003B");
        assert_eq!(
            substitute("@{missing.id}", &results),
            Err("missing.id".to_string())
        );
    }
}
