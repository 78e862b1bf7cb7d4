//! The other query options (`$select`, `$orderby`, `$top`, `$expand`, `$count`, `$skiptoken`)
//! and the `Prefer` header (CRM-APIS B3). There is no `$skip`: paging follows nextLink.

use std::collections::HashMap;

use axum::http::HeaderMap;

use super::filter::{self, Expr};

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub select: Option<Vec<String>>,
    pub filter: Option<Expr>,
    pub order: Vec<(String, bool)>,
    pub top: Option<usize>,
    pub count: bool,
    pub expand: Vec<Expand>,
    /// 1-based page from `$skiptoken`.
    pub page: usize,
    /// A delta link's `$deltatoken` (change tracking, B18).
    pub delta: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Expand {
    pub nav: String,
    pub select: Option<Vec<String>>,
}

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn parse(query: &HashMap<String, String>) -> Result<Options, String> {
    let mut o = Options {
        page: 1,
        ..Options::default()
    };
    for (key, value) in query {
        match key.as_str() {
            "$select" => o.select = Some(list(value)),
            "$filter" => o.filter = Some(filter::parse(value)?),
            "$orderby" => o.order = order(value)?,
            "$top" => {
                o.top =
                    Some(value.trim().parse().map_err(|_| {
                        format!("Invalid value '{value}' for $top query option found.")
                    })?)
            }
            "$count" => o.count = value == "true",
            "$expand" => o.expand = expand(value)?,
            "$skiptoken" => o.page = page_of(value).ok_or("Invalid $skiptoken.")?,
            "$deltatoken" => o.delta = Some(value.clone()),
            k if k.starts_with('$') => {
                return Err(format!("The query parameter {k} is not supported"))
            }
            _ => {}
        }
    }
    Ok(o)
}

fn order(text: &str) -> Result<Vec<(String, bool)>, String> {
    list(text)
        .into_iter()
        .map(|item| {
            let mut words = item.split_whitespace();
            let prop = words.next().unwrap_or_default().to_string();
            let desc = match words.next() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(other) => return Err(format!("Syntax error: '{other}' in $orderby.")),
            };
            Ok((prop, desc))
        })
        .collect()
}

/// `parentcustomerid_account($select=name),ownerid`
fn expand(text: &str) -> Result<Vec<Expand>, String> {
    let mut out = Vec::new();
    let (mut depth, mut current) = (0, String::new());
    for c in text.chars().chain([',']) {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                let item = std::mem::take(&mut current);
                let item = item.trim();
                if item.is_empty() {
                    continue;
                }
                let (nav, inner) = match item.split_once('(') {
                    Some((n, rest)) => (
                        n.trim(),
                        rest.strip_suffix(')').ok_or("Syntax error in $expand.")?,
                    ),
                    None => (item, ""),
                };
                let select = inner
                    .split(';')
                    .filter_map(|opt| opt.trim().strip_prefix("$select="))
                    .map(list)
                    .next();
                out.push(Expand {
                    nav: nav.to_string(),
                    select,
                });
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    Ok(out)
}

/// The paging cookie Dataverse puts in `$skiptoken` (its shape; only the page number matters).
pub fn skiptoken(page: usize) -> String {
    format!("<cookie pagenumber=\"{page}\" pagingcookie=\"\" istracking=\"False\" />")
}

fn page_of(token: &str) -> Option<usize> {
    let rest = token.split("pagenumber=\"").nth(1)?;
    rest.split('"').next()?.parse().ok().filter(|p| *p >= 1)
}

#[derive(Debug, Clone, Default)]
pub struct Prefer {
    pub max_page_size: Option<usize>,
    pub representation: bool,
    pub annotations: bool,
    /// `$batch` runs every request even after one fails (otherwise it stops there).
    pub continue_on_error: bool,
    /// `odata.track-changes`: the read's last page carries a delta link (B18).
    pub track_changes: bool,
}

pub fn prefer(headers: &HeaderMap) -> Prefer {
    let mut p = Prefer::default();
    for value in headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for part in value.split(',').map(str::trim) {
            if let Some(n) = part.strip_prefix("odata.maxpagesize=") {
                p.max_page_size = n.trim().parse().ok();
            } else if part == "return=representation" {
                p.representation = true;
            } else if part == "odata.continue-on-error" {
                p.continue_on_error = true;
            } else if part == "odata.track-changes" {
                p.track_changes = true;
            } else if part.starts_with("odata.include-annotations") {
                p.annotations = true;
            }
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skiptoken_round_trips() {
        assert_eq!(page_of(&skiptoken(3)), Some(3));
    }

    #[test]
    fn skip_is_refused() {
        let q: HashMap<String, String> = [("$skip".to_string(), "10".to_string())].into();
        assert!(parse(&q).is_err());
    }

    #[test]
    fn expand_reads_nested_select() {
        let e = expand("parentcustomerid_account($select=name,websiteurl),ownerid").unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].select.as_deref().unwrap(), ["name", "websiteurl"]);
    }
}
