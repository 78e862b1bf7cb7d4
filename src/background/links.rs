//! Profile ↔ record links for one org: the people index (kept in memory, persisted as bytes),
//! every profile's match, and the user's own corrections, which always win while their
//! record exists: a link to a record the CRM deleted is kept, marked so, and no longer
//! matches.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{Background, Failure};
use crate::host::{Host, HostError, Key, Locked, Query, Write};
use crate::linking::{self, Correction, ProfileMatch};
use crate::matching::{MatchIndex, Overrides, Person};
use crate::profiles::Profile;
use crate::store::{Meta, MetaEntry, Store};
use crate::sync::CrmRecord;

/// Records updated in place before the index's bytes are stored again (ids in the
/// `indexPending` entry: 2,000 are 40 KiB, the index of 100,000 records 21 MiB).
const MAX_PENDING: usize = 2_000;

/// Which profiles a rebuild re-matches.
pub enum Scope<'a> {
    /// Every profile, after a new index (a sync); matches of profiles gone are dropped.
    All,
    Profiles(&'a [String]),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StoredMatch<'a> {
    api_host: &'a str,
    #[serde(flatten)]
    found: &'a ProfileMatch,
}

/// The user's corrections, as stored: `{apiHost, links, rejections}`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredOverrides {
    api_host: String,
    #[serde(flatten)]
    overrides: Overrides,
}

/// Recomputes the matches of `scope` in one org.
pub async fn rebuild<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    scope: Scope<'_>,
) -> Result<(), HostError> {
    let host = &bg.host;
    let (index, people) = match scope {
        Scope::All => {
            let people = all_profiles(host).await?;
            (build_index(bg, api_host, Some(&people)).await?, people)
        }
        Scope::Profiles(ids) => {
            let keys: Vec<Key> = ids.iter().map(|id| Key::Text(id.clone())).collect();
            let found = host.get_many(Store::Profiles, &keys).await?;
            let profiles = decode_all::<H, Profile>(host, found.into_iter().flatten().collect());
            let people = profiles.into_iter().map(|p| p.person).collect();
            (index_of(bg, api_host).await?, people)
        }
    };
    host.keep_alive().await;
    let overrides = overrides_of(host, api_host).await?;
    let matches = linking::match_profiles(&index, &people, &overrides);
    let mut batch = Vec::with_capacity(matches.len() + 1);
    if matches!(scope, Scope::All) {
        batch.push(Write::DeleteWhere {
            store: Store::Matches,
            query: Query::Index {
                index: "byHost",
                key: Key::Text(api_host.to_string()),
            },
        });
    }
    for found in &matches {
        batch.push(host.put(Store::Matches, &StoredMatch { api_host, found })?);
    }
    host.write(batch).await
}

/// After a sync that touched few records (`touched`: changed or removed, by id): the index
/// takes them in place and only the profiles whose candidates they can change are matched
/// again, with those the user linked to one of them. Once updates have drifted the org's
/// statistics far enough, the index is built again instead.
pub async fn update<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    touched: &[String],
) -> Result<(), HostError> {
    let host = &bg.host;
    let Some(shared) = saved_index(bg, api_host)
        .await
        .filter(|i| !i.needs_rebuild(touched.len()))
    else {
        return rebuild(bg, api_host, Scope::All).await;
    };
    bg.indexes.borrow_mut().remove(api_host);
    let mut index = Rc::try_unwrap(shared).unwrap_or_else(|shared| (*shared).clone());
    let (people, removed) = touched_people(host, api_host, touched).await?;
    let changed = index.update(&people, &removed);
    let mut pending = pending_of(host, api_host).await;
    let new: Vec<String> = touched
        .iter()
        .filter(|id| !pending.contains(id))
        .cloned()
        .collect();
    pending.extend(new);
    let mut batch = Vec::new();
    let index = if pending.len() > MAX_PENDING {
        persist_index(bg, api_host, index).await?
    } else {
        batch.push(put_meta_list(host, Meta::IndexPending(api_host), pending)?);
        keep_index(bg, api_host, index)
    };
    host.keep_alive().await;
    let overrides = overrides_of(host, api_host).await?;
    let shown = profiles_matched_to(host, api_host, touched).await?;
    let concerned: Vec<Person> = all_profiles(host)
        .await?
        .into_iter()
        .filter(|p| shown.contains(&p.id) || changed.concern(&index, p))
        .collect();
    let matches = linking::match_profiles(&index, &concerned, &overrides);
    for found in &matches {
        batch.push(host.put(Store::Matches, &StoredMatch { api_host, found })?);
    }
    host.write(batch).await
}

