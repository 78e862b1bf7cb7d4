//! The Salesforce org's data model: sObjects and their fields, record ids, and the custom
//! fields an admin added through the Tooling API.

pub mod custom_fields;
pub mod ids;
pub mod schema;
