//! Runs a parsed query over the object's rows: names are checked against the schema first
//! (`INVALID_FIELD`, `INVALID_TYPE`), then rows are filtered, sorted, cut and shaped.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use serde_json::{json, Map, Value};

use super::ast::*;
use super::check::Checker;
pub use super::compare::parse_datetime;
use super::compare::{compare_keys, test};
use crate::salesforce::error::SfError;
use crate::state::db::{Crm, Db, Row};
use crate::state::salesforce::schema::{FieldType, ObjectDef, Schema};

pub struct Output {
    pub records: Vec<Value>,
    pub total: usize,
}

/// Runs `query`; `all_rows` is `queryAll` (recycle bin included).
pub fn run(
    schema: &Schema,
    db: &Db,
    query: &Query,
    version: &str,
    all_rows: bool,
) -> Result<Output, SfError> {
    run_with(schema, db, query, version, all_rows, &|_, _| true)
}

/// Row test that SOSL adds to a query: the search term.
pub type RowTest<'a> = dyn Fn(&ObjectDef, &Row) -> bool + 'a;

/// [`run`] keeping only rows that also pass `extra`.
pub fn run_with(
    schema: &Schema,
    db: &Db,
    query: &Query,
    version: &str,
    all_rows: bool,
    extra: &RowTest<'_>,
) -> Result<Output, SfError> {
    let counted = query.select == [SelectItem::Count];
    let mut shape = |ctx: &mut Ctx<'_>, object: &ObjectDef, row: &Row| {
        ctx.shape(object, row, &query.select, version)
    };
    let (records, total) = select(schema, db, query, version, all_rows, extra, &mut shape)?;
    Ok(Output {
        records: if counted { Vec::new() } else { records },
        total,
    })
}

/// The selected fields' values of every row `query` reads, in order: a Bulk API 2.0 query
/// job's CSV rows (CRM-APIS A21).
pub fn run_cells(
    schema: &Schema,
    db: &Db,
    query: &Query,
    version: &str,
    all_rows: bool,
) -> Result<Vec<Vec<Value>>, SfError> {
    let paths: Vec<&Path> = query
        .select
        .iter()
        .filter_map(|item| match item {
            SelectItem::Field(path) => Some(path),
            _ => None,
        })
        .collect();
    let mut cells = |ctx: &mut Ctx<'_>, object: &ObjectDef, row: &Row| {
        paths.iter().map(|p| ctx.value(object, row, p)).collect()
    };
    Ok(select(
        schema,
        db,
        query,
        version,
        all_rows,
        &|_, _| true,
        &mut cells,
    )?
    .0)
}

type Emit<'e, T> = dyn FnMut(&mut Ctx<'_>, &ObjectDef, &Row) -> T + 'e;

/// Checks `query`'s names, then emits each row it reads; also the count of those rows.
fn select<T>(
    schema: &Schema,
    db: &Db,
    query: &Query,
    version: &str,
    all_rows: bool,
    extra: &RowTest<'_>,
    emit: &mut Emit<'_, T>,
) -> Result<(Vec<T>, usize), SfError> {
    let object = schema
        .object(&query.from)
        .ok_or_else(|| SfError::invalid_type(&query.from))?;
    let checker = Checker { schema, object };
    for item in &query.select {
        match item {
            SelectItem::Field(path) => {
                checker.resolve(path)?;
            }
            SelectItem::Sub(sub) => {
                let (child_query, _) = child_query(schema, object, sub)?;
                // Checks the subquery's names once, even when no parent row matches.
                run_with(schema, db, &child_query, version, all_rows, &|_, _| false)?;
            }
            SelectItem::Count => {}
        }
    }
    if let Some(filter) = &query.filter {
        checker.check_expr(filter)?;
    }
    for o in &query.order {
        let field = checker.resolve(&o.path)?;
        if field.ty == FieldType::Textarea {
            return Err(SfError::bad(
                "INVALID_FIELD",
                format!("field '{}' can not be sorted in a query call", field.name),
            ));
        }
    }
    if object.name == "ContentDocumentLink" && !query.filter.as_ref().is_some_and(pins_link) {
        return Err(SfError::malformed_query("Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator."));
    }
    if query.offset.is_some_and(|o| o > 2000) {
        return Err(SfError::bad(
            "NUMBER_OUTSIDE_VALID_RANGE",
            "Maximum SOQL offset allowed is 2000",
        ));
    }
    let mut ctx = Ctx {
        schema,
        db,
        cache: HashMap::new(),
        today: Utc::now().date_naive(),
    };
    let db_error = |e: rusqlite::Error| SfError::bad("UNKNOWN_EXCEPTION", e.to_string());
    let pinned: Vec<Row>;
    let all: Arc<Vec<Row>>;
    let rows: Vec<&Row> = match query.filter.as_ref().and_then(pinned_ids) {
        Some(ids) => {
            pinned = ids
                .iter()
                .filter_map(|id| db.row(Crm::Salesforce, id).ok().flatten())
                .filter(|r| r.object == object.name && (all_rows || !r.deleted))
                .collect();
            pinned.iter().collect()
        }
        None => {
            all = db
                .all_rows(Crm::Salesforce, &object.name)
                .map_err(db_error)?;
            all.iter().filter(|r| all_rows || !r.deleted).collect()
        }
    };
    let mut hits: Vec<&Row> = Vec::new();
    for row in rows {
        let keep = extra(object, row)
            && match &query.filter {
                Some(f) => ctx.matches(object, row, f),
                None => true,
            };
        if keep {
            hits.push(row);
        }
    }
    if !query.order.is_empty() {
        let keys: Vec<Vec<Value>> = hits
            .iter()
            .map(|r| {
                query
                    .order
                    .iter()
                    .map(|o| ctx.value(object, r, &o.path))
                    .collect()
            })
            .collect();
        let mut idx: Vec<usize> = (0..hits.len()).collect();
        idx.sort_by(|&a, &b| compare_keys(&query.order, &keys[a], &keys[b]));
        hits = idx.into_iter().map(|i| hits[i]).collect();
    }
    let offset = query.offset.unwrap_or(0) as usize;
    let limit = query.limit.map(|l| l as usize).unwrap_or(usize::MAX);
    let page: Vec<&Row> = hits.into_iter().skip(offset).take(limit).collect();
    if query.select == [SelectItem::Count] {
        return Ok((Vec::new(), page.len()));
    }
    let records: Vec<T> = page.iter().map(|row| emit(&mut ctx, object, row)).collect();
    let total = records.len();
    Ok((records, total))
}

