//! Records the CRM deleted leave the local copy. Their matches go with the next rebuild of
//! the org's links; what the user made of them stays: a correction linking a profile to one
//! is kept, marked deleted (the profile panel says so), and items about one wait in
//! Unresolved Activities with that reason, for the user to pick another record.

use super::{activity, links, Background};
use crate::activity_model::Reason;
use crate::host::{HeldLock, Host, HostError, Key, Locked, Write};
use crate::store::Store;
use crate::sync::CrmRecord;
use crate::writeback::stored::StoredItem;
use crate::writeback::ItemState;

/// The writes that remove records, to commit with the sync's checkpoint; the items lock is
/// held until they are written (dropped with this).
pub struct Removal<V> {
    pub writes: Vec<Write<V>>,
    /// Records the local copy held.
    pub removed: u32,
    /// Items that went to Unresolved Activities.
    pub items: Vec<String>,
    _items_lock: Option<HeldLock>,
}

/// What removing `ids` (records of the org, in any object) changes.
pub async fn prepare<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    ids: &[String],
) -> Result<Removal<H::Value>, HostError> {
    if ids.is_empty() {
        return Ok(Removal {
            writes: Vec::new(),
            removed: 0,
            items: Vec::new(),
            _items_lock: None,
        });
    }
    let lock = bg.host.lock(Locked::Items).await;
    let host = &bg.host;
    let keys: Vec<Key> = ids.iter().map(|id| Key::pair(api_host, id)).collect();
    let present: Vec<CrmRecord> = host
        .get_many(Store::Records, &keys)
        .await?
        .into_iter()
        .flatten()
        .filter_map(|v| host.decode(v).ok())
        .collect();
    let mut writes: Vec<Write<H::Value>> = present
        .iter()
        .map(|r| Write::Delete {
            store: Store::Records,
            key: Key::pair(api_host, &r.id),
        })
        .collect();
    writes.extend(links::mark_deleted(host, api_host, &present).await?);
    let mut items = Vec::new();
    for mut item in items_about(host, api_host, ids).await? {
        if item.record_deleted().is_ok() {
            items.push(item.id().to_string());
            writes.push(host.put(Store::Items, &item)?);
        }
    }
    Ok(Removal {
        writes,
        removed: present.len() as u32,
        items,
        _items_lock: Some(lock),
    })
}

/// Items that may still be on their way to one of these records (queued, parked, unresolved,
/// or kept here until CRM sync is on: [`StoredItem::record_deleted`] tells).
async fn items_about<H: Host>(
    host: &H,
    api_host: &str,
    ids: &[String],
) -> Result<Vec<StoredItem>, HostError> {
    let mut found = Vec::new();
    for state in [
        ItemState::Queued,
        ItemState::Parked,
        ItemState::Unresolved,
        ItemState::Local,
    ] {
        found.extend(
            activity::items_in(host, state)
                .await?
                .into_iter()
                .filter(|i| i.about.api_host.as_deref() == Some(api_host))
                .filter(|i| {
                    i.about
                        .record_id
                        .as_ref()
                        .is_some_and(|id| ids.contains(id))
                })
                .filter(|i| i.reason != Some(Reason::RecordDeleted)),
        );
    }
    Ok(found)
}

/// After the removal is written: open pages hear of the items, the badge recounts.
pub async fn written<H: Host>(bg: &Background<H>, items: Vec<String>) -> Result<(), HostError> {
    if items.is_empty() {
        return Ok(());
    }
    activity::items_changed(bg, items).await
}
