//! Collection reads with `$filter`, `$select`, `$orderby`, `$top`, `$expand`, `$count`, paged
//! by `Prefer: odata.maxpagesize` with an absolute `@odata.nextLink` (CRM-APIS B3).

use std::cmp::Ordering;
use std::sync::Arc;

use serde_json::{json, Value};

use super::changes;
use super::context::DCtx;
use super::error::DError;
use super::shape::{check_select, record};
use crate::dynamics::odata::eval::WithKey;
use crate::dynamics::odata::{eval, options};
use crate::http_util::Reply;
use crate::state::db::{Crm, Row};
use crate::state::dynamics::schema::EntityDef;

const MAX_PAGE: usize = 5000;

/// Row sets of the entity; `activitypointers` spans every activity table.
fn tables(ctx: &DCtx<'_>, entity: &EntityDef) -> Result<Vec<Arc<Vec<Row>>>, DError> {
    let names: Vec<&str> = if entity.logical == "activitypointer" {
        ctx.schema
            .entities
            .iter()
            .filter(|e| e.is_activity && e.logical != "activitypointer")
            .map(|e| e.logical.as_str())
            .collect()
    } else {
        vec![entity.logical.as_str()]
    };
    names
        .into_iter()
        .map(|t| {
            ctx.db
                .all_rows(Crm::Dynamics, t)
                .map_err(|e| DError::bad(e.to_string()))
        })
        .collect()
}

fn prop<'r>(entity: &'r EntityDef, row: &'r Row, id: &'r Value, name: &str) -> Option<&'r Value> {
    if name == entity.primary_id {
        Some(id)
    } else {
        row.fields.get(name)
    }
}

/// `GET {set}/$count`: the number of matching rows as plain text (at most 5,000).
pub fn count(ctx: &DCtx<'_>, entity: &EntityDef) -> Result<Reply, DError> {
    let opts = options::parse(&ctx.query).map_err(DError::bad)?;
    let mut n = 0;
    matching(ctx, entity, &opts, &mut |hits| {
        n = hits.len().min(MAX_PAGE);
        Ok(())
    })?;
    let mut reply = Reply::ok(json!(n));
    reply
        .headers
        .push(("Content-Type".into(), "text/plain; charset=utf-8".into()));
    Ok(reply)
}

/// Rows passing `$filter`, sorted by `$orderby`, cut by `$top`; names checked first.
fn matching(
    ctx: &DCtx<'_>,
    entity: &EntityDef,
    opts: &options::Options,
    visit: &mut dyn FnMut(&[&Row]) -> Result<(), DError>,
) -> Result<(), DError> {
    check_select(entity, opts.select.as_ref())?;
    if let Some(filter) = &opts.filter {
        super::filter_check::check(entity, filter)?;
    }
    for (prop, _) in &opts.order {
        if prop != &entity.primary_id && !entity.attrs.iter().any(|a| &a.key() == prop) {
            return Err(DError::no_property(&entity.logical, prop));
        }
    }
    let tables = tables(ctx, entity)?;
    let booleans: Vec<String> = entity
        .attrs
        .iter()
        .filter(|a| a.custom && a.ty == crate::state::dynamics::schema::AttrType::Boolean)
        .map(|a| a.name.clone())
        .collect();
    let mut hits: Vec<&Row> = tables
        .iter()
        .flat_map(|t| t.iter())
        .filter(|r| !r.deleted)
        .filter(|r| {
            let id = Value::String(r.id.clone());
            let row = WithKey {
                fields: &r.fields,
                key: &entity.primary_id,
                id: &id,
                booleans: &booleans,
            };
            opts.filter.as_ref().is_none_or(|f| eval::matches(f, &row))
        })
        .collect();
    if !opts.order.is_empty() {
        hits.sort_by(|a, b| {
            let (ida, idb) = (Value::String(a.id.clone()), Value::String(b.id.clone()));
            for (name, desc) in &opts.order {
                let ord = compare(prop(entity, a, &ida, name), prop(entity, b, &idb, name));
                let ord = if *desc { ord.reverse() } else { ord };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            Ordering::Equal
        });
    }
    if let Some(top) = opts.top {
        hits.truncate(top);
    }
    visit(&hits)
}

pub fn list(ctx: &DCtx<'_>, entity: &EntityDef) -> Result<Reply, DError> {
    let opts = options::parse(&ctx.query).map_err(DError::bad)?;
    if let Some(token) = &opts.delta {
        return changes::since(ctx, entity, &opts, token);
    }
    let tracked = changes::tracked(ctx, entity);
    if tracked {
        changes::check_options(ctx)?;
    }
    let size = ctx
        .prefer
        .max_page_size
        .unwrap_or(MAX_PAGE)
        .clamp(1, MAX_PAGE);
    let start = (opts.page - 1) * size;
    let (mut total, mut value) = (0, Vec::new());
    matching(ctx, entity, &opts, &mut |hits| {
        total = hits.len();
        for row in hits.iter().skip(start).take(size) {
            value.push(record(
                ctx,
                entity,
                &row.id,
                &row.fields,
                opts.select.as_ref(),
                &opts.expand,
            )?);
        }
        Ok(())
    })?;
    let context = match &opts.select {
        Some(s) => format!("{}/$metadata#{}({})", ctx.base, entity.set, s.join(",")),
        None => format!("{}/$metadata#{}", ctx.base, entity.set),
    };
    let mut body = json!({"@odata.context": context});
    if opts.count {
        body["@odata.count"] = json!(total.min(MAX_PAGE));
    }
    body["value"] = Value::Array(value);
    if start + size < total {
        body["@odata.nextLink"] = json!(next_link(ctx, entity, opts.page + 1));
    } else if tracked {
        body["@odata.deltaLink"] = json!(changes::delta_link(ctx, entity, &opts));
    }
    let mut reply = Reply::ok(body);
    if tracked {
        reply
            .headers
            .push(("Preference-Applied".into(), "odata.track-changes".into()));
    }
    if let Some(n) = ctx.prefer.max_page_size {
        reply.headers.push((
            "Preference-Applied".into(),
            format!("odata.maxpagesize={n}"),
        ));
    }
    Ok(reply)
}

/// The same request with the next page's `$skiptoken`, as an absolute URL (B3).
fn next_link(ctx: &DCtx<'_>, entity: &EntityDef, page: usize) -> String {
    let kept: Vec<&str> = ctx
        .raw_query
        .split('&')
        .filter(|p| {
            !p.is_empty() && !p.starts_with("$skiptoken=") && !p.starts_with("%24skiptoken=")
        })
        .collect();
    let token: String =
        url::form_urlencoded::byte_serialize(options::skiptoken(page).as_bytes()).collect();
    let mut query = kept.join("&");
    if !query.is_empty() {
        query.push('&');
    }
    format!("{}/{}?{query}$skiptoken={token}", ctx.base, entity.set)
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a.filter(|v| !v.is_null()), b.filter(|v| !v.is_null())) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(Value::String(x)), Some(Value::String(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        _ => Ordering::Equal,
    }
}
