//! Test Write-Back (options page): a test Contact and one activity of every enabled kind, so
//! an admin sees Copy to CRM work, or which validation rule stops it, before users rely on it;
//! then removing what it made.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::item::{Call, Direction, LoggedItem};
use super::outbox::Outcome;
use super::ItemKind;
use crate::crm::dynamics::{self, api_base, odata_headers};
use crate::crm::salesforce::{self, authorized, base_url, Session};
use crate::crm::{Crm, CrmError, DataverseGuid, HttpRequest, OrgHost};
use crate::page::object_url;
use crate::salesforce_id::SalesforceId;

/// Something the test made, to link to and to remove.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Made {
    /// sObject name or Dataverse entity (`Contact`, `Task`, `contact`, `phonecall`).
    pub object: String,
    pub id: String,
    #[serde(default)]
    pub kind: Option<ItemKind>,
    /// "View in CRM".
    pub url: Option<String>,
}

fn session(api_host: &OrgHost, token: Option<&str>) -> Result<Session, CrmError> {
    Ok(Session {
        api_host: api_host.clone(),
        token: token.ok_or_else(salesforce::no_session)?.to_string(),
    })
}

fn with_json(mut request: HttpRequest, body: Value) -> HttpRequest {
    request
        .headers
        .push(("Content-Type".into(), "application/json".into()));
    request.body = Some(body.to_string());
    request
}

const FIRST_NAME: &str = "crmsync";
const NOTE: &str = "Made by crmsync's Test Write-Back; remove it from the options page.";

/// The test Contact. Dataverse takes the id we give it (`dynamics_id`), so the answer needs
/// no header to be read.
pub fn contact_request(
    crm: Crm,
    api_host: &OrgHost,
    token: Option<&str>,
    stamp: &str,
    dynamics_id: &str,
) -> Result<HttpRequest, CrmError> {
    let last_name = format!("Test Write-Back {stamp}");
    match crm {
        Crm::Salesforce => {
            let session = session(api_host, token)?;
            let url = format!("{}/sobjects/Contact", base_url(api_host));
            let body = json!({"FirstName": FIRST_NAME, "LastName": last_name, "Description": NOTE});
            Ok(with_json(authorized(&session, "POST", url), body))
        }
        Crm::Dynamics => {
            let mut headers = odata_headers();
            headers.push(("Content-Type".into(), "application/json".into()));
            let body = json!({"contactid": dynamics_id, "firstname": FIRST_NAME, "lastname": last_name, "description": NOTE});
            Ok(HttpRequest {
                method: "POST".into(),
                url: format!("{}/contacts", api_base(api_host)),
                headers,
                body: Some(body.to_string()),
                with_cookies: true,
            })
        }
    }
}

/// The made Contact, or the CRM's reason (a validation rule, a required field…).
pub fn read_contact(
    crm: Crm,
    api_host: &OrgHost,
    status: u16,
    body: &str,
    retry_after: Option<u32>,
    dynamics_id: &str,
) -> Result<Made, CrmError> {
    let ok = (200..300).contains(&status);
    let id = match crm {
        Crm::Salesforce if ok => serde_json::from_str::<Value>(body)
            .ok()
            .and_then(|v| v.get("id")?.as_str().map(str::to_string))
            .ok_or_else(|| CrmError::unexpected(status, "no id in the answer"))?,
        Crm::Dynamics if ok => dynamics_id.to_string(),
        Crm::Salesforce => return Err(salesforce::read_error(status, body)),
        Crm::Dynamics => return Err(dynamics::read_error(status, body, retry_after)),
    };
    let object = if crm == Crm::Salesforce {
        "Contact"
    } else {
        "contact"
    };
    Ok(made(crm, api_host, object, id, None))
}

fn made(crm: Crm, api_host: &OrgHost, object: &str, id: String, kind: Option<ItemKind>) -> Made {
    Made {
        url: object_url(crm, api_host, object, &id),
        object: object.to_string(),
        id,
        kind,
    }
}

