//! Dataverse: change tracking (CRM-APIS B18). Each object's id listing is asked with
//! `Prefer: odata.track-changes`; its last page carries an `@odata.deltaLink`, and that link
//! later answers what changed since, deleted rows as `$deletedEntity` entries. Every object's
//! link is followed in one `$batch` (B6). A link the service no longer honours (tokens expire
//! after `ExpireChangeTrackingInDays`, 7 by default) sends the sync to a reconcile, which
//! sets up new links; a table without change tracking answers no link and is reconciled at
//! most once a day.

use serde_json::Value;

use super::{reconcile, Context, Found, Mark, Phase, Start, UNTRACKED_RECONCILE_MS};
use crate::crm::batch::{self, Part};
use crate::crm::dynamics::{api_base, odata_headers, read_error};
use crate::crm::{CrmError, CrmErrorKind, HttpRequest, OrgHost};
use crate::sync::SYNC_ORDER;

pub(super) fn start(context: Context, mark: Option<&Mark>) -> Start {
    let Some(mark) = mark.filter(|m| m.delta_links.len() == SYNC_ORDER.len()) else {
        return Start::Ask(reconcile(String::new()));
    };
    let recently = mark
        .reconciled_at
        .is_some_and(|at| context.now_ms - (at as f64) < UNTRACKED_RECONCILE_MS);
    let untracked = mark.delta_links.iter().any(Option::is_none);
    if untracked && !recently {
        return Start::Ask(reconcile(String::new()));
    }
    if mark.delta_links.iter().all(Option::is_none) {
        return Start::Done(mark.clone());
    }
    Start::Ask(Phase::Delta {
        links: mark.delta_links.clone(),
        reconciled_at: mark.reconciled_at,
    })
}

/// One `$batch` following every object's delta link (`None` when no object has one).
pub(super) fn delta_request(api_host: &OrgHost, links: &[Option<String>]) -> Option<HttpRequest> {
    let base = format!("{}/", api_base(api_host));
    let parts: Vec<Part<'static>> = links
        .iter()
        .flatten()
        .filter_map(|link| link.strip_prefix(&base))
        .map(|path| Part::get(path.to_string()))
        .collect();
    (!parts.is_empty()).then(|| batch::request(api_host, "batch_crmsync_delta", &parts))
}

/// A further page of one object's changes (its absolute `@odata.nextLink`, B3).
pub(super) fn page_request(url: &str) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url: url.to_string(),
        headers: odata_headers(),
        body: None,
        with_cookies: true,
    }
}

/// One page of changes: the rows deleted, and where the changes go on.
struct Changes {
    removed: Vec<String>,
    next: Option<String>,
    delta: Option<String>,
}

/// A deleted row of a delta answer: Dataverse writes `{"@odata.context": "…/$deletedEntity",
/// "id", "reason": "deleted"}` (B18); OData 4.01's `{"@removed": {"reason"}, "@id"}` reads too.
/// A row that only left the result set (`reason: changed`) is not deleted.
fn deleted_id(entry: &Value) -> Option<String> {
    let context = entry.get("@odata.context").and_then(Value::as_str);
    let removed = entry.get("@removed");
    let reason = removed
        .and_then(|r| r.get("reason"))
        .or_else(|| entry.get("reason"))
        .and_then(Value::as_str);
    let is_deleted_entry =
        context.is_some_and(|c| c.ends_with("/$deletedEntity")) || removed.is_some();
    if !is_deleted_entry || reason.is_some_and(|r| r != "deleted") {
        return None;
    }
    let id = entry.get("id").and_then(Value::as_str).or_else(|| {
        let at_id = entry.get("@id").and_then(Value::as_str)?;
        at_id.rsplit_once('(')?.1.strip_suffix(')')
    })?;
    crate::crm::DataverseGuid::parse(id).map(|g| g.to_string())
}

/// The links an answer names go back to the same org only (the session cookie follows them).
fn same_org(api_host: &OrgHost, link: Option<String>) -> Result<Option<String>, CrmError> {
    let base = format!("{}/", api_base(api_host));
    match link {
        Some(link) if !link.starts_with(&base) => Err(CrmError::unexpected(
            200,
            &format!("a link to another host: {link}"),
        )),
        link => Ok(link),
    }
}

/// One page of a collection (B3): its rows, next page and delta link.
pub(super) struct Page {
    pub rows: Vec<Value>,
    pub next: Option<String>,
    pub delta: Option<String>,
}

