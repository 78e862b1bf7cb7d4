//! Dataverse sync: one query per entity set ordered by `modifiedon`, paged with
//! `Prefer: odata.maxpagesize` and the absolute `@odata.nextLink` (CRM-APIS B3). A record
//! merged into another is not deleted but deactivated with `merged` set (B19): it comes
//! back as a change, and leaves the local copy.

use serde::Deserialize;
use serde_json::Value;

use super::{text, utc_literal, CrmRecord, Cursor, SyncPage};
use crate::crm::dynamics::{api_base, entity_set, read_error};
use crate::crm::{Crm, CrmError, HttpRequest, OrgHost, RecordType};
use crate::matching::{Company, Person};

const PAGE_SIZE: u32 = 5000;

fn select(record_type: RecordType) -> &'static str {
    match record_type {
        RecordType::Account => "accountid,name,websiteurl,address1_city,address1_country,_ownerid_value,modifiedon,merged",
        RecordType::Contact => "contactid,fullname,firstname,lastname,emailaddress1,jobtitle,telephone1,address1_city,address1_country,_parentcustomerid_value,_ownerid_value,modifiedon,merged",
        RecordType::Lead => "leadid,fullname,firstname,lastname,emailaddress1,jobtitle,companyname,telephone1,address1_city,address1_country,_ownerid_value,modifiedon,merged",
        RecordType::Opportunity => "opportunityid,name,stepname,salesstagecode,statecode,_parentaccountid_value,_parentcontactid_value,_ownerid_value,modifiedon",
    }
}

pub fn request(cursor: &Cursor) -> Result<HttpRequest, CrmError> {
    let url = match &cursor.next {
        Some(next) => next.clone(),
        None => {
            let api_host = OrgHost::checked(Crm::Dynamics, &cursor.api_host)?;
            let mut url = format!(
                "{}/{}?$select={}&$orderby=modifiedon asc",
                api_base(&api_host),
                entity_set(cursor.record_type),
                select(cursor.record_type)
            );
            if let Some(since) = cursor.watermark.as_deref().and_then(utc_literal) {
                url.push_str(&format!("&$filter=modifiedon ge {since}"));
            }
            url.replace(' ', "%20")
        }
    };
    Ok(HttpRequest {
        method: "GET".into(),
        url,
        headers: vec![
            ("Accept".into(), "application/json".into()),
            ("OData-MaxVersion".into(), "4.0".into()),
            ("OData-Version".into(), "4.0".into()),
            ("Prefer".into(), format!("odata.maxpagesize={PAGE_SIZE}")),
        ],
        body: None,
        with_cookies: true,
    })
}

