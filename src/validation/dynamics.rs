//! Data validation on Dataverse: the flag is a Boolean column on contact made through the
//! metadata API and published (B7), the four views are public system views in
//! `savedqueries` with FetchXML and a grid layout (B8), and flags are written as `$batch`
//! updates of up to 200 contacts (B6), each with `If-Match: *` so a deleted contact is
//! never created again by its update (B5).

use std::collections::HashSet;

use serde_json::{json, Value};

use super::{FlagChange, FlagOutcome, FlagWrite, ViewKind, FLAGS_PER_REQUEST};
use crate::crm::admin::dynamics::write;
use crate::crm::batch::{self, Part};
use crate::crm::dynamics::{api_base, odata_headers, read_error};
use crate::crm::{CrmError, CrmErrorKind, DataverseGuid, HttpRequest, OrgHost};
use crate::escape::odata;

/// The column's schema name (the publisher prefix `new_`, as the settings variable's) and
/// its logical name, the schema name in lower case (B7).
pub const FLAG_SCHEMA_NAME: &str = "new_crmsyncNotAtCompany";
pub const FLAG_COLUMN: &str = "new_crmsyncnotatcompany";

fn label(text: &str) -> Value {
    json!({"@odata.type": "Microsoft.Dynamics.CRM.Label",
           "LocalizedLabels": [{"@odata.type": "Microsoft.Dynamics.CRM.LocalizedLabel", "Label": text, "LanguageCode": 1033}]})
}

/// Creates the Boolean column (setup step 1).
pub fn column_request(api_host: &OrgHost) -> HttpRequest {
    let option = |text: &str, value: u8| json!({"Value": value, "Label": label(text)});
    write(
        "POST",
        format!(
            "{}/EntityDefinitions(LogicalName='contact')/Attributes",
            api_base(api_host)
        ),
        Some(json!({
            "@odata.type": "Microsoft.Dynamics.CRM.BooleanAttributeMetadata",
            "AttributeType": "Boolean",
            "AttributeTypeName": {"Value": "BooleanType"},
            "SchemaName": FLAG_SCHEMA_NAME,
            "DisplayName": label("Not at Company Flag"),
            "Description": label("Set by crmsync: the person's current employer on their profile is no longer this contact's account."),
            "RequiredLevel": {"Value": "None", "CanBeChanged": true},
            "DefaultValue": false,
            "OptionSet": {"TrueOption": option("Yes", 1), "FalseOption": option("No", 0)},
        })),
    )
}

/// Makes the column and the views live (setup steps 2 and 4).
pub fn publish_request(api_host: &OrgHost) -> HttpRequest {
    let xml = "<importexportxml><entities><entity>contact</entity><entity>opportunity</entity></entities></importexportxml>";
    write(
        "POST",
        format!("{}/PublishXml", api_base(api_host)),
        Some(json!({"ParameterXml": xml})),
    )
}

/// A made column, or one that is already there, is ready.
pub fn read_column(status: u16, body: &str) -> Result<(), CrmError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let error = read_error(status, body, None);
    // 0x80047013: an attribute of that name already exists.
    if error.code == "0x80047013" || error.message.contains("already exists") {
        Ok(())
    } else {
        Err(error)
    }
}

/// The view's name in the CRM (the seeds' names).
pub fn view_name(kind: ViewKind) -> &'static str {
    match kind {
        ViewKind::AllContacts => "All Contacts Not at Company",
        ViewKind::MyContacts => "My Contacts Not at Company",
        ViewKind::AllOpportunities => "All Opportunities at Risk – Contact Left",
        ViewKind::MyOpportunities => "My Opportunities at Risk – Contact Left",
    }
}

/// Reads which of the four views exist (view names are not unique in Dataverse, so setup
/// looks before it makes one: step 3).
pub fn views_request(api_host: &OrgHost) -> HttpRequest {
    let names: Vec<String> = ViewKind::ALL
        .iter()
        .map(|k| format!("name eq {}", odata::quote(view_name(*k))))
        .collect();
    let filter: String = form_urlencoded::byte_serialize(names.join(" or ").as_bytes()).collect();
    HttpRequest {
        method: "GET".into(),
        url: format!(
            "{}/savedqueries?$select=savedqueryid,name,returnedtypecode&$filter={filter}",
            api_base(api_host)
        ),
        headers: odata_headers(),
        body: None,
        with_cookies: true,
    }
}

