//! The emulator's shared state and the top-level router that sends each request to the product
//! its Host header names, after logging it and applying any injected fault.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::Serialize;
use serde_json::Value;
use tower::ServiceExt;

use crate::db::{Crm, Db};
use crate::faults::{self, ConnectionKill, Fault};
use crate::hosts::{classify, host, Product};
use crate::rules::Rules;
use crate::salesforce::schema::Schema as SfSchema;
use crate::sessions::Sessions;
use crate::{control, dynamics, network, salesforce};

pub struct Org {
    /// 15 characters, the prefix of every `sid` (CRM-APIS A12).
    pub salesforce_org_id: String,
    pub dynamics_org_id: String,
    pub dynamics_business_unit: String,
}

impl Default for Org {
    fn default() -> Self {
        Org {
            salesforce_org_id: "00D5g000004XyZa".to_string(),
            dynamics_org_id: crate::seed::guid(9, 1),
            dynamics_business_unit: crate::seed::guid(10, 1),
        }
    }
}

/// One logged request, for tests that count or inspect API calls.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    pub host: String,
    pub path: String,
    pub status: u16,
    /// Request headers; credentials reduced to their scheme or cookie names.
    pub headers: BTreeMap<String, String>,
    /// The request body when it is text and at most 64 KiB.
    pub body: Option<String>,
}

/// The most requests the log keeps (oldest dropped first).
const LOG_CAPACITY: usize = 10_000;
const LOGGED_BODY_LIMIT: usize = 64 * 1024;

/// A Salesforce query's remaining rows, read page by page through `nextRecordsUrl` (A2).
pub struct Cursor {
    pub records: Vec<Value>,
    pub batch: usize,
}

/// Request budgets: Salesforce's daily API limit (A8) and Dataverse's service protection
/// window (B9).
pub struct Limits {
    pub salesforce_used: AtomicU64,
    pub salesforce_daily: AtomicU64,
    pub dynamics_per_window: AtomicU64,
    pub dynamics_window_seconds: AtomicU64,
    pub dynamics_recent: Mutex<VecDeque<Instant>>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            salesforce_used: AtomicU64::new(0),
            salesforce_daily: AtomicU64::new(15_000),
            dynamics_per_window: AtomicU64::new(6_000),
            dynamics_window_seconds: AtomicU64::new(300),
            dynamics_recent: Mutex::new(VecDeque::new()),
        }
    }
}

