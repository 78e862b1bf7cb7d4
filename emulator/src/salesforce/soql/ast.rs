//! The SOQL subset the emulator understands, as parsed (names not yet checked).

/// A field path: `["Name"]` or `["Account", "Owner", "Name"]`.
pub type Path = Vec<String>;

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub select: Vec<SelectItem>,
    pub from: String,
    pub filter: Option<Expr>,
    pub order: Vec<OrderItem>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SelectItem {
    Field(Path),
    /// `COUNT()`: only `totalSize` comes back.
    Count,
    /// A parent-to-child subquery: `(SELECT … FROM OpportunityContactRoles)`.
    Sub(Box<Query>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderItem {
    pub path: Path,
    pub descending: bool,
    /// Nulls sort first unless `NULLS LAST` (the SOQL default for ascending order).
    pub nulls_last: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Cond(Cond),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cond {
    pub path: Path,
    pub op: Op,
    pub value: Literal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Like,
    In,
    NotIn,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Date(String),
    DateTime(String),
    DateFn(DateFn),
    List(Vec<Literal>),
    /// A LIKE pattern with escapes decoded.
    Pattern(Vec<LikeTok>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikeTok {
    Char(char),
    /// `%`
    Any,
    /// `_`
    One,
}

/// Relative date literals: whole days in UTC (the emulated org's time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFn {
    Today,
    Yesterday,
    Tomorrow,
    LastNDays(i64),
    NextNDays(i64),
}
