//! Evaluates `$filter` over rows. Text compares case-insensitively, as Dataverse's default
//! collation does; GUIDs ignore case; a null only equals null.

use std::cmp::Ordering;

use serde_json::Value;

use super::filter::{Expr, Lit, Op, Wild};
use crate::state::db::Fields;

/// Where a filter reads property values from.
pub trait Props {
    fn prop(&self, name: &str) -> Option<&Value>;
}

impl Props for Fields {
    fn prop(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

/// A stored row plus its primary id, which rows do not store, and the Boolean columns that
/// read `false` when a row predates them.
pub struct WithKey<'a> {
    pub fields: &'a Fields,
    pub key: &'a str,
    pub id: &'a Value,
    pub booleans: &'a [String],
}

static FALSE: Value = Value::Bool(false);

impl Props for WithKey<'_> {
    fn prop(&self, name: &str) -> Option<&Value> {
        if name == self.key {
            return Some(self.id);
        }
        match self.fields.get(name) {
            None if self.booleans.iter().any(|b| b == name) => Some(&FALSE),
            found => found,
        }
    }
}

pub fn matches<P: Props + ?Sized>(expr: &Expr, row: &P) -> bool {
    match expr {
        Expr::And(a, b) => matches(a, row) && matches(b, row),
        Expr::Or(a, b) => matches(a, row) || matches(b, row),
        Expr::Not(inner) => !matches(inner, row),
        Expr::Like { prop, pattern } => row
            .prop(prop)
            .and_then(Value::as_str)
            .is_some_and(|s| like(&s.to_lowercase().chars().collect::<Vec<_>>(), pattern)),
        Expr::Cmp { prop, op, value } => {
            let stored = row.prop(prop).unwrap_or(&Value::Null);
            match (op, value) {
                (Op::Eq, Lit::Null) => stored.is_null(),
                (Op::Ne, Lit::Null) => !stored.is_null(),
                (Op::Eq, v) => compare(stored, v) == Some(Ordering::Equal),
                (Op::Ne, v) => compare(stored, v) != Some(Ordering::Equal),
                (op, v) => compare(stored, v).is_some_and(|ord| match op {
                    Op::Gt => ord == Ordering::Greater,
                    Op::Ge => ord != Ordering::Less,
                    Op::Lt => ord == Ordering::Less,
                    Op::Le => ord != Ordering::Greater,
                    _ => false,
                }),
            }
        }
    }
}

fn compare(stored: &Value, literal: &Lit) -> Option<Ordering> {
    match (stored, literal) {
        (Value::String(s), Lit::Str(l) | Lit::Bare(l)) => {
            if let (Some(a), Some(b)) = (timestamp(s), timestamp(l)) {
                return Some(a.cmp(&b));
            }
            Some(s.to_lowercase().cmp(&l.to_lowercase()))
        }
        (Value::Number(n), Lit::Num(l)) => n.as_f64()?.partial_cmp(l),
        (Value::Bool(b), Lit::Bool(l)) => Some(b.cmp(l)),
        _ => None,
    }
}

/// Dates and date-times compare as instants (a date is its midnight UTC).
fn timestamp(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if s.len() == 10 {
        let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        return Some(d.and_hms_opt(0, 0, 0)?.and_utc());
    }
    if s.len() < 19 || s.as_bytes()[10] != b'T' {
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&chrono::Utc))
}

/// T-SQL LIKE tokens over lower-cased text (matching shared with SOQL and SOSL).
impl crate::wildcard::Token for Wild {
    fn is_any_run(&self) -> bool {
        *self == Wild::Any
    }
    fn accepts(&self, c: char) -> bool {
        let lower = |x: char| x.to_lowercase().next().unwrap_or(x);
        match self {
            Wild::Char(x) => lower(*x) == c,
            Wild::One | Wild::Any => true,
            Wild::Set { negated, chars } => chars.iter().any(|x| lower(*x) == c) != *negated,
        }
    }
}

fn like(text: &[char], pattern: &[Wild]) -> bool {
    crate::wildcard::matches(text, pattern)
}

#[cfg(test)]
mod tests {
    use super::super::filter::parse;
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> Fields {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn contains_is_case_insensitive_and_brackets_escape() {
        let r = row(json!({"fullname": "Jürgen Weiß", "subject": "50% off"}));
        assert!(matches(&parse("contains(fullname,'WEIß')").unwrap(), &r));
        assert!(matches(&parse("contains(subject,'0[%] o')").unwrap(), &r));
        assert!(!matches(&parse("contains(fullname,'[%]')").unwrap(), &r));
        assert!(matches(
            &parse("startswith(fullname,'j_rgen')").unwrap(),
            &r
        ));
    }

    #[test]
    fn many_wildcards_stay_fast() {
        let r = row(json!({"fullname": "a".repeat(5000)}));
        let started = std::time::Instant::now();
        assert!(!matches(
            &parse("contains(fullname,'a%a%a%a%a%a%a%a%a%a%a%b')").unwrap(),
            &r
        ));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn dates_compare_as_instants() {
        let r = row(json!({"createdon": "2026-05-01T10:00:00Z"}));
        assert!(matches(
            &parse("createdon gt 2026-05-01T09:00:00Z").unwrap(),
            &r
        ));
        assert!(matches(&parse("createdon ge 2026-05-01").unwrap(), &r));
    }
}
