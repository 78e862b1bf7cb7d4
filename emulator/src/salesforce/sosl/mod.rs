//! SOSL `FIND {term} [IN … FIELDS] [RETURNING Object(fields [WHERE …] [LIMIT n]), …] [LIMIT n]`
//! (CRM-APIS A4). Each RETURNING clause runs as a SOQL query plus the term.

pub mod term;

use serde_json::Value;

use crate::salesforce::error::SfError;
use crate::salesforce::soql;
use crate::state::db::{Db, Row};
use crate::state::salesforce::schema::{FieldType, ObjectDef, Schema};
use term::Term;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Name,
    Email,
    Phone,
}

#[derive(Debug, Clone)]
pub struct Search {
    pub term: Term,
    pub scope: Scope,
    /// `(object, SOQL text)` per RETURNING clause.
    pub returning: Vec<(String, String)>,
    pub limit: Option<usize>,
}

/// The objects searched when RETURNING is absent.
const SEARCHABLE: &[&str] = &["Account", "Contact", "Lead", "Opportunity"];

pub fn malformed(message: impl Into<String>) -> SfError {
    SfError::bad("MALFORMED_SEARCH", message)
}

pub fn parse(input: &str) -> Result<Search, SfError> {
    let trimmed = input.trim_start();
    let rest = trimmed
        .get(..4)
        .filter(|k| k.eq_ignore_ascii_case("FIND"))
        .map(|_| trimmed[4..].trim_start())
        .ok_or_else(|| malformed("SOSL must start with FIND"))?;
    let body = rest
        .strip_prefix('{')
        .ok_or_else(|| malformed("FIND needs a term in braces"))?;
    let end = closing_brace(body).ok_or_else(|| malformed("missing '}' after the search term"))?;
    let term = term::parse_term(&body[..end]).map_err(malformed)?;
    let tail = &body[end + 1..];
    let (scope, returning, limit) = clauses(tail)?;
    Ok(Search {
        term,
        scope,
        returning,
        limit,
    })
}

fn closing_brace(body: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '}' => return Some(i),
            _ => {}
        }
    }
    None
}

type Clauses = (Scope, Vec<(String, String)>, Option<usize>);

fn clauses(tail: &str) -> Result<Clauses, SfError> {
    let words: Vec<&str> = tail.split_whitespace().collect();
    let mut scope = Scope::All;
    let mut i = 0;
    if words.first().is_some_and(|w| w.eq_ignore_ascii_case("IN")) {
        scope = match words.get(1).map(|w| w.to_ascii_uppercase()).as_deref() {
            Some("ALL") => Scope::All,
            Some("NAME") => Scope::Name,
            Some("EMAIL") => Scope::Email,
            Some("PHONE") => Scope::Phone,
            _ => return Err(malformed("unknown search group after IN")),
        };
        if !words
            .get(2)
            .is_some_and(|w| w.eq_ignore_ascii_case("FIELDS"))
        {
            return Err(malformed("expecting FIELDS"));
        }
        i = 3;
    }
    let rest = words[i..].join(" ");
    let (returning_text, limit) = split_limit(&rest)?;
    let returning = match returning_text.trim() {
        "" => SEARCHABLE
            .iter()
            .map(|o| (o.to_string(), format!("SELECT Id FROM {o}")))
            .collect(),
        r => {
            let list = r
                .get(..9)
                .filter(|k| k.eq_ignore_ascii_case("RETURNING"))
                .map(|_| &r[9..])
                .ok_or_else(|| malformed(format!("unexpected token: '{r}'")))?;
            split_objects(list)?
                .into_iter()
                .map(|clause| returning_query(&clause))
                .collect::<Result<_, _>>()?
        }
    };
    Ok((scope, returning, limit))
}

/// A trailing top-level `LIMIT n`.
fn split_limit(text: &str) -> Result<(String, Option<usize>), SfError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let n = words.len();
    if n >= 2 && words[n - 2].eq_ignore_ascii_case("LIMIT") && !words[n - 1].ends_with(')') {
        let limit = words[n - 1]
            .parse()
            .map_err(|_| malformed("LIMIT needs a number"))?;
        return Ok((words[..n - 2].join(" "), Some(limit)));
    }
    Ok((text.to_string(), None))
}

