//! The org a validation pass reads and writes, for either CRM: one place that picks the
//! CRM's requests, so the background names no CRM.

use super::{dynamics, salesforce, FlagChange, FlagOutcome, FlagWrite};
use crate::crm::salesforce::{no_session, Session};
use crate::crm::{Crm, CrmError, HttpRequest, OrgHost};

pub enum Target {
    Salesforce(Session),
    Dynamics(OrgHost),
}

impl Target {
    /// Salesforce needs the REST session; Dataverse goes with the browser's cookies.
    pub fn new(crm: Crm, api_host: &str, session: Option<Session>) -> Result<Target, CrmError> {
        match crm {
            Crm::Salesforce => session.map(Target::Salesforce).ok_or_else(no_session),
            Crm::Dynamics => OrgHost::checked(Crm::Dynamics, api_host).map(Target::Dynamics),
        }
    }

    pub fn flagged_request(&self, next: Option<&str>) -> Result<HttpRequest, CrmError> {
        match self {
            Target::Salesforce(session) => Ok(salesforce::flagged_request(session, next)),
            Target::Dynamics(host) => dynamics::flagged_request(host, next),
        }
    }

    pub fn read_flagged(
        &self,
        status: u16,
        body: &str,
    ) -> Result<(Vec<String>, Option<String>), CrmError> {
        match self {
            Target::Salesforce(_) => salesforce::read_flagged(status, body),
            Target::Dynamics(_) => dynamics::read_flagged(status, body),
        }
    }

    pub fn write_requests(&self, changes: &[FlagChange]) -> Vec<FlagWrite> {
        match self {
            Target::Salesforce(session) => salesforce::write_requests(session, changes),
            Target::Dynamics(host) => dynamics::write_requests(host, changes),
        }
    }

    pub fn read_write(
        &self,
        write: &FlagWrite,
        status: u16,
        body: &str,
        retry_after: Option<u32>,
    ) -> Result<Vec<FlagOutcome>, CrmError> {
        let read = match self {
            Target::Salesforce(_) => salesforce::read_write(&write.changes, status, body),
            Target::Dynamics(_) => dynamics::read_write(write, status, body, retry_after),
        };
        read.map_err(|mut e| {
            e.retry_after = e.retry_after.or(retry_after);
            e
        })
    }

    /// The answer an org without the flag gives: data validation is not set up there (an
    /// admin runs its setup step on the admin page). Salesforce says `INVALID_FIELD`;
    /// Dataverse "Could not find a property named …" (its code is often `0x0`, B9), so both
    /// are told by the flag's name in the message.
    pub fn not_set_up(error: &CrmError) -> bool {
        error.status == 400
            && (error.message.contains(salesforce::FLAG_FIELD)
                || error.message.contains(dynamics::FLAG_COLUMN))
    }
}
