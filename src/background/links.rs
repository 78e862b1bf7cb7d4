//! Profile ↔ record links for one org: the people index (kept in memory, persisted as bytes),
//! every profile's match, and the user's own corrections, which always win while their
//! record exists: a link to a record the CRM deleted is kept, marked so, and no longer
//! matches.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{Background, Failure};
use crate::host::{Host, HostError, Key, Query, Write};
use crate::linking::{self, Correction, ProfileMatch};
use crate::matching::{MatchIndex, Overrides, Person};
use crate::profiles::Profile;
use crate::store::{Meta, MetaEntry, Store};
use crate::sync::CrmRecord;

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
    let index = match scope {
        Scope::All => build_index(bg, api_host).await?,
        Scope::Profiles(_) => index_of(bg, api_host).await?,
    };
    host.keep_alive().await;
    let profiles = match scope {
        Scope::All => {
            decode_all::<H, Profile>(host, host.get_all(Store::Profiles, &Query::All).await?)
        }
        Scope::Profiles(ids) => {
            let keys: Vec<Key> = ids.iter().map(|id| Key::Text(id.clone())).collect();
            let found = host.get_many(Store::Profiles, &keys).await?;
            decode_all::<H, Profile>(host, found.into_iter().flatten().collect())
        }
    };
    let people: Vec<Person> = profiles.into_iter().map(|p| p.person).collect();
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

/// Builds the org's index from its stored records and persists it.
async fn build_index<H: Host>(
    bg: &Background<H>,
    api_host: &str,
) -> Result<Rc<MatchIndex>, HostError> {
    let host = &bg.host;
    let by_host = Query::Index {
        index: "byHost",
        key: Key::Text(api_host.to_string()),
    };
    let records = decode_all::<H, CrmRecord>(host, host.get_all(Store::Records, &by_host).await?);
    host.keep_alive().await;
    let index = Rc::new(linking::build_index(&records));
    let entry = MetaEntry {
        key: Meta::Index(api_host).key(),
        value: serde_bytes::ByteBuf::from(index.to_bytes()),
    };
    host.write(vec![host.put(Store::Meta, &entry)?]).await?;
    bg.indexes
        .borrow_mut()
        .insert(api_host.to_string(), Rc::clone(&index));
    Ok(index)
}

/// The org's index: in memory, else from its stored bytes, else built from its records.
async fn index_of<H: Host>(
    bg: &Background<H>,
    api_host: &str,
) -> Result<Rc<MatchIndex>, HostError> {
    if let Some(index) = bg.indexes.borrow().get(api_host) {
        return Ok(Rc::clone(index));
    }
    let key = Key::Text(Meta::Index(api_host).key());
    let saved = bg
        .host
        .get_as::<MetaEntry<serde_bytes::ByteBuf>>(Store::Meta, &key)
        .await;
    match saved
        .ok()
        .flatten()
        .and_then(|e| MatchIndex::from_bytes(&e.value).ok())
    {
        Some(index) => {
            let index = Rc::new(index);
            bg.indexes
                .borrow_mut()
                .insert(api_host.to_string(), Rc::clone(&index));
            Ok(index)
        }
        None => build_index(bg, api_host).await,
    }
}

/// Values that decode; a stored entry this version cannot read is skipped, not fatal.
fn decode_all<H: Host, T: serde::de::DeserializeOwned>(host: &H, values: Vec<H::Value>) -> Vec<T> {
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
    let key = Key::Text(Meta::DeletedLinks(api_host).key());
    let stored = host
        .get_as::<MetaEntry<Vec<CrmRecord>>>(Store::Meta, &key)
        .await;
    Ok(stored.ok().flatten().map(|e| e.value).unwrap_or_default())
}

fn put_deleted_links<H: Host>(
    host: &H,
    api_host: &str,
    value: Vec<CrmRecord>,
) -> Result<Write<H::Value>, HostError> {
    let key = Meta::DeletedLinks(api_host).key();
    host.put(Store::Meta, &MetaEntry { key, value })
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
        .then(|| put_deleted_links(host, api_host, deleted))
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
    for api_host in synced_hosts(&bg.host).await? {
        rebuild(bg, &api_host, Scope::Profiles(profile_ids)).await?;
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
        batch.push(put_deleted_links(host, api_host, kept)?);
    }
    host.write(batch).await?;
    let profile_id = correction.profile_id().to_string();
    rebuild(bg, api_host, Scope::Profiles(&[profile_id])).await?;
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
