//! Matching engine: decides whether a professional-network profile is a CRM
//! Contact or Lead, and whether a company is an Account (issue 4).
//!
//! Pipeline: normalisers ([`text`], [`names`], [`nicknames`], [`phonetic`],
//! [`company`], [`email`], [`phone`], [`profile_url`], [`title`], [`geo`]) →
//! [`features`] → [`blocking`] keys in a [`MatchIndex`] → [`compare`] levels →
//! [`model`] weights → [`Decision`] with an [`Explanation`].
//! No I/O here: callers pass data in and persist [`MatchIndex::to_bytes`].

pub mod accounts;
pub mod blocking;
pub mod company;
pub mod compare;
#[cfg(not(target_arch = "wasm32"))]
pub mod csv_input;
pub mod em;
pub mod email;
pub mod explain;
pub mod features;
pub mod geo;
mod hash;
pub mod index;
pub mod model;
pub mod names;
pub mod nicknames;
pub mod overrides;
pub mod phone;
pub mod phonetic;
mod postings;
pub mod profile_url;
pub mod reliability;
pub mod same_person;
pub mod text;
pub mod title;
pub mod types;

pub use accounts::{match_account, AccountMatch};
pub use explain::{Explanation, FieldScore, KeyFacts, MatchSource};
pub use index::{Candidate, ChangedKeys, Decision, MatchIndex};
pub use model::Model;
pub use overrides::Overrides;
pub use types::{Company, Field, Level, MatchLevel, Person};
