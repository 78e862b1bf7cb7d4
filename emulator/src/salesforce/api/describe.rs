//! Metadata resources: the resource list, global and per-object describe (CRM-APIS A7),
//! `limits`, and `/services/oauth2/userinfo` (A12).

use axum::http::HeaderMap;
use serde_json::{json, Value};

use super::call::Ctx;
use crate::hosts::host;
use crate::http_util::Reply;
use crate::salesforce::error::SfError;
use crate::state::db::{Crm, Db};
use crate::state::salesforce::schema::{ObjectDef, CHILD_RELATIONSHIPS};
use crate::state::Emulator;

pub fn resources(ctx: &Ctx<'_>) -> Reply {
    let base = format!("/services/data/{}", ctx.version);
    let names = [
        "sobjects",
        "query",
        "queryAll",
        "search",
        "parameterizedSearch",
        "composite",
        "limits",
        "tooling",
    ];
    let map: serde_json::Map<String, Value> = names
        .iter()
        .map(|n| (n.to_string(), Value::String(format!("{base}/{n}"))))
        .collect();
    Reply::ok(Value::Object(map))
}

pub fn limits(ctx: &Ctx<'_>) -> Reply {
    let limits = ctx.emu.limits.view();
    let (used, max) = (limits.salesforce_used, limits.salesforce_daily);
    Reply::ok(json!({"DailyApiRequests": {"Max": max, "Remaining": max.saturating_sub(used)}}))
}

fn urls(ctx: &Ctx<'_>, object: &ObjectDef) -> Value {
    let base = format!("/services/data/{}/sobjects/{}", ctx.version, object.name);
    json!({"sobject": base, "describe": format!("{base}/describe"), "rowTemplate": format!("{base}/{{ID}}")})
}

fn summary(ctx: &Ctx<'_>, object: &ObjectDef) -> Value {
    let read_only = matches!(object.name.as_str(), "User");
    json!({
        "name": object.name, "label": object.label, "labelPlural": object.label_plural,
        "keyPrefix": object.prefix, "custom": false, "createable": !read_only,
        "updateable": !read_only, "deletable": !read_only, "queryable": true,
        "searchable": !matches!(object.name.as_str(), "OpportunityContactRole" | "ContentDocumentLink" | "Note"),
        "layoutable": true, "urls": urls(ctx, object),
    })
}

pub fn global(ctx: &Ctx<'_>) -> Reply {
    let objects: Vec<Value> = ctx.schema.objects.iter().map(|o| summary(ctx, o)).collect();
    Reply::ok(json!({"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": objects}))
}

pub fn basic(ctx: &Ctx<'_>, object: &str) -> Result<Reply, SfError> {
    let object = ctx.schema.object(object).ok_or_else(SfError::not_found)?;
    Ok(Reply::ok(
        json!({"objectDescribe": summary(ctx, object), "recentItems": []}),
    ))
}

pub fn describe(ctx: &Ctx<'_>, object: &str) -> Result<Reply, SfError> {
    let object = ctx.schema.object(object).ok_or_else(SfError::not_found)?;
    let mut body = summary(ctx, object);
    body["fields"] = Value::Array(object.fields.iter().map(|f| f.describe()).collect());
    body["childRelationships"] = Value::Array(
        CHILD_RELATIONSHIPS
            .iter()
            .filter(|(child, field, _)| {
                ctx.schema
                    .object(child)
                    .and_then(|c| c.field(field))
                    .is_some_and(|f| f.reference_to.iter().any(|t| t == &object.name))
            })
            .map(|(child, field, name)| json!({"childSObject": child, "field": field, "relationshipName": name, "cascadeDelete": false}))
            .collect(),
    );
    body["recordTypeInfos"] = json!([{"name": "Master", "master": true, "available": true, "defaultRecordTypeMapping": true, "recordTypeId": "012000000000000AAA"}]);
    Ok(Reply::ok(body))
}

/// The OpenID Connect user info for the session's user.
pub fn userinfo(emu: &Emulator, db: &Db, user_id: &str, headers: &HeaderMap) -> Reply {
    let user = db.row(Crm::Salesforce, user_id).ok().flatten();
    let field = |n: &str| {
        user.as_ref()
            .and_then(|u| u.fields.get(n))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let org = &emu.org.salesforce_org_id;
    let org18 = crate::state::salesforce::ids::checksum(org);
    let instance = format!("https://{}", host(headers));
    Reply::ok(json!({
        "sub": format!("https://login.salesforce.com/id/{org18}/{user_id}"),
        "user_id": user_id, "organization_id": org18,
        "preferred_username": field("Username"), "nickname": field("Alias"),
        "name": field("Name"), "email": field("Email"), "email_verified": true,
        "given_name": field("FirstName"), "family_name": field("LastName"),
        "zoneinfo": "Europe/Berlin", "locale": "en_US", "user_type": "STANDARD", "active": true,
        "urls": {
            "rest": format!("{instance}/services/data/v{{version}}/"),
            "sobjects": format!("{instance}/services/data/v{{version}}/sobjects/"),
            "query": format!("{instance}/services/data/v{{version}}/query/"),
        },
    }))
}
