//! Data validation (issue 15, PRODUCT feature 10): the *Not at Company* flag on a Contact says
//! that the person's current employer on their profile is no longer the Contact's Account.
//! Which contacts are checked ([`scope`]), what each one's flag should be ([`decide`]), the
//! four views ([`views`]), and the CRM requests that create the flag and write it
//! ([`salesforce`], [`dynamics`]). No I/O: the background drives these.

pub mod decide;
pub mod dynamics;
pub mod salesforce;
pub mod scope;
pub mod target;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::crm::{CrmError, HttpRequest};

pub use decide::{validate, verdict, Dismissals, Finding, Validation, Verdict};
pub use scope::in_scope;
pub use views::{view, ViewKind, ViewRow};

/// One flag to write: set (`flagged`) or cleared.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlagChange {
    pub contact_id: String,
    pub flagged: bool,
}

/// The most flags one write request carries: an sObject Collections update takes 200
/// records (CRM-APIS A6); a Dataverse `$batch` takes 1,000 operations (B6), of which we use
/// as many, so either CRM writes 200 flags in one request.
pub const FLAGS_PER_REQUEST: usize = 200;

/// One write request and the flags it carries, in the order of its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct FlagWrite {
    pub changes: Vec<FlagChange>,
    pub request: HttpRequest,
}

/// What became of one flag of a write request.
#[derive(Debug, Clone, PartialEq)]
pub enum FlagOutcome {
    Written,
    /// The CRM refused this contact's update (a validation rule, a deleted contact): shown
    /// with the CRM's message and not tried again until the contact changes.
    Refused(CrmError),
    /// Try again later (a row lock, a throttled part).
    Retry(CrmError),
}
