//! Signing in to the org: real Dynamics signs in through Microsoft Entra and ends with an
//! HttpOnly session cookie on the org host; the emulator keeps only that last step.

use std::sync::Arc;

use axum::extract::{Form, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::html::{escape, page, DYNAMICS_CSP};
use crate::http_util::{redirect, session_cookie};
use crate::state::db::Crm;
use crate::state::sessions::{random_token, SessionKind};
use crate::state::Emulator;

/// The name of the org host's session cookie (the Web API accepts it same-origin, B11).
pub const SESSION_COOKIE: &str = "CrmOwinAuth";

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(rename = "returnUrl")]
    return_url: Option<String>,
    user: Option<String>,
    password: Option<String>,
}

pub async fn login_page(State(emu): State<Arc<Emulator>>, Query(q): Query<LoginQuery>) -> Response {
    if let (Some(user), Some(password)) = (&q.user, &q.password) {
        return login(&emu, user, password, q.return_url.as_deref());
    }
    let back = escape(q.return_url.as_deref().unwrap_or("/main.aspx"));
    let form = format!(
        "<h1>Sign in</h1><form class=\"login\" method=\"post\" action=\"/_login\">\
         <label>Email <input name=\"user\" autocomplete=\"username\"></label>\
         <label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>\
         <input type=\"hidden\" name=\"returnUrl\" value=\"{back}\">\
         <button type=\"submit\" id=\"idSIButton9\">Sign in</button></form>"
    );
    page(
        DYNAMICS_CSP,
        "dynamics",
        "Sign in to your account",
        "",
        &form,
    )
}

pub async fn login_post(State(emu): State<Arc<Emulator>>, Form(q): Form<LoginQuery>) -> Response {
    login(
        &emu,
        q.user.as_deref().unwrap_or_default(),
        q.password.as_deref().unwrap_or_default(),
        q.return_url.as_deref(),
    )
}

fn login(emu: &Emulator, user: &str, password: &str, back: Option<&str>) -> Response {
    let Some(user_id) = emu.check_password(Crm::Dynamics, user, password) else {
        let message = "<p role=\"alert\">Your account or password is incorrect.</p>";
        return page(
            DYNAMICS_CSP,
            "dynamics",
            "Sign in to your account",
            "",
            message,
        );
    };
    let token = random_token();
    emu.sessions
        .issue(token.clone(), SessionKind::Dynamics, &user_id);
    let back = match back {
        Some(b) if b.starts_with('/') && !b.starts_with("//") => b,
        _ => "/main.aspx",
    };
    redirect(back, Some(session_cookie(SESSION_COOKIE, &token)))
}
