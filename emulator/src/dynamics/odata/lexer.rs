//! `$filter` tokens. String literals double their single quotes (CRM-APIS B4).

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    Str(String),
    Num(String),
    /// Unquoted GUIDs, dates and date-times.
    Bare(String),
    LParen,
    RParen,
    Comma,
    Slash,
}

pub fn tokenize(input: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            '/' => {
                out.push(Tok::Slash);
                i += 1;
            }
            '\'' => {
                let (text, next) = string(&chars, i + 1)?;
                out.push(Tok::Str(text));
                i = next;
            }
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '_' | '-' | '.' | ':' | '+'))
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push(classify(word));
            }
            other => return Err(format!("Syntax error: character '{other}' is not valid at position {i} in the $filter expression.")),
        }
    }
    Ok(out)
}

/// `''` inside a literal is one quote; a lone quote ends it.
fn string(chars: &[char], mut i: usize) -> Result<(String, usize), String> {
    let mut text = String::new();
    while i < chars.len() {
        if chars[i] == '\'' {
            if chars.get(i + 1) == Some(&'\'') {
                text.push('\'');
                i += 2;
                continue;
            }
            return Ok((text, i + 1));
        }
        text.push(chars[i]);
        i += 1;
    }
    Err("Syntax error: unterminated string literal in the $filter expression.".into())
}

fn classify(word: String) -> Tok {
    let first = word.chars().next().unwrap_or(' ');
    let looks_guid = word.len() == 36 && word.chars().filter(|c| *c == '-').count() == 4;
    let looks_date =
        word.len() >= 10 && word.as_bytes().get(4) == Some(&b'-') && first.is_ascii_digit();
    if looks_guid || looks_date {
        Tok::Bare(word)
    } else if first.is_ascii_digit() || first == '-' {
        Tok::Num(word)
    } else {
        Tok::Ident(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubled_quotes_are_one_quote() {
        assert_eq!(
            tokenize("'O''Bryan'").unwrap(),
            [Tok::Str("O'Bryan".into())]
        );
        assert!(tokenize("'O'Bryan'").is_err());
        assert!(tokenize("'abc").is_err());
    }

    #[test]
    fn guids_and_dates_are_bare() {
        let t = tokenize("_x_value eq 00000002-0000-4000-8000-000000000001 and createdon gt 2024-01-01T00:00:00Z").unwrap();
        assert!(matches!(&t[2], Tok::Bare(_)));
        assert!(matches!(&t[6], Tok::Bare(_)));
    }
}
