//! The reconcile's listing: every id of one object, page by page, nothing else (a page is a
//! fraction of a record page's bytes). Salesforce pages a `SELECT Id` query (A2); Dataverse
//! pages `$select=<key>` with `Prefer: odata.track-changes`, so the listing's last page also
//! gives the object's delta link (B18). A Dataverse table whose changes cannot be tracked
//! for this user (not enabled, or only user-level read, B18) is listed again without it.

use super::{dynamics, Found, Phase};
use crate::crm::dynamics::{api_base, entity_set, odata_headers, read_error as dataverse_error};
use crate::crm::salesforce::{authorized, no_session, query_url, Session};
use crate::crm::{Crm, CrmError, CrmErrorKind, HttpRequest, OrgHost, RecordType};
use crate::sync::{text, SYNC_ORDER};

const SALESFORCE_BATCH: u32 = 2000;
const DATAVERSE_PAGE: u32 = 5000;

/// The same records the sync reads (converted leads are not synced, so they leave too).
fn soql(record_type: RecordType) -> String {
    let object = record_type.salesforce_name();
    match record_type {
        RecordType::Lead => format!("SELECT Id FROM {object} WHERE IsConverted = false"),
        _ => format!("SELECT Id FROM {object}"),
    }
}

pub(super) fn request(
    api_host: &OrgHost,
    session: Option<&Session>,
    object: usize,
    next: &Option<String>,
    tracked: bool,
) -> Result<HttpRequest, CrmError> {
    let record_type = *SYNC_ORDER
        .get(object)
        .ok_or_else(|| CrmError::unexpected(0, "no such object"))?;
    match api_host.crm() {
        Crm::Salesforce => {
            let session = session.ok_or_else(no_session)?;
            let url = match next {
                Some(path) => format!("https://{}{path}", session.api_host),
                None => query_url(&session.api_host, &soql(record_type)),
            };
            let mut request = authorized(session, "GET", url);
            request.headers.push((
                "Sforce-Query-Options".into(),
                format!("batchSize={SALESFORCE_BATCH}"),
            ));
            Ok(request)
        }
        Crm::Dynamics => {
            let url = match next {
                Some(link) => link.clone(),
                None => format!(
                    "{}/{}?$select={}id",
                    api_base(api_host),
                    entity_set(record_type),
                    record_type.dynamics_name()
                ),
            };
            let prefer = if tracked {
                format!("odata.track-changes,odata.maxpagesize={DATAVERSE_PAGE}")
            } else {
                format!("odata.maxpagesize={DATAVERSE_PAGE}")
            };
            let mut headers = odata_headers();
            headers.push(("Prefer".into(), prefer));
            Ok(HttpRequest {
                method: "GET".into(),
                url,
                headers,
                body: None,
                with_cookies: true,
            })
        }
    }
}

/// Where the listing stands (the fields of [`Phase::Ids`]).
pub(super) struct Listing<'a> {
    pub object: usize,
    pub pages: u32,
    pub since: &'a str,
    pub links: &'a [Option<String>],
    pub tracked: bool,
}

pub(super) fn read(
    api_host: &OrgHost,
    at: Listing<'_>,
    status: u16,
    body: &str,
) -> Result<Found, CrmError> {
    let record_type = *SYNC_ORDER
        .get(at.object)
        .ok_or_else(|| CrmError::unexpected(0, "no such object"))?;
    let (ids, next, link) = match api_host.crm() {
        Crm::Salesforce => salesforce_page(status, body)?,
        Crm::Dynamics => match dataverse_page(api_host, record_type, status, body) {
            Ok(page) => page,
            // Tracking refused for this table or user: the same listing, untracked.
            Err(error) if at.tracked && refused(&error) => {
                return Ok(Found::then(Phase::Ids {
                    object: at.object,
                    next: None,
                    pages: at.pages,
                    since: at.since.to_string(),
                    links: at.links.to_vec(),
                    tracked: false,
                }))
            }
            Err(error) => return Err(error),
        },
    };
    let pages = at.pages + 1;
    let since = at.since.to_string();
    let mut links = at.links.to_vec();
    let following = match next {
        Some(next) => Phase::Ids {
            object: at.object,
            next: Some(next),
            pages,
            since,
            links,
            tracked: at.tracked,
        },
        None => {
            if api_host.crm() == Crm::Dynamics {
                links.resize(SYNC_ORDER.len(), None);
                links[at.object] = link;
            }
            if at.object + 1 < SYNC_ORDER.len() {
                Phase::Ids {
                    object: at.object + 1,
                    next: None,
                    pages,
                    since,
                    links,
                    tracked: true,
                }
            } else {
                Phase::Sweep {
                    pages,
                    since,
                    links,
                }
            }
        }
    };
    Ok(Found {
        listed: Some(ids),
        next: Some(following),
        ..Found::default()
    })
}

