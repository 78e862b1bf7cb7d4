//! Seed data: one demo org (`demo`), written to both CRMs with their own ids and field names
//! (`salesforce`, `dynamics`), and generated contacts for performance tests.

pub mod demo;
mod dynamics;
pub mod names;
mod salesforce;

pub use salesforce::ImportedPerson;

use demo::demo_org;
pub use demo::guid;

use crate::state::db::{Crm, Db};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    Demo,
    None,
    /// The demo org plus 100,000 generated contacts per CRM.
    Perf,
}

impl Seed {
    pub fn parse(name: &str) -> Option<Seed> {
        match name {
            "demo" => Some(Seed::Demo),
            "none" => Some(Seed::None),
            "perf" => Some(Seed::Perf),
            _ => None,
        }
    }
}

/// Users added by `--seed perf`: an org of the size the admin page's seat list is benched at.
pub const PERF_USERS: u64 = 1_000;

pub fn apply(db: &Db, seed: Seed) -> rusqlite::Result<()> {
    apply_crm(db, seed, Crm::Salesforce)?;
    apply_crm(db, seed, Crm::Dynamics)
}

/// Seeds one CRM's org (a scoped reset leaves the other CRM alone).
pub fn apply_crm(db: &Db, seed: Seed, crm: Crm) -> rusqlite::Result<()> {
    db.bulk(|db| {
        match crm {
            Crm::Salesforce => salesforce::users(db)?,
            Crm::Dynamics => dynamics::users(db)?,
        }
        if seed == Seed::None {
            return Ok(());
        }
        let org = demo_org();
        match crm {
            Crm::Salesforce => salesforce::org(db, &org),
            Crm::Dynamics => dynamics::org(db, &org),
        }
    })?;
    if seed == Seed::Perf {
        generate_contacts(db, crm, 100_000)?;
        db.bulk(|db| match crm {
            Crm::Salesforce => salesforce::generated_users(db, PERF_USERS),
            Crm::Dynamics => dynamics::generated_users(db, PERF_USERS),
        })?;
    }
    Ok(())
}

/// Appends `count` generated contacts (for performance tests), in one transaction.
pub fn generate_contacts(db: &Db, crm: Crm, count: u64) -> rusqlite::Result<()> {
    db.bulk(|db| match crm {
        Crm::Salesforce => salesforce::generated(db, count),
        Crm::Dynamics => dynamics::generated(db, count),
    })
}

/// Adds imported people to the Salesforce org as Contacts at Accounts named after their
/// companies (benchmarks at a million contacts); returns the Accounts made.
pub fn import_people(
    db: &Db,
    people: &[ImportedPerson<'_>],
) -> rusqlite::Result<(u64, Vec<String>)> {
    db.bulk(|db| salesforce::imported(db, people))
}
