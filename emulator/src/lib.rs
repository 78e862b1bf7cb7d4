//! crmsync CRM emulator: Salesforce (My Domain + Lightning) and Dynamics 365 (Dataverse Web API
//! + model-driven app) on one loopback port, over TLS, backed by SQLite.
//!
//! Two layers: `state` is the orgs (database, data model, seeds, sessions, rules, faults,
//! limits) and knows nothing of HTTP; everything else serves it over HTTP (`router`, its
//! `middleware`, the `control` API and the products `salesforce`, `dynamics` and `network`)
//! and depends on `state`, never the other way round.
//!
//! A library so tests and benches can start it in-process and use its parsers; `main.rs` is
//! the command line.

pub mod control;
pub mod dynamics;
pub mod hosts;
pub mod html;
pub mod http_util;
pub mod listener;
pub mod middleware;
pub mod network;
pub mod router;
pub mod salesforce;
pub mod state;
pub mod tls;
pub mod wildcard;

use std::sync::Arc;
use std::time::Duration;

use state::db::{Crm, Db};
use state::sessions::Sessions;
use state::{seed, Emulator, Org};

/// An emulator with a fresh in-memory (or file) database, seeded unless it already has users.
pub fn build(
    data: Option<&std::path::Path>,
    seed: seed::Seed,
    session_ttl: Duration,
) -> Result<Arc<Emulator>, Box<dyn std::error::Error>> {
    let db = Db::open(data)?;
    if db.count(Crm::Salesforce, "User")? == 0 {
        seed::apply(&db, seed)?;
    }
    let sessions = Sessions::new(session_ttl);
    Ok(Arc::new(Emulator::new(db, sessions, Org::default())))
}

/// Serves `emu` on `listener` (TLS, CONNECT and plain HTTP on the one port) until dropped.
pub async fn serve(
    listener: tokio::net::TcpListener,
    emu: Arc<Emulator>,
    tls: Arc<rustls::ServerConfig>,
) {
    listener::serve(listener, router::router(emu), tls).await
}
