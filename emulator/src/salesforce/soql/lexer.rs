//! SOQL tokens. String literals keep their raw text: whether `\%` and `\_` are legal depends
//! on the operator (CRM-APIS A3), which only the parser knows.

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    /// The text between the quotes, escapes not yet decoded.
    Str(String),
    Num(String),
    Date(String),
    DateTime(String),
    Comma,
    LParen,
    RParen,
    Dot,
    Colon,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    /// Character offset, for error messages.
    pub at: usize,
}

pub fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let (tok, next) = match c {
            ',' => (Tok::Comma, i + 1),
            '(' => (Tok::LParen, i + 1),
            ')' => (Tok::RParen, i + 1),
            '.' => (Tok::Dot, i + 1),
            ':' => (Tok::Colon, i + 1),
            '=' => (Tok::Eq, i + 1),
            '!' if chars.get(i + 1) == Some(&'=') => (Tok::Ne, i + 2),
            '<' if chars.get(i + 1) == Some(&'>') => (Tok::Ne, i + 2),
            '<' if chars.get(i + 1) == Some(&'=') => (Tok::Le, i + 2),
            '<' => (Tok::Lt, i + 1),
            '>' if chars.get(i + 1) == Some(&'=') => (Tok::Ge, i + 2),
            '>' => (Tok::Gt, i + 1),
            '\'' => string(&chars, i)?,
            c if c.is_ascii_digit() || (c == '-' && next_is_digit(&chars, i)) => {
                number_or_date(&chars, i)
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let end = scan(&chars, i, |c| c.is_ascii_alphanumeric() || c == '_');
                (Tok::Ident(chars[i..end].iter().collect()), end)
            }
            other => return Err(format!("unexpected char: '{other}' at column {}", i + 1)),
        };
        out.push(Token { tok, at });
        i = next;
    }
    Ok(out)
}

fn next_is_digit(chars: &[char], i: usize) -> bool {
    chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())
}

fn scan(chars: &[char], from: usize, keep: impl Fn(char) -> bool) -> usize {
    let mut end = from;
    while end < chars.len() && keep(chars[end]) {
        end += 1;
    }
    end
}

/// A quoted literal ends at the first quote not preceded by an escaping backslash.
fn string(chars: &[char], start: usize) -> Result<(Tok, usize), String> {
    let mut i = start + 1;
    let mut raw = String::new();
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                raw.push('\\');
                raw.push(chars[i + 1]);
                i += 2;
            }
            '\'' => return Ok((Tok::Str(raw), i + 1)),
            c => {
                raw.push(c);
                i += 1;
            }
        }
    }
    Err(format!(
        "unterminated string literal at column {}",
        start + 1
    ))
}

/// Numbers, `2026-01-31` dates and `2026-01-31T10:00:00Z` datetimes.
fn number_or_date(chars: &[char], start: usize) -> (Tok, usize) {
    let is_date = chars.len() >= start + 10
        && chars[start..start + 4].iter().all(char::is_ascii_digit)
        && chars[start + 4] == '-'
        && chars[start + 7] == '-';
    if is_date {
        let end = start + 10;
        if chars.get(end) == Some(&'T') {
            let end = scan(chars, end + 1, |c| {
                c.is_ascii_digit() || matches!(c, ':' | '.' | '+' | '-' | 'Z')
            });
            return (Tok::DateTime(chars[start..end].iter().collect()), end);
        }
        return (Tok::Date(chars[start..end].iter().collect()), end);
    }
    let end = scan(chars, start + 1, |c| c.is_ascii_digit() || c == '.');
    (Tok::Num(chars[start..end].iter().collect()), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn strings_keep_escapes_raw() {
        assert_eq!(toks(r"'O\'Brien'"), [Tok::Str(r"O\'Brien".into())]);
        assert_eq!(
            toks(r"'a\\' b"),
            [Tok::Str(r"a\\".into()), Tok::Ident("b".into())]
        );
    }

    #[test]
    fn dates_and_operators() {
        assert_eq!(
            toks("CloseDate >= 2026-01-31 AND x != 2026-01-31T10:00:00Z"),
            [
                Tok::Ident("CloseDate".into()),
                Tok::Ge,
                Tok::Date("2026-01-31".into()),
                Tok::Ident("AND".into()),
                Tok::Ident("x".into()),
                Tok::Ne,
                Tok::DateTime("2026-01-31T10:00:00Z".into())
            ]
        );
    }

    #[test]
    fn unterminated_string_is_an_error() {
        assert!(tokenize("'abc").is_err());
        assert!(tokenize(r"'abc\'").is_err());
    }
}
