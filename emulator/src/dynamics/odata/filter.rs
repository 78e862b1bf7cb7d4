//! `$filter` parsing (CRM-APIS B4): comparisons, `and`/`or`/`not`, parentheses, and
//! `contains`/`startswith`/`endswith` whose literal is a T-SQL pattern (`%`, `_`, `[…]`).

use super::lexer::{tokenize, Tok};

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Cmp {
        prop: String,
        op: Op,
        value: Lit,
    },
    /// `contains`/`startswith`/`endswith`, as one pattern over the whole value.
    Like {
        prop: String,
        pattern: Vec<Wild>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// GUIDs, dates and date-times, unquoted.
    Bare(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Wild {
    Char(char),
    /// `%`
    Any,
    /// `_`
    One,
    /// `[abc]` or `[^abc]`
    Set {
        negated: bool,
        chars: Vec<char>,
    },
}

pub fn parse(input: &str) -> Result<Expr, String> {
    let tokens = tokenize(input)?;
    let mut p = Parser { tokens, pos: 0 };
    let expr = p.or()?;
    if p.pos != p.tokens.len() {
        return Err(format!("Syntax error at position {} in '{input}'.", p.pos));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Tok::Ident(w)) if w == word)
    }

    fn next(&mut self) -> Result<Tok, String> {
        let t = self
            .tokens
            .get(self.pos)
            .cloned()
            .ok_or("Syntax error: the $filter expression ended early.")?;
        self.pos += 1;
        Ok(t)
    }

    fn expect(&mut self, tok: Tok) -> Result<(), String> {
        let t = self.next()?;
        if t == tok {
            Ok(())
        } else {
            Err(format!("Syntax error: expected {tok:?}, found {t:?}."))
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.peek_word("or") {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while self.peek_word("and") {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek_word("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.tokens.get(self.pos) == Some(&Tok::LParen) {
            self.pos += 1;
            let inner = self.or()?;
            self.expect(Tok::RParen)?;
            return Ok(inner);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let Tok::Ident(name) = self.next()? else {
            return Err("Syntax error: expected a property name or function.".into());
        };
        if matches!(name.as_str(), "contains" | "startswith" | "endswith") {
            return self.function(&name);
        }
        let op = match self.next()? {
            Tok::Ident(w) => match w.as_str() {
                "eq" => Op::Eq,
                "ne" => Op::Ne,
                "gt" => Op::Gt,
                "ge" => Op::Ge,
                "lt" => Op::Lt,
                "le" => Op::Le,
                other => return Err(format!("Syntax error: unknown operator '{other}'.")),
            },
            other => {
                return Err(format!(
                    "Syntax error: expected an operator, found {other:?}."
                ))
            }
        };
        let value = self.literal()?;
        Ok(Expr::Cmp {
            prop: name,
            op,
            value,
        })
    }

    fn function(&mut self, name: &str) -> Result<Expr, String> {
        self.expect(Tok::LParen)?;
        let Tok::Ident(prop) = self.next()? else {
            return Err(format!("Syntax error: {name} needs a property first."));
        };
        self.expect(Tok::Comma)?;
        let Tok::Str(text) = self.next()? else {
            return Err(format!("Syntax error: {name} needs a string literal."));
        };
        self.expect(Tok::RParen)?;
        let body = wildcards(&text);
        // B4: a leading wildcard in startswith is not supported.
        if name == "startswith" && body.first() == Some(&Wild::Any) {
            return Err("startswith does not support a leading '%' wildcard.".into());
        }
        let mut pattern = Vec::new();
        if name != "startswith" {
            pattern.push(Wild::Any);
        }
        pattern.extend(body);
        if name != "endswith" {
            pattern.push(Wild::Any);
        }
        Ok(Expr::Like { prop, pattern })
    }

    fn literal(&mut self) -> Result<Lit, String> {
        Ok(match self.next()? {
            Tok::Str(s) => Lit::Str(s),
            Tok::Num(n) => Lit::Num(
                n.parse()
                    .map_err(|_| format!("Syntax error: '{n}' is not a number."))?,
            ),
            Tok::Bare(b) => Lit::Bare(b),
            Tok::Ident(w) if w == "null" => Lit::Null,
            Tok::Ident(w) if w == "true" => Lit::Bool(true),
            Tok::Ident(w) if w == "false" => Lit::Bool(false),
            other => {
                return Err(format!(
                    "Syntax error: expected a literal, found {other:?}."
                ))
            }
        })
    }
}

/// The T-SQL wildcards of a literal: `%`, `_`, `[set]`, `[^set]`; `[%]` is a literal `%` (B4).
pub fn wildcards(text: &str) -> Vec<Wild> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '%' => out.push(Wild::Any),
            '_' => out.push(Wild::One),
            '[' => {
                // The set runs to the next `]` after at least one character.
                let close = (i + 2..chars.len()).find(|&j| chars[j] == ']');
                if let Some(close) = close {
                    let inner = &chars[i + 1..close];
                    let (negated, set) = match inner.split_first() {
                        Some(('^', rest)) if !rest.is_empty() => (true, rest.to_vec()),
                        _ => (false, inner.to_vec()),
                    };
                    out.push(Wild::Set {
                        negated,
                        chars: set,
                    });
                    i = close + 1;
                    continue;
                }
                out.push(Wild::Char('['));
            }
            c => out.push(Wild::Char(c)),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_binds_tighter() {
        let e = parse("a eq 1 or b eq 2 and not c eq 3").unwrap();
        assert!(matches!(e, Expr::Or(_, _)));
    }

    #[test]
    fn functions_become_patterns() {
        let e = parse("contains(fullname,'50[%] off')").unwrap();
        let Expr::Like { pattern, .. } = e else {
            panic!()
        };
        assert_eq!(pattern[0], Wild::Any);
        assert!(pattern.contains(&Wild::Set {
            negated: false,
            chars: vec!['%']
        }));
        assert!(parse("startswith(name,'%x')").is_err());
    }

    #[test]
    fn injection_breaks_the_parse_or_stays_literal() {
        assert!(parse("lastname eq 'x' or 'a' eq 'a'").is_err());
        let e = parse("lastname eq 'x'' or ''a'' eq ''a'").unwrap();
        assert_eq!(
            e,
            Expr::Cmp {
                prop: "lastname".into(),
                op: Op::Eq,
                value: Lit::Str("x' or 'a' eq 'a".into())
            }
        );
    }
}