/// The subquery aimed at the child object, and the child field that points at the parent.
fn child_query(
    schema: &Schema,
    parent: &ObjectDef,
    sub: &Query,
) -> Result<(Query, String), SfError> {
    if sub
        .select
        .iter()
        .any(|i| matches!(i, SelectItem::Sub(_) | SelectItem::Count))
    {
        return Err(SfError::malformed_query(
            "Nesting of semi join sub-selects is not supported",
        ));
    }
    let found = crate::state::salesforce::schema::CHILD_RELATIONSHIPS
        .iter()
        .find(|(child, field, name)| {
            name.eq_ignore_ascii_case(&sub.from)
                && schema
                    .object(child)
                    .and_then(|c| c.field(field))
                    .is_some_and(|f| f.reference_to.iter().any(|t| t == &parent.name))
        });
    let Some((child, field, _)) = found else {
        return Err(SfError::bad("INVALID_TYPE", format!("Didn't understand relationship '{}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.", sub.from)));
    };
    let mut q = sub.clone();
    q.from = child.to_string();
    Ok((q, field.to_string()))
}

/// ContentDocumentLink queries must name the document or the linked record.
fn pins_link(expr: &Expr) -> bool {
    match expr {
        Expr::Cond(c) => {
            matches!(c.op, Op::Eq | Op::In)
                && c.path.len() == 1
                && ["ContentDocumentId", "LinkedEntityId"]
                    .iter()
                    .any(|f| f.eq_ignore_ascii_case(&c.path[0]))
        }
        Expr::And(parts) => parts.iter().any(pins_link),
        _ => false,
    }
}

