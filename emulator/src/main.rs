//! crmsync CRM emulator: Salesforce (My Domain + Lightning) and Dynamics 365 (Dataverse Web API
//! + model-driven app) on one loopback port, over TLS, backed by SQLite.

// Handlers' helpers return the finished error `Response` for an early exit, as axum intends;
// boxing it would only add noise on a path that is not hot.
#![allow(clippy::result_large_err)]

mod app;
mod control;
mod db;
mod dynamics;
mod hosts;
mod html;
mod http_util;
mod listener;
mod salesforce;
mod seed;
mod sessions;
mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;

/// Emulates a Salesforce org and a Dynamics 365 org for crmsync's tests and demo.
///
/// Browsers reach it as an HTTPS proxy (it answers CONNECT), so CRM pages keep their real
/// hostnames: acme.my.salesforce.com, acme.lightning.force.com and acme.crm.dynamics.com.
/// API clients may connect directly over TLS or plain HTTP; `/_emulator/` is the control API.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// SQLite database file; in memory when absent.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Data to start with: `demo` (a small org with realistic people) or `none` (users only).
    #[arg(long, default_value = "demo")]
    seed: String,
    /// Write the CA certificate (PEM) that signed the emulator's TLS certificate to this file.
    #[arg(long)]
    ca_out: Option<PathBuf>,
    /// Minutes until a session expires.
    #[arg(long, default_value_t = 120)]
    session_minutes: u64,
}

const ORG: &str = "acme";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let args = Args::parse();
    let seed = seed::Seed::parse(&args.seed)
        .ok_or_else(|| format!("unknown --seed '{}' (use demo or none)", args.seed))?;
    let db = db::Db::open(args.data.as_deref())?;
    if db.list(db::Crm::Salesforce, "User")?.is_empty() {
        seed::apply(&db, seed)?;
    }
    let org = app::Org {
        salesforce_org_id: "00D5g000004XyZa".to_string(),
        dynamics_org_id: seed::guid(9, 1),
        dynamics_business_unit: seed::guid(10, 1),
    };
    let sessions = sessions::Sessions::new(Duration::from_secs(args.session_minutes * 60));
    let emu = Arc::new(app::Emulator::new(db, sessions, org));
    let tls = tls::generate()?;
    if let Some(path) = &args.ca_out {
        std::fs::write(path, &tls.ca_pem)?;
        println!("ca {}", path.display());
    }
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    let addr = listener.local_addr()?;
    println!("salesforce https://{ORG}.my.salesforce.com/");
    println!("lightning https://{ORG}.lightning.force.com/");
    println!("dynamics https://{ORG}.crm.dynamics.com/");
    println!("proxy {addr}");
    println!("api https://{addr}/");
    println!("ready in {} ms", started.elapsed().as_millis());
    listener::serve(listener, app::router(emu), tls.config).await;
    Ok(())
}
