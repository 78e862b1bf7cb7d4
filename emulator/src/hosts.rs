//! Which product a request is for, from its Host header (one process serves every host).
//! The CRM host suffixes are the core's host table's, so the emulator serves every cloud,
//! region and proxied host the extension is granted (the table's data only: the emulator
//! reads hosts its own, simpler way).

use axum::http::HeaderMap;

#[allow(dead_code)] // the table's parts only the core reads
#[path = "../../src/crm/host_table.rs"]
pub mod host_table;

use host_table::{SalesforceCloud, DYNAMICS_REGIONS, SALESFORCE_CLOUDS, SESSION_PROXY_SUFFIXES};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// `*.my.salesforce.com` (and the other clouds' API hosts): login and the REST API.
    SalesforceApi,
    /// `*.lightning.force.com` (and the other clouds' UI hosts): the Lightning UI.
    SalesforceUi,
    /// `*.crm[N].dynamics.com` (and the sovereign clouds'): UI and Web API on one host.
    Dynamics,
    /// `*.linkedin.com`: the network's public profile pages.
    Network,
    /// Any other site (used to check the extension leaves it alone).
    Other,
}

/// The request's host name, lower case, without port.
pub fn host(headers: &HeaderMap) -> String {
    let raw = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let name = match raw.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => raw,
    };
    name.to_ascii_lowercase()
}

pub fn classify(host: &str, path: &str) -> Product {
    let real = unproxied(host);
    if SALESFORCE_CLOUDS
        .iter()
        .any(|c| real.ends_with(c.api_suffix))
    {
        Product::SalesforceApi
    } else if SALESFORCE_CLOUDS
        .iter()
        .any(|c| real.ends_with(c.ui_suffix))
    {
        Product::SalesforceUi
    } else if DYNAMICS_REGIONS
        .iter()
        .any(|r| real.ends_with(&format!(".{}", r.suffix)))
    {
        Product::Dynamics
    } else if host == "linkedin.com" || host.ends_with(".linkedin.com") {
        Product::Network
    } else if host == "127.0.0.1" || host == "localhost" {
        // API clients that connect directly name no CRM host: route by path.
        if path.starts_with("/api/data/") {
            Product::Dynamics
        } else if path.starts_with("/services/") {
            Product::SalesforceApi
        } else {
            Product::Other
        }
    } else {
        Product::Other
    }
}

fn unproxied(host: &str) -> &str {
    SESSION_PROXY_SUFFIXES
        .iter()
        .find_map(|proxy| host.strip_suffix(proxy))
        .unwrap_or(host)
}

/// The Lightning host for a My Domain host, and back (same org labels, the cloud's other
/// suffix, any proxy suffix kept); any other host is its own.
pub fn lightning_host(api_host: &str) -> String {
    swap_suffix(api_host, |c| (c.api_suffix, c.ui_suffix))
}

pub fn my_domain_host(ui_host: &str) -> String {
    swap_suffix(ui_host, |c| (c.ui_suffix, c.api_suffix))
}

fn swap_suffix(host: &str, pair: fn(&SalesforceCloud) -> (&'static str, &'static str)) -> String {
    let real = unproxied(host);
    SALESFORCE_CLOUDS
        .iter()
        .map(pair)
        .find(|(from, _)| real.ends_with(from))
        .map_or_else(|| host.to_string(), |(from, to)| host.replacen(from, to, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_route_to_products() {
        assert_eq!(
            classify("acme.my.salesforce.com", "/"),
            Product::SalesforceApi
        );
        assert_eq!(
            classify("acme--uat.sandbox.lightning.force.com", "/"),
            Product::SalesforceUi
        );
        assert_eq!(classify("acme.crm4.dynamics.com", "/"), Product::Dynamics);
        assert_eq!(
            classify("acme.my.salesforce.mil", "/"),
            Product::SalesforceApi
        );
        assert_eq!(
            classify("acme.lightning.crmforce.mil", "/"),
            Product::SalesforceUi
        );
        assert_eq!(
            classify("acme.crm.dynamics.com.mcas.ms", "/"),
            Product::Dynamics
        );
        assert_eq!(
            lightning_host("acme.my.salesforce.mil"),
            "acme.lightning.crmforce.mil"
        );
        assert_eq!(
            my_domain_host("acme.lightning.crmforce.mil"),
            "acme.my.salesforce.mil"
        );
        assert_eq!(classify("www.dynamics.com", "/"), Product::Other);
        assert_eq!(
            classify("127.0.0.1", "/api/data/v9.2/contacts"),
            Product::Dynamics
        );
        assert_eq!(classify("example.org", "/services/data"), Product::Other);
    }
}
