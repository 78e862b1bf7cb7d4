//! SOQL: lexer → parser (syntax, escapes) → check (names, types) → eval (rows, shapes),
//! with compare (value tests).

pub mod ast;
pub mod check;
pub mod compare;
pub mod echo;
pub mod eval;
pub mod lexer;
pub mod parser;

pub use parser::parse;
