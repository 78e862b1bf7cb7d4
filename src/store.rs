//! The extension's store: its object stores, their keys and indexes, and every key of the
//! `meta` store, in one place. The IndexedDB schema itself is opened by the host
//! (`extension/background/db.js`, migrations 1–3); the names here must match it, which
//! `tests/js/db.test.mjs` checks against the built extension.

use serde::{Deserialize, Serialize};

/// The object stores.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Store {
    /// Profiles keyed by `person.id`.
    Profiles,
    /// `{key, value}` entries named by [`Meta`].
    Meta,
    /// Synced CRM records keyed by `[apiHost, id]`; indexes `byHost`, `byAccount`.
    Records,
    /// Each profile's match keyed by `[apiHost, profileId]`; indexes `byHost`, `byRecord`.
    Matches,
    /// The user's corrections per org, keyed by `apiHost`.
    Overrides,
    /// Logged items keyed by `id`; indexes `byRecord`, `byProfile`, `byState`.
    Items,
    /// Audit rows, auto-numbered; index `byItem`.
    Audit,
}

impl Store {
    pub fn name(self) -> &'static str {
        match self {
            Store::Profiles => "profiles",
            Store::Meta => "meta",
            Store::Records => "records",
            Store::Matches => "matches",
            Store::Overrides => "overrides",
            Store::Items => "items",
            Store::Audit => "audit",
        }
    }

    /// The key path of each store and of each of its indexes (dotted paths into the value;
    /// two paths make a compound key). The in-memory test host reads keys with these.
    pub fn key_path(self) -> &'static [&'static str] {
        match self {
            Store::Profiles => &["person.id"],
            Store::Meta => &["key"],
            Store::Records => &["apiHost", "id"],
            Store::Matches => &["apiHost", "profileId"],
            Store::Overrides => &["apiHost"],
            Store::Items => &["id"],
            Store::Audit => &["seq"],
        }
    }

    pub fn index_path(self, index: &str) -> Option<&'static [&'static str]> {
        Some(match (self, index) {
            (Store::Records, "byHost") | (Store::Matches, "byHost") => &["apiHost"],
            (Store::Records, "byAccount") => &["apiHost", "accountId"],
            (Store::Matches, "byRecord") => &["apiHost", "recordId"],
            (Store::Items, "byRecord") => &["about.apiHost", "about.recordId"],
            (Store::Items, "byProfile") => &["about.profileId"],
            (Store::Items, "byState") => &["state"],
            (Store::Audit, "byItem") => &["itemId"],
            _ => return None,
        })
    }
}

/// Keys of the `meta` store, one variant per kind of entry: no key is spelled twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meta<'a> {
    /// When the org's last sync completed (`value`: ms since the epoch; `crm` beside it).
    LastSynced(&'a str),
    /// The newest modification time synced for one object of an org.
    Watermark(&'a str, crate::crm::RecordType),
    /// The org's people index, as bytes.
    Index(&'a str),
    /// Why the org's last sync failed.
    SyncError(&'a str),
    /// The org's sync in progress: its checkpoint ([`crate::background::sync_job::SyncJob`]).
    SyncJob(&'a str),
    /// The org's page host and CRM, so work with no page open finds its session.
    Org(&'a str),
    /// The org's outbox: paused, or waiting for sign-in
    /// ([`crate::background::outbox::OrgOutbox`]).
    Outbox(&'a str),
    /// The seat holder's CRM user id in the org (activities are theirs).
    Owner(&'a str),
    /// How the Salesforce org keeps notes ([`crate::writeback::salesforce::NoteStyle`]).
    Notes(&'a str),
    /// The user's Copy to CRM choices ([`crate::writeback::UserSync`]).
    UserSync,
}

impl Meta<'_> {
    pub fn key(&self) -> String {
        match self {
            Meta::LastSynced(host) => format!("{}{host}", Self::LAST_SYNCED),
            Meta::Watermark(host, record_type) => {
                // The serde name of the object (`contact`), as the first releases stored it.
                format!("watermark:{host}:{}", record_type.dynamics_name())
            }
            Meta::Index(host) => format!("index:{host}"),
            Meta::SyncError(host) => format!("syncError:{host}"),
            Meta::SyncJob(host) => format!("{}{host}", Self::SYNC_JOB),
            Meta::Org(host) => format!("org:{host}"),
            Meta::Outbox(host) => format!("{}{host}", Self::OUTBOX),
            Meta::Owner(host) => format!("owner:{host}"),
            Meta::Notes(host) => format!("notes:{host}"),
            Meta::UserSync => "userSync".to_string(),
        }
    }

    pub const LAST_SYNCED: &'static str = "lastSynced:";
    pub const SYNC_JOB: &'static str = "syncJob:";
    pub const OUTBOX: &'static str = "outbox:";
    /// Prefixes of everything synced from a CRM ("Clear all imported CRM data" removes them).
    pub const CRM_DATA: [&'static str; 5] = [
        "lastSynced:",
        "watermark:",
        "index:",
        "syncError:",
        "syncJob:",
    ];
}

/// A `meta` entry: `{key, value}`.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetaEntry<T> {
    pub key: String,
    pub value: T,
}

/// The `lastSynced:` entry also names the org's CRM.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastSynced {
    pub key: String,
    pub value: f64,
    pub crm: crate::crm::Crm,
}
