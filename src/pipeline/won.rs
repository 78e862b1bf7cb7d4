//! Each saved account's won value: the sum of the admin's won-value field over the account's
//! won opportunities, read from the CRM when the saved lists are shown, so a change of field
//! needs no re-sync. With "Not sure" (or a field the org no longer has), the CRM's standard
//! amount counts: `Amount` in Salesforce (A2), `actualvalue` in Dataverse (B3).

use std::collections::HashMap;

use serde_json::Value;

use crate::crm::admin::{Choice, PreferenceList};
use crate::crm::dynamics::{api_base, odata_headers, read_error as dataverse_error};
use crate::crm::salesforce::{authorized, query_url};
use crate::crm::{Crm, CrmError, DataverseGuid, HttpRequest};
use crate::escape::soql;
use crate::salesforce_id::SalesforceId;
use crate::settings::CrmChoice;
use crate::sync::salesforce::query_page;
use crate::validation::target::Target;

/// Accounts per request: 200 Salesforce ids keep the query URL near 5 KB, well inside the
/// REST URI limit; a Dataverse `or` clause is three times longer per id.
const SALESFORCE_IDS: usize = 200;
const DATAVERSE_IDS: usize = 60;

/// The field to sum: the admin's, when the org lists it among the opportunity's currency
/// fields (so only a name the CRM described goes into a query), else the standard amount.
pub fn field(crm: Crm, choice: &CrmChoice, currency_fields: &PreferenceList) -> String {
    let listed = |name: &str| {
        currency_fields
            .choices
            .iter()
            .any(|c| matches!(c, Choice::Crm { value, .. } if value == name))
    };
    match choice {
        CrmChoice::Named(name) if listed(name) && is_field_name(name) => name.clone(),
        _ => standard(crm).to_string(),
    }
}

fn standard(crm: Crm) -> &'static str {
    match crm {
        Crm::Salesforce => "Amount",
        Crm::Dynamics => "actualvalue",
    }
}

/// API names are letters, digits and underscores in both CRMs (`Won_Value__c`, `new_won`).
fn is_field_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The first request of each chunk of accounts; ids that are not ids of this CRM are left out.
pub fn requests(target: &Target, field: &str, account_ids: &[String]) -> Vec<HttpRequest> {
    match target {
        Target::Salesforce(session) => {
            let ids: Vec<String> = account_ids
                .iter()
                .filter_map(|id| SalesforceId::parse(id))
                .map(|id| soql::quote(id.as_str()))
                .collect();
            ids.chunks(SALESFORCE_IDS)
                .map(|chunk| {
                    let query = format!(
                        "SELECT AccountId, {field} FROM Opportunity WHERE IsWon = true AND AccountId IN ({})",
                        chunk.join(", ")
                    );
                    authorized(session, "GET", query_url(&session.api_host, &query))
                })
                .collect()
        }
        Target::Dynamics(host) => {
            let ids: Vec<String> = account_ids
                .iter()
                .filter_map(|id| DataverseGuid::parse(id))
                // A lookup compares with a bare GUID literal (`_accountid_value eq e6e7…`,
                // learn.microsoft.com …/webapi/query/filter-rows; quoted, Dataverse refuses
                // Edm.Guid against Edm.String). `parse` leaves only hex and dashes.
                .map(|id| format!("_parentaccountid_value eq {}", id.as_str()))
                .collect();
            ids.chunks(DATAVERSE_IDS)
                .map(|chunk| {
                    let filter = format!("statecode eq 1 and ({})", chunk.join(" or "));
                    let filter: String =
                        form_urlencoded::byte_serialize(filter.as_bytes()).collect();
                    let url = format!(
                        "{}/opportunities?$select=_parentaccountid_value,{field}&$filter={filter}",
                        api_base(host)
                    );
                    dataverse_get(url)
                })
                .collect()
        }
    }
}

fn dataverse_get(url: String) -> HttpRequest {
    let mut headers = odata_headers();
    headers.push(("Prefer".into(), "odata.maxpagesize=5000".into()));
    HttpRequest {
        method: "GET".into(),
        url,
        headers,
        body: None,
        with_cookies: true,
    }
}

/// `(account id, value)` of each won opportunity on a page, and the next page's request.
pub type WonPage = (Vec<(String, f64)>, Option<HttpRequest>);

/// One page of an answer: `(account id, value)` of each won opportunity with a value, and
/// the request for the next page (only ever on the same org).
pub fn read(target: &Target, field: &str, status: u16, body: &str) -> Result<WonPage, CrmError> {
    let pick = |rows: &[Value], account: &str| -> Vec<(String, f64)> {
        rows.iter()
            .filter_map(|r| {
                let id = r.get(account)?.as_str()?.to_string();
                Some((id, r.get(field)?.as_f64()?))
            })
            .collect()
    };
    match target {
        Target::Salesforce(session) => {
            let (rows, next) = query_page(status, body)?;
            let next = next.map(|path| {
                authorized(
                    session,
                    "GET",
                    format!("https://{}{path}", session.api_host),
                )
            });
            Ok((pick(&rows, "AccountId"), next))
        }
        Target::Dynamics(host) => {
            if status != 200 {
                return Err(dataverse_error(status, body, None));
            }
            let json: Value = serde_json::from_str(body)
                .map_err(|e| CrmError::unexpected(status, &format!("opportunities: {e}")))?;
            let rows = json["value"].as_array().map_or(&[][..], Vec::as_slice);
            let same_org = format!("{}/", api_base(host));
            let next = match json["@odata.nextLink"].as_str() {
                None => None,
                Some(link) if link.starts_with(&same_org) => Some(dataverse_get(link.into())),
                Some(link) => {
                    let detail = format!("nextLink to another host: {link}");
                    return Err(CrmError::unexpected(status, &detail));
                }
            };
            Ok((pick(rows, "_parentaccountid_value"), next))
        }
    }
}