/// A list kept in `meta` (empty when there is none, or this version cannot read it).
async fn meta_list<H: Host, T: serde::de::DeserializeOwned>(host: &H, meta: Meta<'_>) -> Vec<T> {
    let key = Key::Text(meta.key());
    let stored = host.get_as::<MetaEntry<Vec<T>>>(Store::Meta, &key).await;
    stored.ok().flatten().map(|e| e.value).unwrap_or_default()
}

fn put_meta_list<H: Host, T: Serialize>(
    host: &H,
    meta: Meta<'_>,
    value: Vec<T>,
) -> Result<Write<H::Value>, HostError> {
    let key = meta.key();
    host.put(Store::Meta, &MetaEntry { key, value })
}

/// Ids updated in place since the index's bytes were stored.
async fn pending_of<H: Host>(host: &H, api_host: &str) -> Vec<String> {
    meta_list(host, Meta::IndexPending(api_host)).await
}

/// The touched records as matching people, and the ids no longer among them (deleted, or
/// no person). An Account's name is its Contacts' company, so they come with it.
async fn touched_people<H: Host>(
    host: &H,
    api_host: &str,
    touched: &[String],
) -> Result<(Vec<Person>, Vec<String>), HostError> {
    let mut records = records_by_id(host, api_host, touched).await?;
    let removed: Vec<String> = touched
        .iter()
        .filter(|id| !records.iter().any(|r| r.person.is_some() && &r.id == *id))
        .cloned()
        .collect();
    // Every touched id may be an Account (a deleted one's type is not known any more).
    for contacts in by_index(host, Store::Records, "byAccount", api_host, touched).await? {
        let contacts = decode_all::<H, CrmRecord>(host, contacts);
        records.extend(contacts.into_iter().filter(|c| !touched.contains(&c.id)));
    }
    let accounts: Vec<String> = records
        .iter()
        .filter_map(|r| r.account_id.clone())
        .filter(|a| !records.iter().any(|r| &r.id == a))
        .collect();
    records.extend(records_by_id(host, api_host, &accounts).await?);
    Ok((linking::people(&records), removed))
}

/// The profiles whose stored match (the model's or the user's link) is one of `records`.
async fn profiles_matched_to<H: Host>(
    host: &H,
    api_host: &str,
    records: &[String],
) -> Result<std::collections::HashSet<String>, HostError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct MatchOf {
        profile_id: String,
    }
    let mut found = std::collections::HashSet::new();
    for matches in by_index(host, Store::Matches, "byRecord", api_host, records).await? {
        let matches = decode_all::<H, MatchOf>(host, matches);
        found.extend(matches.into_iter().map(|m| m.profile_id));
    }
    Ok(found)
}

/// The values under `(api_host, id)` in `store`'s `index`, for each id. The lookups are asked
/// at once: one after another, each waits a store round trip, and a sync touches many ids.
async fn by_index<H: Host>(
    host: &H,
    store: Store,
    index: &'static str,
    api_host: &str,
    ids: &[String],
) -> Result<Vec<Vec<H::Value>>, HostError> {
    let queries: Vec<Query> = ids
        .iter()
        .map(|id| Query::Index {
            index,
            key: Key::pair(api_host, id),
        })
        .collect();
    let lookups = queries.iter().map(|query| host.get_all(store, query));
    futures_util::future::join_all(lookups)
        .await
        .into_iter()
        .collect()
}

async fn records_by_id<H: Host>(
    host: &H,
    api_host: &str,
    ids: &[String],
) -> Result<Vec<CrmRecord>, HostError> {
    let keys: Vec<Key> = ids.iter().map(|id| Key::pair(api_host, id)).collect();
    let found = host.get_many(Store::Records, &keys).await?;
    Ok(decode_all::<H, CrmRecord>(
        host,
        found.into_iter().flatten().collect(),
    ))
}