/// The views that do not exist yet.
pub fn read_views(status: u16, body: &str) -> Result<Vec<ViewKind>, CrmError> {
    if status != 200 {
        return Err(read_error(status, body, None));
    }
    let json: Value = serde_json::from_str(body)
        .map_err(|e| CrmError::unexpected(status, &format!("savedqueries: {e}")))?;
    let found: HashSet<&str> = json["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["name"].as_str())
        .collect();
    Ok(ViewKind::ALL
        .into_iter()
        .filter(|k| !found.contains(view_name(*k)))
        .collect())
}

/// Creates one view (step 3): a public view (`querytype` 0, the only value allowed on
/// create, B8).
pub fn view_request(api_host: &OrgHost, kind: ViewKind) -> HttpRequest {
    let (entity, fetch, layout) = view_xml(kind);
    write(
        "POST",
        format!("{}/savedqueries", api_base(api_host)),
        Some(json!({
            "name": view_name(kind),
            "description": "Made by crmsync's data validation.",
            "returnedtypecode": entity,
            "querytype": 0,
            "fetchxml": fetch,
            "layoutxml": layout,
        })),
    )
}

/// The view's table, FetchXML and grid layout (`object` is the table's type code: contact
/// 2, opportunity 3). "My" views filter on the signed-in user (`eq-userid`).
fn view_xml(kind: ViewKind) -> (&'static str, String, String) {
    let mine = match kind {
        ViewKind::MyContacts | ViewKind::MyOpportunities => {
            r#"<condition attribute="ownerid" operator="eq-userid"/>"#
        }
        _ => "",
    };
    let flagged = format!(r#"<condition attribute="{FLAG_COLUMN}" operator="eq" value="1"/>"#);
    match kind {
        ViewKind::AllContacts | ViewKind::MyContacts => (
            "contact",
            format!(
                r#"<fetch version="1.0" mapping="logical"><entity name="contact"><attribute name="fullname"/><attribute name="parentcustomerid"/><attribute name="ownerid"/><attribute name="contactid"/><order attribute="fullname" descending="false"/><filter type="and"><condition attribute="statecode" operator="eq" value="0"/>{flagged}{mine}</filter></entity></fetch>"#
            ),
            grid(
                2,
                "contactid",
                "fullname",
                &["fullname", "parentcustomerid", "ownerid"],
            ),
        ),
        ViewKind::AllOpportunities | ViewKind::MyOpportunities => (
            "opportunity",
            format!(
                r#"<fetch version="1.0" mapping="logical" distinct="true"><entity name="opportunity"><attribute name="name"/><attribute name="parentaccountid"/><attribute name="ownerid"/><attribute name="opportunityid"/><order attribute="name" descending="false"/><filter type="and"><condition attribute="statecode" operator="eq" value="0"/>{mine}</filter><link-entity name="contact" from="contactid" to="parentcontactid" link-type="inner" alias="left"><filter type="and">{flagged}</filter></link-entity></entity></fetch>"#
            ),
            grid(
                3,
                "opportunityid",
                "name",
                &["name", "parentaccountid", "ownerid"],
            ),
        ),
    }
}

fn grid(object: u8, id: &str, jump: &str, cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| format!(r#"<cell name="{c}" width="200"/>"#))
        .collect();
    format!(
        r#"<grid name="resultset" object="{object}" jump="{jump}" select="1" icon="1" preview="1"><row name="result" id="{id}">{cells}</row></grid>"#
    )
}

/// Reads the flagged contacts (the first page, or the absolute next link on the same org,
/// B3). An org without the column answers 400: data validation is not set up there.
pub fn flagged_request(api_host: &OrgHost, next: Option<&str>) -> Result<HttpRequest, CrmError> {
    let base = api_base(api_host);
    let url = match next {
        Some(link) if link.starts_with(&format!("{base}/")) => link.to_string(),
        Some(link) => {
            return Err(CrmError::unexpected(
                200,
                &format!("nextLink to another host: {link}"),
            ))
        }
        None => format!("{base}/contacts?$select=contactid&$filter={FLAG_COLUMN}%20eq%20true"),
    };
    let mut headers = odata_headers();
    headers.push(("Prefer".into(), "odata.maxpagesize=5000".into()));
    Ok(HttpRequest {
        method: "GET".into(),
        url,
        headers,
        body: None,
        with_cookies: true,
    })
}

/// One page of flagged contact ids, and the next link.
pub fn read_flagged(status: u16, body: &str) -> Result<(Vec<String>, Option<String>), CrmError> {
    if status != 200 {
        return Err(read_error(status, body, None));
    }
    let json: Value = serde_json::from_str(body)
        .map_err(|e| CrmError::unexpected(status, &format!("contacts: {e}")))?;
    let ids = json["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["contactid"].as_str().map(String::from))
        .collect();
    Ok((ids, json["@odata.nextLink"].as_str().map(String::from)))
}

/// The write requests for `changes`, 200 contacts per `$batch`; ids that are not GUIDs
/// (never from a sync, which reads them from the API) are left out.
pub fn write_requests(api_host: &OrgHost, changes: &[FlagChange]) -> Vec<FlagWrite> {
    let valid: Vec<(DataverseGuid, &FlagChange)> = changes
        .iter()
        .filter_map(|c| Some((DataverseGuid::parse(&c.contact_id)?, c)))
        .collect();
    valid
        .chunks(FLAGS_PER_REQUEST)
        .map(|chunk| {
            let parts: Vec<Part<'_>> = chunk
                .iter()
                .map(|(id, c)| Part {
                    method: "PATCH",
                    path: format!("contacts({id})"),
                    body: Some(json!({ FLAG_COLUMN: c.flagged }).to_string()),
                    headers: vec![("If-Match", "*")],
                })
                .collect();
            let boundary = format!("batch_flags_{}", chunk[0].0);
            FlagWrite {
                changes: chunk.iter().map(|(_, c)| (*c).clone()).collect(),
                request: batch::request(api_host, &boundary, &parts),
            }
        })
        .collect()
}

/// One outcome per flag of the request, in order (B6). A whole-request failure is the `Err`.
pub fn read_write(
    write: &FlagWrite,
    status: u16,
    body: &str,
    retry_after: Option<u32>,
) -> Result<Vec<FlagOutcome>, CrmError> {
    if status != 200 {
        return Err(read_error(status, body, retry_after));
    }
    let answers = batch::read_multipart(body).map_err(|e| CrmError::unexpected(status, &e))?;
    if answers.len() != write.changes.len() {
        let detail = format!(
            "{} answers for {} flags",
            answers.len(),
            write.changes.len()
        );
        return Err(CrmError::unexpected(status, &detail));
    }
    Ok(answers
        .into_iter()
        .map(|a| match a.status {
            200..=299 => FlagOutcome::Written,
            // 412: If-Match found no row, the contact is gone.
            412 => FlagOutcome::Refused(CrmError::new(
                CrmErrorKind::NotFound,
                412,
                "0x80040217",
                "The contact no longer exists.",
            )),
            429 | 500..=599 => FlagOutcome::Retry(read_error(a.status, &a.body, None)),
            _ => FlagOutcome::Refused(read_error(a.status, &a.body, None)),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> OrgHost {
        OrgHost::dynamics("acme.crm.dynamics.com").unwrap()
    }

    fn change(i: usize) -> FlagChange {
        FlagChange {
            contact_id: format!("00000000-0000-0000-0000-{i:012}"),
            flagged: true,
        }
    }

    #[test]
    fn two_hundred_flags_per_batch_each_never_creating_a_row() {
        let mut changes: Vec<FlagChange> = (0..250).map(change).collect();
        changes.push(FlagChange {
            contact_id: "x') or true".into(),
            flagged: true,
        });
        let writes = write_requests(&host(), &changes);
        assert_eq!(writes.len(), 2);
        assert_eq!(
            writes[1].changes.len(),
            50,
            "a non-GUID id is never written"
        );
        let body = writes[0].request.body.as_deref().unwrap();
        assert_eq!(body.matches("If-Match: *").count(), 200);
        assert!(body.contains(&format!("{{\"{FLAG_COLUMN}\":true}}")));
    }

    #[test]
    fn batch_answers_become_per_flag_outcomes() {
        let write = &write_requests(&host(), &[change(1), change(2), change(3)])[0];
        let part = |status: &str, body: &str| {
            format!("--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 {status}\r\nContent-Type: application/json\r\n\r\n{body}\r\n")
        };
        let body = [
            part("204 No Content", ""),
            part(
                "400 Bad Request",
                r#"{"error":{"code":"0x80040265","message":"Key contacts are checked by hand."}}"#,
            ),
            part(
                "412 Precondition Failed",
                r#"{"error":{"code":"0x80040237","message":"x"}}"#,
            ),
        ]
        .concat()
            + "--b--\r\n";
        let outcomes = read_write(write, 200, &body, None).unwrap();
        assert_eq!(outcomes[0], FlagOutcome::Written);
        let FlagOutcome::Refused(e) = &outcomes[1] else {
            panic!()
        };
        assert_eq!(e.message, "Key contacts are checked by hand.");
        assert!(
            matches!(&outcomes[2], FlagOutcome::Refused(e) if e.kind == CrmErrorKind::NotFound)
        );
        let throttled = read_write(
            write,
            429,
            r#"{"error":{"code":"0x80072322","message":"slow"}}"#,
            Some(30),
        );
        assert_eq!(throttled.unwrap_err().retry_after, Some(30));
    }

    #[test]
    fn flagged_contacts_are_read_page_by_page_on_the_same_org() {
        let first = flagged_request(&host(), None).unwrap();
        assert!(first
            .url
            .ends_with("$filter=new_crmsyncnotatcompany%20eq%20true"));
        let body = r#"{"value":[{"contactid":"c1"}],"@odata.nextLink":"https://acme.crm.dynamics.com/api/data/v9.2/contacts?$skiptoken=x"}"#;
        let (ids, next) = read_flagged(200, body).unwrap();
        assert_eq!(ids, ["c1"]);
        assert!(flagged_request(&host(), next.as_deref()).is_ok());
        assert!(flagged_request(&host(), Some("https://evil.example/api/data/v9.2/x")).is_err());
    }

    #[test]
    fn setup_makes_a_boolean_column_and_four_public_views() {
        let column = column_request(&host());
        let body: Value = serde_json::from_str(column.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["SchemaName"], FLAG_SCHEMA_NAME);
        assert_eq!(body["OptionSet"]["TrueOption"]["Value"], 1);
        let list = views_request(&host());
        assert!(list.url.contains("savedqueries?$select="));
        let missing = read_views(
            200,
            r#"{"value":[{"name":"My Contacts Not at Company","returnedtypecode":"contact"}]}"#,
        )
        .unwrap();
        assert_eq!(
            missing,
            vec![
                ViewKind::AllContacts,
                ViewKind::AllOpportunities,
                ViewKind::MyOpportunities
            ]
        );
        let view = view_request(&host(), ViewKind::MyOpportunities);
        let body: Value = serde_json::from_str(view.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["returnedtypecode"], "opportunity");
        assert_eq!(body["querytype"], 0);
        let fetch = body["fetchxml"].as_str().unwrap();
        assert!(fetch.contains("eq-userid") && fetch.contains(FLAG_COLUMN));
        assert!(body["layoutxml"]
            .as_str()
            .unwrap()
            .contains(r#"object="3""#));
        let exists = r#"{"error":{"code":"0x80047013","message":"An attribute with the name new_crmsyncnotatcompany already exists on contact."}}"#;
        assert!(read_column(400, exists).is_ok());
    }
}
