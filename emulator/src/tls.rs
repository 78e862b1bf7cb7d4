//! TLS for every emulated host: a throw-away CA generated at start signs one leaf certificate
//! naming the CRM hostnames. Clients trust the CA file we write (or ignore certificate errors).

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;

/// Names the leaf certificate covers. A wildcard covers one label, so sandbox and regional
/// hosts are listed separately.
const SERVER_NAMES: &[&str] = &[
    "localhost",
    "127.0.0.1",
    "*.my.salesforce.com",
    "*.sandbox.my.salesforce.com",
    "*.develop.my.salesforce.com",
    "*.lightning.force.com",
    "*.sandbox.lightning.force.com",
    "*.develop.lightning.force.com",
    "*.crm.dynamics.com",
    "*.crm2.dynamics.com",
    "*.crm3.dynamics.com",
    "*.crm4.dynamics.com",
    "*.crm5.dynamics.com",
    "*.crm6.dynamics.com",
    "*.crm7.dynamics.com",
    "*.crm8.dynamics.com",
    "*.crm9.dynamics.com",
    "*.crm11.dynamics.com",
    "*.crm12.dynamics.com",
    "*.api.crm.dynamics.com",
    "example.org",
    "www.example.org",
    "linkedin.com",
    "*.linkedin.com",
];

pub struct Tls {
    pub config: Arc<ServerConfig>,
    /// The CA certificate, PEM, for clients that verify (e.g. `requests` with `verify=`).
    pub ca_pem: String,
    /// The same CA certificate, DER, for in-process clients (tests, benches).
    pub ca_der: Vec<u8>,
}

pub fn generate() -> Result<Tls, Box<dyn std::error::Error>> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "crmsync emulator CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate()?)?;

    // And one wildcard for every host suffix of the core's host table (other clouds, regions
    // and proxied hosts).
    let table = crate::hosts::host_table::crm_host_suffixes();
    let mut names: Vec<String> = SERVER_NAMES
        .iter()
        .map(|s| s.to_string())
        .chain(table.iter().map(|suffix| format!("*{suffix}")))
        .collect();
    names.sort();
    names.dedup();
    let mut leaf_params = CertificateParams::new(names)?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "crmsync emulator");
    let leaf_key = KeyPair::generate()?;
    let leaf = leaf_params.signed_by(&leaf_key, &ca)?;

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        config: Arc::new(config),
        ca_pem: ca.pem(),
        ca_der: ca.der().to_vec(),
    })
}