async fn all_profiles<H: Host>(host: &H) -> Result<Vec<Person>, HostError> {
    let profiles =
        decode_all::<H, Profile>(host, host.get_all(Store::Profiles, &Query::All).await?);
    Ok(profiles.into_iter().map(|p| p.person).collect())
}

/// Builds the org's index from its stored records, its model fitted to the profiles it will
/// be asked about (all of them, read here unless given), and persists it.
async fn build_index<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    profiles: Option<&[Person]>,
) -> Result<Rc<MatchIndex>, HostError> {
    let host = &bg.host;
    let by_host = Query::Index {
        index: "byHost",
        key: Key::Text(api_host.to_string()),
    };
    let records = decode_all::<H, CrmRecord>(host, host.get_all(Store::Records, &by_host).await?);
    host.keep_alive().await;
    let mut index = linking::build_index(&records);
    drop(records);
    let read;
    let profiles = match profiles {
        Some(given) => given,
        None => {
            read = all_profiles(host).await?;
            &read
        }
    };
    index.fit(profiles);
    host.keep_alive().await;
    persist_index(bg, api_host, index).await
}

/// Stores the org's index (no update is pending after it) and keeps it in memory.
async fn persist_index<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    index: MatchIndex,
) -> Result<Rc<MatchIndex>, HostError> {
    let host = &bg.host;
    let entry = MetaEntry {
        key: Meta::Index(api_host).key(),
        value: serde_bytes::ByteBuf::from(index.to_bytes()),
    };
    let pending = Key::Text(Meta::IndexPending(api_host).key());
    host.write(vec![
        host.put(Store::Meta, &entry)?,
        Write::Delete {
            store: Store::Meta,
            key: pending,
        },
    ])
    .await?;
    Ok(keep_index(bg, api_host, index))
}

fn keep_index<H: Host>(bg: &Background<H>, api_host: &str, index: MatchIndex) -> Rc<MatchIndex> {
    let index = Rc::new(index);
    bg.indexes
        .borrow_mut()
        .insert(api_host.to_string(), Rc::clone(&index));
    index
}

/// The org's index: in memory, else from its stored bytes, else built from its records.
async fn index_of<H: Host>(
    bg: &Background<H>,
    api_host: &str,
) -> Result<Rc<MatchIndex>, HostError> {
    match saved_index(bg, api_host).await {
        Some(index) => Ok(index),
        None => build_index(bg, api_host, None).await,
    }
}

/// Whether the store holds the org's index, asked by key: its value is megabytes.
pub async fn has_index<H: Host>(host: &H, api_host: &str) -> Result<bool, HostError> {
    let prefix = Meta::Index(api_host).key();
    let key = Key::Text(prefix.clone());
    Ok(host
        .keys(Store::Meta, &Query::Prefix { prefix })
        .await?
        .contains(&key))
}

/// The org's index in memory while the store still holds one (a clear may have removed it
/// meanwhile), else from stored bytes this version reads.
async fn saved_index<H: Host>(bg: &Background<H>, api_host: &str) -> Option<Rc<MatchIndex>> {
    let key = Key::Text(Meta::Index(api_host).key());
    let kept = bg.indexes.borrow().get(api_host).cloned();
    if let Some(index) = kept {
        if has_index(&bg.host, api_host).await.ok()? {
            return Some(index);
        }
        bg.indexes.borrow_mut().remove(api_host);
    }
    let saved = bg
        .host
        .get_as::<MetaEntry<serde_bytes::ByteBuf>>(Store::Meta, &key)
        .await;
    let mut index = MatchIndex::from_bytes(&saved.ok()??.value).ok()?;
    let pending = pending_of(&bg.host, api_host).await;
    if !pending.is_empty() {
        let (people, removed) = touched_people(&bg.host, api_host, &pending).await.ok()?;
        index.update(&people, &removed);
    }
    Some(keep_index(bg, api_host, index))
}

/// Values that decode; a stored entry this version cannot read is skipped, not fatal.
pub(super) fn decode_all<H: Host, T: serde::de::DeserializeOwned>(
    host: &H,
    values: Vec<H::Value>,
) -> Vec<T> {
    values
        .into_iter()
        .filter_map(|v| host.decode(v).ok())
        .collect()
}

