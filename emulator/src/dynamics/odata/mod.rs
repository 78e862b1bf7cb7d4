//! OData query options for the Web API: `$filter` (lexer, parser, eval) and the list options.

pub mod eval;
pub mod filter;
pub mod lexer;
pub mod options;
