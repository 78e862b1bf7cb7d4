//! `POST …/$batch` (OData multipart/mixed): requests run in order; a change set runs as one
//! unit (rolled back when any of its requests fails, which then answers alone) and may refer to
//! an earlier request's new record as `$<Content-ID>`.

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::context::{new_ctx, DCtx};
use super::dispatch::dispatch;
use super::error::DError;
use crate::http_util::Reply;

struct Part {
    method: Method,
    url: String,
    headers: HeaderMap,
    body: String,
    content_id: Option<String>,
}

enum Item {
    Single(Part),
    ChangeSet(Vec<Part>),
}

fn boundary(content_type: &str) -> Option<String> {
    content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_string())
        .next()
}

/// The parts between `--boundary` lines, up to `--boundary--`.
fn split(body: &str, boundary: &str) -> Vec<String> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in body.split(&delimiter).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        parts.push(chunk.trim_start_matches(['\r', '\n']).to_string());
    }
    parts
}

/// Headers up to the first blank line, and the rest.
fn head_and_rest(text: &str) -> (HeaderMap, String) {
    let normalized = text.replace("\r\n", "\n");
    let (head, rest) = normalized
        .split_once("\n\n")
        .unwrap_or((normalized.as_str(), ""));
    let mut headers = HeaderMap::new();
    for line in head.lines() {
        if let Some((k, v)) = line.split_once(':') {
            if let (Ok(n), Ok(v)) = (
                HeaderName::try_from(k.trim()),
                HeaderValue::from_str(v.trim()),
            ) {
                headers.append(n, v);
            }
        }
    }
    (headers, rest.to_string())
}

fn parse_request(text: &str) -> Result<Part, DError> {
    let (part_headers, rest) = head_and_rest(text);
    let (request_line, after) = rest.split_once('\n').unwrap_or((rest.as_str(), ""));
    let mut words = request_line.split_whitespace();
    let (Some(method), Some(url)) = (words.next(), words.next()) else {
        return Err(DError::bad("A batch part needs a request line."));
    };
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| DError::bad("Invalid method in a batch part."))?;
    let (headers, body) = head_and_rest(after);
    let content_id = part_headers
        .get("content-id")
        .or(headers.get("content-id"))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    Ok(Part {
        method,
        url: url.to_string(),
        headers,
        body: body.trim_end().to_string(),
        content_id,
    })
}

fn parse(body: &str, boundary: &str) -> Result<Vec<Item>, DError> {
    split(body, boundary)
        .iter()
        .map(|text| {
            let (headers, rest) = head_and_rest(text);
            let content_type = headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if content_type.starts_with("multipart/mixed") {
                let inner = boundary_of(content_type)?;
                let parts = split(&rest, &inner)
                    .iter()
                    .map(|p| parse_request(p))
                    .collect::<Result<_, _>>()?;
                Ok(Item::ChangeSet(parts))
            } else {
                parse_request(text).map(Item::Single)
            }
        })
        .collect()
}

fn boundary_of(content_type: &str) -> Result<String, DError> {
    boundary(content_type).ok_or_else(|| DError::bad("The batch content type needs a boundary."))
}

/// Segments after the version, from an absolute, root-relative or service-relative URL, with
/// `$n` replaced by the record the change set's request n created.
fn resolve_url(
    ctx: &DCtx<'_>,
    url: &str,
    created: &HashMap<String, String>,
) -> (Vec<String>, Option<String>) {
    let without_host = url
        .strip_prefix(&ctx.base)
        .map(str::to_string)
        .unwrap_or_else(|| {
            let path = url
                .split_once("://")
                .map(|(_, r)| r.split_once('/').map(|(_, p)| p).unwrap_or(""))
                .unwrap_or(url);
            let path = path.trim_start_matches('/');
            match path.strip_prefix("api/data/") {
                Some(rest) => rest
                    .split_once('/')
                    .map(|(_, p)| p.to_string())
                    .unwrap_or_default(),
                None => path.to_string(),
            }
        });
    let mut path = without_host.trim_start_matches('/').to_string();
    if let Some(reference) = path.strip_prefix('$') {
        let (id, tail) = reference
            .split_once('/')
            .map(|(i, t)| (i, format!("/{t}")))
            .unwrap_or((reference, String::new()));
        if let Some(target) = created.get(id) {
            path = format!("{target}{tail}");
        }
    }
    let (path, query) = path
        .split_once('?')
        .map(|(p, q)| (p.to_string(), Some(q.to_string())))
        .unwrap_or((path, None));
    (crate::http_util::segments(&path), query)
}

fn run_part(ctx: &DCtx<'_>, part: &Part, created: &HashMap<String, String>) -> Reply {
    let (segments, query) = resolve_url(ctx, &part.url, created);
    let mut headers = ctx.headers.clone();
    for (k, v) in &part.headers {
        headers.insert(k.clone(), v.clone());
    }
    let body = if part.body.is_empty() {
        None
    } else {
        match serde_json::from_str::<Value>(&part.body) {
            Ok(v) => Some(v),
            Err(e) => return DError::bad(format!("Invalid JSON. {e}")).into(),
        }
    };
    let sub = new_ctx(
        ctx.emu,
        ctx.db,
        ctx.user_id.clone(),
        ctx.base.clone(),
        headers,
        query.as_deref(),
    );
    dispatch(&sub, &part.method, &segments, body.as_ref()).unwrap_or_else(Reply::from)
}

