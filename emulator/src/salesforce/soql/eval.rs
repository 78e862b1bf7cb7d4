//! Runs a parsed query over the object's rows: names are checked against the schema first
//! (`INVALID_FIELD`, `INVALID_TYPE`), then rows are filtered, sorted, cut and shaped.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{json, Map, Value};

use super::ast::*;
use crate::db::{Crm, Db, Row};
use crate::salesforce::error::SfError;
use crate::salesforce::schema::{FieldDef, FieldType, ObjectDef, Schema};

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
        return Ok(Output {
            records: Vec::new(),
            total: page.len(),
        });
    }
    let records: Vec<Value> = page
        .iter()
        .map(|row| ctx.shape(object, row, &query.select, version))
        .collect();
    Ok(Output {
        total: records.len(),
        records,
    })
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
    let found =
        crate::salesforce::schema::CHILD_RELATIONSHIPS
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

struct Checker<'a> {
    schema: &'a Schema,
    object: &'a ObjectDef,
}

impl Checker<'_> {
    /// The field a path ends at, following relationships (`Account.Owner.Name`).
    fn resolve(&self, path: &Path) -> Result<FieldDef, SfError> {
        let mut objects: Vec<&ObjectDef> = vec![self.object];
        for hop in &path[..path.len() - 1] {
            let reference = objects.iter().find_map(|o| o.relationship(hop)).ok_or_else(|| {
                SfError::bad(
                    "INVALID_FIELD",
                    format!("Didn't understand relationship '{hop}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."),
                )
            })?;
            objects = reference
                .reference_to
                .iter()
                .filter_map(|t| self.schema.object(target_object(t)))
                .collect();
        }
        let last = &path[path.len() - 1];
        objects
            .iter()
            .find_map(|o| o.field(last))
            .cloned()
            .ok_or_else(|| {
                let owner = if path.len() == 1 {
                    self.object.name.clone()
                } else {
                    path[path.len() - 2].clone()
                };
                SfError::no_such_column(last, &owner)
            })
    }

    fn check_expr(&self, expr: &Expr) -> Result<(), SfError> {
        match expr {
            Expr::And(parts) | Expr::Or(parts) => parts.iter().try_for_each(|p| self.check_expr(p)),
            Expr::Not(inner) => self.check_expr(inner),
            Expr::Cond(c) => {
                let field = self.resolve(&c.path)?;
                if field.ty == FieldType::Textarea {
                    return Err(SfError::bad(
                        "INVALID_FIELD",
                        format!("field '{}' can not be filtered in a query call", field.name),
                    ));
                }
                if c.op == Op::Like && !field.ty.is_text() {
                    return Err(SfError::bad(
                        "INVALID_FIELD",
                        format!(
                            "invalid operator on field '{}': LIKE is valid on string fields only",
                            field.name
                        ),
                    ));
                }
                match &c.value {
                    Literal::List(items) => items.iter().try_for_each(|l| check_literal(&field, l)),
                    other => check_literal(&field, other),
                }
            }
        }
    }
}

/// `ContentDocument` references point at ContentNotes here.
fn target_object(name: &str) -> &str {
    if name == "ContentDocument" {
        "ContentNote"
    } else {
        name
    }
}

fn check_literal(field: &FieldDef, literal: &Literal) -> Result<(), SfError> {
    let ok = match literal {
        Literal::Null | Literal::Pattern(_) => true,
        Literal::Str(_) => field.ty.is_text(),
        Literal::Num(_) => field.ty.is_number(),
        Literal::Bool(_) => field.ty == FieldType::Boolean,
        Literal::Date(_) => field.ty == FieldType::Date,
        Literal::DateTime(_) => field.ty == FieldType::DateTime,
        Literal::DateFn(_) => matches!(field.ty, FieldType::Date | FieldType::DateTime),
        Literal::List(_) => false,
    };
    if let (true, Literal::Str(id)) = (ok, literal) {
        let is_id = matches!(field.ty, FieldType::Id | FieldType::Reference);
        let well_formed = id.is_empty()
            || ((id.len() == 15 || id.len() == 18)
                && id.chars().all(|c| c.is_ascii_alphanumeric()));
        if is_id && !well_formed {
            return Err(SfError::bad(
                "INVALID_QUERY_FILTER_OPERATOR",
                format!("invalid ID field: {id}"),
            ));
        }
    }
    if ok {
        return Ok(());
    }
    let message = if field.ty.is_text() {
        format!("value of filter criterion for field '{}' must be of type string and should be enclosed in quotes", field.name)
    } else {
        format!("value of filter criterion for field '{}' must be of type {} and should not be enclosed in quotes", field.name, field.ty.api_name())
    };
    Err(SfError::bad("INVALID_FIELD", message))
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
        let key = crate::salesforce::schema::CHILD_RELATIONSHIPS
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
        n => row.fields.get(n).cloned().unwrap_or(Value::Null),
    }
}