/// A collection page as it is, links on the org only. Read from the JSON directly: a typed
/// reader costs the wasm more.
pub(super) fn page(api_host: &OrgHost, status: u16, body: &str) -> Result<Page, CrmError> {
    let mut page: Value = serde_json::from_str(body)
        .map_err(|e| CrmError::unexpected(status, &format!("collection: {e}")))?;
    let link = |name: &str| page.get(name).and_then(Value::as_str).map(String::from);
    let next = same_org(api_host, link("@odata.nextLink"))?;
    let delta = same_org(api_host, link("@odata.deltaLink"))?;
    let rows = match page.get_mut("value").map(Value::take) {
        Some(Value::Array(rows)) => rows,
        _ => return Err(CrmError::unexpected(status, "a collection without value")),
    };
    Ok(Page { rows, next, delta })
}

fn read_changes(api_host: &OrgHost, status: u16, body: &str) -> Result<Changes, CrmError> {
    let page = page(api_host, status, body)?;
    Ok(Changes {
        removed: page.rows.iter().filter_map(deleted_id).collect(),
        next: page.next,
        delta: page.delta,
    })
}

/// A delta link the service no longer honours (expired, or a table changed): anything but
/// a session, throttling or outage answer, which only wait for the next try.
fn link_gone(error: &CrmError) -> bool {
    !matches!(
        error.kind,
        CrmErrorKind::SessionExpired | CrmErrorKind::RateLimited | CrmErrorKind::Unavailable
    )
}

pub(super) fn read_delta(
    api_host: &OrgHost,
    links: &[Option<String>],
    reconciled_at: Option<u64>,
    status: u16,
    body: &str,
) -> Result<Found, CrmError> {
    if status != 200 {
        return Err(read_error(status, body, None));
    }
    let answers = batch::read_multipart(body).map_err(|e| CrmError::unexpected(status, &e))?;
    let asked: Vec<usize> = (0..links.len()).filter(|i| links[*i].is_some()).collect();
    if answers.len() != asked.len() {
        return Err(CrmError::unexpected(
            status,
            "the batch answered another number of parts",
        ));
    }
    let mut found = Found::default();
    let mut links = links.to_vec();
    let mut pending = Vec::new();
    for (object, part) in asked.into_iter().zip(answers) {
        if part.status != 200 {
            let error = read_error(part.status, &part.body, None);
            if link_gone(&error) {
                return Ok(Found::then(reconcile(String::new())));
            }
            return Err(error);
        }
        let changes = read_changes(api_host, part.status, &part.body)?;
        found.removed.extend(changes.removed);
        match (changes.next, changes.delta) {
            (Some(next), _) => pending.push((object, next)),
            (None, Some(delta)) => links[object] = Some(delta),
            (None, None) => {} // no new link: the one we have still counts from before
        }
    }
    settle(found, pending, links, reconciled_at)
}

pub(super) fn read_page(
    api_host: &OrgHost,
    pending: &[(usize, String)],
    links: &[Option<String>],
    reconciled_at: Option<u64>,
    status: u16,
    body: &str,
) -> Result<Found, CrmError> {
    let Some(((object, _), rest)) = pending.split_first() else {
        return Err(CrmError::unexpected(0, "no page was asked for"));
    };
    if status != 200 {
        let error = read_error(status, body, None);
        if link_gone(&error) {
            return Ok(Found::then(reconcile(String::new())));
        }
        return Err(error);
    }
    let changes = read_changes(api_host, status, body)?;
    let mut links = links.to_vec();
    let mut pending = rest.to_vec();
    match (changes.next, changes.delta) {
        (Some(next), _) => pending.insert(0, (*object, next)),
        (None, Some(delta)) => links[*object] = Some(delta),
        (None, None) => {}
    }
    let found = Found {
        removed: changes.removed,
        ..Found::default()
    };
    settle(found, pending, links, reconciled_at)
}

