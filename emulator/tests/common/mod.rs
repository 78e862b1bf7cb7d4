//! An in-process emulator for integration tests: requests go through the full router
//! (logging, faults, host routing) without sockets.

#![allow(dead_code)]

pub mod writeback;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use emulator::state::seed::Seed;
use emulator::state::Emulator;
use serde_json::Value;
use tower::ServiceExt;

pub const SF: &str = "acme.my.salesforce.com";
pub const DYN: &str = "acme.crm.dynamics.com";
pub const V: &str = "/services/data/v66.0";
pub const D: &str = "/api/data/v9.2";

pub struct Harness {
    pub emu: Arc<Emulator>,
    router: axum::Router,
    pub sf_token: String,
    pub dyn_token: String,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    /// The body as text (pages).
    pub raw: String,
}

impl Harness {
    pub fn new() -> Harness {
        Harness::with_seed(Seed::Demo)
    }

    pub fn with_seed(seed: Seed) -> Harness {
        let emu = emulator::build(None, seed, Duration::from_secs(3600)).expect("emulator");
        let router = emulator::router::router(emu.clone());
        let mut h = Harness {
            emu,
            router,
            sf_token: String::new(),
            dyn_token: String::new(),
        };
        h.sf_token = h.session("salesforce");
        h.dyn_token = h.session("dynamics");
        h
    }

    fn session(&self, crm: &str) -> String {
        self.session_as(crm, None)
    }

    /// An API session of `user` (`rep@acme.com`), or of the demo admin.
    pub fn session_as(&self, crm: &str, user: Option<&str>) -> String {
        let user = user
            .map(|u| format!("&user={}", enc(u)))
            .unwrap_or_default();
        let a = self.send(
            "POST",
            SF,
            &format!("/_emulator/sessions?crm={crm}{user}"),
            &[],
            None,
        );
        a.body["token"].as_str().expect("token").to_string()
    }

    pub fn send(
        &self,
        method: &str,
        host: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Answer {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", host);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let body = match body {
            Some(v) => {
                req = req.header("content-type", "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.answer(req.body(body).unwrap())
    }

    /// Sends a request the core described, as the extension would. Dataverse's session is
    /// the browser's cookie there; here the harness's Bearer token stands in for it.
    pub fn perform(&self, request: &crmsync::crm::HttpRequest) -> Answer {
        self.perform_as(request, &self.dyn_token)
    }

    /// [`Harness::perform`] with another Dataverse user's session (`session_as`).
    pub fn perform_as(&self, request: &crmsync::crm::HttpRequest, dyn_token: &str) -> Answer {
        let url = url::Url::parse(&request.url).expect("an absolute URL");
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let mut req = Request::builder()
            .method(request.method.as_str())
            .uri(path)
            .header("host", url.host_str().unwrap_or_default());
        for (k, v) in &request.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        if request.with_cookies {
            req = req.header("authorization", format!("Bearer {dyn_token}"));
        }
        let body = Body::from(request.body.clone().unwrap_or_default());
        self.answer(req.body(body).unwrap())
    }

    fn answer(&self, req: Request<Body>) -> Answer {
        let router = self.router.clone();
        let response = futures_block(router.oneshot(req)).unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = futures_block(axum::body::to_bytes(response.into_body(), usize::MAX))
            .unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let raw = String::from_utf8_lossy(&bytes).into_owned();
        Answer {
            status,
            headers,
            body,
            raw,
        }
    }

    /// A Salesforce REST call with the harness's API session.
    pub fn sf(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        self.sf_with(method, path, &[], body)
    }

    pub fn sf_with(
        &self,
        method: &str,
        path: &str,
        extra: &[(&str, &str)],
        body: Option<Value>,
    ) -> Answer {
        let auth = format!("Bearer {}", self.sf_token);
        let mut headers = vec![("authorization", auth.as_str())];
        headers.extend_from_slice(extra);
        self.send(method, SF, &format!("{V}{path}"), &headers, body)
    }

    pub fn soql(&self, query: &str) -> Answer {
        let q: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
        self.sf("GET", &format!("/query?q={q}"), None)
    }

    /// A Dataverse call with the harness's Bearer token.
    pub fn dy(
        &self,
        method: &str,
        path: &str,
        extra: &[(&str, &str)],
        body: Option<Value>,
    ) -> Answer {
        let auth = format!("Bearer {}", self.dyn_token);
        let mut headers = vec![("authorization", auth.as_str())];
        headers.extend_from_slice(extra);
        self.send(method, DYN, &format!("{D}{path}"), &headers, body)
    }
}

/// Tests are synchronous; each request runs on a small current-thread runtime.
fn futures_block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Percent-encodes a query value.
pub fn enc(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
