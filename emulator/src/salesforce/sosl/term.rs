//! The `FIND {…}` search term. Reserved characters must be backslash-escaped (CRM-APIS A4);
//! `AND`, `OR`, `AND NOT` are operators, `"…"` a phrase, `*` and `?` wildcards.

/// Characters that are syntax unless escaped (A4).
pub const RESERVED: &[char] = &[
    '?', '&', '|', '!', '{', '}', '[', ']', '(', ')', '^', '~', '*', ':', '\\', '"', '\'', '+', '-',
];

#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// A word; `Wild` parts are `*` (any run) and `?` (one character).
    Word(Vec<Piece>),
    Phrase(String),
    And(Box<Term>, Box<Term>),
    Or(Box<Term>, Box<Term>),
    AndNot(Box<Term>, Box<Term>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Piece {
    Char(char),
    Many,
    One,
}

#[derive(Debug, Clone, PartialEq)]
enum Lex {
    Word(Vec<Piece>, bool),
    Phrase(String),
    Open,
    Close,
}

pub fn parse_term(input: &str) -> Result<Term, String> {
    let tokens = lex(input)?;
    let mut pos = 0;
    let term = or_expr(&tokens, &mut pos)?;
    if pos != tokens.len() {
        return Err(format!(
            "unexpected token in search term: {:?}",
            tokens[pos]
        ));
    }
    if term_length(&term) < 2 {
        return Err("search term must be longer than one character".into());
    }
    Ok(term)
}

fn term_length(term: &Term) -> usize {
    match term {
        Term::Word(p) => p.iter().filter(|p| matches!(p, Piece::Char(_))).count(),
        Term::Phrase(s) => s.trim().chars().count(),
        Term::And(a, b) | Term::Or(a, b) | Term::AndNot(a, b) => term_length(a).max(term_length(b)),
    }
}

fn lex(input: &str) -> Result<Vec<Lex>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push(Lex::Open);
            i += 1;
        } else if c == ')' {
            out.push(Lex::Close);
            i += 1;
        } else if c == '"' {
            let (text, next) = phrase(&chars, i + 1)?;
            out.push(Lex::Phrase(text));
            i = next;
        } else {
            let (pieces, escaped, next) = word(&chars, i)?;
            out.push(Lex::Word(pieces, escaped));
            i = next;
        }
    }
    Ok(out)
}

fn escaped(chars: &[char], i: usize) -> Result<char, String> {
    match chars.get(i + 1) {
        Some(c) if RESERVED.contains(c) => Ok(*c),
        Some(c) => Err(format!("invalid escape sequence '\\{c}' in search term")),
        None => Err("search term ends with a backslash".into()),
    }
}

fn phrase(chars: &[char], mut i: usize) -> Result<(String, usize), String> {
    let mut text = String::new();
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((text, i + 1)),
            '\\' => {
                text.push(escaped(chars, i)?);
                i += 2;
            }
            c if RESERVED.contains(&c) && c != '*' && c != '?' => {
                return Err(format!("unescaped reserved character '{c}' in search term"))
            }
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    Err("unterminated phrase in search term".into())
}

/// Returns the pieces and whether any character was escaped (then it cannot be an operator).
fn word(chars: &[char], mut i: usize) -> Result<(Vec<Piece>, bool, usize), String> {
    let mut pieces = Vec::new();
    let mut any_escape = false;
    while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '(' | ')' | '"') {
        match chars[i] {
            '\\' => {
                pieces.push(Piece::Char(escaped(chars, i)?));
                any_escape = true;
                i += 2;
            }
            '*' => {
                pieces.push(Piece::Many);
                i += 1;
            }
            '?' => {
                pieces.push(Piece::One);
                i += 1;
            }
            c if RESERVED.contains(&c) => {
                return Err(format!("unescaped reserved character '{c}' in search term"))
            }
            c => {
                pieces.push(Piece::Char(c));
                i += 1;
            }
        }
    }
    Ok((pieces, any_escape, i))
}

fn operator(tokens: &[Lex], pos: usize) -> Option<&'static str> {
    match tokens.get(pos) {
        Some(Lex::Word(p, false)) => {
            let w: String = p
                .iter()
                .map(|p| match p {
                    Piece::Char(c) => *c,
                    _ => '*',
                })
                .collect();
            ["AND", "OR", "NOT"].into_iter().find(|op| w == *op)
        }
        _ => None,
    }
}

