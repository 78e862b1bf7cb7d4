//! Org-wide data validation (issue 15, item 5): the admin's `crm-validate` checks every
//! Contact of a Salesforce org against a profiles export through the org's own bulk engine.
//! A Bulk API 2.0 query job reads the contacts with their Accounts ([`bulk`]); each result
//! set is matched against the profiles as it arrives ([`linking`]); one ingest job writes
//! only the flags that change, and its failed rows come back with the CRM's messages. The
//! whole run is a state machine ([`run`]) that names each request and reads each answer; the
//! command only carries them. Native only: a browser extension has no use for it.

pub mod bulk;
pub mod contacts;
pub mod linking;
pub mod profiles_file;
pub mod run;

pub use run::{Step, ValidationRun};

/// Where and as whom: what `sf org display` prints as Instance Url and Access Token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `https://acme.my.salesforce.com`, no trailing slash.
    pub instance_url: String,
    pub access_token: String,
}

impl Target {
    /// Checks the instance URL: HTTPS, a host and nothing after it (plain HTTP only to this
    /// machine, where the emulator may listen).
    pub fn new(instance_url: &str, access_token: &str) -> Result<Target, String> {
        let url = url::Url::parse(instance_url.trim())
            .map_err(|e| format!("instance URL {instance_url:?}: {e}"))?;
        let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
            return Err(format!("instance URL {instance_url:?}: must be https"));
        }
        if url.host_str().is_none()
            || !url.path().trim_matches('/').is_empty()
            || url.query().is_some()
        {
            return Err(format!(
                "instance URL {instance_url:?}: give the org's address only, e.g. https://acme.my.salesforce.com"
            ));
        }
        let token = access_token.trim();
        if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("the access token is empty or holds spaces".into());
        }
        Ok(Target {
            instance_url: url.as_str().trim_end_matches('/').to_string(),
            access_token: token.to_string(),
        })
    }
}

/// A flag the org refused to change, with its own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedFlag {
    pub contact_id: String,
    pub flagged: bool,
    pub code: String,
    pub message: String,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub contacts: usize,
    pub profiles: usize,
    /// Contacts linked to a profile (one-to-one, or the same e-mail).
    pub linked: usize,
    /// Profiles more than one contact claimed, none by e-mail: left alone.
    pub ambiguous: usize,
    /// Contacts whose profile names another company (flagged after the run).
    pub not_at_company: usize,
    pub set: usize,
    pub cleared: usize,
    pub refused: Vec<RefusedFlag>,
    pub requests: usize,
    /// Whether flags were only planned (`--dry-run`).
    pub dry_run: bool,
    /// The changes, as written or planned: (contact id, flagged).
    pub changes: Vec<(String, bool)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_instance_url_is_an_https_origin() {
        let t = Target::new("https://acme.my.salesforce.com/", " 00D!abc ").unwrap();
        assert_eq!(t.instance_url, "https://acme.my.salesforce.com");
        assert_eq!(t.access_token, "00D!abc");
        assert!(Target::new("http://acme.my.salesforce.com", "t").is_err());
        assert!(Target::new("http://127.0.0.1:8443", "t").is_ok());
        assert!(Target::new("https://acme.my.salesforce.com/services/data", "t").is_err());
        assert!(Target::new("acme", "t").is_err());
        assert!(Target::new("https://acme.my.salesforce.com", "a b").is_err());
    }
}
