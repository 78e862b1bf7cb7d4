//! OData `$filter` string literals for Dataverse (CRM-APIS B4): single quotes are doubled;
//! in `contains`/`startswith`/`endswith` the T-SQL wildcards `%`, `_` and `[` are bracketed.
//! The resulting `$filter` must still be percent-encoded as a whole when put in a URL.

/// A complete `'…'` literal: `lastname eq {quote(text)}`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A complete `'…'` literal for `contains(f, …)`, `startswith` or `endswith` that matches
/// `text` literally: `%` → `[%]`, `_` → `[_]`, `[` → `[[]`, quotes doubled.
pub fn contains_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    out.push('\'');
    for c in text.chars() {
        match c {
            '%' => out.push_str("[%]"),
            '_' => out.push_str("[_]"),
            '[' => out.push_str("[[]"),
            '\'' => out.push_str("''"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled() {
        assert_eq!(quote("O'Bryan"), "'O''Bryan'");
        assert_eq!(quote("x' or 'a' eq 'a"), "'x'' or ''a'' eq ''a'");
    }

    #[test]
    fn wildcards_are_bracketed() {
        assert_eq!(contains_pattern("50%_[x]'"), "'50[%][_][[]x]'''");
    }
}
