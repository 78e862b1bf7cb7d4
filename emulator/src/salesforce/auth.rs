//! Logging in the way My Domain does: the login sets an HttpOnly `sid` on the My Domain host,
//! then a front-door redirect sets a different `sid` of the same org on the Lightning host.
//! Only the My Domain value is a REST API session (CRM-APIS A12).

use std::sync::Arc;

use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::hosts::{host, lightning_host};
use crate::html::{escape, page, LIGHTNING_CSP};
use crate::http_util::{redirect, session_cookie};
use crate::state::db::Crm;
use crate::state::sessions::{random_token, SessionKind};
use crate::state::Emulator;

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(rename = "startURL")]
    start_url: Option<String>,
}

pub async fn login_page(Query(q): Query<LoginQuery>) -> Response {
    let start = escape(q.start_url.as_deref().unwrap_or("/lightning/page/home"));
    let form = format!(
        "<h1>Log in to Salesforce</h1><form class=\"login\" method=\"post\" action=\"/login\">\
         <label>Username <input name=\"un\" autocomplete=\"username\"></label>\
         <label>Password <input name=\"pw\" type=\"password\" autocomplete=\"current-password\"></label>\
         <input type=\"hidden\" name=\"startURL\" value=\"{start}\">\
         <button type=\"submit\" id=\"Login\">Log In</button></form>"
    );
    page(LIGHTNING_CSP, "salesforce", "Login | Salesforce", "", &form)
}

#[derive(Deserialize)]
pub struct Credentials {
    un: String,
    pw: String,
    #[serde(rename = "startURL")]
    start_url: Option<String>,
}

pub async fn login_get(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    Query(c): Query<Credentials>,
) -> Response {
    login(&emu, &headers, c)
}

pub async fn login_post(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    Form(c): Form<Credentials>,
) -> Response {
    login(&emu, &headers, c)
}

fn login(emu: &Emulator, headers: &HeaderMap, c: Credentials) -> Response {
    let Some(user_id) = emu.check_password(Crm::Salesforce, &c.un, &c.pw) else {
        let message = "<p role=\"alert\">Please check your username and password.</p>";
        return page(
            LIGHTNING_CSP,
            "salesforce",
            "Login | Salesforce",
            "",
            message,
        );
    };
    let api_host = host(headers);
    let token = format!("{}!{}", emu.org.salesforce_org_id, random_token());
    emu.sessions
        .issue(token.clone(), SessionKind::SalesforceApi, &user_id);
    let otp = random_token();
    emu.sessions.issue(
        otp.clone(),
        SessionKind::SalesforceUi,
        &format!("otp:{user_id}"),
    );
    let start = safe_start_url(c.start_url.as_deref());
    let next = format!(
        "https://{}/secur/frontdoor.jsp?otp={otp}&startURL={}",
        lightning_host(&api_host),
        url::form_urlencoded::byte_serialize(start.as_bytes()).collect::<String>()
    );
    redirect(&next, Some(session_cookie("sid", &token)))
}

/// Only same-site paths: an open redirect would be a phishing aid in a real product too.
fn safe_start_url(start: Option<&str>) -> String {
    match start {
        Some(s) if s.starts_with('/') && !s.starts_with("//") => s.to_string(),
        _ => "/lightning/page/home".to_string(),
    }
}

#[derive(Deserialize)]
pub struct FrontDoor {
    otp: String,
    #[serde(rename = "startURL")]
    start_url: Option<String>,
}

pub async fn frontdoor(State(emu): State<Arc<Emulator>>, Query(f): Query<FrontDoor>) -> Response {
    let Some(user) = emu
        .sessions
        .get(&f.otp)
        .and_then(|s| s.user_id.strip_prefix("otp:").map(str::to_string))
    else {
        return (
            axum::http::StatusCode::UNAUTHORIZED,
            "invalid or used one-time link",
        )
            .into_response();
    };
    emu.sessions.forget(&f.otp);
    let token = format!("{}!{}", emu.org.salesforce_org_id, random_token());
    emu.sessions
        .issue(token.clone(), SessionKind::SalesforceUi, &user);
    let start = safe_start_url(f.start_url.as_deref());
    redirect(&start, Some(session_cookie("sid", &token)))
}
