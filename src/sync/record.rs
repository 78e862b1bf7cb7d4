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
    /// Opportunities: the contacts with a role on it (Dynamics: the primary contact).
    #[serde(default)]
    pub contact_ids: Vec<String>,
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
            modified: None,
        }
    }
}
