//! Settings in layers, resolved here and nowhere else (docs/settings.md): browser policy
//! (a *locked* value, or a *default* the user may change) > the org's settings published in
//! the CRM > the user's own choices > a policy default > built-in defaults. Every effective
//! value carries its source, so the options page shows what is locked and why.
//!
//! [`keys`] names the settings and their values, [`layer`] reads one layer from JSON (bad
//! entries become [`layer::LayerProblem`]s and are left out, the rest applies), [`resolve`] picks
//! each effective value, [`never_log`] decides whether an item's person or record may be
//! written at all, [`policy_files`] writes the settings as files admins deploy, and [`seat`]
//! keeps each org's published settings and decides who CRM sync is on for.

pub mod keys;
pub mod layer;
pub mod never_log;
pub mod policy_files;
pub mod resolve;
pub mod seat;

pub use keys::{CrmChoice, SettingKey};
pub use layer::{Layer, LayerProblem, PolicyLayers};
pub use never_log::{NeverLog, NeverLogKind, Subject};
pub use resolve::{resolve, Effective, Resolved, Source};