/// Done once no object has pages left; the new links are then the mark.
fn settle(
    mut found: Found,
    pending: Vec<(usize, String)>,
    links: Vec<Option<String>>,
    reconciled_at: Option<u64>,
) -> Result<Found, CrmError> {
    if pending.is_empty() {
        found.mark = Some(Mark {
            delta_links: links,
            reconciled_at,
            ..Mark::default()
        });
    } else {
        found.next = Some(Phase::DeltaPages {
            pending,
            links,
            reconciled_at,
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::Crm;

    const A: &str = "00000002-0000-4000-8000-000000000001";
    const B: &str = "00000002-0000-4000-8000-000000000002";
    const BASE: &str = "https://acme.crm.dynamics.com/api/data/v9.2";

    fn host() -> OrgHost {
        OrgHost::dynamics("acme.crm.dynamics.com").unwrap()
    }

    fn link(set: &str, token: &str) -> Option<String> {
        Some(format!("{BASE}/{set}?$select={set}id&$deltatoken={token}"))
    }

    fn links() -> Vec<Option<String>> {
        vec![
            link("accounts", "1"),
            link("contacts", "1"),
            None,
            link("opportunities", "1"),
        ]
    }

    fn context(now_ms: f64) -> Context {
        Context {
            crm: Crm::Dynamics,
            now_ms,
            started_ms: 0.0,
            first_sync: false,
        }
    }

    #[test]
    fn links_are_followed_and_an_untracked_table_is_reconciled_once_a_day() {
        assert!(matches!(
            start(context(0.0), None),
            Start::Ask(Phase::Ids { .. })
        ));
        let mark = Mark {
            delta_links: links(),
            reconciled_at: Some(1_000),
            ..Mark::default()
        };
        assert!(matches!(
            start(context(2_000.0), Some(&mark)),
            Start::Ask(Phase::Delta { .. })
        ));
        assert!(matches!(
            start(context(1_000.0 + 86_400_000.0), Some(&mark)),
            Start::Ask(Phase::Ids { .. })
        ));
    }

    #[test]
    fn one_batch_follows_every_link() {
        let request = delta_request(&host(), &links()).unwrap();
        assert_eq!(request.url, format!("{BASE}/$batch"));
        let body = request.body.unwrap();
        assert_eq!(
            body.matches("GET ").count(),
            3,
            "untracked leads are not asked"
        );
        assert!(body.contains(&format!(
            "GET {BASE}/contacts?$select=contactsid&$deltatoken=1 HTTP/1.1"
        )));
    }

    fn part(json: &str) -> String {
        format!("--batchresponse_x\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{json}\r\n")
    }

    #[test]
    fn deleted_entries_are_removed_and_new_links_kept() {
        let deleted = format!(
            r#"{{"@odata.context":"{BASE}/$metadata#contacts/$deletedEntity","id":"{A}","reason":"deleted"}}"#
        );
        let changed = format!(r#"{{"@odata.etag":"W/\"9\"","contactid":"{B}"}}"#);
        let removed_401 = format!(r#"{{"@removed":{{"reason":"deleted"}},"@id":"contacts({B})"}}"#);
        let left = format!(r#"{{"@removed":{{"reason":"changed"}},"@id":"contacts({A})"}}"#);
        let accounts =
            format!(r#"{{"value":[],"@odata.deltaLink":"{BASE}/accounts?$deltatoken=2"}}"#);
        let contacts = format!(
            r#"{{"value":[{changed},{deleted},{removed_401},{left}],"@odata.deltaLink":"{BASE}/contacts?$deltatoken=2"}}"#
        );
        let opportunities = format!(
            r#"{{"value":[],"@odata.nextLink":"{BASE}/opportunities?$deltatoken=1&$skiptoken=p2"}}"#
        );
        let body = format!(
            "{}{}{}--batchresponse_x--\r\n",
            part(&accounts),
            part(&contacts),
            part(&opportunities)
        );
        let found = read_delta(&host(), &links(), Some(5), 200, &body).unwrap();
        assert_eq!(found.removed, vec![A.to_string(), B.to_string()]);
        let Some(Phase::DeltaPages { pending, links, .. }) = found.next else {
            panic!("opportunities have another page")
        };
        assert_eq!(
            pending,
            vec![(
                3,
                format!("{BASE}/opportunities?$deltatoken=1&$skiptoken=p2")
            )]
        );
        assert_eq!(
            links[1].as_deref(),
            Some(format!("{BASE}/contacts?$deltatoken=2").as_str())
        );
        let last =
            format!(r#"{{"value":[],"@odata.deltaLink":"{BASE}/opportunities?$deltatoken=2"}}"#);
        let found = read_page(&host(), &pending, &links, Some(5), 200, &last).unwrap();
        let mark = found.mark.unwrap();
        assert_eq!(mark.reconciled_at, Some(5));
        assert_eq!(
            mark.delta_links[3].as_deref(),
            Some(format!("{BASE}/opportunities?$deltatoken=2").as_str())
        );
        assert_eq!(mark.delta_links[2], None);
    }

    #[test]
    fn an_expired_link_sends_the_sync_to_a_reconcile_and_links_stay_on_the_org() {
        let expired = r#"{"error":{"code":"0x80044352","message":"Version stamp associated with the client has expired. Please perform a full sync."}}"#;
        let body = format!(
            "--batchresponse_x\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{expired}\r\n--batchresponse_x--\r\n"
        );
        let one = vec![None, link("contacts", "1"), None, None];
        let found = read_delta(&host(), &one, None, 200, &body).unwrap();
        assert!(matches!(found.next, Some(Phase::Ids { .. })));
        let evil = r#"{"value":[],"@odata.deltaLink":"https://evil.example/api/data/v9.2/contacts?$deltatoken=2"}"#;
        let body = format!("{}--batchresponse_x--\r\n", part(evil));
        assert!(read_delta(&host(), &one, None, 200, &body).is_err());
    }
}
