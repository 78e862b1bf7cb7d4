//! The host of an org's API: the only host a request the core builds may name. Only the
//! validating constructors make one, so a URL builder that takes an [`OrgHost`] cannot be
//! handed `evil.example/x?.my.salesforce.com` or any other text that is not an org's host.
//! Which hosts those are, and how a page's host leads to its API host, is the host table's
//! (`host_table.rs`, CRM-APIS A11, A18, B10).

use serde::{Deserialize, Serialize};

use super::host_table::{
    SalesforceCloud, DYNAMICS_REGIONS, SALESFORCE_CLOUDS, SALESFORCE_PARTITIONS,
    SESSION_PROXY_SUFFIXES,
};
use super::{Crm, CrmError, CrmErrorKind};

/// A Salesforce My Domain API host or a Dataverse environment host, in lower case, behind a
/// session proxy when the user's pages are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgHost(String);

impl OrgHost {
    /// `{MyDomain}[--{Sandbox}][.{partition}]` + a cloud's API suffix (`.my.salesforce.com`,
    /// `.my.salesforce.mil`, `.my.sfcrmproducts.cn`), proxied or not.
    pub fn salesforce(host: &str) -> Option<OrgHost> {
        let host = host.to_ascii_lowercase();
        salesforce_parts(&host, |cloud| cloud.api_suffix)?;
        Some(OrgHost(host))
    }

    /// `{org}[.api]` + a region's suffix (`.crm4.dynamics.com`, `.crm.microsoftdynamics.us`, …);
    /// Microsoft's Web API overview shows `https://yourorg.api.crm.dynamics.com/api/data/v9.2`.
    pub fn dynamics(host: &str) -> Option<OrgHost> {
        let host = host.to_ascii_lowercase();
        is_dataverse_host(&host).then_some(OrgHost(host))
    }

    /// The API host of an org of `crm`.
    pub fn of(crm: Crm, host: &str) -> Option<OrgHost> {
        match crm {
            Crm::Salesforce => OrgHost::salesforce(host),
            Crm::Dynamics => OrgHost::dynamics(host),
        }
    }

    /// The CRM and API host of a page the user sees. Lightning hosts do not serve the REST
    /// API (CRM-APIS A12.3): the same stem on the cloud's API suffix does. A Dataverse host
    /// serves its own Web API. A proxied page's API host is proxied the same way, because
    /// the proxy holds the session (CRM-APIS A18).
    pub fn of_page(ui_host: &str) -> Option<(Crm, OrgHost)> {
        let host = ui_host.to_ascii_lowercase();
        if let Some(sf) = salesforce_parts(&host, |cloud| cloud.ui_suffix) {
            let api = format!("{}{}{}", sf.stem, sf.cloud.api_suffix, sf.proxy);
            return Some((Crm::Salesforce, OrgHost(api)));
        }
        Some((Crm::Dynamics, OrgHost::dynamics(&host)?))
    }

    /// The host of the org's pages: the inverse of [`OrgHost::of_page`].
    pub fn ui_host(&self) -> String {
        if let Some(sf) = salesforce_parts(&self.0, |cloud| cloud.api_suffix) {
            return format!("{}{}{}", sf.stem, sf.cloud.ui_suffix, sf.proxy);
        }
        self.0.replacen(".api.", ".", 1)
    }

    pub fn crm(&self) -> Crm {
        match salesforce_parts(&self.0, |cloud| cloud.api_suffix) {
            Some(_) => Crm::Salesforce,
            None => Crm::Dynamics,
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

    /// Whether the org is reached through a session proxy (a Defender for Cloud Apps suffix).
    pub fn is_proxied(&self) -> bool {
        !unproxied(&self.0).1.is_empty()
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

/// A Salesforce host of the table, cut into its parts: `{stem}{cloud suffix}{proxy suffix}`.
struct SalesforceParts<'h> {
    stem: &'h str,
    cloud: &'static SalesforceCloud,
    proxy: &'static str,
}

/// The real host under a session proxy's suffix (`acme.crm.dynamics.com.mcas.ms` →
/// `acme.crm.dynamics.com`, `.mcas.ms`); a host not proxied is its own real host.
fn unproxied(host: &str) -> (&str, &'static str) {
    SESSION_PROXY_SUFFIXES
        .iter()
        .find_map(|proxy| Some((host.strip_suffix(proxy)?, *proxy)))
        .unwrap_or((host, ""))
}

fn salesforce_parts(
    host: &str,
    suffix: fn(&SalesforceCloud) -> &'static str,
) -> Option<SalesforceParts<'_>> {
    let (real, proxy) = unproxied(host);
    SALESFORCE_CLOUDS.iter().find_map(|cloud| {
        let stem = real.strip_suffix(suffix(cloud))?;
        is_my_domain_stem(stem).then_some(SalesforceParts { stem, cloud, proxy })
    })
}

/// `{MyDomain}` (a sandbox's is `{MyDomain}--{Sandbox}`, one DNS label) and at most one
/// partition label of the table.
fn is_my_domain_stem(stem: &str) -> bool {
    match stem.split_once('.') {
        None => is_dns_label(stem),
        Some((name, partition)) => is_dns_label(name) && SALESFORCE_PARTITIONS.contains(&partition),
    }
}

/// `{org}[.api].{region suffix}`, proxied or not.
fn is_dataverse_host(host: &str) -> bool {
    let (real, _) = unproxied(host);
    DYNAMICS_REGIONS.iter().any(|region| {
        let stem = real
            .strip_suffix(region.suffix)
            .and_then(|rest| rest.strip_suffix('.'));
        let org = stem.map(|stem| stem.strip_suffix(".api").unwrap_or(stem));
        org.is_some_and(is_dns_label)
    })
}

pub(crate) fn is_dns_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
#[path = "org_host_tests.rs"]
mod tests;