fn or_expr(tokens: &[Lex], pos: &mut usize) -> Result<Term, String> {
    let mut left = and_expr(tokens, pos)?;
    while operator(tokens, *pos) == Some("OR") {
        *pos += 1;
        left = Term::Or(Box::new(left), Box::new(and_expr(tokens, pos)?));
    }
    Ok(left)
}

fn and_expr(tokens: &[Lex], pos: &mut usize) -> Result<Term, String> {
    let mut left = primary(tokens, pos)?;
    loop {
        match operator(tokens, *pos) {
            Some("AND") if operator(tokens, *pos + 1) == Some("NOT") => {
                *pos += 2;
                left = Term::AndNot(Box::new(left), Box::new(primary(tokens, pos)?));
            }
            Some("AND") => {
                *pos += 1;
                left = Term::And(Box::new(left), Box::new(primary(tokens, pos)?));
            }
            Some(_) => return Ok(left),
            None if *pos < tokens.len() && tokens[*pos] != Lex::Close => {
                // Adjacent words must all occur.
                left = Term::And(Box::new(left), Box::new(primary(tokens, pos)?));
            }
            None => return Ok(left),
        }
    }
}

fn primary(tokens: &[Lex], pos: &mut usize) -> Result<Term, String> {
    let token = tokens.get(*pos).cloned().ok_or("incomplete search term")?;
    *pos += 1;
    match token {
        Lex::Open => {
            let inner = or_expr(tokens, pos)?;
            if tokens.get(*pos) != Some(&Lex::Close) {
                return Err("missing ')' in search term".into());
            }
            *pos += 1;
            Ok(inner)
        }
        Lex::Close => Err("unexpected ')' in search term".into()),
        Lex::Phrase(p) => Ok(Term::Phrase(p)),
        Lex::Word(pieces, escaped) => {
            if !escaped && operator(tokens, *pos - 1).is_some() {
                return Err("search term starts or ends with an operator".into());
            }
            Ok(Term::Word(pieces))
        }
    }
}

/// Whether `text` (any searchable field value) satisfies the term, case-insensitively.
pub fn matches(term: &Term, texts: &[String]) -> bool {
    match term {
        Term::Word(pieces) => texts.iter().any(|t| contains_pattern(t, pieces)),
        Term::Phrase(p) => {
            let p = p
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            texts.iter().any(|t| t.contains(&p))
        }
        Term::And(a, b) => matches(a, texts) && matches(b, texts),
        Term::Or(a, b) => matches(a, texts) || matches(b, texts),
        Term::AndNot(a, b) => matches(a, texts) && !matches(b, texts),
    }
}

/// Texts must already be lower case. A word matches anywhere in the text.
fn contains_pattern(text: &str, pieces: &[Piece]) -> bool {
    let mut pattern = vec![Piece::Many];
    pattern.extend(pieces.iter().map(|p| match p {
        Piece::Char(c) => Piece::Char(c.to_lowercase().next().unwrap_or(*c)),
        other => *other,
    }));
    pattern.push(Piece::Many);
    let chars: Vec<char> = text.chars().collect();
    crate::wildcard::matches(&chars, &pattern)
}

impl crate::wildcard::Token for Piece {
    fn is_any_run(&self) -> bool {
        *self == Piece::Many
    }
    fn accepts(&self, c: char) -> bool {
        match self {
            Piece::Char(x) => *x == c,
            Piece::One | Piece::Many => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_need_escapes() {
        assert!(parse_term("O'Brien").is_err());
        assert!(parse_term(r"O\'Brien").is_ok());
        assert!(parse_term("a-b").is_err());
        assert!(parse_term(r#""Müller \& Söhne""#).is_ok());
    }

    #[test]
    fn operators_and_phrases() {
        let t = parse_term("acme AND NOT globex").unwrap();
        assert!(matches!(t, Term::AndNot(_, _)));
        let t = parse_term(r#""AND""#).unwrap();
        assert_eq!(t, Term::Phrase("AND".into()));
        assert!(parse_term("AND").is_err());
        assert!(parse_term("a").is_err());
    }

    #[test]
    fn matching_is_case_insensitive_with_wildcards() {
        let t = parse_term("jürg*").unwrap();
        assert!(matches(&t, &["jürgen weiß".into()]));
        let t = parse_term(r#""von bülow""#).unwrap();
        assert!(matches(&t, &["anna-lena von bülow".into()]));
    }
}
