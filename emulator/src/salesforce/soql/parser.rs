//! A strict recursive-descent parser for the SOQL subset: anything outside it is a
//! `MALFORMED_QUERY`, as an org would answer (CRM-APIS A2, A3).

use super::ast::*;
use super::lexer::{tokenize, Tok, Token};

pub fn parse(input: &str) -> Result<Query, String> {
    let tokens = tokenize(input)?;
    let mut p = Parser { tokens, pos: 0 };
    let query = p.query()?;
    match p.peek() {
        None => Ok(query),
        Some(t) => Err(unexpected(t)),
    }
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

fn unexpected(t: &Token) -> String {
    let text = match &t.tok {
        Tok::Ident(s) | Tok::Num(s) | Tok::Date(s) | Tok::DateTime(s) => s.clone(),
        Tok::Str(s) => format!("'{s}'"),
        punctuation => punctuation_text(punctuation).to_string(),
    };
    format!("unexpected token: {text} at column {}", t.at + 1)
}

/// A punctuation token as it was written.
fn punctuation_text(tok: &Tok) -> &'static str {
    match tok {
        Tok::Comma => ",",
        Tok::LParen => "(",
        Tok::RParen => ")",
        Tok::Dot => ".",
        Tok::Colon => ":",
        Tok::Eq => "=",
        Tok::Ne => "!=",
        Tok::Lt => "<",
        Tok::Le => "<=",
        Tok::Gt => ">",
        Tok::Ge => ">=",
        _ => "?",
    }
}

