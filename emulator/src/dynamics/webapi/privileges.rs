//! A user without the System Administrator (or Customizer) role may read crmsync's
//! environment variable and seat team but not write them: Dataverse's privilege check
//! answers 403 with `0x80040220` naming the missing privilege (CRM-APIS B15).

use axum::http::{Method, StatusCode};

use super::context::DCtx;
use super::error::DError;
use super::keys::split_key;
use crate::state::admin::is_admin;
use crate::state::db::Crm;

/// Entity sets whose writes need an admin, with their privilege names and type codes.
const GUARDED: &[(&str, &str, u32)] = &[
    (
        "environmentvariabledefinitions",
        "EnvironmentVariableDefinition",
        380,
    ),
    ("environmentvariablevalues", "EnvironmentVariableValue", 381),
    ("teams", "Team", 9),
];

pub fn check(ctx: &DCtx<'_>, method: &Method, seg: &[&str]) -> Result<(), DError> {
    if *method == Method::GET || is_admin(ctx.db, Crm::Dynamics, &ctx.user_id) {
        return Ok(());
    }
    let Some(first) = seg.first() else {
        return Ok(());
    };
    let Ok((set, _)) = split_key(first) else {
        return Ok(());
    };
    let Some((_, name, code)) = GUARDED.iter().find(|(s, _, _)| *s == set) else {
        return Ok(());
    };
    let verb = match (method.as_str(), seg.len()) {
        ("POST", 1) => "Create",
        ("DELETE", 1) => "Delete",
        // Adding or removing members changes the team.
        _ => "Write",
    };
    let logical = name.to_ascii_lowercase();
    Err(DError::new(
        StatusCode::FORBIDDEN,
        "0x80040220",
        format!(
            "Principal user (Id={}, type=8, roleCount=1, privilegeCount=300, accessMode=0), is missing prv{verb}{name} privilege (Id={}) on OTC={code} for entity '{logical}'. context: Method=Post",
            ctx.user_id,
            crate::state::dynamics::schema::metadata_id(&logical, verb)
        ),
    ))
}