async fn stored_overrides<H: Host>(host: &H, api_host: &str) -> Result<Overrides, HostError> {
    let stored = host
        .get_as::<StoredOverrides>(Store::Overrides, &Key::Text(api_host.to_string()))
        .await
        .ok()
        .flatten();
    Ok(stored.map(|s| s.overrides).unwrap_or_default())
}

/// The records the CRM deleted that a link names, as they were last synced (the org's list is
/// `deletedLinks:<apiHost>` in `meta`, beside the corrections).
async fn deleted_links<H: Host>(host: &H, api_host: &str) -> Result<Vec<CrmRecord>, HostError> {
    Ok(meta_list(host, Meta::DeletedLinks(api_host)).await)
}

/// The corrections that match: a link to a deleted record is set aside (kept, not matching).
async fn overrides_of<H: Host>(host: &H, api_host: &str) -> Result<Overrides, HostError> {
    let mut overrides = stored_overrides(host, api_host).await?;
    let deleted = deleted_links(host, api_host).await?;
    let set_aside: Vec<String> = overrides
        .links
        .iter()
        .filter(|(_, record)| deleted.iter().any(|d| &d.id == *record))
        .map(|(profile, _)| profile.clone())
        .collect();
    for profile in set_aside {
        overrides.links.remove(&profile);
    }
    Ok(overrides)
}

/// The user's links to records the CRM deleted are kept and marked so (the write, if any).
pub async fn mark_deleted<H: Host>(
    host: &H,
    api_host: &str,
    records: &[CrmRecord],
) -> Result<Option<Write<H::Value>>, HostError> {
    let overrides = stored_overrides(host, api_host).await?;
    let mut deleted = deleted_links(host, api_host).await?;
    let before = deleted.len();
    for record in records {
        let linked = overrides.links.values().any(|r| r == &record.id);
        if linked && !deleted.iter().any(|d| d.id == record.id) {
            deleted.push(record.clone());
        }
    }
    (deleted.len() > before)
        .then(|| put_meta_list(host, Meta::DeletedLinks(api_host), deleted))
        .transpose()
}

/// The record the user linked this profile to, if the CRM deleted it.
pub async fn deleted_link<H: Host>(
    host: &H,
    api_host: &str,
    profile_id: &str,
) -> Result<Option<CrmRecord>, HostError> {
    let overrides = stored_overrides(host, api_host).await?;
    let Some(record) = overrides.linked(profile_id) else {
        return Ok(None);
    };
    let deleted = deleted_links(host, api_host).await?;
    Ok(deleted.into_iter().find(|d| d.id == record))
}

/// Orgs that have been synced: their matches follow profile changes.
pub async fn synced_hosts<H: Host>(host: &H) -> Result<Vec<String>, HostError> {
    let prefix = Query::Prefix {
        prefix: Meta::LAST_SYNCED.to_string(),
    };
    let keys = host.keys(Store::Meta, &prefix).await?;
    Ok(keys
        .into_iter()
        .filter_map(|k| match k {
            Key::Text(text) => text.strip_prefix(Meta::LAST_SYNCED).map(String::from),
            Key::Pair(..) => None,
        })
        .collect())
}

/// After profiles changed: re-match them in every synced org, then tell open panels. The
/// start module hands it to the rare module, which hands the panels and the typeahead's
/// cache back to it (rare.rs).
pub async fn relink<H: Host>(bg: &Background<H>, profile_ids: &[String]) -> Result<(), HostError> {
    if profile_ids.is_empty() {
        return Ok(());
    }
    #[cfg(feature = "rare")]
    {
        let in_rare_module = bg.handoff.borrow_mut().as_mut().map(|handoff| {
            handoff.profiles_changed(profile_ids);
        });
        if in_rare_module.is_some() {
            return rematch_everywhere(bg, profile_ids).await;
        }
    }
    let work = super::rare::Work::Relink(profile_ids.to_vec());
    super::rare::work(bg, &work).await.map(drop)
}

