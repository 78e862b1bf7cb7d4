//! Saved leads and accounts from the pipeline (issue 15, PRODUCT feature 4): every open
//! opportunity the seat holder owns at or past the stage the admin chose puts its contacts
//! (through its contact roles) and its account on the seat holder's lists, saying why; with
//! "Not sure", every open opportunity counts. An entry leaves when its last reason ends (the
//! opportunity closes, moves back, or changes hands) unless the user saved it by hand.

pub mod saved;
pub mod won;

pub use saved::{
    saved_lists, ManualSaves, Pipeline, SaveReason, SavedAccount, SavedLead, SavedLists, StageRule,
};
