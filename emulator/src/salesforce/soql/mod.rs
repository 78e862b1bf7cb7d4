//! SOQL: lexer → parser (syntax, escapes) → eval (names, types, rows).

pub mod ast;
pub mod eval;
pub mod lexer;
pub mod parser;

pub use parser::parse;
