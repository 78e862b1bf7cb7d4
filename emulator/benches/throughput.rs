//! Loopback throughput of the emulator: starts it in-process with the demo seed, then drives
//! it with N concurrent keep-alive HTTP/1.1 clients for a fixed number of requests per
//! scenario. Bounded and loopback only.
//!
//! `cargo bench -p emulator --bench throughput` (env: BENCH_CLIENTS=8, BENCH_REQUESTS=20000).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use emulator::state::limits::LimitsChange;
use emulator::state::seed::Seed;
use emulator::state::sessions::SessionKind;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;

struct Scenario {
    name: &'static str,
    path: String,
    auth: String,
    /// Over TLS (as API clients connect) rather than plain HTTP.
    tls: bool,
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::main]
async fn main() {
    let clients = env("BENCH_CLIENTS", 8);
    let requests = env("BENCH_REQUESTS", 20_000);
    let started = Instant::now();
    let emu = emulator::build(None, Seed::Demo, Duration::from_secs(3600)).expect("emulator");
    let built = started.elapsed();
    let tls = emulator::tls::generate().expect("tls");
    let connector = client_tls(&tls.ca_der);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(emulator::serve(listener, emu.clone(), tls.config));
    println!(
        "emulator built with the demo seed in {} ms (in-process, TLS key generation excluded)",
        built.as_millis()
    );

    let sf = format!("{}!bench", emu.org.salesforce_org_id);
    emu.sessions
        .issue(sf.clone(), SessionKind::SalesforceApi, "0055g0000000001AAA");
    emu.sessions.issue(
        "bench-dyn".into(),
        SessionKind::Dynamics,
        &emulator::state::seed::guid(8, 1),
    );
    // The bench sends far more than the org's daily and throttling limits allow.
    emu.limits.change(&LimitsChange {
        salesforce_daily: Some(u64::MAX / 2),
        dynamics_per_window: Some(u64::MAX / 2),
        ..LimitsChange::default()
    });

    let scenarios = [
        Scenario {
            name: "SOQL one record by Id",
            path: format!("/services/data/v66.0/query?q={}", encode("SELECT Id, Name, Email, Account.Name FROM Contact WHERE Id = '0035g0000000001AAA'")),
            auth: format!("Bearer {sf}"),
            tls: false,
        },
        Scenario {
            name: "SOQL one record by Email (scan)",
            path: format!("/services/data/v66.0/query?q={}", encode("SELECT Id, Name FROM Contact WHERE Email = 'ada.lovelace@acme.com'")),
            auth: format!("Bearer {sf}"),
            tls: false,
        },
        Scenario {
            name: "Dataverse $filter one record",
            path: format!("/api/data/v9.2/contacts?$select=fullname,emailaddress1&$filter={}", encode("emailaddress1 eq 'ada.lovelace@acme.com'")),
            auth: "Bearer bench-dyn".to_string(),
            tls: false,
        },
        Scenario {
            name: "SOQL one record by Id, TLS",
            path: format!("/services/data/v66.0/query?q={}", encode("SELECT Id, Name, Email, Account.Name FROM Contact WHERE Id = '0035g0000000001AAA'")),
            auth: format!("Bearer {sf}"),
            tls: true,
        },
        Scenario {
            name: "Dataverse $filter one record, TLS",
            path: format!("/api/data/v9.2/contacts?$select=fullname,emailaddress1&$filter={}", encode("emailaddress1 eq 'ada.lovelace@acme.com'")),
            auth: "Bearer bench-dyn".to_string(),
            tls: true,
        },
    ];
    println!("{clients} keep-alive clients, {requests} requests per scenario, HTTP/1.1 on {addr}");
    for s in &scenarios {
        let tls = s.tls.then(|| connector.clone());
        run(addr, s, clients, requests, tls).await;
    }
    paging(&emu, addr, &sf).await;
}

