//! Value tests for WHERE and ORDER BY: text compares case-insensitively, a 15-character id
//! matches its 18-character form, relative dates are whole UTC days, LIKE is a wildcard match.

use std::cmp::Ordering;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::Value;

use super::ast::*;

pub fn test(value: &Value, op: Op, literal: &Literal, today: NaiveDate) -> bool {
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
    crate::wildcard::matches(&text, &pattern)
}

impl crate::wildcard::Token for LikeTok {
    fn is_any_run(&self) -> bool {
        *self == LikeTok::Any
    }
    fn accepts(&self, c: char) -> bool {
        match self {
            LikeTok::Char(x) => *x == c,
            LikeTok::One | LikeTok::Any => true,
        }
    }
}

pub fn compare_keys(order: &[OrderItem], a: &[Value], b: &[Value]) -> Ordering {
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
    use serde_json::json;

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
