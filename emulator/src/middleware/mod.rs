//! What the top-level router does around every product request: log it, then apply any
//! injected fault.

pub mod faults;
pub mod request_log;