/// Refusals a plain listing may not meet: anything but a session, throttling or outage.
fn refused(error: &CrmError) -> bool {
    !matches!(
        error.kind,
        CrmErrorKind::SessionExpired | CrmErrorKind::RateLimited | CrmErrorKind::Unavailable
    )
}

type Page = (Vec<String>, Option<String>, Option<String>);

fn salesforce_page(status: u16, body: &str) -> Result<Page, CrmError> {
    let (rows, next) = crate::sync::salesforce::query_page(status, body)?;
    let ids = rows.iter().filter_map(|r| text(r, "Id")).collect();
    Ok((ids, next, None))
}

fn dataverse_page(
    api_host: &OrgHost,
    record_type: RecordType,
    status: u16,
    body: &str,
) -> Result<Page, CrmError> {
    if status != 200 {
        return Err(dataverse_error(status, body, None));
    }
    let page = dynamics::page(api_host, status, body)?;
    let key = format!("{}id", record_type.dynamics_name());
    let ids = page.rows.iter().filter_map(|r| text(r, &key)).collect();
    // The delta link comes with the last page only.
    let link = page.next.is_none().then_some(page.delta).flatten();
    Ok((ids, page.next, link))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(object: usize, tracked: bool) -> Listing<'static> {
        Listing {
            object,
            pages: 0,
            since: "S",
            links: &[],
            tracked,
        }
    }

    #[test]
    fn salesforce_lists_ids_only_and_follows_the_locator() {
        let session = Session {
            api_host: OrgHost::salesforce("acme.my.salesforce.com").unwrap(),
            token: "T".into(),
        };
        let host = session.api_host.clone();
        let req = request(&host, Some(&session), 2, &None, true).unwrap();
        assert!(req
            .url
            .ends_with("query?q=SELECT+Id+FROM+Lead+WHERE+IsConverted+%3D+false"));
        let body = r#"{"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v66.0/query/01g-2000","records":[{"attributes":{"type":"Lead"},"Id":"00QA"},{"Id":"00QB"}]}"#;
        let found = read(&host, listing(2, true), 200, body).unwrap();
        assert_eq!(found.listed, Some(vec!["00QA".into(), "00QB".into()]));
        assert!(
            matches!(found.next, Some(Phase::Ids { object: 2, pages: 1, next: Some(ref n), .. }) if n.ends_with("01g-2000"))
        );
        let last = r#"{"totalSize":0,"done":true,"records":[]}"#;
        let found = read(&host, listing(3, true), 200, last).unwrap();
        assert!(matches!(found.next, Some(Phase::Sweep { pages: 1, .. })));
    }

    #[test]
    fn dataverse_sets_up_each_objects_delta_link_or_lists_it_untracked() {
        let host = OrgHost::dynamics("acme.crm.dynamics.com").unwrap();
        let req = request(&host, None, 1, &None, true).unwrap();
        assert_eq!(
            req.url,
            "https://acme.crm.dynamics.com/api/data/v9.2/contacts?$select=contactid"
        );
        assert!(req.headers.contains(&(
            "Prefer".into(),
            "odata.track-changes,odata.maxpagesize=5000".into()
        )));
        let body = r#"{"value":[{"contactid":"c1"}],"@odata.deltaLink":"https://acme.crm.dynamics.com/api/data/v9.2/contacts?$select=contactid&$deltatoken=7"}"#;
        let found = read(&host, listing(1, true), 200, body).unwrap();
        let Some(Phase::Ids {
            object: 2, links, ..
        }) = found.next
        else {
            panic!("leads are listed next")
        };
        assert!(links[1].as_deref().unwrap().ends_with("$deltatoken=7"));
        let refused = r#"{"error":{"code":"0x80040220","message":"Principal user is missing prvReadContact privilege with organization access"}}"#;
        let found = read(&host, listing(1, true), 403, refused).unwrap();
        assert!(matches!(
            found.next,
            Some(Phase::Ids {
                object: 1,
                tracked: false,
                ..
            })
        ));
        let plain = request(&host, None, 1, &None, false).unwrap();
        assert!(plain
            .headers
            .contains(&("Prefer".into(), "odata.maxpagesize=5000".into())));
    }
}
