//! Extension-page UI rendered with web-sys: the panel, and the options, Unresolved
//! Activities and audit pages (their models are `crate::pages`). Text from the CRM or a
//! profile is only ever set with `textContent`, never parsed as HTML. UI strings come from the extension's `_locales`
//! through a [`Translate`] function, so nothing user-visible is hard-coded here.

pub mod admin;
pub mod audit;
pub mod dom;
pub mod never_log;
pub mod options;
pub mod page;
pub mod panel;
pub mod saved;
pub mod unresolved;
pub mod validation;

/// Looks up a localised UI string by its `_locales` message name, filling `$1`, `$2`, … with
/// the substitutions (as `i18n.getMessage(name, substitutions)` does).
pub type Translate = dyn Fn(&str, &[&str]) -> String;
