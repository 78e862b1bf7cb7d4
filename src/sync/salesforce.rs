//! Salesforce sync: one SOQL query per object ordered by `LastModifiedDate`, paged through
//! `nextRecordsUrl` (CRM-APIS A2).

use serde::Deserialize;
use serde_json::Value;

use super::{text, utc_literal, CrmRecord, Cursor, SyncPage};
use crate::crm::salesforce::{no_session, query_url, read_error, Session};
use crate::crm::{CrmError, HttpRequest, RecordType};
use crate::matching::{Company, Person};

/// Page size asked for (the API allows up to 2,000 and may send fewer).
const BATCH_SIZE: u32 = 2000;

fn soql(record_type: RecordType, watermark: Option<&str>) -> String {
    let (fields, object, base_filter) = match record_type {
        RecordType::Account => ("Id, Name, Website, BillingCity, BillingCountry, OwnerId, LastModifiedDate", "Account", None),
        RecordType::Contact => ("Id, Name, FirstName, LastName, Email, Title, Phone, MailingCity, MailingCountry, AccountId, Account.Name, OwnerId, LastModifiedDate", "Contact", None),
        RecordType::Lead => ("Id, Name, FirstName, LastName, Email, Title, Company, Phone, City, Country, OwnerId, LastModifiedDate", "Lead", Some("IsConverted = false")),
        RecordType::Opportunity => (
            "Id, Name, StageName, IsClosed, IsWon, AccountId, OwnerId, LastModifiedDate, (SELECT ContactId FROM OpportunityContactRoles)",
            "Opportunity",
            None,
        ),
    };
    let since = watermark
        .and_then(utc_literal)
        .map(|t| format!("LastModifiedDate >= {t}"));
    let filters: Vec<String> = base_filter
        .map(String::from)
        .into_iter()
        .chain(since)
        .collect();
    let filter = if filters.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", filters.join(" AND "))
    };
    format!("SELECT {fields} FROM {object}{filter} ORDER BY LastModifiedDate, Id")
}