/// One sample item per kind, under the ids given (one per kind, in order).
pub fn sample_items(kinds: &[ItemKind], ids: &[String], occurred_at: &str) -> Vec<LoggedItem> {
    kinds
        .iter()
        .zip(ids)
        .map(|(&kind, id)| LoggedItem {
            id: id.clone(),
            kind,
            subject: "Test Write-Back".into(),
            body: NOTE.into(),
            occurred_at: occurred_at.to_string(),
            call: (kind == ItemKind::Call).then(|| Call {
                duration_seconds: 60,
                direction: Direction::Outbound,
                outcome: "Test call".into(),
            }),
            tags: if kind == ItemKind::Tag {
                vec!["Test Write-Back".into()]
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// What an item's write made, as records to link to and remove.
pub fn made_by(crm: Crm, api_host: &OrgHost, item: &LoggedItem, outcome: &Outcome) -> Vec<Made> {
    let Outcome::Written { crm_ids } = outcome else {
        return Vec::new();
    };
    let kind = Some(item.kind);
    let object = match (crm, item.kind) {
        // Classic Notes have the `002` key prefix; Lightning notes are ContentNotes.
        (Crm::Salesforce, ItemKind::Note)
            if crm_ids.first().is_some_and(|id| id.starts_with("002")) =>
        {
            "Note"
        }
        (Crm::Salesforce, ItemKind::Note) => "ContentNote",
        (Crm::Salesforce, _) => "Task",
        (Crm::Dynamics, ItemKind::Note) => "annotation",
        (Crm::Dynamics, ItemKind::Call) => "phonecall",
        (Crm::Dynamics, _) => "task",
    };
    // A note's link goes when its note does; only the first id is a record of its own.
    crm_ids
        .first()
        .map(|id| vec![made(crm, api_host, object, id.clone(), kind)])
        .unwrap_or_default()
}

/// Removes the test records: one collection delete in Salesforce (200 ids at most), a
/// `DELETE` per record in Dataverse (activities before the contact they are about). The ids
/// were the CRM's answers, kept in the store: one that is not a record id of that CRM names
/// no record, so it never reaches a URL.
pub fn delete_requests(
    crm: Crm,
    api_host: &OrgHost,
    token: Option<&str>,
    made: &[Made],
) -> Result<Vec<HttpRequest>, CrmError> {
    match crm {
        Crm::Salesforce => {
            let session = session(api_host, token)?;
            let ids: Vec<SalesforceId> = made
                .iter()
                .filter_map(|m| SalesforceId::parse(&m.id))
                .collect();
            Ok(ids
                .chunks(200)
                .map(|chunk| {
                    let ids = chunk.iter().map(SalesforceId::as_str).collect::<Vec<_>>();
                    let query = form_urlencoded::Serializer::new(String::new())
                        .append_pair("ids", &ids.join(","))
                        .append_pair("allOrNone", "false")
                        .finish();
                    let url = format!("{}/composite/sobjects?{query}", base_url(api_host));
                    authorized(&session, "DELETE", url)
                })
                .collect())
        }
        Crm::Dynamics => Ok(made
            .iter()
            .rev()
            .filter_map(|m| Some((dynamics_set(&m.object)?, DataverseGuid::parse(&m.id)?)))
            .map(|(set, guid)| HttpRequest {
                method: "DELETE".into(),
                url: format!("{}/{set}({guid})", api_base(api_host)),
                headers: odata_headers(),
                body: None,
                with_cookies: true,
            })
            .collect()),
    }
}

/// The entity set of the entities the test makes (each plural by an `s`); `None` for any
/// other name.
fn dynamics_set(entity: &str) -> Option<&'static str> {
    const MADE: [(&str, &str); 4] = [
        ("contact", "contacts"),
        ("task", "tasks"),
        ("phonecall", "phonecalls"),
        ("annotation", "annotations"),
    ];
    MADE.iter().find(|(e, _)| *e == entity).map(|(_, set)| *set)
}

/// A removal succeeded, or the record was already gone.
pub fn read_delete(crm: Crm, status: u16, body: &str) -> Result<(), CrmError> {
    if (200..300).contains(&status) || status == 404 {
        return Ok(());
    }
    Err(match crm {
        Crm::Salesforce => salesforce::read_error(status, body),
        Crm::Dynamics => dynamics::read_error(status, body, None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::CrmErrorKind;

    const SF: &str = "acme.my.salesforce.com";

    fn sf() -> OrgHost {
        OrgHost::salesforce(SF).unwrap()
    }

    #[test]
    fn the_test_contact_says_what_it_is() {
        let request =
            contact_request(Crm::Salesforce, &sf(), Some("t"), "2026-11-24 09:30", "").unwrap();
        let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["LastName"], "Test Write-Back 2026-11-24 09:30");
        assert!(contact_request(Crm::Salesforce, &sf(), None, "x", "").is_err());
    }

    #[test]
    fn made_records_link_to_their_crm_pages() {
        let made = read_contact(
            Crm::Salesforce,
            &sf(),
            201,
            r#"{"id":"0035g0000000009AAA","success":true}"#,
            None,
            "",
        )
        .unwrap();
        assert_eq!(
            made.url.as_deref(),
            Some("https://acme.lightning.force.com/lightning/r/Contact/0035g0000000009AAA/view")
        );
        let rule =
            r#"[{"errorCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","message":"Email is required."}]"#;
        let rejected = read_contact(Crm::Salesforce, &sf(), 400, rule, None, "").unwrap_err();
        assert_eq!(
            (rejected.kind, rejected.message.as_str()),
            (CrmErrorKind::Rejected, "Email is required.")
        );
    }

    #[test]
    fn one_sample_per_kind_and_written_items_become_links() {
        let ids: Vec<String> = (0..5).map(|n| format!("id-{n}")).collect();
        let items = sample_items(&ItemKind::ALL, &ids, "2026-11-24T09:30:00Z");
        assert_eq!(items.len(), 5);
        let call = items.iter().find(|i| i.kind == ItemKind::Call).unwrap();
        assert!(call.call.is_some());
        let written = Outcome::Written {
            crm_ids: vec!["00T5g0000000001".into()],
        };
        let [task] = made_by(Crm::Salesforce, &sf(), call, &written)
            .try_into()
            .unwrap();
        assert_eq!(task.object, "Task");
        assert!(task
            .url
            .unwrap()
            .contains("/lightning/r/Task/00T5g0000000001"));
    }

    fn made(object: &str, id: &str) -> Made {
        Made {
            object: object.into(),
            id: id.into(),
            kind: None,
            url: None,
        }
    }

    const CONTACT_GUID: &str = "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b";
    const CALL_GUID: &str = "6b2c3d4e-1111-4e5f-8a9b-0c1d2e3f4a5b";

    #[test]
    fn dataverse_removes_activities_before_their_contact() {
        let made = vec![made("contact", CONTACT_GUID), made("phonecall", CALL_GUID)];
        let host = OrgHost::dynamics("acme.crm.dynamics.com").unwrap();
        let requests = delete_requests(Crm::Dynamics, &host, None, &made).unwrap();
        assert!(requests[0]
            .url
            .ends_with(&format!("/phonecalls({CALL_GUID})")));
        assert!(requests[1]
            .url
            .ends_with(&format!("/contacts({CONTACT_GUID})")));
        assert_eq!(read_delete(Crm::Dynamics, 404, ""), Ok(()));
    }

    /// Stored ids are the CRM's answers: one that is not an id (or an entity we never make)
    /// must not become a path or a query of the delete.
    #[test]
    fn stored_ids_that_are_not_record_ids_never_reach_a_url() {
        let hostile = "003xx/../../query?q=SELECT+Id+FROM+User";
        let made_sf = vec![made("Contact", "0035g0000000009AAA"), made("Task", hostile)];
        let [request] = delete_requests(Crm::Salesforce, &sf(), Some("t"), &made_sf)
            .unwrap()
            .try_into()
            .unwrap();
        assert_eq!(
            request.url,
            "https://acme.my.salesforce.com/services/data/v66.0/composite/sobjects?ids=0035g0000000009AAA&allOrNone=false"
        );
        let host = OrgHost::dynamics("acme.crm.dynamics.com").unwrap();
        let made_dv = vec![
            made("contact", &format!("{CONTACT_GUID})/../accounts(")),
            made("account(x)/../contact", CONTACT_GUID),
        ];
        assert_eq!(
            delete_requests(Crm::Dynamics, &host, None, &made_dv).unwrap(),
            vec![]
        );
    }
}