pub struct Emulator {
    db: Mutex<Db>,
    pub sessions: Sessions,
    pub org: Org,
    pub sf_schema: RwLock<Arc<SfSchema>>,
    pub dyn_schema: RwLock<Arc<dynamics::schema::Schema>>,
    pub cursors: Mutex<HashMap<String, Cursor>>,
    pub rules: RwLock<Rules>,
    pub faults: Mutex<Vec<Fault>>,
    pub limits: Limits,
    pub request_log: Mutex<VecDeque<LoggedRequest>>,
}

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Emulator {
    pub fn new(db: Db, sessions: Sessions, org: Org) -> Emulator {
        let emu = Emulator {
            db: Mutex::new(db),
            sessions,
            org,
            sf_schema: RwLock::new(Arc::new(SfSchema::default())),
            dyn_schema: RwLock::new(Arc::new(dynamics::schema::Schema::default())),
            cursors: Mutex::new(HashMap::new()),
            rules: RwLock::new(Rules::default()),
            faults: Mutex::new(Vec::new()),
            limits: Limits::default(),
            request_log: Mutex::new(VecDeque::new()),
        };
        emu.reload_schemas();
        emu
    }

    pub fn db(&self) -> MutexGuard<'_, Db> {
        lock(&self.db)
    }

    pub fn sf_schema(&self) -> Arc<SfSchema> {
        self.sf_schema
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn dyn_schema(&self) -> Arc<dynamics::schema::Schema> {
        self.dyn_schema
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn rules(&self) -> Rules {
        self.rules.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Rebuilds both schemas from the standard ones plus custom fields stored in the database.
    pub fn reload_schemas(&self) {
        let db = self.db();
        let sf = salesforce::tooling::load_schema(&db);
        let dy = dynamics::metadata::load_schema(&db);
        drop(db);
        *self.sf_schema.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(sf);
        *self.dyn_schema.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(dy);
    }

    /// Back to a fresh org: no sessions, cursors, faults, log or spent limits; default rules.
    pub fn reset_state(&self) {
        self.sessions.expire_all();
        lock(&self.cursors).clear();
        lock(&self.faults).clear();
        lock(&self.request_log).clear();
        *self.rules.write().unwrap_or_else(|p| p.into_inner()) = Rules::default();
        self.limits.salesforce_used.store(0, Ordering::Relaxed);
        lock(&self.limits.dynamics_recent).clear();
    }

    /// Back to a fresh org for one CRM only: its sessions, rules and limits; the other CRM,
    /// faults and the request log stay (client checks of both CRMs may run side by side).
    pub fn reset_crm_state(&self, crm: Crm) {
        use crate::sessions::SessionKind;
        match crm {
            Crm::Salesforce => {
                self.sessions.expire_where(|k| k != SessionKind::Dynamics);
                lock(&self.cursors).clear();
                self.limits.salesforce_used.store(0, Ordering::Relaxed);
            }
            Crm::Dynamics => {
                self.sessions.expire_where(|k| k == SessionKind::Dynamics);
                lock(&self.limits.dynamics_recent).clear();
            }
        }
        let defaults = Rules::default();
        let mut rules = self.rules.write().unwrap_or_else(|p| p.into_inner());
        rules.validation.retain(|r| r.crm != crm.key());
        rules.duplicate.retain(|r| r.crm != crm.key());
        rules.validation.extend(
            defaults
                .validation
                .into_iter()
                .filter(|r| r.crm == crm.key()),
        );
        rules.duplicate.extend(
            defaults
                .duplicate
                .into_iter()
                .filter(|r| r.crm == crm.key()),
        );
    }

    /// The user id for a username and password, if they match.
    pub fn check_password(&self, crm: Crm, username: &str, password: &str) -> Option<String> {
        let (object, field) = match crm {
            Crm::Salesforce => ("User", "Username"),
            Crm::Dynamics => ("systemuser", "internalemailaddress"),
        };
        let (id, fields) = self.db().find_by(crm, object, field, username).ok()??;
        (fields.get("Password").and_then(Value::as_str) == Some(password)).then_some(id)
    }

    /// Counts one REST call against the daily limit; returns (used, limit).
    pub fn count_api_request(&self) -> (u64, u64) {
        let used = self.limits.salesforce_used.fetch_add(1, Ordering::Relaxed) + 1;
        (used, self.limits.salesforce_daily.load(Ordering::Relaxed))
    }

    /// Records a Web API call; false when the service protection window is full (B9).
    pub fn admit_dynamics_request(&self) -> bool {
        let window = std::time::Duration::from_secs(
            self.limits.dynamics_window_seconds.load(Ordering::Relaxed),
        );
        let max = self.limits.dynamics_per_window.load(Ordering::Relaxed) as usize;
        let mut recent = lock(&self.limits.dynamics_recent);
        let now = Instant::now();
        while recent
            .front()
            .is_some_and(|t| now.duration_since(*t) > window)
        {
            recent.pop_front();
        }
        if recent.len() >= max {
            return false;
        }
        recent.push_back(now);
        true
    }

    /// sObject names are case-insensitive; answers use the canonical spelling.
    pub fn canonical_object_name(&self, object: &str) -> String {
        self.sf_schema()
            .object(object)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| object.to_string())
    }
}

pub fn router(emu: Arc<Emulator>) -> Router {
    let products = Products {
        salesforce_api: salesforce::api_router(emu.clone()),
        salesforce_ui: salesforce::ui_router(emu.clone()),
        dynamics: dynamics::router(emu.clone()),
        network: network::router(emu.clone()),
    };
    Router::new()
        .nest("/_emulator", control::router(emu.clone()))
        .fallback(move |req: Request| dispatch(products.clone(), req))
        .layer(middleware::from_fn_with_state(emu.clone(), inject_faults))
        .layer(middleware::from_fn_with_state(emu, log_request))
}

#[derive(Clone)]
struct Products {
    salesforce_api: Router,
    salesforce_ui: Router,
    dynamics: Router,
    network: Router,
}

async fn dispatch(products: Products, req: Request) -> Response {
    let router = match classify(&host(req.headers()), req.uri().path()) {
        Product::SalesforceApi => products.salesforce_api,
        Product::SalesforceUi => products.salesforce_ui,
        Product::Dynamics => products.dynamics,
        Product::Network => products.network,
        Product::Other => return other_site().into_response(),
    };
    match router.oneshot(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Any site that is not a CRM: a plain page the extension must leave alone.
fn other_site() -> Response {
    crate::html::page(
        "default-src 'self'",
        "other",
        "Example Domain",
        "",
        "<h1>Example Domain</h1><p>This domain is for use in examples.</p>",
    )
}

async fn inject_faults(State(emu): State<Arc<Emulator>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/_emulator/") {
        return next.run(req).await;
    }
    let host = host(req.headers());
    let fault = faults::pick(&mut lock(&emu.faults), req.method().as_str(), &host, &path);
    let Some(fault) = fault else {
        return next.run(req).await;
    };
    tokio::time::sleep(faults::latency(&fault)).await;
    if fault.drop_after_commit {
        let kill = req.extensions().get::<ConnectionKill>().cloned();
        let served = next.run(req).await;
        // Read the whole answer so every write behind it is done before the line goes dead.
        let _ = axum::body::to_bytes(served.into_body(), usize::MAX).await;
        if let Some(kill) = kill {
            kill.0.notify_one();
            std::future::pending::<()>().await;
        }
        return faults::broken_body();
    }
    if fault.drop {
        if let Some(kill) = req.extensions().get::<ConnectionKill>() {
            kill.0.notify_one();
            std::future::pending::<()>().await;
        }
        return faults::broken_body();
    }
    match fault.status {
        Some(status) => faults::error_response(classify(&host, &path), status, fault.retry_after),
        None => next.run(req).await,
    }
}

async fn log_request(State(emu): State<Arc<Emulator>>, req: Request, next: Next) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    if path.starts_with("/_emulator/") {
        return next.run(req).await;
    }
    let method = req.method().to_string();
    let host = host(req.headers());
    let headers = logged_headers(req.headers());
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let logged_body = (!bytes.is_empty() && bytes.len() <= LOGGED_BODY_LIMIT)
        .then(|| String::from_utf8(bytes.to_vec()).ok())
        .flatten();
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let entry = LoggedRequest {
        method,
        host,
        path,
        status: response.status().as_u16(),
        headers,
        body: logged_body,
    };
    let mut log = lock(&emu.request_log);
    if log.len() >= LOG_CAPACITY {
        log.pop_front();
    }
    log.push_back(entry);
    response
}

fn logged_headers(headers: &axum::http::HeaderMap) -> BTreeMap<String, String> {
    headers
        .iter()
        .filter_map(|(name, value)| {
            let value = value.to_str().ok()?;
            let shown = match name.as_str() {
                "authorization" => value.split(' ').next().unwrap_or_default().to_string(),
                "cookie" => value
                    .split(';')
                    .filter_map(|p| p.trim().split_once('=').map(|(k, _)| k))
                    .collect::<Vec<_>>()
                    .join("; "),
                _ => value.to_string(),
            };
            Some((name.as_str().to_string(), shown))
        })
        .collect()
}
