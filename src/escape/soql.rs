//! SOQL string literals (CRM-APIS A3): inside single quotes, backslash-escape `\` first, then
//! `'`, `"`, and the control characters; in LIKE patterns also `%` and `_`.

fn escape_into(out: &mut String, text: &str, like: bool) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '%' if like => out.push_str("\\%"),
            '_' if like => out.push_str("\\_"),
            c => out.push(c),
        }
    }
}

/// A complete `'…'` literal matching `text` exactly: `Name = {quote(text)}`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    escape_into(&mut out, text, false);
    out.push('\'');
    out
}

/// Where the user's text must appear in a LIKE match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Like {
    /// The whole value (case-insensitive equality).
    Exact,
    StartsWith,
    EndsWith,
    Contains,
}

/// A complete `'…'` LIKE pattern: `%` and `_` in `text` are literal, only `mode` adds wildcards.
pub fn like_pattern(text: &str, mode: Like) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    out.push('\'');
    if matches!(mode, Like::EndsWith | Like::Contains) {
        out.push('%');
    }
    escape_into(&mut out, text, true);
    if matches!(mode, Like::StartsWith | Like::Contains) {
        out.push('%');
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_reserved_characters() {
        assert_eq!(quote("O'Brien"), r"'O\'Brien'");
        assert_eq!(quote(r"a\b"), r"'a\\b'");
        assert_eq!(quote("say \"hi\"\n"), r#"'say \"hi\"\n'"#);
        assert_eq!(quote("50%_x"), "'50%_x'");
        assert_eq!(quote("Müller"), "'Müller'");
    }

    #[test]
    fn like_pattern_makes_wildcards_literal() {
        assert_eq!(like_pattern("50%_x", Like::Exact), r"'50\%\_x'");
        assert_eq!(like_pattern("Mü", Like::StartsWith), "'Mü%'");
        assert_eq!(like_pattern("a'b", Like::Contains), r"'%a\'b%'");
        assert_eq!(like_pattern("z", Like::EndsWith), "'%z'");
    }

    #[test]
    fn injection_attempt_stays_inside_the_literal() {
        let q = quote("x' OR Name != '");
        assert_eq!(q, r"'x\' OR Name != \''");
    }
}
