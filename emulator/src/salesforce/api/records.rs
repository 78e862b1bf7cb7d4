//! sObject create, read, update, delete and upsert with the real status codes (CRM-APIS A5).

use crate::state::db::Fields;
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use super::call::Ctx;
use super::derive::complete;
use super::org_rules::apply_rules;
use super::write::{check_body, resolve_id};
use crate::http_util::Reply;
use crate::salesforce::error::SfError;
use crate::salesforce::soql::eval::{field_value, record_head};
use crate::state::db::{Crm, Row};
use crate::state::salesforce::ids::new_id;
use crate::state::salesforce::schema::{ObjectDef, UNIQUE_PAIRS};

pub fn object_def<'s>(ctx: &'s Ctx<'_>, name: &str) -> Result<&'s ObjectDef, SfError> {
    ctx.schema.object(name).ok_or_else(SfError::not_found)
}

fn db_error(e: rusqlite::Error) -> SfError {
    SfError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "UNKNOWN_EXCEPTION",
        e.to_string(),
    )
}

/// Creates a record and returns its id (shared by collections and composite).
pub fn insert(ctx: &Ctx<'_>, object: &ObjectDef, body: Option<&Value>) -> Result<String, SfError> {
    let mut fields = check_body(ctx, object, body, None)?;
    complete(ctx, object, &mut fields, true)?;
    apply_rules(ctx, object, None, &fields)?;
    check_unique(ctx, object, &fields)?;
    let id = new_id(&object.prefix);
    ctx.db
        .insert(Crm::Salesforce, &object.name, &id, &fields)
        .map_err(db_error)?;
    Ok(id)
}

/// Unique fields, and a document linked twice to the same record, answer DUPLICATE_VALUE.
fn check_unique(ctx: &Ctx<'_>, object: &ObjectDef, fields: &Fields) -> Result<(), SfError> {
    for field in object.fields.iter().filter(|f| f.unique) {
        let Some(value) = fields.get(&field.name).filter(|v| !v.is_null()) else {
            continue;
        };
        if let Some(other) = ctx
            .db
            .id_with(Crm::Salesforce, &object.name, &field.name, value)
            .map_err(db_error)?
        {
            return Err(SfError::bad(
                "DUPLICATE_VALUE",
                format!(
                    "duplicate value found: {} duplicates value on record with id: {other}",
                    field.name
                ),
            )
            .with_fields(vec![field.name.clone()]));
        }
    }
    for (_, a, b) in UNIQUE_PAIRS.iter().filter(|(o, _, _)| *o == object.name) {
        let key = |f: &Fields| (f.get(*a).cloned(), f.get(*b).cloned());
        let wanted = key(fields);
        let rows = ctx
            .db
            .list(Crm::Salesforce, &object.name)
            .map_err(db_error)?;
        if let Some((other, _)) = rows.iter().find(|(_, f)| key(f) == wanted) {
            return Err(SfError::bad(
                "DUPLICATE_VALUE",
                format!(
                    "duplicate value found: {a}, {b} duplicates value on record with id: {other}"
                ),
            )
            .with_fields(vec![a.to_string(), b.to_string()]));
        }
    }
    if object.name == "ContentDocumentLink" {
        let text = |name: &str| fields.get(name).and_then(Value::as_str).unwrap_or_default();
        let (document, entity) = (text("ContentDocumentId"), text("LinkedEntityId"));
        let links = ctx
            .db
            .list(Crm::Salesforce, "ContentDocumentLink")
            .map_err(db_error)?;
        let linked = links.iter().any(|(_, f)| {
            f.get("ContentDocumentId").and_then(Value::as_str) == Some(document)
                && f.get("LinkedEntityId").and_then(Value::as_str) == Some(entity)
        });
        if linked {
            return Err(SfError::bad(
                "DUPLICATE_VALUE",
                format!("Document with ID: {document} is already linked with the entity with ID: {entity}"),
            )
            .with_fields(vec!["LinkedEntityId".into()]));
        }
    }
    Ok(())
}

pub fn create(ctx: &Ctx<'_>, object: &str, body: Option<&Value>) -> Result<Reply, SfError> {
    let object = object_def(ctx, object)?;
    if matches!(body, Some(Value::Array(_))) {
        return Err(SfError::bad(
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of SObject from START_ARRAY value",
        ));
    }
    let id = insert(ctx, object, body)?;
    Ok(Reply::json(
        StatusCode::CREATED,
        json!({"id": id, "success": true, "errors": []}),
    ))
}