fn pinned_ids(expr: &Expr) -> Option<Vec<String>> {
    match expr {
        Expr::Cond(Cond { path, op, value })
            if path.len() == 1 && path[0].eq_ignore_ascii_case("Id") =>
        {
            let ids = match (op, value) {
                (Op::Eq, Literal::Str(s)) => vec![s.clone()],
                (Op::In, Literal::List(items)) => items
                    .iter()
                    .filter_map(|l| match l {
                        Literal::Str(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect(),
                _ => return None,
            };
            // 15-character ids match case-sensitively on a prefix: scan instead.
            ids.iter().all(|id| id.len() == 18).then_some(ids)
        }
        Expr::And(parts) => parts.iter().find_map(pinned_ids),
        _ => None,
    }
}

struct Ctx<'a> {
    schema: &'a Schema,
    db: &'a Db,
    /// Related rows already read, by id.
    cache: HashMap<String, Option<Arc<Row>>>,
    today: NaiveDate,
}

impl Ctx<'_> {
    fn related(&mut self, id: &str) -> Option<Arc<Row>> {
        if let Some(hit) = self.cache.get(id) {
            return hit.clone();
        }
        let row = self
            .db
            .row(Crm::Salesforce, id)
            .ok()
            .flatten()
            .map(Arc::new);
        self.cache.insert(id.to_string(), row.clone());
        row
    }

    /// The row a relationship hop leads to.
    fn follow(&mut self, object: &ObjectDef, row: &Row, hop: &str) -> Option<Arc<Row>> {
        let reference = object.relationship(hop)?;
        let id = row.fields.get(&reference.name)?.as_str()?.to_string();
        self.related(&id)
    }

    fn value(&mut self, object: &ObjectDef, row: &Row, path: &Path) -> Value {
        let last = &path[path.len() - 1];
        if path.len() == 1 {
            return field_value(object, row, last);
        }
        let schema = self.schema;
        let mut current_object = object;
        let mut current: Option<Arc<Row>> = None;
        for hop in &path[..path.len() - 1] {
            let from = current.as_deref().unwrap_or(row);
            let Some(next) = self.follow(current_object, from, hop) else {
                return Value::Null;
            };
            let Some(next_object) = schema.object(&next.object) else {
                return Value::Null;
            };
            current_object = next_object;
            current = Some(next);
        }
        field_value(current_object, current.as_deref().unwrap_or(row), last)
    }

    fn matches(&mut self, object: &ObjectDef, row: &Row, expr: &Expr) -> bool {
        match expr {
            Expr::And(parts) => parts.iter().all(|p| self.matches(object, row, p)),
            Expr::Or(parts) => parts.iter().any(|p| self.matches(object, row, p)),
            Expr::Not(inner) => !self.matches(object, row, inner),
            Expr::Cond(c) => {
                let value = self.value(object, row, &c.path);
                let today = self.today;
                test(&value, c.op, &c.value, today)
            }
        }
    }

    fn shape(
        &mut self,
        object: &ObjectDef,
        row: &Row,
        select: &[SelectItem],
        version: &str,
    ) -> Value {
        let mut out = record_head(&object.name, &row.id, version);
        for item in select {
            match item {
                SelectItem::Field(path) => self.place(&mut out, object, Some(row), path, version),
                SelectItem::Sub(sub) => {
                    let (key, value) = self.children(object, row, sub, version);
                    out.insert(key, value);
                }
                SelectItem::Count => {}
            }
        }
        Value::Object(out)
    }

    /// A subquery's rows for one parent: `{totalSize, done, records}`, or null when none.
    fn children(
        &mut self,
        parent: &ObjectDef,
        row: &Row,
        sub: &Query,
        version: &str,
    ) -> (String, Value) {
        let Ok((q, field)) = child_query(self.schema, parent, sub) else {
            return (sub.from.clone(), Value::Null);
        };
        let key = crate::state::salesforce::schema::CHILD_RELATIONSHIPS
            .iter()
            .find(|(_, _, name)| name.eq_ignore_ascii_case(&sub.from))
            .map(|(_, _, name)| name.to_string())
            .unwrap_or_else(|| sub.from.clone());
        let parent_id = Value::String(row.id.clone());
        let found = run_with(self.schema, self.db, &q, version, false, &|_, child| {
            child.fields.get(&field) == Some(&parent_id)
        });
        match found {
            Ok(out) if !out.records.is_empty() => (
                key,
                json!({"totalSize": out.total, "done": true, "records": out.records}),
            ),
            _ => (key, Value::Null),
        }
    }

    /// Writes one selected path into `out`, nesting relationship objects as the API does.
    fn place(
        &mut self,
        out: &mut Map<String, Value>,
        object: &ObjectDef,
        row: Option<&Row>,
        path: &[String],
        version: &str,
    ) {
        let schema = self.schema;
        if path.len() == 1 {
            let name = object
                .field(&path[0])
                .map(|f| f.name.clone())
                .unwrap_or_else(|| path[0].clone());
            let value = row
                .map(|r| field_value(object, r, &path[0]))
                .unwrap_or(Value::Null);
            out.insert(name, value);
            return;
        }
        let Some(reference) = object.relationship(&path[0]) else {
            return;
        };
        let key = reference.relationship_name.clone().unwrap_or_default();
        let next = row.and_then(|r| self.follow(object, r, &path[0]));
        let Some(next) = next else {
            out.insert(key, Value::Null);
            return;
        };
        let Some(next_object) = schema.object(&next.object) else {
            return;
        };
        if !matches!(out.get(&key), Some(Value::Object(_))) {
            out.insert(
                key.clone(),
                Value::Object(record_head(&next_object.name, &next.id, version)),
            );
        }
        if let Some(Value::Object(inner)) = out.get_mut(&key) {
            let mut inner = std::mem::take(inner);
            self.place(&mut inner, next_object, Some(&next), &path[1..], version);
            out.insert(key, Value::Object(inner));
        }
    }
}

pub fn record_head(object: &str, id: &str, version: &str) -> Map<String, Value> {
    let mut head = Map::new();
    head.insert(
        "attributes".into(),
        json!({"type": object, "url": format!("/services/data/{version}/sobjects/{object}/{id}")}),
    );
    head
}

/// A field of a row as the API shows it (`Id` and `IsDeleted` come from the row itself).
pub fn field_value(object: &ObjectDef, row: &Row, name: &str) -> Value {
    let Some(field) = object.field(name) else {
        return Value::Null;
    };
    match field.name.as_str() {
        "Id" => Value::String(row.id.clone()),
        "IsDeleted" => Value::Bool(row.deleted),
        n => match row.fields.get(n) {
            Some(v) => v.clone(),
            // A checkbox is never null: rows older than a new checkbox read its default.
            None if field.ty == FieldType::Boolean => {
                field.default_value.clone().unwrap_or(Value::Bool(false))
            }
            None => Value::Null,
        },
    }
}
