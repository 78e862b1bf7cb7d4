//! Change tracking (CRM-APIS B18): a collection read with `Prefer: odata.track-changes` ends
//! with an `@odata.deltaLink` whose `$deltatoken` is the database version then and the time
//! (`919042!08/22/2017 08:10:44`, as Dataverse writes it); the link answers the rows written
//! since, with the link's `$select`, and the rows deleted since as `$deletedEntity` entries.
//! `$filter`, `$orderby`, `$expand` and `$top` are refused with the preference; a token older
//! than the org's token lifetime is refused too. Delta answers are not paged here.

use chrono::{Duration, NaiveDateTime, Utc};
use serde_json::{json, Value};

use super::context::DCtx;
use super::error::DError;
use super::shape::record;
use crate::dynamics::odata::options::Options;
use crate::http_util::Reply;
use crate::state::db::Crm;
use crate::state::dynamics::schema::EntityDef;

const TOKEN_TIME: &str = "%m/%d/%Y %H:%M:%S";

/// The tables whose changes are tracked (when the org has tracking on).
pub fn tracked(ctx: &DCtx<'_>, entity: &EntityDef) -> bool {
    ctx.prefer.track_changes
        && ctx.emu.change_log.tracking()
        && matches!(
            entity.logical.as_str(),
            "account" | "contact" | "lead" | "opportunity"
        )
}

/// The options change tracking does not take.
pub fn check_options(ctx: &DCtx<'_>) -> Result<(), DError> {
    for option in ["$filter", "$orderby", "$expand", "$top"] {
        if ctx.query.contains_key(option) {
            return Err(DError::bad(format!(
                "The \"{option}\" query parameter isn't supported when Change Tracking is enabled."
            )));
        }
    }
    Ok(())
}

/// The link that answers what changes from now on.
pub fn delta_link(ctx: &DCtx<'_>, entity: &EntityDef, opts: &Options) -> String {
    let token = format!("{}!{}", ctx.db.version(), Utc::now().format(TOKEN_TIME));
    let token: String = url::form_urlencoded::byte_serialize(token.as_bytes()).collect();
    let select = opts
        .select
        .as_ref()
        .map_or(String::new(), |s| format!("$select={}&", s.join(",")));
    format!("{}/{}?{select}$deltatoken={token}", ctx.base, entity.set)
}

fn expired() -> DError {
    DError::bad("Version stamp associated with the client has expired. Please perform a full sync.")
}

/// `{set}?…&$deltatoken=…`: what changed since the token.
pub fn since(
    ctx: &DCtx<'_>,
    entity: &EntityDef,
    opts: &Options,
    token: &str,
) -> Result<Reply, DError> {
    let (version, at) = token.split_once('!').ok_or_else(expired)?;
    let version: i64 = version.parse().map_err(|_| expired())?;
    let at = NaiveDateTime::parse_from_str(at, TOKEN_TIME).map_err(|_| expired())?;
    let days = i64::from(ctx.emu.change_log.token_days());
    if Utc::now().naive_utc() - at >= Duration::days(days) {
        return Err(expired());
    }
    let rows = ctx
        .db
        .all_rows(Crm::Dynamics, &entity.logical)
        .map_err(|e| DError::bad(e.to_string()))?;
    let mut value = Vec::new();
    for row in rows.iter().filter(|r| !r.deleted && r.version > version) {
        value.push(record(
            ctx,
            entity,
            &row.id,
            &row.fields,
            opts.select.as_ref(),
            &[],
        )?);
    }
    let removed = ctx
        .db
        .removed_since(Crm::Dynamics, &entity.logical, version)
        .map_err(|e| DError::bad(e.to_string()))?;
    let deleted_context = format!("{}/$metadata#{}/$deletedEntity", ctx.base, entity.set);
    value.extend(
        removed.into_iter().map(
            |(id, _)| json!({"@odata.context": deleted_context, "id": id, "reason": "deleted"}),
        ),
    );
    let select = opts.select.as_ref().map_or(String::new(), |s| s.join(","));
    Ok(Reply::ok(json!({
        "@odata.context": format!("{}/$metadata#{}({select})/$delta", ctx.base, entity.set),
        "value": Value::Array(value),
        "@odata.deltaLink": delta_link(ctx, entity, opts),
    })))
}