#[cfg(feature = "rare")]
async fn rematch_everywhere<H: Host>(
    bg: &Background<H>,
    profile_ids: &[String],
) -> Result<(), HostError> {
    // An org whose sync is matching now counts as synced once it is done: then these
    // profiles are matched there too, with its new index (sync_run.rs, `finish`).
    let links = bg.host.lock(Locked::Links).await;
    let synced = synced_hosts(&bg.host).await?;
    for api_host in &synced {
        rebuild(bg, api_host, Scope::Profiles(profile_ids)).await?;
    }
    drop(links);
    for api_host in synced {
        bg.links_changed(api_host).await?;
    }
    Ok(())
}

/// The user's correction of the record's match, stored before the answer.
pub async fn correct<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    record_id: &str,
    correction: &Correction,
) -> Result<(), Failure> {
    let host = &bg.host;
    // A sync matching meanwhile would write over this correction's match with its own,
    // read before the correction was stored.
    let links = host.lock(Locked::Links).await;
    let current = stored_overrides(host, api_host).await?;
    let next = StoredOverrides {
        api_host: api_host.to_string(),
        overrides: linking::correct(current, record_id, correction),
    };
    let mut batch = vec![host.put(Store::Overrides, &next)?];
    // Deleted records no link names any more are forgotten; one linked from its page is there.
    let deleted = deleted_links(host, api_host).await?;
    let kept: Vec<CrmRecord> = deleted
        .iter()
        .filter(|d| next.overrides.links.values().any(|r| r == &d.id))
        .filter(|d| !(matches!(correction, Correction::Link { .. }) && d.id == record_id))
        .cloned()
        .collect();
    if kept.len() != deleted.len() {
        batch.push(put_meta_list(host, Meta::DeletedLinks(api_host), kept)?);
    }
    host.write(batch).await?;
    let profile_id = correction.profile_id().to_string();
    rebuild(bg, api_host, Scope::Profiles(&[profile_id])).await?;
    drop(links);
    bg.links_changed(api_host.to_string()).await?;
    Ok(())
}

/// "Clear all imported CRM data": records, matches, indexes and sync state of every org.
pub async fn clear_crm_data<H: Host>(bg: &Background<H>) -> Result<(), HostError> {
    let host = &bg.host;
    let mut batch = vec![
        Write::DeleteWhere {
            store: Store::Records,
            query: Query::All,
        },
        Write::DeleteWhere {
            store: Store::Matches,
            query: Query::All,
        },
    ];
    for prefix in Meta::CRM_DATA {
        let query = Query::Prefix {
            prefix: prefix.to_string(),
        };
        for key in host.keys(Store::Meta, &query).await? {
            batch.push(Write::Delete {
                store: Store::Meta,
                key,
            });
        }
    }
    host.write(batch).await?;
    bg.indexes.borrow_mut().clear();
    Ok(())
}

/// Clears one org's imported CRM data (its records, matches, people index and sync state),
/// as its admin or the user chose on connecting or disconnecting; never the user's own
/// items, corrections or audit log. The next sync reads the org from the start.
pub async fn clear_org_data<H: Host>(bg: &Background<H>, api_host: &str) -> Result<(), HostError> {
    let host = &bg.host;
    // After a sync's link step, never amid it: its matches and `lastSynced` go too.
    let _links = host.lock(Locked::Links).await;
    let by_host = Query::Index {
        index: "byHost",
        key: Key::Text(api_host.to_string()),
    };
    let mut batch = vec![
        Write::DeleteWhere {
            store: Store::Records,
            query: by_host.clone(),
        },
        Write::DeleteWhere {
            store: Store::Matches,
            query: by_host,
        },
    ];
    for prefix in Meta::CRM_DATA {
        let own = format!("{prefix}{api_host}");
        let query = Query::Prefix {
            prefix: own.clone(),
        };
        for key in host.keys(Store::Meta, &query).await? {
            // `watermark:<host>:<object>`, or the key itself: not a longer host's.
            let mine =
                matches!(&key, Key::Text(k) if *k == own || k.starts_with(&format!("{own}:")));
            if mine {
                batch.push(Write::Delete {
                    store: Store::Meta,
                    key,
                });
            }
        }
    }
    host.write(batch).await?;
    bg.indexes.borrow_mut().remove(api_host);
    Ok(())
}
