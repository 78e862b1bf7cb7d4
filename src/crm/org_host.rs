//! The host of an org's API: the only host a request the core builds may name. Only the
//! validating constructors make one, so a URL builder that takes an [`OrgHost`] cannot be
//! handed `evil.example/x?.my.salesforce.com` or any other text that is not an org's host.

use serde::{Deserialize, Serialize};

use super::{Crm, CrmError, CrmErrorKind};

/// A Salesforce My Domain API host or a Dataverse environment host, in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgHost(String);

/// The My Domain host serves the REST API; the Lightning UI host does not (CRM-APIS A11,
/// A12.3). Production is `{MyDomain}.my.salesforce.com`, a sandbox
/// `{MyDomain}--{Sandbox}.sandbox.my.salesforce.com`, and Developer Edition, scratch orgs and
/// playgrounds add a partition label such as `.develop.` (CRM-APIS A11; Salesforce's Postman
/// collection lists both forms: forcedotcom/postman-salesforce-apis, install-with-app.md).
pub const MY_DOMAIN_SUFFIX: &str = ".my.salesforce.com";

impl OrgHost {
    /// `{MyDomain}[--{Sandbox}][.{partition}].my.salesforce.com`.
    pub fn salesforce(host: &str) -> Option<OrgHost> {
        let host = host.to_ascii_lowercase();
        let stem = host.strip_suffix(MY_DOMAIN_SUFFIX)?;
        let labels: Vec<&str> = stem.split('.').collect();
        // The My Domain name, then at most one partition label (`sandbox`, `develop`, …).
        let shape_ok = (1..=2).contains(&labels.len()) && labels.iter().all(|l| is_dns_label(l));
        shape_ok.then_some(OrgHost(host))
    }

    /// `{org}.crm[N].dynamics.com`, or the Web API's `{org}.api.crm[N].dynamics.com`
    /// (CRM-APIS B10; Microsoft's Web API overview shows
    /// `https://yourorg.api.crm.dynamics.com/api/data/v9.2`).
    pub fn dynamics(host: &str) -> Option<OrgHost> {
        let host = host.to_ascii_lowercase();
        is_dynamics_host(&host).then_some(OrgHost(host))
    }

    /// The API host of an org of `crm`.
    pub fn of(crm: Crm, host: &str) -> Option<OrgHost> {
        match crm {
            Crm::Salesforce => OrgHost::salesforce(host),
            Crm::Dynamics => OrgHost::dynamics(host),
        }
    }

    /// Like [`OrgHost::of`], with the error a request builder answers for any other text.
    pub fn checked(crm: Crm, host: &str) -> Result<OrgHost, CrmError> {
        OrgHost::of(crm, host).ok_or_else(|| {
            let detail = format!("not an org's host: {host}");
            CrmError::new(CrmErrorKind::Unexpected, 0, "NOT_AN_ORG_HOST", &detail)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OrgHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OrgHost {
    type Error = String;

    /// A stored or sent host is checked again: either CRM's shape.
    fn try_from(host: String) -> Result<OrgHost, String> {
        OrgHost::salesforce(&host)
            .or_else(|| OrgHost::dynamics(&host))
            .ok_or_else(|| format!("not a CRM org's host: {host:?}"))
    }
}

impl From<OrgHost> for String {
    fn from(host: OrgHost) -> String {
        host.0
    }
}

/// `{org}.crm[N].dynamics.com` (CRM-APIS B10), also `{org}.api.crm[N].dynamics.com`.
pub fn is_dynamics_host(host: &str) -> bool {
    let Some(stem) = host.strip_suffix(".dynamics.com") else {
        return false;
    };
    let mut labels: Vec<&str> = stem.split('.').collect();
    let Some(region) = labels.pop() else {
        return false;
    };
    let region_ok = region
        .strip_prefix("crm")
        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()));
    if labels.last() == Some(&"api") {
        labels.pop();
    }
    region_ok && labels.len() == 1 && is_dns_label(labels[0])
}

pub(crate) fn is_dns_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesforce_api_hosts_of_every_org_kind() {
        for host in [
            "acme.my.salesforce.com",
            "acme--uat.sandbox.my.salesforce.com",
            "acme-dev-ed.develop.my.salesforce.com",
            "ACME.My.Salesforce.com",
        ] {
            let parsed = OrgHost::salesforce(host).expect(host);
            assert_eq!(parsed.as_str(), host.to_ascii_lowercase());
        }
    }

    #[test]
    fn hosts_that_only_end_like_an_org_are_refused() {
        for host in [
            "evil.example/x?.my.salesforce.com",
            "evil.example#.my.salesforce.com",
            "user@evil.example.my.salesforce.com",
            "a.b.c.my.salesforce.com",
            ".my.salesforce.com",
            "my.salesforce.com",
            "acme.my.salesforce.com.evil.example",
            "acme.lightning.force.com",
            "acme.my.salesforce.com:8443",
            "",
        ] {
            assert_eq!(OrgHost::salesforce(host), None, "{host}");
            assert_eq!(OrgHost::of(Crm::Salesforce, host), None, "{host}");
        }
        for host in [
            "evil.example/x?.crm.dynamics.com",
            "www.dynamics.com",
            "acme.crmx.dynamics.com",
            "a.b.crm.dynamics.com",
            "acme.my.salesforce.com",
        ] {
            assert_eq!(OrgHost::dynamics(host), None, "{host}");
        }
    }

    #[test]
    fn dataverse_regional_and_api_hosts() {
        for host in [
            "acme.crm.dynamics.com",
            "acme.crm4.dynamics.com",
            "acme.api.crm12.dynamics.com",
        ] {
            assert!(OrgHost::dynamics(host).is_some(), "{host}");
        }
    }

    #[test]
    fn a_stored_host_is_checked_when_read() {
        let ok: OrgHost = serde_json::from_str(r#""acme.crm.dynamics.com""#).unwrap();
        assert_eq!(
            serde_json::to_string(&ok).unwrap(),
            r#""acme.crm.dynamics.com""#
        );
        assert!(serde_json::from_str::<OrgHost>(r#""evil.example/x?.my.salesforce.com""#).is_err());
    }
}