/// Pages through every contact after adding 100,000 per CRM: SOQL `nextRecordsUrl` batches
/// and Dataverse `@odata.nextLink` pages, one client.
async fn paging(emu: &emulator::state::Emulator, addr: std::net::SocketAddr, sf: &str) {
    let count = env("BENCH_CONTACTS", 100_000) as u64;
    let started = Instant::now();
    {
        let db = emu.db();
        emulator::state::seed::generate_contacts(&db, emulator::state::db::Crm::Salesforce, count)
            .expect("generate");
        emulator::state::seed::generate_contacts(&db, emulator::state::db::Crm::Dynamics, count)
            .expect("generate");
    }
    println!(
        "generated {count} contacts per CRM in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (mut sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(connection);
    let mut get = async |path: String, auth: &str, prefer: Option<&str>| -> serde_json::Value {
        let mut request = hyper::Request::get(path)
            .header("host", "localhost")
            .header("authorization", auth);
        if let Some(p) = prefer {
            request = request.header("prefer", p);
        }
        sender.ready().await.expect("connection ready");
        let response = sender
            .send_request(request.body(Body::empty()).expect("request"))
            .await
            .expect("response");
        let body = axum::body::to_bytes(Body::new(response.into_body()), usize::MAX)
            .await
            .expect("body");
        serde_json::from_slice(&body).expect("json")
    };
    let started = Instant::now();
    let mut page = get(
        format!(
            "/services/data/v66.0/query?q={}",
            encode("SELECT Id, Name, Email FROM Contact")
        ),
        &format!("Bearer {sf}"),
        None,
    )
    .await;
    let first = started.elapsed();
    let (mut records, mut pages) = (page["records"].as_array().map_or(0, Vec::len), 1);
    while let Some(next) = page["nextRecordsUrl"].as_str().map(str::to_string) {
        page = get(next, &format!("Bearer {sf}"), None).await;
        records += page["records"].as_array().map_or(0, Vec::len);
        pages += 1;
    }
    println!(
        "SOQL paging: {records} contacts in {pages} batches, first batch {:.0} ms, all {:.2} s",
        first.as_secs_f64() * 1000.0,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let mut page = get(
        "/api/data/v9.2/contacts?$select=fullname,emailaddress1".to_string(),
        "Bearer bench-dyn",
        Some("odata.maxpagesize=5000"),
    )
    .await;
    let first = started.elapsed();
    let (mut rows, mut pages) = (page["value"].as_array().map_or(0, Vec::len), 1);
    while let Some(next) = page["@odata.nextLink"].as_str().map(str::to_string) {
        let path = next
            .split_once("/api/")
            .map(|(_, p)| format!("/api/{p}"))
            .expect("absolute link");
        page = get(path, "Bearer bench-dyn", Some("odata.maxpagesize=5000")).await;
        rows += page["value"].as_array().map_or(0, Vec::len);
        pages += 1;
    }
    println!(
        "Dataverse paging: {rows} contacts in {pages} pages, first page {:.0} ms, all {:.2} s",
        first.as_secs_f64() * 1000.0,
        started.elapsed().as_secs_f64()
    );
}

async fn run(
    addr: std::net::SocketAddr,
    scenario: &Scenario,
    clients: usize,
    requests: usize,
    tls: Option<tokio_rustls::TlsConnector>,
) {
    let name = scenario.name;
    let scenario = Arc::new((scenario.path.clone(), scenario.auth.clone()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..clients {
        let share = requests / clients + usize::from(i < requests % clients);
        let scenario = scenario.clone();
        let tls = tls.clone();
        tasks.push(tokio::spawn(async move {
            client(addr, &scenario.0, &scenario.1, share, tls).await
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    for t in tasks {
        latencies.extend(t.await.expect("client"));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{:<34} {:>8.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   ({} requests in {:.2} s)",
        name,
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        latencies.len(),
        elapsed.as_secs_f64()
    );
}

/// A TLS client trusting only the emulator's CA.
fn client_tls(ca_der: &[u8]) -> tokio_rustls::TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(ca_der.to_vec()))
        .expect("CA");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocols")
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// One keep-alive connection sending `count` requests in turn; returns each latency.
async fn client(
    addr: std::net::SocketAddr,
    path: &str,
    auth: &str,
    count: usize,
    tls: Option<tokio_rustls::TlsConnector>,
) -> Vec<Duration> {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let mut sender = match tls {
        Some(connector) => {
            let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
            let stream = connector
                .connect(name, stream)
                .await
                .expect("TLS handshake");
            let (sender, connection) = http1::handshake(TokioIo::new(stream))
                .await
                .expect("handshake");
            tokio::spawn(connection);
            sender
        }
        None => {
            let (sender, connection) = http1::handshake(TokioIo::new(stream))
                .await
                .expect("handshake");
            tokio::spawn(connection);
            sender
        }
    };
    let mut latencies = Vec::with_capacity(count);
    for _ in 0..count {
        let request = hyper::Request::get(path)
            .header("host", "localhost")
            .header("authorization", auth)
            .header("accept", "application/json")
            .body(Body::empty())
            .expect("request");
        let sent = Instant::now();
        let response = sender.send_request(request).await.expect("response");
        assert!(response.status().is_success(), "{}", response.status());
        let body = axum::body::to_bytes(Body::new(response.into_body()), usize::MAX)
            .await
            .expect("body");
        assert!(!body.is_empty());
        latencies.push(sent.elapsed());
    }
    latencies
}
