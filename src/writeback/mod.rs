//! Copy to CRM: which logged items are written back, and how (issue 6). Pure decisions; the
//! outbox and its I/O live in the extension.

pub mod dynamics;
pub mod export;
pub mod item;
pub mod outbox;
pub mod owner;
pub mod resolve;
pub mod salesforce;
pub mod setup;
pub mod stored;
pub mod test_run;
pub mod toggle;

pub use item::ItemState;
pub use stored::{About, StoredItem};
pub use toggle::{
    decide, never_log_gate, toggle_default, ItemKind, KindSelection, MatchStatus, UserSync,
    WriteBackSettings, WriteDecision,
};
