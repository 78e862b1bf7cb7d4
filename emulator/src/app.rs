//! The emulator's shared state and the top-level router that sends each request to the product
//! its Host header names.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::Serialize;
use serde_json::Value;
use tower::ServiceExt;

use crate::db::{Crm, Db};
use crate::hosts::{classify, host, Product};
use crate::sessions::Sessions;
use crate::{control, dynamics, salesforce};

pub struct Org {
    /// 15 characters, the prefix of every `sid` (CRM-APIS A12).
    pub salesforce_org_id: String,
    pub dynamics_org_id: String,
    pub dynamics_business_unit: String,
}

/// One logged request, for tests that count or inspect API calls.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    pub host: String,
    pub path: String,
    pub status: u16,
}

pub struct Emulator {
    db: Mutex<Db>,
    pub sessions: Sessions,
    pub org: Org,
    api_usage: AtomicU64,
    pub api_daily_limit: AtomicU64,
    pub request_log: Mutex<Vec<LoggedRequest>>,
}

impl Emulator {
    pub fn new(db: Db, sessions: Sessions, org: Org) -> Emulator {
        Emulator {
            db: Mutex::new(db),
            sessions,
            org,
            api_usage: AtomicU64::new(0),
            api_daily_limit: AtomicU64::new(15_000),
            request_log: Mutex::new(Vec::new()),
        }
    }

    pub fn db(&self) -> MutexGuard<'_, Db> {
        self.db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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
        let used = self.api_usage.fetch_add(1, Ordering::Relaxed) + 1;
        (used, self.api_daily_limit.load(Ordering::Relaxed))
    }

    pub fn reset_api_usage(&self) {
        self.api_usage.store(0, Ordering::Relaxed);
    }

    /// sObject names are case-insensitive; answers use the canonical spelling.
    pub fn canonical_object_name(&self, object: &str) -> String {
        ["Account", "Contact", "Lead", "Opportunity", "User"]
            .into_iter()
            .find(|o| o.eq_ignore_ascii_case(object))
            .map(str::to_string)
            .unwrap_or_else(|| object.to_string())
    }

    /// Attributes a `$select` may name even when a row leaves them unset.
    pub fn dynamics_attribute_exists(&self, entity: &str, attribute: &str) -> bool {
        let known: &[&str] = match entity {
            "contact" => &[
                "fullname",
                "firstname",
                "lastname",
                "jobtitle",
                "emailaddress1",
                "telephone1",
                "mobilephone",
                "_parentcustomerid_value",
                "modifiedon",
                "createdon",
            ],
            "lead" => &[
                "fullname",
                "firstname",
                "lastname",
                "jobtitle",
                "companyname",
                "emailaddress1",
                "telephone1",
                "modifiedon",
                "createdon",
            ],
            "account" => &[
                "name",
                "websiteurl",
                "telephone1",
                "address1_city",
                "modifiedon",
                "createdon",
            ],
            "opportunity" => &[
                "name",
                "stepname",
                "estimatedclosedate",
                "estimatedvalue",
                "_parentaccountid_value",
                "modifiedon",
                "createdon",
            ],
            _ => &[],
        };
        known.contains(&attribute)
    }
}

pub fn router(emu: Arc<Emulator>) -> Router {
    let products = Products {
        salesforce_api: salesforce::api_router(emu.clone()),
        salesforce_ui: salesforce::ui_router(emu.clone()),
        dynamics: dynamics::router(emu.clone()),
    };
    Router::new()
        .nest("/_emulator", control::router(emu.clone()))
        .fallback(move |req: Request| dispatch(products.clone(), req))
        .layer(middleware::from_fn_with_state(emu, log_request))
}

#[derive(Clone)]
struct Products {
    salesforce_api: Router,
    salesforce_ui: Router,
    dynamics: Router,
}

async fn dispatch(products: Products, req: Request) -> Response {
    let router = match classify(&host(req.headers()), req.uri().path()) {
        Product::SalesforceApi => products.salesforce_api,
        Product::SalesforceUi => products.salesforce_ui,
        Product::Dynamics => products.dynamics,
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

async fn log_request(State(emu): State<Arc<Emulator>>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let host = host(req.headers());
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let response = next.run(req).await;
    if !path.starts_with("/_emulator/") {
        let status = response.status().as_u16();
        let entry = LoggedRequest {
            method,
            host,
            path,
            status,
        };
        emu.request_log.lock().unwrap().push(entry);
    }
    response
}
