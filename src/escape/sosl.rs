//! SOSL search terms (CRM-APIS A4): every reserved character is backslash-escaped and the
//! text is searched as one quoted phrase, so `AND`/`OR`/`NOT`, `*` and `?` in user text are
//! literal words, not operators or wildcards.

/// Characters that are SOSL syntax unless escaped (A4).
const RESERVED: &[char] = &[
    '?', '&', '|', '!', '{', '}', '[', ']', '(', ')', '^', '~', '*', ':', '\\', '"', '\'', '+', '-',
];

/// The term for `FIND {…}`: a quoted phrase with reserved characters escaped. Whitespace
/// runs (including newlines) become single spaces, which phrase search ignores anyway.
pub fn find_term(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut last_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        if RESERVED.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_are_escaped() {
        assert_eq!(find_term("O'Brien"), r#""O\'Brien""#);
        assert_eq!(find_term("a-b} OR {c"), r#""a\-b\} OR \{c""#);
        assert_eq!(find_term("Müller & Söhne"), r#""Müller \& Söhne""#);
    }

    #[test]
    fn whitespace_collapses() {
        assert_eq!(find_term("  Ada \n Lovelace "), r#""Ada Lovelace""#);
    }
}
