//! crmsync CRM emulator: Salesforce (My Domain + Lightning) and Dynamics 365 (Dataverse Web API
//! + model-driven app) on one loopback port, over TLS, backed by SQLite.
//!
//! A library so tests and benches can start it in-process and use its parsers; `main.rs` is
//! the command line.

pub mod app;
pub mod control;
pub mod db;
pub mod dynamics;
pub mod faults;
pub mod hosts;
pub mod html;
pub mod http_util;
pub mod listener;
pub mod network;
pub mod rules;
pub mod salesforce;
pub mod seed;
pub mod sessions;
pub mod tls;
pub mod wildcard;

use std::sync::Arc;
use std::time::Duration;

/// An emulator with a fresh in-memory (or file) database, seeded unless it already has users.
pub fn build(
    data: Option<&std::path::Path>,
    seed: seed::Seed,
    session_ttl: Duration,
) -> Result<Arc<app::Emulator>, Box<dyn std::error::Error>> {
    let db = db::Db::open(data)?;
    if db.count(db::Crm::Salesforce, "User")? == 0 {
        seed::apply(&db, seed)?;
    }
    let sessions = sessions::Sessions::new(session_ttl);
    Ok(Arc::new(app::Emulator::new(
        db,
        sessions,
        app::Org::default(),
    )))
}

/// Serves `emu` on `listener` (TLS, CONNECT and plain HTTP on the one port) until dropped.
pub async fn serve(
    listener: tokio::net::TcpListener,
    emu: Arc<app::Emulator>,
    tls: Arc<rustls::ServerConfig>,
) {
    listener::serve(listener, app::router(emu), tls).await
}