/// `contacts(guid)` from an `OData-EntityId` header.
fn created_path(reply: &Reply, base: &str) -> Option<String> {
    reply
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("OData-EntityId"))
        .map(|(_, v)| {
            v.strip_prefix(base)
                .unwrap_or(v)
                .trim_start_matches('/')
                .to_string()
        })
}

fn serialize(reply: &Reply, content_id: Option<&str>) -> String {
    let mut out =
        String::from("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
    if let Some(id) = content_id {
        out.push_str(&format!("Content-ID: {id}\r\n"));
    }
    let reason = reply.status.canonical_reason().unwrap_or("");
    out.push_str(&format!(
        "\r\nHTTP/1.1 {} {reason}\r\n",
        reply.status.as_u16()
    ));
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    match &reply.body {
        Some(body) => out.push_str(&format!("Content-Type: application/json; odata.metadata=minimal\r\nOData-Version: 4.0\r\n\r\n{body}\r\n")),
        None => out.push_str("OData-Version: 4.0\r\n\r\n"),
    }
    out
}

fn multipart(boundary: &str, parts: &[String]) -> String {
    let mut out = String::new();
    for p in parts {
        out.push_str(&format!("--{boundary}\r\n{p}"));
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

pub fn run(ctx: &DCtx<'_>, content_type: &str, body: &[u8]) -> Response {
    let result = boundary_of(content_type).and_then(|b| parse(&String::from_utf8_lossy(body), &b));
    let items = match result {
        Ok(items) => items,
        Err(e) => return Reply::from(e).into_response(),
    };
    let batch = format!("batchresponse_{}", super::crud::new_guid());
    let mut sections = Vec::new();
    for item in items {
        let section = match item {
            Item::Single(part) => serialize(&run_part(ctx, &part, &HashMap::new()), None),
            Item::ChangeSet(parts) => change_set(ctx, &parts),
        };
        let failed = failed(&section);
        sections.push(section);
        // Dataverse stops at the first failed request unless asked to go on (B6).
        if failed && !ctx.prefer.continue_on_error {
            break;
        }
    }
    (
        StatusCode::OK,
        [
            ("Content-Type", format!("multipart/mixed; boundary={batch}")),
            ("OData-Version", "4.0".to_string()),
        ],
        multipart(&batch, &sections),
    )
        .into_response()
}

/// Whether a serialized response part carries a 4xx/5xx status.
fn failed(section: &str) -> bool {
    section
        .lines()
        .find_map(|line| line.strip_prefix("HTTP/1.1 "))
        .and_then(|rest| rest.get(..3))
        .is_some_and(|code| code >= "400")
}

/// Runs a change set atomically; on failure only the failing response comes back.
fn change_set(ctx: &DCtx<'_>, parts: &[Part]) -> String {
    let boundary = format!("changesetresponse_{}", super::crud::new_guid());
    if ctx.db.savepoint().is_err() {
        return serialize(&DError::bad("could not start the change set").into(), None);
    }
    let mut created = HashMap::new();
    let mut answers = Vec::new();
    for part in parts {
        let reply = run_part(ctx, part, &created);
        if !reply.status.is_success() {
            let _ = ctx.db.rollback();
            return serialize(&reply, part.content_id.as_deref());
        }
        if let (Some(id), Some(path)) = (&part.content_id, created_path(&reply, &ctx.base)) {
            created.insert(id.clone(), path);
        }
        answers.push(serialize(&reply, part.content_id.as_deref()));
    }
    let _ = ctx.db.release();
    format!(
        "Content-Type: multipart/mixed; boundary={boundary}\r\n\r\n{}",
        multipart(&boundary, &answers)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_change_sets_and_single_requests() {
        let body = "--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_2\r\n\r\n--changeset_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\nPOST /api/data/v9.2/contacts HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"lastname\":\"x\"}\r\n--changeset_2--\r\n\r\n--batch_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET /api/data/v9.2/contacts?$top=1 HTTP/1.1\r\nAccept: application/json\r\n\r\n\r\n--batch_1--\r\n";
        let items = parse(body, "batch_1").unwrap();
        assert_eq!(items.len(), 2);
        let Item::ChangeSet(parts) = &items[0] else {
            panic!("not a change set")
        };
        assert_eq!(parts[0].method, Method::POST);
        assert_eq!(parts[0].content_id.as_deref(), Some("1"));
        assert_eq!(parts[0].body, "{\"lastname\":\"x\"}");
        let Item::Single(get) = &items[1] else {
            panic!("not single")
        };
        assert_eq!(get.url, "/api/data/v9.2/contacts?$top=1");
    }
}
