//! The extension's store: its object stores, their keys and indexes (the schema, as ordered
//! migrations), and every key of the `meta` store, in one place. The host opens IndexedDB
//! with [`MIGRATIONS`] (`storeSchema()` in the wasm; `extension/background/db.js` applies
//! them in order and names no store itself); the in-memory test host reads its keys from the
//! same list.

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
    pub const ALL: [Store; 7] = [
        Store::Profiles,
        Store::Meta,
        Store::Records,
        Store::Matches,
        Store::Overrides,
        Store::Items,
        Store::Audit,
    ];

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

    /// The key path of the store (dotted paths into the value; two paths make a compound
    /// key), as its migration created it. The in-memory test host reads keys with these.
    pub fn key_path(self) -> &'static [&'static str] {
        steps()
            .find_map(|step| match step {
                Step::CreateStore {
                    store, key_path, ..
                } if *store == self => Some(key_path.0),
                _ => None,
            })
            .expect("every store is created by a migration")
    }

    /// The key path of one of the store's indexes, as its migration created it.
    pub fn index_path(self, index: &str) -> Option<&'static [&'static str]> {
        steps().find_map(|step| match step {
            Step::CreateIndex {
                store,
                name,
                key_path,
            } if *store == self && *name == index => Some(key_path.0),
            _ => None,
        })
    }
}

/// An IndexedDB key path: one dotted path (a plain key), or several (a compound key). As JS
/// it is a string or an array, as `createObjectStore` and `createIndex` take them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPath(pub &'static [&'static str]);

impl Serialize for KeyPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            [one] => serializer.serialize_str(one),
            paths => paths.serialize(serializer),
        }
    }
}

/// One change of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Step {
    CreateStore {
        store: Store,
        key_path: KeyPath,
        auto_increment: bool,
    },
    CreateIndex {
        store: Store,
        name: &'static str,
        key_path: KeyPath,
    },
}

const fn create(store: Store, key_path: &'static [&'static str]) -> Step {
    Step::CreateStore {
        store,
        key_path: KeyPath(key_path),
        auto_increment: false,
    }
}