/// Sums the values by account.
pub fn totals(values: impl IntoIterator<Item = (String, f64)>) -> HashMap<String, f64> {
    let mut totals: HashMap<String, f64> = HashMap::new();
    for (account, value) in values {
        *totals.entry(account).or_default() += value;
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::salesforce::Session;
    use crate::crm::OrgHost;

    fn currency() -> PreferenceList {
        PreferenceList::from_crm(vec![Choice::Crm {
            value: "Won_Value__c".into(),
            label: "Won value".into(),
            order: 0,
        }])
    }

    fn salesforce() -> Target {
        Target::Salesforce(Session {
            api_host: OrgHost::salesforce("acme.my.salesforce.com").unwrap(),
            token: "T".into(),
        })
    }

    fn dynamics() -> Target {
        Target::Dynamics(OrgHost::checked(Crm::Dynamics, "acme.crm.dynamics.com").unwrap())
    }

    fn query_of(request: &HttpRequest) -> String {
        let url = url::Url::parse(&request.url).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn the_admins_field_counts_only_when_the_org_lists_it() {
        let named = |n: &str| CrmChoice::Named(n.into());
        assert_eq!(
            field(Crm::Salesforce, &named("Won_Value__c"), &currency()),
            "Won_Value__c"
        );
        assert_eq!(
            field(Crm::Salesforce, &CrmChoice::NotSure, &currency()),
            "Amount"
        );
        assert_eq!(
            field(Crm::Dynamics, &named("Gone__c"), &currency()),
            "actualvalue"
        );
        let odd = PreferenceList::from_crm(vec![Choice::Crm {
            value: "A, Name FROM User --".into(),
            label: "odd".into(),
            order: 0,
        }]);
        assert_eq!(
            field(Crm::Salesforce, &named("A, Name FROM User --"), &odd),
            "Amount"
        );
    }

    #[test]
    fn salesforce_asks_for_won_opportunities_of_the_accounts_in_chunks() {
        let ids: Vec<String> = (0..250).map(|i| format!("001Q0000000{i:04}")).collect();
        let mut with_junk = ids.clone();
        with_junk.push("') OR Name != ('".into());
        let requests = requests(&salesforce(), "Won_Value__c", &with_junk);
        assert_eq!(requests.len(), 2);
        let q = query_of(&requests[0]);
        assert!(q.starts_with("q=SELECT AccountId, Won_Value__c FROM Opportunity WHERE IsWon = true AND AccountId IN ('001Q00000000000"), "{q}");
        assert!(!requests.iter().any(|r| query_of(r).contains("OR Name")));
        assert!(requests[0]
            .headers
            .iter()
            .any(|(k, v)| k == "Authorization" && v == "Bearer T"));
    }

    #[test]
    fn dataverse_asks_for_won_opportunities_by_parent_account() {
        let id = "5f0e3a1c-0000-4000-8000-000000000001";
        let requests = requests(&dynamics(), "actualvalue", &[id.to_string(), "x".into()]);
        assert_eq!(requests.len(), 1);
        let q = query_of(&requests[0]);
        assert_eq!(
            q,
            format!("$select=_parentaccountid_value,actualvalue&$filter=statecode eq 1 and (_parentaccountid_value eq {id})")
        );
        assert!(requests[0].with_cookies);
    }

    #[test]
    fn answers_are_summed_by_account_and_pages_stay_on_the_org() {
        let body = r#"{"done":false,"nextRecordsUrl":"/services/data/v66.0/query/01g-2000","records":[
            {"AccountId":"001A","Won_Value__c":1000.5},{"AccountId":"001A","Won_Value__c":499.5},
            {"AccountId":"001B","Won_Value__c":null}]}"#;
        let (values, next) = read(&salesforce(), "Won_Value__c", 200, body).unwrap();
        assert_eq!(
            next.unwrap().url,
            "https://acme.my.salesforce.com/services/data/v66.0/query/01g-2000"
        );
        let totals = totals(values);
        assert_eq!(totals.get("001A"), Some(&1500.0));
        assert_eq!(totals.get("001B"), None, "no value: no total");

        let elsewhere = r#"{"value":[],"@odata.nextLink":"https://evil.example/api/data/v9.2/x"}"#;
        assert!(read(&dynamics(), "actualvalue", 200, elsewhere).is_err());
        let refused = r#"{"error":{"code":"0x80040217","message":"no such column"}}"#;
        assert!(read(&dynamics(), "actualvalue", 400, refused).is_err());
    }
}
