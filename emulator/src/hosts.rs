//! Which product a request is for, from its Host header (one process serves every host).

use axum::http::HeaderMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// `*.my.salesforce.com`: login and the REST API.
    SalesforceApi,
    /// `*.lightning.force.com`: the Lightning UI.
    SalesforceUi,
    /// `*.crm[N].dynamics.com`: UI and Web API on one host.
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
    if host.ends_with(".my.salesforce.com") {
        Product::SalesforceApi
    } else if host.ends_with(".lightning.force.com") {
        Product::SalesforceUi
    } else if is_dynamics(host) {
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

fn is_dynamics(host: &str) -> bool {
    host.strip_suffix(".dynamics.com")
        .and_then(|stem| stem.rsplit('.').next())
        .and_then(|region| region.strip_prefix("crm"))
        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
}

/// The Lightning host for a My Domain host, and back (same org labels).
pub fn lightning_host(api_host: &str) -> String {
    api_host.replace(".my.salesforce.com", ".lightning.force.com")
}

pub fn my_domain_host(ui_host: &str) -> String {
    ui_host.replace(".lightning.force.com", ".my.salesforce.com")
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
        assert_eq!(classify("www.dynamics.com", "/"), Product::Other);
        assert_eq!(
            classify("127.0.0.1", "/api/data/v9.2/contacts"),
            Product::Dynamics
        );
        assert_eq!(classify("example.org", "/services/data"), Product::Other);
    }
}
