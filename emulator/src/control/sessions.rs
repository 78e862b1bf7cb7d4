//! Sessions without a browser: issue one for an API client, end them, change their lifetime.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::answer::error;
use crate::http_util::json as json_response;
use crate::state::db::Crm;
use crate::state::sessions::{random_token, SessionKind};
use crate::state::Emulator;

#[derive(Deserialize)]
pub struct ExpireQuery {
    kind: Option<String>,
}

/// `POST /_emulator/sessions/expire[?kind=salesforce-api|salesforce-ui|dynamics]`.
pub async fn expire_sessions(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<ExpireQuery>,
) -> Response {
    match q.kind.as_deref().map(SessionKind::parse) {
        None => emu.sessions.expire_all(),
        Some(Some(kind)) => emu.sessions.expire_where(|k| k == kind),
        Some(None) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({"error": "unknown session kind"}),
            );
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
pub struct SessionQuery {
    crm: String,
    user: Option<String>,
}

/// `POST /_emulator/sessions?crm=salesforce|dynamics&user=…`: an API session for clients
/// (a My Domain `sid` for Salesforce, a Bearer token for Dataverse) without a browser login.
pub async fn issue_session(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<SessionQuery>,
) -> Response {
    let (crm, object, field, default_user) = match q.crm.as_str() {
        "salesforce" => (Crm::Salesforce, "User", "Username", "demo@acme.com"),
        "dynamics" => (
            Crm::Dynamics,
            "systemuser",
            "internalemailaddress",
            "demo@acme.onmicrosoft.com",
        ),
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "crm must be salesforce or dynamics",
            )
        }
    };
    let user = q.user.as_deref().unwrap_or(default_user);
    let found = emu.db().find_by(crm, object, field, user).ok().flatten();
    let Some((user_id, _)) = found else {
        return error(StatusCode::NOT_FOUND, format!("no user '{user}'"));
    };
    let (token, kind, instance) = match crm {
        Crm::Salesforce => (
            format!("{}!{}", emu.org.salesforce_org_id, random_token()),
            SessionKind::SalesforceApi,
            "https://acme.my.salesforce.com",
        ),
        Crm::Dynamics => (
            random_token(),
            SessionKind::Dynamics,
            "https://acme.crm.dynamics.com",
        ),
    };
    emu.sessions.issue(token.clone(), kind, &user_id);
    json_response(
        StatusCode::OK,
        json!({"token": token, "userId": user_id, "instanceUrl": instance}),
    )
}

#[derive(Deserialize)]
pub struct TtlQuery {
    seconds: u64,
}

/// `POST /_emulator/sessions/ttl?seconds=N`: sessions issued from now on expire after N s.
pub async fn set_session_ttl(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<TtlQuery>,
) -> Response {
    emu.sessions.set_ttl(Duration::from_secs(q.seconds));
    StatusCode::NO_CONTENT.into_response()
}
