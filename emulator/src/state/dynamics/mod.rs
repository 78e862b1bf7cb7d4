//! The Dataverse org's data model: tables, their columns and navigation properties, and the
//! custom columns created through `EntityDefinitions`.

pub mod custom_attributes;
pub mod schema;
