//! Query escaping: the single way crmsync puts user text into SOQL, SOSL and OData queries
//! (and [`csv_cell`]: into a CSV cell a spreadsheet opens).
//! Each function returns a complete literal or term, so callers never splice quotes
//! themselves. Field and object names are never escaped: they come from describe, not users.
//! The emulator's strict parsers property-test these (`emulator/tests/escaping.rs`).

pub mod csv_cell;
pub mod odata;
pub mod soql;
pub mod sosl;