/// The live row for a 15- or 18-character id of `object`.
pub fn live_row(ctx: &Ctx<'_>, object: &ObjectDef, id: &str) -> Result<Row, SfError> {
    let (full, deleted) = resolve_id(ctx, id).ok_or_else(SfError::not_found)?;
    let row = ctx
        .db
        .row(Crm::Salesforce, &full)
        .map_err(db_error)?
        .ok_or_else(SfError::not_found)?;
    if row.object != object.name {
        return Err(SfError::not_found());
    }
    if deleted {
        return Err(SfError::new(
            StatusCode::NOT_FOUND,
            "ENTITY_IS_DELETED",
            "entity is deleted",
        ));
    }
    Ok(row)
}

/// A record with `attributes`, then the wanted fields (all when none are named).
pub fn shape(
    ctx: &Ctx<'_>,
    object: &ObjectDef,
    row: &Row,
    wanted: Option<&String>,
) -> Result<Value, SfError> {
    let mut out = record_head(&object.name, &row.id, &ctx.version);
    match wanted {
        Some(list) => {
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let field = object
                    .field(name)
                    .ok_or_else(|| SfError::no_such_column(name, &object.name))?;
                out.insert(field.name.clone(), field_value(object, row, name));
            }
            out.insert("Id".into(), Value::String(row.id.clone()));
        }
        None => {
            for f in &object.fields {
                out.insert(f.name.clone(), field_value(object, row, &f.name));
            }
        }
    }
    Ok(Value::Object(out))
}

pub fn read(
    ctx: &Ctx<'_>,
    object: &str,
    id: &str,
    fields: Option<&String>,
) -> Result<Reply, SfError> {
    let object = object_def(ctx, object)?;
    let row = live_row(ctx, object, id)?;
    Ok(Reply::ok(shape(ctx, object, &row, fields)?))
}

/// Applies a body to an existing row.
pub fn modify(
    ctx: &Ctx<'_>,
    object: &ObjectDef,
    row: &Row,
    body: Option<&Value>,
) -> Result<(), SfError> {
    let changes = check_body(ctx, object, body, Some((&row.id, &row.fields)))?;
    let mut fields = row.fields.clone();
    fields.extend(changes);
    complete(ctx, object, &mut fields, false)?;
    apply_rules(ctx, object, Some(&row.id), &fields)?;
    ctx.db
        .update(Crm::Salesforce, &row.id, &fields)
        .map_err(db_error)
}

pub fn update(
    ctx: &Ctx<'_>,
    object: &str,
    id: &str,
    body: Option<&Value>,
) -> Result<Reply, SfError> {
    let object = object_def(ctx, object)?;
    let row = live_row(ctx, object, id)?;
    modify(ctx, object, &row, body)?;
    Ok(Reply::no_content())
}

pub fn remove(ctx: &Ctx<'_>, object: &ObjectDef, id: &str) -> Result<String, SfError> {
    let row = live_row(ctx, object, id)?;
    recycle(ctx, &row.id, row.fields)?;
    cascade(ctx, &object.name, &row.id)?;
    Ok(row.id)
}

/// To the recycle bin; the delete log's `deletedDate` is the row's `SystemModstamp` (A20).
fn recycle(ctx: &Ctx<'_>, id: &str, mut fields: Fields) -> Result<(), SfError> {
    fields.insert("SystemModstamp".into(), Value::String(super::write::now()));
    ctx.db
        .update(Crm::Salesforce, id, &fields)
        .and_then(|()| ctx.db.delete(Crm::Salesforce, id, false))
        .map_err(db_error)
}

/// Records deleted with their parent: an account's contacts and opportunities, and the
/// contact roles of a deleted contact or opportunity (they go to the recycle bin too).
const CASCADES: &[(&str, &str, &str)] = &[
    ("Account", "Contact", "AccountId"),
    ("Account", "Opportunity", "AccountId"),
    ("Contact", "OpportunityContactRole", "ContactId"),
    ("Opportunity", "OpportunityContactRole", "OpportunityId"),
];