const fn index(store: Store, name: &'static str, key_path: &'static [&'static str]) -> Step {
    Step::CreateIndex {
        store,
        name,
        key_path: KeyPath(key_path),
    }
}

/// `MIGRATIONS[n]` upgrades a database at version n to version n + 1 (so the schema version is
/// `MIGRATIONS.len()`). Released entries are never edited: a schema change is a new entry, so
/// every user's data moves forward in order.
pub const MIGRATIONS: &[&[Step]] = &[
    // 1: imported, captured and typed-in profiles, keyed by their stable profile key.
    &[
        create(Store::Profiles, &["person.id"]),
        create(Store::Meta, &["key"]),
    ],
    // 2: synced CRM records per org, each profile's match, and the user's own corrections.
    &[
        create(Store::Records, &["apiHost", "id"]),
        index(Store::Records, "byHost", &["apiHost"]),
        index(Store::Records, "byAccount", &["apiHost", "accountId"]),
        create(Store::Matches, &["apiHost", "profileId"]),
        index(Store::Matches, "byHost", &["apiHost"]),
        index(Store::Matches, "byRecord", &["apiHost", "recordId"]),
        create(Store::Overrides, &["apiHost"]),
    ],
    // 3: logged items (notes, messages, InMails, calls, tags) with their outbox state, and the
    // audit log of everything written to a CRM (docs/writeback.md).
    &[
        create(Store::Items, &["id"]),
        index(
            Store::Items,
            "byRecord",
            &["about.apiHost", "about.recordId"],
        ),
        index(Store::Items, "byProfile", &["about.profileId"]),
        index(Store::Items, "byState", &["state"]),
        Step::CreateStore {
            store: Store::Audit,
            key_path: KeyPath(&["seq"]),
            auto_increment: true,
        },
        index(Store::Audit, "byItem", &["itemId"]),
    ],
];

fn steps() -> impl Iterator<Item = &'static Step> {
    MIGRATIONS.iter().flat_map(|m| m.iter())
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
    /// The records updated in place since the index's bytes were stored (`Vec<String>`):
    /// applied again when the bytes are read, so an incremental sync writes ids, not the index.
    IndexPending(&'a str),
    /// Why the org's last sync failed.
    SyncError(&'a str),
    /// The org's sync in progress: its checkpoint ([`crate::background::sync_job::SyncJob`]).
    SyncJob(&'a str),
    /// How far the org's deletions are known ([`crate::sync::deletions::Mark`]).
    Deletions(&'a str),
    /// One page of ids a reconcile listed, until its sweep (one id a line).
    Reconcile(&'a str, u32),
    /// The records the CRM deleted that a user's link names, as last synced (`Vec<CrmRecord>`);
    /// kept with the corrections.
    DeletedLinks(&'a str),
    /// The org's page host and CRM, so work with no page open finds its session.
    Org(&'a str),
    /// The org's outbox: paused, or waiting for sign-in
    /// ([`crate::background::outbox::OrgOutbox`]).
    Outbox(&'a str),
    /// The seat holder's CRM user id in the org (activities are theirs).
    Owner(&'a str),
    /// What the org's answers said of its API budget ([`crate::crm::budget::OrgBudget`]).
    ApiBudget(&'a str),
    /// How the Salesforce org keeps notes ([`crate::writeback::salesforce::NoteStyle`]).
    Notes(&'a str),
    /// The user's Copy to CRM choices ([`crate::writeback::UserSync`]).
    UserSync,
    /// The user's own settings ([`crate::settings::Layer`]).
    UserSettings,
    /// What the org's last seat view said: its published settings (the org's layer), its
    /// state, my seat, the last clear seen ([`crate::settings::seat::OrgView`]). One entry
    /// per org: each org's admin publishes its own settings. (No release wrote the single
    /// `crmSettings` entry this replaces, so there is nothing to move.)
    CrmSettings(&'a str),
    /// The org's last data validation pass: the flags the CRM holds, what profiles say,
    /// what the CRM refused ([`crate::background::validation::OrgValidation`]).
    Validation(&'a str),
    /// The flags the user dismissed in the org ([`crate::validation::Dismissals`]); kept
    /// with the corrections.
    Dismissals(&'a str),
    /// The records the user saved from the panel in the org ([`crate::pipeline::ManualSaves`]).
    ManualSaves(&'a str),
    /// The user disconnected the org on the options page (`value`: when, ms): no sync and
    /// no write-back for it here until *Connect again*.
    Disconnected(&'a str),
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
            Meta::IndexPending(host) => format!("indexPending:{host}"),
            Meta::SyncError(host) => format!("syncError:{host}"),
            Meta::SyncJob(host) => format!("{}{host}", Self::SYNC_JOB),
            Meta::Deletions(host) => format!("deletions:{host}"),
            Meta::DeletedLinks(host) => format!("deletedLinks:{host}"),
            Meta::Reconcile(host, page) => format!("{}{page}", Self::reconcile_prefix(host)),
            Meta::Org(host) => format!("org:{host}"),
            Meta::Outbox(host) => format!("{}{host}", Self::OUTBOX),
            Meta::Owner(host) => format!("owner:{host}"),
            Meta::ApiBudget(host) => format!("apiBudget:{host}"),
            Meta::Notes(host) => format!("notes:{host}"),
            Meta::UserSync => "userSync".to_string(),
            Meta::UserSettings => "userSettings".to_string(),
            Meta::CrmSettings(host) => format!("{}{host}", Self::CRM_SETTINGS),
            Meta::Disconnected(host) => format!("disconnected:{host}"),
            Meta::Validation(host) => format!("validation:{host}"),
            Meta::Dismissals(host) => format!("dismissals:{host}"),
            Meta::ManualSaves(host) => format!("manualSaves:{host}"),
        }
    }

    pub const LAST_SYNCED: &'static str = "lastSynced:";
    pub const SYNC_JOB: &'static str = "syncJob:";
    pub const OUTBOX: &'static str = "outbox:";
    pub const CRM_SETTINGS: &'static str = "crmSettings:";
    /// Prefixes of everything synced from a CRM ("Clear all imported CRM data" removes them).
    pub const CRM_DATA: [&'static str; 9] = [
        "lastSynced:",
        "validation:",
        "watermark:",
        "index:",
        "indexPending:",
        "syncError:",
        "syncJob:",
        "deletions:",
        "reconcile:",
    ];

    /// The keys of one org's reconcile pages all start so.
    pub fn reconcile_prefix(host: &str) -> String {
        format!("reconcile:{host}:")
    }
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
    /// Where the last sync's time went (for benchmarks and support).
    #[serde(default)]
    pub took: crate::background::sync_job::Spent,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_store_is_created_once_and_every_index_on_a_store_created_before_it() {
        for store in Store::ALL {
            let created = steps()
                .filter(|s| matches!(s, Step::CreateStore { store: s, .. } if *s == store))
                .count();
            assert_eq!(created, 1, "{store:?}");
            assert!(!store.key_path().is_empty());
        }
        let mut known = Vec::new();
        let mut indexes = Vec::new();
        for step in steps() {
            match *step {
                Step::CreateStore { store, .. } => known.push(store),
                Step::CreateIndex { store, name, .. } => {
                    assert!(
                        known.contains(&store),
                        "{name} on {store:?} before its store"
                    );
                    assert!(!indexes.contains(&(store, name)), "{name} twice");
                    indexes.push((store, name));
                }
            }
        }
    }

    #[test]
    fn the_keys_the_test_host_reads_are_the_migrations_keys() {
        assert_eq!(Store::Profiles.key_path(), ["person.id"]);
        assert_eq!(Store::Records.key_path(), ["apiHost", "id"]);
        assert_eq!(Store::Audit.key_path(), ["seq"]);
        assert_eq!(
            Store::Matches.index_path("byRecord"),
            Some(&["apiHost", "recordId"][..])
        );
        assert_eq!(
            Store::Items.index_path("byProfile"),
            Some(&["about.profileId"][..])
        );
        assert_eq!(Store::Profiles.index_path("byHost"), None);
        // Every index the core queries exists on its store.
        for (store, name) in [
            (Store::Records, "byHost"),
            (Store::Records, "byAccount"),
            (Store::Matches, "byHost"),
            (Store::Matches, "byRecord"),
            (Store::Items, "byRecord"),
            (Store::Items, "byProfile"),
            (Store::Items, "byState"),
            (Store::Audit, "byItem"),
        ] {
            assert!(store.index_path(name).is_some(), "{store:?} {name}");
        }
    }

    /// Released migrations never change: existing users' databases were built by these.
    #[test]
    fn released_migrations_are_as_they_shipped() {
        let shipped = json!([
            [
                {"op": "createStore", "store": "profiles", "keyPath": "person.id", "autoIncrement": false},
                {"op": "createStore", "store": "meta", "keyPath": "key", "autoIncrement": false},
            ],
            [
                {"op": "createStore", "store": "records", "keyPath": ["apiHost", "id"], "autoIncrement": false},
                {"op": "createIndex", "store": "records", "name": "byHost", "keyPath": "apiHost"},
                {"op": "createIndex", "store": "records", "name": "byAccount", "keyPath": ["apiHost", "accountId"]},
                {"op": "createStore", "store": "matches", "keyPath": ["apiHost", "profileId"], "autoIncrement": false},
                {"op": "createIndex", "store": "matches", "name": "byHost", "keyPath": "apiHost"},
                {"op": "createIndex", "store": "matches", "name": "byRecord", "keyPath": ["apiHost", "recordId"]},
                {"op": "createStore", "store": "overrides", "keyPath": "apiHost", "autoIncrement": false},
            ],
            [
                {"op": "createStore", "store": "items", "keyPath": "id", "autoIncrement": false},
                {"op": "createIndex", "store": "items", "name": "byRecord", "keyPath": ["about.apiHost", "about.recordId"]},
                {"op": "createIndex", "store": "items", "name": "byProfile", "keyPath": "about.profileId"},
                {"op": "createIndex", "store": "items", "name": "byState", "keyPath": "state"},
                {"op": "createStore", "store": "audit", "keyPath": "seq", "autoIncrement": true},
                {"op": "createIndex", "store": "audit", "name": "byItem", "keyPath": "itemId"},
            ],
        ]);
        assert_eq!(serde_json::to_value(MIGRATIONS).unwrap(), shipped);
    }
}