const RESERVED: &[&str] = &[
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IN", "ORDER", "BY", "LIMIT", "OFFSET",
    "NULL", "TRUE", "FALSE", "ASC", "DESC", "NULLS", "GROUP", "HAVING",
];

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Result<Token, String> {
        let t = self
            .tokens
            .get(self.pos)
            .cloned()
            .ok_or_else(|| "unexpected end of query".to_string())?;
        self.pos += 1;
        Ok(t)
    }

    fn is_keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Ident(s), .. }) if s.eq_ignore_ascii_case(word))
    }

    fn eat_keyword(&mut self, word: &str) -> bool {
        let hit = self.is_keyword(word);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn keyword(&mut self, word: &str) -> Result<(), String> {
        if self.eat_keyword(word) {
            return Ok(());
        }
        match self.peek() {
            Some(t) => Err(unexpected(t)),
            None => Err(format!("unexpected end of query, expecting {word}")),
        }
    }

    fn expect(&mut self, tok: Tok) -> Result<(), String> {
        let t = self.next()?;
        if t.tok == tok {
            Ok(())
        } else {
            Err(unexpected(&t))
        }
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        let hit = self.peek().is_some_and(|t| &t.tok == tok);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn name(&mut self) -> Result<String, String> {
        let t = self.next()?;
        match t.tok {
            Tok::Ident(ref s) if !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s)) => {
                Ok(s.clone())
            }
            _ => Err(unexpected(&t)),
        }
    }

    fn path(&mut self) -> Result<Path, String> {
        let mut path = vec![self.name()?];
        while self.eat(&Tok::Dot) {
            path.push(self.name()?);
        }
        Ok(path)
    }

    fn query(&mut self) -> Result<Query, String> {
        self.keyword("SELECT")?;
        let select = self.select_list()?;
        self.keyword("FROM")?;
        let from = self.name()?;
        let filter = if self.eat_keyword("WHERE") {
            Some(self.expr()?)
        } else {
            None
        };
        let mut order = Vec::new();
        if self.eat_keyword("ORDER") {
            self.keyword("BY")?;
            loop {
                order.push(self.order_item()?);
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
        }
        let limit = if self.eat_keyword("LIMIT") {
            Some(self.integer()?)
        } else {
            None
        };
        let offset = if self.eat_keyword("OFFSET") {
            Some(self.integer()?)
        } else {
            None
        };
        Ok(Query {
            select,
            from,
            filter,
            order,
            limit,
            offset,
        })
    }

    fn select_list(&mut self) -> Result<Vec<SelectItem>, String> {
        let mut items = Vec::new();
        loop {
            if self.is_keyword("COUNT")
                && matches!(
                    self.tokens.get(self.pos + 1),
                    Some(Token {
                        tok: Tok::LParen,
                        ..
                    })
                )
            {
                self.pos += 1;
                self.expect(Tok::LParen)?;
                self.expect(Tok::RParen)?;
                items.push(SelectItem::Count);
            } else if self.eat(&Tok::LParen) {
                let sub = self.query()?;
                self.expect(Tok::RParen)?;
                items.push(SelectItem::Sub(Box::new(sub)));
            } else {
                items.push(SelectItem::Field(self.path()?));
            }
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        if items.len() > 1 && items.contains(&SelectItem::Count) {
            return Err("COUNT() must be the only element in the SELECT list".into());
        }
        Ok(items)
    }

    fn order_item(&mut self) -> Result<OrderItem, String> {
        let path = self.path()?;
        let descending = if self.eat_keyword("DESC") {
            true
        } else {
            self.eat_keyword("ASC");
            false
        };
        let mut nulls_last = descending;
        if self.eat_keyword("NULLS") {
            nulls_last = if self.eat_keyword("LAST") {
                true
            } else {
                self.keyword("FIRST")?;
                false
            };
        }
        Ok(OrderItem {
            path,
            descending,
            nulls_last,
        })
    }

    fn integer(&mut self) -> Result<u64, String> {
        let t = self.next()?;
        match &t.tok {
            Tok::Num(n) => n.parse().map_err(|_| unexpected(&t)),
            _ => Err(unexpected(&t)),
        }
    }

    /// SOQL refuses `a AND b OR c` without parentheses, so one level has one connective.
    fn expr(&mut self) -> Result<Expr, String> {
        let first = self.unary()?;
        let connective = if self.is_keyword("AND") {
            "AND"
        } else if self.is_keyword("OR") {
            "OR"
        } else {
            return Ok(first);
        };
        let mut parts = vec![first];
        while self.eat_keyword(connective) {
            parts.push(self.unary()?);
        }
        let other = if connective == "AND" { "OR" } else { "AND" };
        if self.is_keyword(other) {
            return Err(unexpected(self.peek().expect("checked")));
        }
        Ok(if connective == "AND" {
            Expr::And(parts)
        } else {
            Expr::Or(parts)
        })
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat_keyword("NOT") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat(&Tok::LParen) {
            let inner = self.expr()?;
            self.expect(Tok::RParen)?;
            return Ok(inner);
        }
        self.condition()
    }

    fn condition(&mut self) -> Result<Expr, String> {
        let path = self.path()?;
        let op_token = self.next()?;
        let op = match &op_token.tok {
            Tok::Eq => Op::Eq,
            Tok::Ne => Op::Ne,
            Tok::Lt => Op::Lt,
            Tok::Le => Op::Le,
            Tok::Gt => Op::Gt,
            Tok::Ge => Op::Ge,
            Tok::Ident(w) if w.eq_ignore_ascii_case("LIKE") => Op::Like,
            Tok::Ident(w) if w.eq_ignore_ascii_case("IN") => Op::In,
            Tok::Ident(w) if w.eq_ignore_ascii_case("NOT") => {
                self.keyword("IN")?;
                Op::NotIn
            }
            _ => return Err(unexpected(&op_token)),
        };
        let value = match op {
            Op::In | Op::NotIn => self.list()?,
            Op::Like => {
                let t = self.next()?;
                match &t.tok {
                    Tok::Str(raw) => Literal::Pattern(decode_like(raw)?),
                    _ => return Err(unexpected(&t)),
                }
            }
            _ => self.literal()?,
        };
        Ok(Expr::Cond(Cond { path, op, value }))
    }

    fn list(&mut self) -> Result<Literal, String> {
        self.expect(Tok::LParen)?;
        let mut values = vec![self.literal()?];
        while self.eat(&Tok::Comma) {
            values.push(self.literal()?);
        }
        self.expect(Tok::RParen)?;
        Ok(Literal::List(values))
    }

    fn literal(&mut self) -> Result<Literal, String> {
        let t = self.next()?;
        Ok(match &t.tok {
            Tok::Str(raw) => Literal::Str(decode(raw)?),
            Tok::Num(n) => Literal::Num(n.parse().map_err(|_| unexpected(&t))?),
            Tok::Date(d) => Literal::Date(d.clone()),
            Tok::DateTime(d) => Literal::DateTime(d.clone()),
            Tok::Ident(w) => match w.to_ascii_uppercase().as_str() {
                "NULL" => Literal::Null,
                "TRUE" => Literal::Bool(true),
                "FALSE" => Literal::Bool(false),
                "TODAY" => Literal::DateFn(DateFn::Today),
                "YESTERDAY" => Literal::DateFn(DateFn::Yesterday),
                "TOMORROW" => Literal::DateFn(DateFn::Tomorrow),
                "LAST_N_DAYS" => Literal::DateFn(DateFn::LastNDays(self.date_n()?)),
                "NEXT_N_DAYS" => Literal::DateFn(DateFn::NextNDays(self.date_n()?)),
                _ => return Err(unexpected(&t)),
            },
            _ => return Err(unexpected(&t)),
        })
    }

    fn date_n(&mut self) -> Result<i64, String> {
        self.expect(Tok::Colon)?;
        Ok(self.integer()? as i64)
    }
}

/// Decodes a literal outside LIKE: `\_` and `\%` are errors there (A3).
pub fn decode(raw: &str) -> Result<String, String> {
    decode_with(raw, false).map(|toks| {
        toks.into_iter()
            .map(|t| match t {
                LikeTok::Char(c) => c,
                LikeTok::Any => '%',
                LikeTok::One => '_',
            })
            .collect()
    })
}

/// Decodes a LIKE pattern: unescaped `%` and `_` are wildcards.
pub fn decode_like(raw: &str) -> Result<Vec<LikeTok>, String> {
    decode_with(raw, true)
}

fn decode_with(raw: &str, like: bool) -> Result<Vec<LikeTok>, String> {
    let mut out = Vec::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        let tok = match c {
            '%' if like => LikeTok::Any,
            '_' if like => LikeTok::One,
            '\\' => {
                let e = chars.next().unwrap_or('\\');
                LikeTok::Char(match e {
                    '\'' | '"' | '\\' => e,
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'u' => unicode(&mut chars, raw)?,
                    '_' | '%' if like => e,
                    _ => return Err(illegal(raw, e)),
                })
            }
            c => LikeTok::Char(c),
        };
        out.push(tok);
    }
    Ok(out)
}