#[derive(Deserialize)]
struct Collection {
    value: Vec<Value>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

pub fn read(cursor: &Cursor, status: u16, body: &str) -> Result<SyncPage, CrmError> {
    if status != 200 {
        return Err(read_error(status, body, None));
    }
    let page: Collection = serde_json::from_str(body)
        .map_err(|e| CrmError::unexpected(status, &format!("collection: {e}")))?;
    // The session cookie goes wherever the next link points: only ever the same org.
    let same_org = format!("https://{}/api/data/", cursor.api_host);
    let next = match page.next_link {
        None => None,
        Some(link) if link.starts_with(&same_org) => Some(Cursor {
            next: Some(link),
            ..cursor.clone()
        }),
        Some(link) => {
            return Err(CrmError::unexpected(
                status,
                &format!("nextLink to another host: {link}"),
            ))
        }
    };
    let mut records = Vec::new();
    let mut removed = Vec::new();
    for row in &page.value {
        let Some(found) = record(cursor.record_type, row) else {
            continue;
        };
        // Merged away: the record stays in Dataverse, deactivated, but is no longer anyone.
        if row.get("merged").and_then(Value::as_bool) == Some(true) {
            removed.push(found.id);
        } else {
            records.push(found);
        }
    }
    let mut page = SyncPage::new(records, next);
    page.removed = removed;
    Ok(page)
}

fn record(record_type: RecordType, r: &Value) -> Option<CrmRecord> {
    let id = text(r, &format!("{}id", record_type.dynamics_name()))?;
    let name_field = if matches!(record_type, RecordType::Contact | RecordType::Lead) {
        "fullname"
    } else {
        "name"
    };
    let mut rec = CrmRecord::new(
        record_type,
        id.clone(),
        text(r, name_field).unwrap_or_default(),
    );
    rec.owner_id = text(r, "_ownerid_value");
    rec.modified = text(r, "modifiedon");
    match record_type {
        RecordType::Account => {
            rec.company = Some(Company {
                id,
                name: text(r, "name"),
                domain: text(r, "websiteurl"),
                city: text(r, "address1_city"),
                country: text(r, "address1_country"),
            })
        }
        RecordType::Contact | RecordType::Lead => {
            rec.account_id = text(r, "_parentcustomerid_value");
            rec.person = Some(Person {
                id,
                first_name: text(r, "firstname"),
                last_name: text(r, "lastname"),
                full_name: text(r, "fullname"),
                email: text(r, "emailaddress1"),
                // A contact's account name is filled in from the synced accounts.
                company: text(r, "companyname"),
                title: text(r, "jobtitle"),
                city: text(r, "address1_city"),
                country: text(r, "address1_country"),
                phone: text(r, "telephone1"),
                profile_url: None,
            });
        }
        RecordType::Opportunity => {
            rec.stage = text(r, "stepname");
            rec.stage_value = r
                .get("salesstagecode")
                .and_then(Value::as_i64)
                .map(|v| v.to_string());
            // statecode: 0 open, 1 won, 2 lost (won values: `crate::pipeline::won`).
            let state = r.get("statecode").and_then(Value::as_i64);
            rec.closed = state.map(|s| s != 0);
            rec.won = state.map(|s| s == 1);
            rec.account_id = text(r, "_parentaccountid_value");
            rec.contact_ids = text(r, "_parentcontactid_value").into_iter().collect();
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
            crm: Crm::Dynamics,
            api_host: "acme.crm.dynamics.com".into(),
            record_type,
            watermark: watermark.map(String::from),
            next: None,
        }
    }

    #[test]
    fn first_request_filters_from_the_watermark_and_asks_for_big_pages() {
        let req = request(&cursor(RecordType::Contact, Some("2026-11-24T08:00:00Z"))).unwrap();
        assert!(req.url.starts_with(
            "https://acme.crm.dynamics.com/api/data/v9.2/contacts?$select=contactid,"
        ));
        assert!(req.url.ends_with(
            "&$orderby=modifiedon%20asc&$filter=modifiedon%20ge%202026-11-24T08:00:00Z"
        ));
        assert!(req
            .headers
            .contains(&("Prefer".into(), "odata.maxpagesize=5000".into())));
        assert!(req.with_cookies);
        let req = request(&cursor(RecordType::Contact, Some("x' or 1 eq 1"))).unwrap();
        assert!(!req.url.contains("$filter"));
    }

    #[test]
    fn pages_follow_the_absolute_next_link_on_the_same_org_only() {
        let body = r#"{"@odata.context":"x","value":[{"@odata.etag":"W/\"1\"","contactid":"c1","fullname":"Ada Lovelace","firstname":"Ada","lastname":"Lovelace","_parentcustomerid_value":"a1","modifiedon":"2026-11-02T10:00:00Z"}],"@odata.nextLink":"https://acme.crm.dynamics.com/api/data/v9.2/contacts?$skiptoken=abc"}"#;
        let page = read(&cursor(RecordType::Contact, None), 200, body).unwrap();
        assert_eq!(page.records[0].account_id.as_deref(), Some("a1"));
        let next = page.next.unwrap();
        assert_eq!(
            request(&next).unwrap().url,
            "https://acme.crm.dynamics.com/api/data/v9.2/contacts?$skiptoken=abc"
        );
        let evil = body.replace("https://acme.crm.dynamics.com", "https://evil.example");
        assert!(read(&cursor(RecordType::Contact, None), 200, &evil).is_err());
    }

    #[test]
    fn a_record_merged_into_another_leaves_instead_of_staying_as_a_second_person() {
        let body = r#"{"value":[
            {"contactid":"c1","fullname":"Ada Lovelace","merged":false,"modifiedon":"2026-11-02T10:00:00Z"},
            {"contactid":"c2","fullname":"Ada Lovelace","merged":true,"statecode":1,"modifiedon":"2026-11-03T10:00:00Z"}]}"#;
        let page = read(&cursor(RecordType::Contact, None), 200, body).unwrap();
        let ids: Vec<&str> = page.records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, vec!["c1"]);
        assert_eq!(page.removed, vec!["c2"]);
        let req = request(&cursor(RecordType::Opportunity, None)).unwrap();
        assert!(
            !req.url.contains("merged"),
            "opportunities cannot be merged"
        );
    }

    #[test]
    fn opportunities_carry_their_sales_stage_and_state() {
        let body = r#"{"value":[
            {"opportunityid":"o1","name":"Renewal","stepname":"2-Develop","salesstagecode":1,"statecode":1,"actualvalue":9000.0,"_parentaccountid_value":"a1","_parentcontactid_value":"c1"},
            {"opportunityid":"o2","name":"New","statecode":0,"salesstagecode":null}]}"#;
        let page = read(&cursor(RecordType::Opportunity, None), 200, body).unwrap();
        let won = &page.records[0];
        assert_eq!(won.stage_value.as_deref(), Some("1"));
        assert_eq!((won.closed, won.won), (Some(true), Some(true)));
        assert_eq!(won.contact_ids, vec!["c1"]);
        let open = &page.records[1];
        assert_eq!(
            (open.closed, open.won, open.stage_value.as_deref()),
            (Some(false), Some(false), None)
        );
    }
}
