//! The emulator's command line: see `--help` and docs/emulator.md.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use emulator::state::seed;
use emulator::tls;

/// Emulates a Salesforce org and a Dynamics 365 org for crmsync's tests and demo.
///
/// Browsers reach it as an HTTPS proxy (it answers CONNECT), so CRM pages keep their real
/// hostnames: acme.my.salesforce.com, acme.lightning.force.com and acme.crm.dynamics.com.
/// API clients may connect directly over TLS or plain HTTP (then requests are routed by path:
/// /services/… to Salesforce, /api/data/… to Dataverse). /_emulator/ is the control API
/// (reset, seeds, sessions, faults, rules, limits, page latency, request log); docs/emulator.md
/// lists it.
///
/// Printed on start: `ca PATH` (with --ca-out), one line per host URL, `proxy ADDR`,
/// `api https://ADDR/`, then `ready in N ms` once connections are accepted.
#[derive(Parser, Debug)]
#[command(version, after_long_help = CONTROL_HELP)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// SQLite database file; in memory when absent. An existing file keeps its data.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Data to start with: `demo` (60 accounts, ~300 contacts and leads, 4 users per CRM),
    /// `none` (the 4 users only) or `perf` (demo plus 100,000 contacts per CRM).
    #[arg(long, default_value = "demo")]
    seed: String,
    /// Write the CA certificate (PEM) that signed the emulator's TLS certificate to this file.
    #[arg(long)]
    ca_out: Option<PathBuf>,
    /// Minutes until a session expires (both CRMs; the control API can change it).
    #[arg(long, default_value_t = 120)]
    session_minutes: u64,
}

const ORG: &str = "acme";

const CONTROL_HELP: &str = "\
Logins: demo@acme.com (Salesforce) and demo@acme.onmicrosoft.com (Dynamics), password demo.
  Salesforce: GET /login.jsp?un=&pw=&startURL= on the My Domain host.
  Dynamics:   GET /_login?user=&password=&returnUrl= on the org host.

Control API (any host, under /_emulator/):
  POST   /reset?seed=demo|none|perf[&crm=salesforce|dynamics]
  POST   /generate/contacts?count=N&crm=salesforce|dynamics|both
  GET    /records/{salesforce|dynamics}/{object}
  GET    /requests          DELETE /requests
  POST   /sessions?crm=salesforce|dynamics[&user=...]   -> {token, userId, instanceUrl}
  POST   /sessions/expire   POST /sessions/ttl?seconds=N
  POST   /faults  {path, method?, host?, status?, latencyMs?, drop?, percent?, count?, retryAfter?}
  GET    /faults            DELETE /faults
  GET    /rules   PUT /rules   POST /rules/{name}?active=true|false
  GET    /limits  POST /limits?salesforceDaily=&salesforceUsed=&dynamicsPerWindow=&dynamicsWindowSeconds=
  GET    /latency POST /latency?ms=N[&crm=salesforce|dynamics]   (wait before each query page; 0 = off)
See docs/emulator.md for details.";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let args = Args::parse();
    let seed = seed::Seed::parse(&args.seed)
        .ok_or_else(|| format!("unknown --seed '{}' (use demo, none or perf)", args.seed))?;
    let ttl = Duration::from_secs(args.session_minutes * 60);
    let emu = emulator::build(args.data.as_deref(), seed, ttl)?;
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
    emulator::serve(listener, emu, tls.config).await;
    Ok(())
}
