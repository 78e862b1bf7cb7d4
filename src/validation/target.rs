//! The org a validation pass reads and writes, for either CRM: one place that picks the
//! CRM's requests, so the background names no CRM.

use super::{dynamics, salesforce, FlagChange, FlagOutcome, FlagWrite};
use serde_json::json;

use crate::crm::admin::dynamics::write;
use crate::crm::dynamics::api_base;
use crate::crm::salesforce::{authorized, base_url, no_session, read_error, Session};
use crate::crm::{Crm, CrmError, CrmErrorKind, DataverseGuid, HttpRequest, OrgHost};
use crate::salesforce_id::SalesforceId;

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

    /// Moves a contact to an Account (the views' one-click fix): both ids must be record ids
    /// of this CRM, or nothing is sent. Dataverse updates with `If-Match: *` (B5).
    pub fn move_request(
        &self,
        contact_id: &str,
        account_id: &str,
    ) -> Result<HttpRequest, CrmError> {
        let not_an_id = || CrmError::new(CrmErrorKind::NotFound, 0, "NOT_A_RECORD_ID", contact_id);
        match self {
            Target::Salesforce(session) => {
                let contact = SalesforceId::parse(contact_id).ok_or_else(not_an_id)?;
                let account = SalesforceId::parse(account_id).ok_or_else(not_an_id)?;
                let url = format!("{}/sobjects/Contact/{contact}", base_url(&session.api_host));
                let mut request = authorized(session, "PATCH", url);
                request
                    .headers
                    .push(("Content-Type".into(), "application/json".into()));
                request.body = Some(json!({"AccountId": account.as_str()}).to_string());
                Ok(request)
            }
            Target::Dynamics(host) => {
                let contact = DataverseGuid::parse(contact_id).ok_or_else(not_an_id)?;
                let account = DataverseGuid::parse(account_id).ok_or_else(not_an_id)?;
                let body =
                    json!({"parentcustomerid_account@odata.bind": format!("/accounts({account})")});
                let mut request = write(
                    "PATCH",
                    format!("{}/contacts({contact})", api_base(host)),
                    Some(body),
                );
                request.headers.push(("If-Match".into(), "*".into()));
                Ok(request)
            }
        }
    }

    pub fn read_move(
        &self,
        status: u16,
        body: &str,
        retry_after: Option<u32>,
    ) -> Result<(), CrmError> {
        if (200..300).contains(&status) {
            return Ok(());
        }
        Err(match self {
            Target::Salesforce(_) => read_error(status, body),
            Target::Dynamics(_) => crate::crm::dynamics::read_error(status, body, retry_after),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_names_only_record_ids_of_the_crm() {
        let dv = Target::new(Crm::Dynamics, "acme.crm.dynamics.com", None).unwrap();
        let c = "00000000-0000-0000-0000-000000000001";
        let a = "00000000-0000-0000-0000-0000000000a2";
        let request = dv.move_request(c, a).unwrap();
        assert!(request.url.ends_with(&format!("/contacts({c})")));
        assert!(request.body.unwrap().contains(&format!("/accounts({a})")));
        assert!(request.headers.contains(&("If-Match".into(), "*".into())));
        assert!(dv.move_request(c, "x) or (1").is_err());
        let session = Session {
            api_host: OrgHost::salesforce("acme.my.salesforce.com").unwrap(),
            token: "T".into(),
        };
        let sf = Target::new(Crm::Salesforce, "acme.my.salesforce.com", Some(session)).unwrap();
        let request = sf
            .move_request("003000000000001AAA", "001000000000002AAA")
            .unwrap();
        assert!(request
            .url
            .ends_with("/sobjects/Contact/003000000000001AAA"));
        assert!(sf.move_request("003000000000001AAA", "../../x").is_err());
        assert!(Target::new(Crm::Salesforce, "acme.my.salesforce.com", None).is_err());
    }
}