/// `Contact(Id, Name WHERE …), Lead` → one string per object, split at top-level commas.
fn split_objects(list: &str) -> Result<Vec<String>, SfError> {
    let (mut depth, mut quoted, mut current, mut out) = (0i32, false, String::new(), Vec::new());
    let mut prev = ' ';
    for c in list.chars() {
        match c {
            '\'' if prev != '\\' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                out.push(std::mem::take(&mut current));
                prev = c;
                continue;
            }
            _ => {}
        }
        current.push(c);
        prev = c;
    }
    if depth != 0 || quoted {
        return Err(malformed("unbalanced RETURNING clause"));
    }
    out.push(current);
    Ok(out.into_iter().map(|s| s.trim().to_string()).collect())
}

const CLAUSE_WORDS: &[&str] = &["WHERE", "ORDER", "LIMIT", "OFFSET"];

/// `Contact(Id, Name WHERE x = 'y' LIMIT 5)` → SOQL `SELECT Id, Name FROM Contact WHERE …`.
fn returning_query(clause: &str) -> Result<(String, String), SfError> {
    let Some(open) = clause.find('(') else {
        let object = clause.trim().to_string();
        if object.is_empty() {
            return Err(malformed("empty RETURNING clause"));
        }
        return Ok((object.clone(), format!("SELECT Id FROM {object}")));
    };
    let object = clause[..open].trim().to_string();
    let inner = clause[open + 1..]
        .strip_suffix(')')
        .ok_or_else(|| malformed("RETURNING clause must end with ')'"))?;
    let tokens = soql::lexer::tokenize(inner).map_err(malformed)?;
    let split = tokens
        .iter()
        .find(|t| matches!(&t.tok, soql::lexer::Tok::Ident(w) if CLAUSE_WORDS.iter().any(|k| k.eq_ignore_ascii_case(w))))
        .map(|t| inner.char_indices().nth(t.at).map(|(b, _)| b).unwrap_or(inner.len()))
        .unwrap_or(inner.len());
    let fields = inner[..split].trim();
    let fields = if fields.is_empty() { "Id" } else { fields };
    Ok((
        object.clone(),
        format!("SELECT {fields} FROM {object} {}", &inner[split..]),
    ))
}

/// Field values the scope searches, lower-cased, whitespace runs as one space (as a
/// tokenizing search index would see them).
fn texts(object: &ObjectDef, row: &Row, scope: Scope) -> Vec<String> {
    object
        .fields
        .iter()
        .filter(|f| match scope {
            Scope::All => f.ty.is_text() && f.ty != FieldType::Id && f.ty != FieldType::Reference,
            Scope::Name => {
                f.name_field || matches!(f.name.as_str(), "FirstName" | "LastName" | "Company")
            }
            Scope::Email => f.ty == FieldType::Email,
            Scope::Phone => f.ty == FieldType::Phone,
        })
        .filter_map(|f| row.fields.get(&f.name).and_then(Value::as_str))
        .map(|t| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .collect()
}

pub fn run(
    schema: &Schema,
    db: &Db,
    search: &Search,
    version: &str,
) -> Result<Vec<Value>, SfError> {
    let mut out = Vec::new();
    for (_, text) in &search.returning {
        let query = soql::parse(text).map_err(malformed)?;
        let found = soql::eval::run_with(schema, db, &query, version, false, &|object, row| {
            term::matches(&search.term, &texts(object, row, search.scope))
        })?;
        out.extend(found.records);
    }
    if let Some(limit) = search.limit {
        out.truncate(limit);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_returning_clauses() {
        let s = parse("FIND {Acme} IN NAME FIELDS RETURNING Contact(Id, Name WHERE Email != null LIMIT 5), Lead LIMIT 20").unwrap();
        assert_eq!(s.scope, Scope::Name);
        assert_eq!(s.limit, Some(20));
        assert_eq!(
            s.returning[0].1,
            "SELECT Id, Name FROM Contact WHERE Email != null LIMIT 5"
        );
        assert_eq!(s.returning[1].1, "SELECT Id FROM Lead");
    }

    #[test]
    fn braces_inside_the_term_must_be_escaped() {
        assert!(parse(r"FIND {a\}b} RETURNING Contact").is_ok());
        assert!(parse("FIND {a}b} RETURNING Contact").is_err());
    }
}
