//! Profiles in the store: a file's import in batches (with progress, keeping the worker
//! alive), captures and manual entry merged with what is known, the typeahead, and a pasted
//! profile URL linked to a record. Every change is re-matched in every synced org
//! ([`links::relink`]) before the answer.

use std::collections::HashMap;
use std::rc::Rc;

use serde::Serialize;

use super::{links, Background, Failure};
use crate::answer::{Answer, Code};
use crate::host::{Host, HostError, Key, Query};
use crate::linking::{self, Correction};
use crate::matching::Person;
use crate::message::ImportFormat;
use crate::profiles::api::{self, ImportProgress, ImportSummary};
use crate::profiles::capture::PageData;
use crate::profiles::merge::Change;
use crate::profiles::Profile;
use crate::store::Store;

/// Profiles merged and stored per transaction: a progress step, and one keep-alive.
pub const BATCH: usize = 500;
/// Profiles the typeahead offers.
pub const SEARCH_LIMIT: usize = 8;

/// The typeahead's profiles, read once and kept until profiles change, so keystrokes do not
/// read the whole store.
pub struct SearchCache {
    people: Vec<Person>,
    by_id: HashMap<String, Profile>,
}

/// Counts of what a save did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Counts {
    fn count(&mut self, change: Change) {
        match change {
            Change::Added => self.added += 1,
            Change::Updated => self.updated += 1,
            Change::Unchanged => self.unchanged += 1,
        }
    }
}

/// Merges `incoming` with the stored profiles of the same keys and stores what changed, in
/// one transaction. Returns the ids that changed.
async fn store_merged<H: Host>(
    bg: &Background<H>,
    incoming: Vec<Profile>,
    counts: &mut Counts,
) -> Result<Vec<String>, HostError> {
    let host = &bg.host;
    let keys: Vec<Key> = incoming
        .iter()
        .map(|p| Key::Text(p.person.id.clone()))
        .collect();
    let existing = host
        .get_many(Store::Profiles, &keys)
        .await?
        .into_iter()
        // A stored profile this version cannot read is replaced, as a new one.
        .map(|v| v.and_then(|v| host.decode::<Profile>(v).ok()))
        .collect();
    let mut batch = Vec::new();
    let mut changed = Vec::new();
    for merged in api::merge_all(existing, incoming) {
        counts.count(merged.change);
        if merged.change != Change::Unchanged {
            batch.push(host.put(Store::Profiles, &merged.profile)?);
            changed.push(merged.profile.person.id);
        }
    }
    if !batch.is_empty() {
        host.write(batch).await?;
        bg.profile_search.borrow_mut().take();
    }
    Ok(changed)
}

/// Imports a Connections.csv or vCard file's text: re-importing the same file changes
/// nothing. `progress` hears `(0, total)`, then after each stored batch.
pub async fn import<H: Host>(
    bg: &Background<H>,
    format: ImportFormat,
    text: &str,
    progress: &dyn Fn(ImportProgress),
) -> Result<ImportSummary, HostError> {
    let parsed = api::parse_file(format, text);
    let total = parsed.profiles.len();
    progress(ImportProgress { done: 0, total });
    let mut counts = Counts::default();
    let mut changed = Vec::new();
    let mut profiles = parsed.profiles.into_iter();
    let mut done = 0;
    while done < total {
        let batch: Vec<Profile> = profiles.by_ref().take(BATCH).collect();
        done += batch.len();
        changed.extend(store_merged(bg, batch, &mut counts).await?);
        // Chrome stops a worker 30 s after its last extension API call; IndexedDB is none.
        bg.host.keep_alive().await;
        progress(ImportProgress { done, total });
    }
    links::relink(bg, &changed).await?;
    Ok(ImportSummary {
        added: counts.added,
        updated: counts.updated,
        unchanged: counts.unchanged,
        skipped: parsed.skipped,
    })
}

/// Stores one profile (captured or typed in) merged with what is known of it, and re-matches
/// it.
pub async fn save<H: Host>(bg: &Background<H>, profile: Profile) -> Result<Counts, HostError> {
    let mut counts = Counts::default();
    let changed = store_merged(bg, vec![profile], &mut counts).await?;
    links::relink(bg, &changed).await?;
    Ok(counts)
}

/// A typed-in profile.
pub async fn add<H: Host>(bg: &Background<H>, person: Person) -> Result<Answer<Counts>, HostError> {
    match api::manual(person) {
        Some(profile) => save(bg, profile).await.map(Answer::Ok),
        None => Ok(Answer::refused(Code::NoName)),
    }
}

/// A network profile page a content script read, in the tab showing `tab_url`: whether it
/// was stored (`false`: no member page, or the page names nobody or someone else than its
/// URL). Nothing more: the content script lives in a page whose scripts may read what it
/// shows, so which CRMs the person is in, and their records, are the panel's (an extension
/// frame) to ask for.
pub async fn capture<H: Host>(
    bg: &Background<H>,
    tab_url: &str,
    page: &PageData,
) -> Result<bool, HostError> {
    let Some(profile) = api::captured(tab_url, page) else {
        return Ok(false);
    };
    save(bg, profile).await?;
    Ok(true)
}

pub async fn count<H: Host>(host: &H) -> Result<u32, HostError> {
    host.count(Store::Profiles, &Query::All).await
}

/// Up to [`SEARCH_LIMIT`] profiles matching a typeahead query, best first.
pub async fn search<H: Host>(bg: &Background<H>, query: &str) -> Result<Vec<Profile>, HostError> {
    let cached = bg.profile_search.borrow().clone();
    let cache = match cached {
        Some(cache) => cache,
        None => {
            let host = &bg.host;
            let profiles: Vec<Profile> = host
                .get_all(Store::Profiles, &Query::All)
                .await?
                .into_iter()
                .filter_map(|v| host.decode(v).ok())
                .collect();
            let cache = Rc::new(SearchCache {
                people: profiles.iter().map(|p| p.person.clone()).collect(),
                by_id: profiles
                    .into_iter()
                    .map(|p| (p.person.id.clone(), p))
                    .collect(),
            });
            *bg.profile_search.borrow_mut() = Some(Rc::clone(&cache));
            cache
        }
    };
    Ok(linking::search::search(&cache.people, query, SEARCH_LIMIT)
        .into_iter()
        .filter_map(|id| cache.by_id.get(&id).cloned())
        .collect())
}

/// A profile URL pasted in the panel of the record at (`api_host`, `record_id`): the
/// profile is created if unknown, matched in every org, then linked to the record.
pub async fn link_url<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    record_id: &str,
    profile_url: &str,
) -> Result<Answer<bool>, Failure> {
    // Only a member page on the network itself: the panel links to what is stored.
    let person = Person {
        profile_url: crate::page::network_profile_url(profile_url),
        ..Person::default()
    };
    let Some(profile) = api::manual(person).filter(|p| p.person.id.starts_with("url:")) else {
        return Ok(Answer::refused(Code::NotAProfileUrl));
    };
    let profile_id = profile.person.id.clone();
    save(bg, profile).await?;
    links::correct(bg, api_host, record_id, &Correction::Link { profile_id }).await?;
    Ok(Answer::Ok(true))
}
