//! What a user who is not an admin may not do, answered as Salesforce does (CRM-APIS A17):
//! setup writes and the Tooling API are refused with 403 and an error array; setup objects
//! and custom objects the user has no Read on do not exist for the user's queries.

use axum::http::StatusCode;

use super::call::{Call, Ctx};
use crate::salesforce::error::SfError;
use crate::state::admin::{can_read_object, is_admin};
use crate::state::db::Crm;
use crate::state::salesforce::schema::{ADMIN_ONLY, SETUP_WRITES};

fn admin(ctx: &Ctx<'_>) -> bool {
    is_admin(ctx.db, Crm::Salesforce, &ctx.user_id)
}

fn is_custom(object: &str) -> bool {
    object.ends_with("__c")
}

/// Refuses a call the user's rights do not allow, before it runs.
pub fn check(ctx: &Ctx<'_>, call: &Call<'_>) -> Result<(), SfError> {
    let seg: Vec<&str> = call.segments.iter().map(String::as_str).collect();
    let write = call.method != "GET";
    match seg.as_slice() {
        ["tooling", ..] if write && !admin(ctx) => Err(SfError::new(
            StatusCode::FORBIDDEN,
            "INSUFFICIENT_ACCESS",
            "insufficient access rights on cross-reference id: you need the Customize Application permission",
        )),
        ["sobjects", object, ..] if write => writable(ctx, object),
        ["sobjects", object, _, ..] => readable(ctx, object),
        _ => Ok(()),
    }
}

pub(crate) fn writable(ctx: &Ctx<'_>, object: &str) -> Result<(), SfError> {
    let setup = SETUP_WRITES.iter().any(|o| o.eq_ignore_ascii_case(object));
    if (setup || is_custom(object)) && !admin(ctx) {
        return Err(SfError::new(
            StatusCode::FORBIDDEN,
            "INSUFFICIENT_ACCESS_OR_READONLY",
            "insufficient access rights on object id",
        ));
    }
    Ok(())
}

/// Objects the user may not see answer `INVALID_TYPE`, as an unknown object would.
pub fn readable(ctx: &Ctx<'_>, object: &str) -> Result<(), SfError> {
    let setup = ADMIN_ONLY.iter().any(|o| o.eq_ignore_ascii_case(object));
    let hidden = if setup {
        !admin(ctx)
    } else {
        is_custom(object) && !can_read_object(ctx.db, &ctx.user_id, object)
    };
    if hidden {
        Err(SfError::invalid_type(object))
    } else {
        Ok(())
    }
}