fn unicode(chars: &mut std::str::Chars<'_>, raw: &str) -> Result<char, String> {
    let hex: String = chars.by_ref().take(4).collect();
    u32::from_str_radix(&hex, 16)
        .ok()
        .filter(|_| hex.len() == 4)
        .and_then(char::from_u32)
        .ok_or_else(|| illegal(raw, 'u'))
}

fn illegal(raw: &str, e: char) -> String {
    format!("Invalid string literal '{raw}'. Illegal character sequence '\\{e}' in string literal.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(q: &str) -> Cond {
        match parse(q).unwrap().filter.unwrap() {
            Expr::Cond(c) => c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parses_a_full_query() {
        let q = parse("SELECT Id, Account.Name FROM Contact WHERE (LastName = 'x' OR Email != null) AND CreatedDate = LAST_N_DAYS:30 ORDER BY LastName DESC NULLS LAST, Id LIMIT 10 OFFSET 5").unwrap();
        assert_eq!(
            q.select[1],
            SelectItem::Field(vec!["Account".into(), "Name".into()])
        );
        assert_eq!(q.from, "Contact");
        assert_eq!(q.limit, Some(10));
        assert_eq!(q.offset, Some(5));
        assert_eq!(q.order.len(), 2);
        assert!(matches!(q.filter, Some(Expr::And(ref parts)) if parts.len() == 2));
    }

    #[test]
    fn mixing_and_or_needs_parentheses() {
        assert!(parse("SELECT Id FROM Contact WHERE a = 1 AND b = 2 OR c = 3").is_err());
        assert!(parse("SELECT Id FROM Contact WHERE a = 1 AND (b = 2 OR c = 3)").is_ok());
    }

    #[test]
    fn escapes_decode_per_a3() {
        assert_eq!(
            cond(r"SELECT Id FROM Contact WHERE LastName = 'O\'Brien \\ \u00e9'").value,
            Literal::Str("O'Brien \\ é".into())
        );
        assert!(parse(r"SELECT Id FROM Contact WHERE LastName = 'a\%'").is_err());
        assert!(parse(r"SELECT Id FROM Contact WHERE LastName = 'a\x'").is_err());
        assert_eq!(
            cond(r"SELECT Id FROM Contact WHERE LastName LIKE 'a\%%'").value,
            Literal::Pattern(vec![LikeTok::Char('a'), LikeTok::Char('%'), LikeTok::Any])
        );
    }

    #[test]
    fn injection_stays_a_literal_or_fails() {
        assert!(
            parse("SELECT Id FROM Contact WHERE LastName = 'x' OR Id != null AND Name = 'y'")
                .is_err()
        );
        assert!(parse("SELECT Id FROM Contact WHERE LastName = 'x'' OR Name != ''").is_err());
    }

    #[test]
    fn subqueries_parse() {
        let q = parse("SELECT Name, (SELECT ContactId, Role FROM OpportunityContactRoles WHERE IsPrimary = true) FROM Opportunity").unwrap();
        assert!(
            matches!(&q.select[1], SelectItem::Sub(sub) if sub.from == "OpportunityContactRoles")
        );
    }

    #[test]
    fn in_not_in_and_count() {
        let c = cond("SELECT COUNT() FROM Lead WHERE Status NOT IN ('a', 'b')");
        assert_eq!(c.op, Op::NotIn);
        assert!(parse("SELECT COUNT(), Id FROM Lead").is_err());
        assert!(parse("SELECT Id FROM").is_err());
        assert!(parse("SELECT Id FROM Contact LIMIT").is_err());
    }
}