pub fn request(cursor: &Cursor, session: Option<&Session>) -> Result<HttpRequest, CrmError> {
    let session = session.ok_or_else(no_session)?;
    let url = match &cursor.next {
        // nextRecordsUrl is a path on the same host (A2).
        Some(path) => format!("https://{}{path}", session.api_host),
        None => query_url(
            &session.api_host,
            &soql(cursor.record_type, cursor.watermark.as_deref()),
        ),
    };
    Ok(HttpRequest {
        method: "GET".into(),
        url,
        headers: vec![
            ("Authorization".into(), format!("Bearer {}", session.token)),
            ("Accept".into(), "application/json".into()),
            (
                "Sforce-Query-Options".into(),
                format!("batchSize={BATCH_SIZE}"),
            ),
        ],
        body: None,
        with_cookies: false,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueryResult {
    records: Vec<Value>,
    done: bool,
    next_records_url: Option<String>,
}

/// A query answer's rows, and its next page's path: only ever a path on the API (A2).
pub(crate) fn query_page(
    status: u16,
    body: &str,
) -> Result<(Vec<Value>, Option<String>), CrmError> {
    if status != 200 {
        return Err(read_error(status, body));
    }
    let result: QueryResult = serde_json::from_str(body)
        .map_err(|e| CrmError::unexpected(status, &format!("query result: {e}")))?;
    let next_path = match (result.done, result.next_records_url) {
        (true, _) => None,
        (false, Some(path)) if path.starts_with("/services/data/") => Some(path),
        (false, other) => {
            let detail = format!("query not done but nextRecordsUrl is {other:?}");
            return Err(CrmError::unexpected(status, &detail));
        }
    };
    Ok((result.records, next_path))
}

pub fn read(cursor: &Cursor, status: u16, body: &str) -> Result<SyncPage, CrmError> {
    let (rows, next_path) = query_page(status, body)?;
    let records: Vec<CrmRecord> = rows
        .iter()
        .filter_map(|r| record(cursor.record_type, r))
        .collect();
    let next = next_path.map(|path| Cursor {
        next: Some(path),
        ..cursor.clone()
    });
    Ok(SyncPage::new(records, next))
}

fn record(record_type: RecordType, r: &Value) -> Option<CrmRecord> {
    let id = text(r, "Id")?;
    let mut rec = CrmRecord::new(record_type, id.clone(), text(r, "Name").unwrap_or_default());
    rec.owner_id = text(r, "OwnerId");
    rec.modified = text(r, "LastModifiedDate");
    rec.account_id = text(r, "AccountId");
    match record_type {
        RecordType::Account => {
            rec.company = Some(Company {
                id,
                name: text(r, "Name"),
                domain: text(r, "Website"),
                city: text(r, "BillingCity"),
                country: text(r, "BillingCountry"),
            });
        }
        RecordType::Contact | RecordType::Lead => {
            let company = match record_type {
                RecordType::Lead => text(r, "Company"),
                _ => r.get("Account").and_then(|a| text(a, "Name")),
            };
            let (city, country) = match record_type {
                RecordType::Lead => (text(r, "City"), text(r, "Country")),
                _ => (text(r, "MailingCity"), text(r, "MailingCountry")),
            };
            rec.person = Some(Person {
                id,
                first_name: text(r, "FirstName"),
                last_name: text(r, "LastName"),
                full_name: text(r, "Name"),
                email: text(r, "Email"),
                company,
                title: text(r, "Title"),
                city,
                country,
                phone: text(r, "Phone"),
                profile_url: None,
            });
        }
        RecordType::Opportunity => {
            rec.stage = text(r, "StageName");
            rec.stage_value.clone_from(&rec.stage);
            rec.closed = r.get("IsClosed").and_then(Value::as_bool);
            rec.won = r.get("IsWon").and_then(Value::as_bool);
            // Contact roles arrive as a child query result (A2 shape, nested).
            let roles = r
                .pointer("/OpportunityContactRoles/records")
                .and_then(Value::as_array);
            rec.contact_ids = roles
                .into_iter()
                .flatten()
                .filter_map(|role| text(role, "ContactId"))
                .collect();
        }
    }
    Some(rec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::Crm;

    fn cursor(record_type: RecordType, watermark: Option<&str>) -> Cursor {
        Cursor {
            crm: Crm::Salesforce,
            api_host: "acme.my.salesforce.com".into(),
            record_type,
            watermark: watermark.map(String::from),
            next: None,
        }
    }

    fn session() -> Session {
        Session {
            api_host: crate::crm::OrgHost::salesforce("acme.my.salesforce.com").unwrap(),
            token: "T".into(),
        }
    }

    #[test]
    fn first_request_is_an_ordered_query_from_the_watermark() {
        let req = request(
            &cursor(RecordType::Lead, Some("2026-11-24T08:00:00.000+0000")),
            Some(&session()),
        )
        .unwrap();
        let q = url::Url::parse(&req.url)
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "q")
            .unwrap()
            .1
            .into_owned();
        assert_eq!(q, "SELECT Id, Name, FirstName, LastName, Email, Title, Company, Phone, City, Country, OwnerId, LastModifiedDate FROM Lead WHERE IsConverted = false AND LastModifiedDate >= 2026-11-24T08:00:00Z ORDER BY LastModifiedDate, Id");
        assert!(req
            .headers
            .contains(&("Sforce-Query-Options".into(), "batchSize=2000".into())));
    }

    #[test]
    fn untrusted_watermarks_are_never_spliced_into_soql() {
        let req = request(
            &cursor(RecordType::Account, Some("x' OR '1'='1")),
            Some(&session()),
        )
        .unwrap();
        assert!(!req.url.contains("WHERE"));
    }

    #[test]
    fn pages_follow_next_records_url_and_track_the_newest_change() {
        let body = r#"{"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v66.0/query/01gxx-2000","records":[
            {"attributes":{"type":"Contact"},"Id":"003A","Name":"Ada Lovelace","FirstName":"Ada","LastName":"Lovelace","Email":"ada@acme.com","Account":{"attributes":{"type":"Account"},"Name":"Acme"},"AccountId":"001A","LastModifiedDate":"2026-11-02T10:00:00.000+0000"},
            {"attributes":{"type":"Contact"},"Id":"003B","Name":"Grace Hopper","Account":null,"LastModifiedDate":"2026-11-03T10:00:00.000+0000"}]}"#;
        let c = cursor(RecordType::Contact, None);
        let page = read(&c, 200, body).unwrap();
        assert_eq!(page.records.len(), 2);
        let ada = page.records[0].person.as_ref().unwrap();
        assert_eq!(ada.company.as_deref(), Some("Acme"));
        assert_eq!(page.records[0].account_id.as_deref(), Some("001A"));
        assert_eq!(page.newest.as_deref(), Some("2026-11-03T10:00:00.000+0000"));
        let next = page.next.unwrap();
        let req = request(&next, Some(&session())).unwrap();
        assert_eq!(
            req.url,
            "https://acme.my.salesforce.com/services/data/v66.0/query/01gxx-2000"
        );
    }

    #[test]
    fn opportunities_carry_their_contact_roles() {
        let body = r#"{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Opportunity"},"Id":"006A","Name":"Renewal","StageName":"Prospecting","IsClosed":false,"IsWon":false,"Amount":1250.5,"OpportunityContactRoles":{"totalSize":2,"done":true,"records":[{"ContactId":"003A"},{"ContactId":"003B"}]}},{"Id":"006B","Name":"New","OpportunityContactRoles":null}]}"#;
        let page = read(&cursor(RecordType::Opportunity, None), 200, body).unwrap();
        assert_eq!(page.records[0].contact_ids, vec!["003A", "003B"]);
        let renewal = &page.records[0];
        assert_eq!(renewal.stage_value.as_deref(), Some("Prospecting"));
        assert_eq!((renewal.closed, renewal.won), (Some(false), Some(false)));
        assert_eq!(page.records[1].closed, None, "unknown is not open");
        assert!(page.records[1].contact_ids.is_empty());
    }

    #[test]
    fn last_page_ends_the_object_and_next_urls_stay_on_the_api() {
        let body = r#"{"totalSize":0,"done":true,"records":[]}"#;
        assert!(read(&cursor(RecordType::Account, None), 200, body)
            .unwrap()
            .next
            .is_none());
        let body = r#"{"totalSize":0,"done":false,"nextRecordsUrl":"https://evil.example/x","records":[]}"#;
        assert!(read(&cursor(RecordType::Account, None), 200, body).is_err());
    }
}
