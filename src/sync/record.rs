//! A CRM record as crmsync keeps it: enough to match, badge and show it, for either CRM.

use serde::{Deserialize, Serialize};

use crate::crm::RecordType;
use crate::matching::{Company, Person};

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrmRecord {
    pub record_type: RecordType,
    pub id: String,
    pub name: String,
    /// Contacts and Leads, for matching (`person.id` is the record id).
    pub person: Option<Person>,
    /// Accounts, for company matching (`company.id` is the record id).
    pub company: Option<Company>,
    /// A Contact's or Opportunity's Account.
    pub account_id: Option<String>,
    pub owner_id: Option<String>,
    /// Opportunities: stage name as the CRM shows it.
    pub stage: Option<String>,
    /// Opportunities: the stage's value as the admin's pipeline choice names it (Salesforce:
    /// the `StageName` API value; Dataverse: the `salesstagecode` option value).
    #[serde(default)]
    pub stage_value: Option<String>,
    /// Opportunities: the contacts with a role on it (Dynamics: the primary contact).
    #[serde(default)]
    pub contact_ids: Vec<String>,
    /// Opportunities: closed (won or lost) or open, when the CRM said.
    #[serde(default)]
    pub closed: Option<bool>,
    /// Opportunities: won, when the CRM said.
    #[serde(default)]
    pub won: Option<bool>,
    /// Contacts: the Not at Company flag as the CRM holds it; `None` when the org has no
    /// flag field (data validation was never set up) or the sync did not read it.
    #[serde(default)]
    pub not_at_company: Option<bool>,
    pub modified: Option<String>,
}

impl CrmRecord {
    pub fn new(record_type: RecordType, id: String, name: String) -> CrmRecord {
        CrmRecord {
            record_type,
            id,
            name,
            person: None,
            company: None,
            account_id: None,
            owner_id: None,
            stage: None,
            contact_ids: Vec::new(),
            stage_value: None,
            closed: None,
            won: None,
            not_at_company: None,
            modified: None,
        }
    }
}