fn cascade(ctx: &Ctx<'_>, parent: &str, id: &str) -> Result<(), SfError> {
    for (_, child, field) in CASCADES.iter().filter(|(p, _, _)| *p == parent) {
        let doomed: Vec<(String, Fields)> = ctx
            .db
            .list(Crm::Salesforce, child)
            .map_err(db_error)?
            .into_iter()
            .filter(|(_, f)| f.get(*field).and_then(Value::as_str) == Some(id))
            .collect();
        for (child_id, fields) in doomed {
            recycle(ctx, &child_id, fields)?;
            cascade(ctx, child, &child_id)?;
        }
    }
    Ok(())
}

pub fn delete(ctx: &Ctx<'_>, object: &str, id: &str) -> Result<Reply, SfError> {
    let object = object_def(ctx, object)?;
    remove(ctx, object, id)?;
    Ok(Reply::no_content())
}

/// Rows whose external-id field equals `value`; the field must be `Id` or marked external.
fn by_external(
    ctx: &Ctx<'_>,
    object: &ObjectDef,
    field: &str,
    value: &str,
) -> Result<Vec<Row>, SfError> {
    let def = object
        .field(field)
        .filter(|f| f.external_id || f.name == "Id")
        .ok_or_else(|| {
            SfError::new(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                format!("Provided external ID field does not exist or is not accessible: {field}"),
            )
        })?;
    if def.name == "Id" {
        return Ok(live_row(ctx, object, value).into_iter().collect());
    }
    let rows = ctx
        .db
        .rows(Crm::Salesforce, &object.name, false)
        .map_err(db_error)?;
    Ok(rows
        .into_iter()
        .filter(|r| match r.fields.get(&def.name) {
            Some(Value::String(s)) => s.eq_ignore_ascii_case(value),
            Some(Value::Number(n)) => n.to_string() == value,
            _ => false,
        })
        .collect())
}

fn multiple_choices(ctx: &Ctx<'_>, object: &ObjectDef, rows: &[Row]) -> SfError {
    let urls: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!(format!(
                "/services/data/{}/sobjects/{}/{}",
                ctx.version, object.name, r.id
            ))
        })
        .collect();
    let mut e = SfError::new(
        StatusCode::MULTIPLE_CHOICES,
        "MULTIPLE_CHOICES",
        "More than one record found for external id field",
    );
    e.extra = Some(Box::new(("urls".into(), Value::Array(urls))));
    e
}

pub fn read_by_external(
    ctx: &Ctx<'_>,
    object: &str,
    field: &str,
    value: &str,
    fields: Option<&String>,
) -> Result<Reply, SfError> {
    let object = object_def(ctx, object)?;
    let rows = by_external(ctx, object, field, value)?;
    match rows.as_slice() {
        [] => Err(SfError::not_found()),
        [row] => Ok(Reply::ok(shape(ctx, object, row, fields)?)),
        _ => Err(multiple_choices(ctx, object, &rows)),
    }
}

/// Upserts one record; returns (id, created). Creates set the external field from the URL.
pub fn upsert_one(
    ctx: &Ctx<'_>,
    object: &ObjectDef,
    field: &str,
    value: &str,
    body: Option<&Value>,
    update_only: bool,
) -> Result<(String, bool), SfError> {
    let rows = by_external(ctx, object, field, value)?;
    match rows.as_slice() {
        [row] => {
            modify(ctx, object, row, body)?;
            Ok((row.id.clone(), false))
        }
        [] if update_only || field.eq_ignore_ascii_case("Id") => Err(SfError::not_found()),
        [] => {
            let mut with_key: Map<String, Value> =
                body.and_then(Value::as_object).cloned().unwrap_or_default();
            let name = object
                .field(field)
                .map(|f| f.name.clone())
                .unwrap_or_else(|| field.to_string());
            with_key
                .entry(name)
                .or_insert_with(|| Value::String(value.to_string()));
            let id = insert(ctx, object, Some(&Value::Object(with_key)))?;
            Ok((id, true))
        }
        _ => Err(multiple_choices(ctx, object, &rows)),
    }
}

/// A5: 201 `created:true` on create; 200 `created:false` on update (current versions).
pub fn upsert(
    ctx: &Ctx<'_>,
    object: &str,
    field: &str,
    value: &str,
    body: Option<&Value>,
    update_only: bool,
) -> Result<Reply, SfError> {
    let object = object_def(ctx, object)?;
    let (id, created) = upsert_one(ctx, object, field, value, body, update_only)?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(Reply::json(
        status,
        json!({"id": id, "success": true, "errors": [], "created": created}),
    ))
}
