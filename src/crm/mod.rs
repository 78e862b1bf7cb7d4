//! CRM requests and responses as data: the core describes each HTTP request and reads each
//! response; the extension's JavaScript only performs the `fetch`. One file per CRM adapter.

pub mod admin;
pub mod batch;
pub mod budget;
pub mod dataverse_id;
pub mod dynamics;
pub mod error;
pub mod host_table;
pub mod org_host;
pub mod salesforce;

use serde::{Deserialize, Serialize};

pub use dataverse_id::DataverseGuid;
pub use error::{CrmError, CrmErrorKind};
pub use org_host::OrgHost;

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Crm {
    Salesforce,
    Dynamics,
}

/// The CRM objects crmsync works with, named per CRM by the adapters.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RecordType {
    Contact,
    Lead,
    Account,
    Opportunity,
}

impl RecordType {
    pub const ALL: [RecordType; 4] = [
        RecordType::Contact,
        RecordType::Lead,
        RecordType::Account,
        RecordType::Opportunity,
    ];

    /// The Salesforce sObject API name.
    pub fn salesforce_name(self) -> &'static str {
        match self {
            RecordType::Contact => "Contact",
            RecordType::Lead => "Lead",
            RecordType::Account => "Account",
            RecordType::Opportunity => "Opportunity",
        }
    }

    /// The Dataverse entity logical name.
    pub fn dynamics_name(self) -> &'static str {
        match self {
            RecordType::Contact => "contact",
            RecordType::Lead => "lead",
            RecordType::Account => "account",
            RecordType::Opportunity => "opportunity",
        }
    }

    /// sObject names are case-insensitive in Lightning URLs.
    pub fn from_salesforce(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.salesforce_name().eq_ignore_ascii_case(name))
    }

    /// The first three characters of every record id of the object (case-sensitive: `00q` is
    /// OpportunityTeamMember, not Lead). CRM-APIS A10.
    pub fn salesforce_key_prefix(self) -> &'static str {
        match self {
            RecordType::Contact => "003",
            RecordType::Lead => "00Q",
            RecordType::Account => "001",
            RecordType::Opportunity => "006",
        }
    }

    /// The object of a Salesforce record id, from its key prefix.
    pub fn from_salesforce_key_prefix(id: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| id.starts_with(t.salesforce_key_prefix()))
    }

    pub fn from_dynamics(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.dynamics_name().eq_ignore_ascii_case(name))
    }
}

/// An HTTP request for the extension to send exactly as described.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Whether the browser should attach the CRM host's cookies (Dynamics' session).
    pub with_cookies: bool,
}

/// What the panel shows about a CRM record: already reduced to display fields.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordSummary {
    pub record_type: RecordType,
    pub id: String,
    pub name: String,
    /// Key fields as (field label key, value), in display order; empty values left out.
    pub fields: Vec<(String, String)>,
}