fn test(value: &Value, op: Op, literal: &Literal, today: NaiveDate) -> bool {
    match (op, literal) {
        (Op::In, Literal::List(items)) => items
            .iter()
            .any(|l| compare(value, l, today) == Some(Ordering::Equal)),
        (Op::NotIn, Literal::List(items)) => !items
            .iter()
            .any(|l| compare(value, l, today) == Some(Ordering::Equal)),
        (Op::Like, Literal::Pattern(p)) => value.as_str().is_some_and(|s| like(s, p)),
        (Op::Eq, Literal::Null) => value.is_null(),
        (Op::Ne, Literal::Null) => !value.is_null(),
        (_, Literal::DateFn(f)) => date_fn_test(value, op, *f, today),
        (Op::Eq, l) => compare(value, l, today) == Some(Ordering::Equal),
        (Op::Ne, l) => compare(value, l, today) != Some(Ordering::Equal),
        (op, l) => match compare(value, l, today) {
            Some(ord) => match op {
                Op::Lt => ord == Ordering::Less,
                Op::Le => ord != Ordering::Greater,
                Op::Gt => ord == Ordering::Greater,
                Op::Ge => ord != Ordering::Less,
                _ => false,
            },
            None => false,
        },
    }
}

/// Orders a stored value against a literal; None when either side is null or they differ in kind.
fn compare(value: &Value, literal: &Literal, _today: NaiveDate) -> Option<Ordering> {
    match (value, literal) {
        (Value::String(s), Literal::Str(l)) => Some(compare_text(s, l)),
        (Value::Number(n), Literal::Num(l)) => n.as_f64()?.partial_cmp(l),
        (Value::Bool(b), Literal::Bool(l)) => Some(b.cmp(l)),
        (Value::String(s), Literal::Date(l)) => Some(s.as_str().cmp(l.as_str())),
        (Value::String(s), Literal::DateTime(l)) => {
            Some(parse_datetime(s)?.cmp(&parse_datetime(l)?))
        }
        _ => None,
    }
}

/// Text compares case-insensitively; a 15-character id matches its 18-character form.
fn compare_text(stored: &str, literal: &str) -> Ordering {
    if literal.len() == 15 && stored.len() == 18 && stored.is_ascii() {
        return stored[..15].cmp(literal);
    }
    stored.to_lowercase().cmp(&literal.to_lowercase())
}

pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn date_of(value: &Value) -> Option<NaiveDate> {
    let s = value.as_str()?;
    if s.len() == 10 {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    }
    parse_datetime(s).map(|d| d.date_naive())
}

/// `LAST_N_DAYS:n` covers today and the n days before it (A2 lists it; whole UTC days).
fn date_fn_test(value: &Value, op: Op, f: DateFn, today: NaiveDate) -> bool {
    let Some(date) = date_of(value) else {
        return op == Op::Ne;
    };
    let (start, end) = match f {
        DateFn::Today => (today, today + Duration::days(1)),
        DateFn::Yesterday => (today - Duration::days(1), today),
        DateFn::Tomorrow => (today + Duration::days(1), today + Duration::days(2)),
        DateFn::LastNDays(n) => (today - Duration::days(n), today + Duration::days(1)),
        DateFn::NextNDays(n) => (today + Duration::days(1), today + Duration::days(n + 1)),
    };
    let inside = date >= start && date < end;
    match op {
        Op::Eq => inside,
        Op::Ne => !inside,
        Op::Lt => date < start,
        Op::Le => date < end,
        Op::Gt => date >= end,
        Op::Ge => date >= start,
        _ => false,
    }
}

/// LIKE matches case-insensitively over the whole value.
fn like(text: &str, pattern: &[LikeTok]) -> bool {
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let pattern: Vec<LikeTok> = pattern
        .iter()
        .map(|t| match t {
            LikeTok::Char(c) => LikeTok::Char(c.to_lowercase().next().unwrap_or(*c)),
            other => *other,
        })
        .collect();
    wildcard_match(&text, &pattern)
}

/// Iterative wildcard matching with backtracking to the last `%`.
fn wildcard_match(text: &[char], pattern: &[LikeTok]) -> bool {
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(LikeTok::Any) => {
                star = Some((p, t));
                p += 1;
            }
            Some(LikeTok::One) => {
                t += 1;
                p += 1;
            }
            Some(LikeTok::Char(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|t| *t == LikeTok::Any)
}

fn compare_keys(order: &[OrderItem], a: &[Value], b: &[Value]) -> Ordering {
    for (o, (x, y)) in order.iter().zip(a.iter().zip(b)) {
        let ord = match (x.is_null(), y.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => {
                if o.nulls_last {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (false, true) => {
                if o.nulls_last {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (false, false) => {
                let ord = compare_values(x, y);
                if o.descending {
                    ord.reverse()
                } else {
                    ord
                }
            }
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

fn compare_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(s: &str) -> Vec<LikeTok> {
        super::super::parser::decode_like(s).unwrap()
    }

    #[test]
    fn like_handles_wildcards_and_case() {
        assert!(like("Müller", &pattern("mü%")));
        assert!(like("abc", &pattern("a_c")));
        assert!(!like("abcd", &pattern("a_c")));
        assert!(like("50% off", &pattern(r"%\%%")));
        assert!(!like("50 off", &pattern(r"%\%%")));
    }

    #[test]
    fn last_n_days_includes_today() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 10).unwrap();
        let value = json!("2026-05-09T12:00:00.000+0000");
        assert!(date_fn_test(&value, Op::Eq, DateFn::LastNDays(1), today));
        assert!(!date_fn_test(
            &json!("2026-05-01"),
            Op::Eq,
            DateFn::LastNDays(2),
            today
        ));
    }
}
