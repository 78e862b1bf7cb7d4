//! Items logged in the panel, and the Unresolved Activities and audit pages' requests. An
//! item is stored before the panel hears "saved"; the toggle decision
//! ([`crate::writeback::decide`]) makes it queued (the outbox takes it from there),
//! unresolved (no confident match yet) or local. Every change of an item's state goes
//! through [`StoredItem`]'s methods, under the background's items lock, from the item as
//! stored now (the outbox may have moved it meanwhile).

use std::collections::BTreeMap;
use std::rc::Rc;

use serde::Serialize;
use serde_json::Value;

use super::{outbox, panel, seat, settings, Background, Event};
use crate::activity_model::{Reason, Toggle};
use crate::answer::{Answer, Code, Problem};
use crate::crm::{Crm, RecordType};
use crate::host::{Badge, Host, HostError, Key, Locked, Query};
use crate::linking::ProfileMatch;
use crate::page::{self, Page};
use crate::profiles::Profile;
use crate::settings::seat::Access;
use crate::store::{LastSynced, Meta, MetaEntry, Store};
use crate::sync::CrmRecord;
use crate::writeback::export::{self, AuditRow, ExportItem};
use crate::writeback::item::NewItem;
use crate::writeback::resolve::{self, RecordRef, RecordSearch};
use crate::writeback::stored::{local_reason, WrongState, NEEDS_USER};
use crate::writeback::{
    self, About, ItemKind, ItemState, MatchStatus, StoredItem, UserSync, WriteBackSettings,
    WriteDecision,
};

/// Times as the exports and the org admin write them.
pub use crate::utc::iso_utc;

/// The `getActivity` answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub about: About,
    pub entries: Vec<StoredItem>,
    pub toggles: BTreeMap<ItemKind, Toggle>,
    pub outbox: outbox::OutboxView,
}

/// A synced record to resolve against, with what tells same-named ones apart.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FoundRecord {
    #[serde(flatten)]
    pub record: RecordRef,
    pub crm: Option<Crm>,
    pub company: Option<String>,
}

const SEARCH_LIMIT: usize = 20;
const BADGE_COLOR: &str = "#ba0517";

fn decode_items<H: Host>(host: &H, values: Vec<H::Value>) -> Vec<StoredItem> {
    values
        .into_iter()
        .filter_map(|v| host.decode(v).ok())
        .collect()
}

/// Items in one state.
pub async fn items_in<H: Host>(host: &H, state: ItemState) -> Result<Vec<StoredItem>, HostError> {
    let query = Query::Index {
        index: "byState",
        key: Key::Text(state_name(state)),
    };
    Ok(decode_items(
        host,
        host.get_all(Store::Items, &query).await?,
    ))
}

fn state_name(state: ItemState) -> String {
    serde_json::to_value(state)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// The stored items with these ids (those still there).
pub async fn items_by_id<H: Host>(host: &H, ids: &[String]) -> Result<Vec<StoredItem>, HostError> {
    let keys: Vec<Key> = ids.iter().map(|id| Key::Text(id.clone())).collect();
    let found = host.get_many(Store::Items, &keys).await?;
    Ok(decode_items(host, found.into_iter().flatten().collect()))
}

/// After items changed state: open panels and pages hear of it, the badge recounts.
pub async fn items_changed<H: Host>(bg: &Background<H>, ids: Vec<String>) -> Result<(), HostError> {
    if !ids.is_empty() {
        bg.host.broadcast(&Event::ActivityChanged { ids });
    }
    refresh_badge(&bg.host).await.map(drop)
}

/// Shows how many items wait for the user (unresolved + parked) on the toolbar button.
pub async fn refresh_badge<H: Host>(host: &H) -> Result<u32, HostError> {
    let mut count = 0;
    for state in NEEDS_USER {
        let query = Query::Index {
            index: "byState",
            key: Key::Text(state_name(state)),
        };
        count += host.count(Store::Items, &query).await?;
    }
    // The badge has room for about four characters.
    let text = match count {
        0 => String::new(),
        1000.. => "999+".to_string(),
        n => n.to_string(),
    };
    host.set_badge(&Badge {
        text,
        color: BADGE_COLOR.to_string(),
        count,
    });
    Ok(count)
}

/// The settings for items about the org at `api_host` (none: a profile with no CRM match
/// yet, which goes by the settings shown on the options page and the seat list).
pub async fn settings_for<H: Host>(
    bg: &Background<H>,
    api_host: Option<&str>,
) -> Result<settings::ForOrg, HostError> {
    if let Some(api_host) = api_host {
        return settings::for_org(bg, api_host).await;
    }
    let all = settings::current(bg).await?;
    let access = match all.user_enabled(None) {
        true => Access::Enabled,
        false => Access::NotEnabled,
    };
    Ok(settings::ForOrg {
        all,
        access,
        view: None,
    })
}

/// The write-back settings for items about the org at `api_host`, from its effective
/// settings ([`settings_for`]), and the user's own toggle memory. An org the settings do
/// not allow gets no write-back; CRM sync is enabled for the user as [`Access`] says.
pub async fn write_settings<H: Host>(
    bg: &Background<H>,
    scope: &settings::ForOrg,
    api_host: Option<&str>,
) -> Result<(WriteBackSettings, UserSync), HostError> {
    let host = &bg.host;
    let key = Key::Text(Meta::UserSync.key());
    let mut user = host
        .get_as::<MetaEntry<UserSync>>(Store::Meta, &key)
        .await
        .ok()
        .flatten()
        .map(|e| e.value)
        .unwrap_or(UserSync {
            enabled: true,
            last_choice: BTreeMap::new(),
        });
    user.enabled = scope.access.enabled();
    let all = &scope.all;
    let mut org = all.org_settings();
    if api_host.is_some_and(|h| !all.org_allowed(h)) {
        org.write_back = false;
    }
    Ok((org, user))
}

/// What a panel's request already read for its page, so its activity does not read it again.
#[derive(Debug, Default)]
pub struct Known {
    pub settings: Option<settings::ForOrg>,
    /// The page's person (the record's best match, the profile page's own) with their stored
    /// profile; `Some(None)`: nobody.
    pub person: Option<Option<(String, Option<Profile>)>>,
    /// A profile page's links in every synced org ([`panel::profile_links`]).
    pub links: Option<Vec<(String, ProfileMatch)>>,
    /// The page's org's outbox state.
    pub outbox: Option<outbox::OrgOutbox>,
    /// Synced records read for the page, with their org's CRM: `(api host, record, crm)`.
    pub records: Vec<(String, CrmRecord, Crm)>,
    /// A record page's own record as the panel read it from the synced copy; `Some(None)`:
    /// not in the copy.
    pub page_record: Option<Option<CrmRecord>>,
}

async fn profile_summary<H: Host>(host: &H, profile_id: Option<String>) -> About {
    let profile = match &profile_id {
        Some(id) => host
            .get_as::<Profile>(Store::Profiles, &Key::Text(id.clone()))
            .await
            .ok()
            .flatten(),
        None => None,
    };
    summary(profile_id.map(|id| (id, profile)))
}

fn summary(person: Option<(String, Option<Profile>)>) -> About {
    let (profile_id, profile) = person.unzip();
    let profile = profile.flatten();
    About {
        profile_name: profile.map(|p| {
            p.person
                .full_name
                .unwrap_or_else(|| profile_id.clone().unwrap_or_default())
        }),
        profile_id,
        ..About::default()
    }
}

async fn crm_of<H: Host>(host: &H, api_host: &str) -> Option<Crm> {
    host.get_as::<LastSynced>(Store::Meta, &Key::Text(Meta::LastSynced(api_host).key()))
        .await
        .ok()
        .flatten()
        .map(|e| e.crm)
}

/// Where an item about this record goes: the org, the record, its Account for context.
async fn record_about<H: Host>(
    host: &H,
    api_host: &str,
    record_id: &str,
    page: Option<&Page>,
    known: Option<(CrmRecord, Crm)>,
) -> Result<About, HostError> {
    let (record, known_crm) = match known {
        Some((record, crm)) => (Some(record), Some(crm)),
        None => {
            let key = Key::pair(api_host, record_id);
            let record = host.get_as::<CrmRecord>(Store::Records, &key).await;
            (record.ok().flatten(), None)
        }
    };
    about_record(host, api_host, record_id, page, record, known_crm).await
}

/// [`record_about`] with the synced record (if any) already read.
async fn about_record<H: Host>(
    host: &H,
    api_host: &str,
    record_id: &str,
    page: Option<&Page>,
    record: Option<CrmRecord>,
    known_crm: Option<Crm>,
) -> Result<About, HostError> {
    let org = host
        .get_as::<MetaEntry<panel::OrgSeen>>(Store::Meta, &Key::Text(Meta::Org(api_host).key()))
        .await
        .ok()
        .flatten()
        .map(|e| e.value);
    let (page_crm, page_host, page_type) = match page {
        Some(Page::Record {
            crm,
            page_host,
            record_type,
            ..
        }) => (Some(*crm), Some(page_host.clone()), Some(*record_type)),
        _ => (None, None, None),
    };
    let crm = match page_crm.or(known_crm).or(org.as_ref().map(|o| o.crm)) {
        Some(crm) => Some(crm),
        None => crm_of(host, api_host).await,
    };
    Ok(About {
        crm,
        api_host: Some(api_host.to_string()),
        page_host: page_host.or(org.map(|o| o.page_host)),
        record_type: page_type.or(record.as_ref().map(|r| r.record_type)),
        record_id: Some(record_id.to_string()),
        record_name: record.as_ref().map(|r| r.name.clone()),
        related_id: record
            .and_then(|r| r.account_id)
            .filter(|account| account != record_id),
        ..About::default()
    })
}

/// The CRM record (if any) a page's items are about, and the profile. On a profile page the
/// record is the profile's confident match ([`panel::confident_match`]): the write gate and
/// the panel read "matched" from the same links.
pub async fn about_of<H: Host>(host: &H, url: &str) -> Result<Option<About>, HostError> {
    about_known(host, url, Known::default()).await
}

/// [`about_of`], from what the request already read where it did.
async fn about_known<H: Host>(
    host: &H,
    url: &str,
    known: Known,
) -> Result<Option<About>, HostError> {
    if let Some(page @ Page::Record { .. }) = page::detect(url) {
        let Page::Record {
            api_host,
            record_id,
            ..
        } = &page
        else {
            return Ok(None);
        };
        let about = match known.person {
            Some(person) => summary(person),
            None => {
                let best = panel::matches_of_record(host, api_host, record_id).await?;
                profile_summary(host, best.into_iter().next().map(|m| m.profile_id)).await
            }
        };
        let record = match known.page_record {
            Some(record) => {
                about_record(host, api_host, record_id, Some(&page), record, None).await
            }
            None => record_about(host, api_host, record_id, Some(&page), None).await,
        };
        return Ok(Some(about.with_record(record?)));
    }
    let Some(profile_id) = crate::profiles::key_of_url(url) else {
        return Ok(None);
    };
    let about = match known.person {
        Some(person) => summary(person),
        None => profile_summary(host, Some(profile_id.clone())).await,
    };
    let links = match known.links {
        Some(links) => links,
        None => panel::profile_links(host, &profile_id).await?,
    };
    Ok(Some(match panel::confident_of(links) {
        Some((api_host, record_id)) => {
            let known = known
                .records
                .into_iter()
                .find(|(host, record, _)| *host == api_host && record.id == record_id);
            let known = known.map(|(_, record, crm)| (record, crm));
            about.with_record(record_about(host, &api_host, &record_id, None, known).await?)
        }
        None => about,
    }))
}

pub async fn log_item<H: Host>(
    bg: &Background<H>,
    url: &str,
    new: NewItem,
    copy: bool,
    cookie_store: Option<String>,
) -> Result<Answer<StoredItem>, HostError> {
    let host = &bg.host;
    let Some(about) = about_of(host, url).await? else {
        return Ok(Answer::refused(Code::NotAPage));
    };
    let kind = new.kind;
    let logged = match new.into_logged(host.new_id()) {
        Ok(logged) => logged,
        Err(problem) => return Ok(Answer::Error(problem.into())),
    };
    let scope = settings_for(bg, about.api_host.as_deref()).await?;
    let (org, mut user) = write_settings(bg, &scope, about.api_host.as_deref()).await?;
    let status = if about.record_id.is_some() {
        MatchStatus::Matched
    } else {
        MatchStatus::Unresolved
    };
    let never_logged = settings::never_logged(host, &scope.all, &about).await;
    let decision = writeback::never_log_gate(
        writeback::decide(&org, &user, kind, copy, status),
        never_logged,
    );
    let held = decision == WriteDecision::UserNotEnabled;
    // Kept until CRM sync is on for the user, then written as its switch would have said
    // (the panel offered none meanwhile).
    let copy = match held {
        true => seat::copy_when_enabled(&org, &user, kind),
        false => copy,
    };
    let mut item = StoredItem::new(logged, about, copy, decision, host.now_ms());
    item.cookie_store = cookie_store;
    if held {
        item.reason = Some(seat::reason(scope.access));
    } else {
        // The user's choice becomes the next item's default for this kind.
        user.last_choice.insert(kind, copy);
    }
    let choice = MetaEntry {
        key: Meta::UserSync.key(),
        value: user,
    };
    host.write(vec![
        host.put(Store::Items, &item)?,
        host.put(Store::Meta, &choice)?,
    ])
    .await?;
    if item.state == ItemState::Queued {
        outbox::wake(host, outbox::GATHER_MS);
    }
    items_changed(bg, vec![item.id().to_string()]).await?;
    Ok(Answer::Ok(item))
}

/// A page's items (newest first), the toggles for new ones and what its org's outbox waits on.
pub async fn get_activity<H: Host>(
    bg: &Background<H>,
    url: &str,
    mut known: Known,
) -> Result<Answer<Activity>, HostError> {
    let host = &bg.host;
    let settings = known.settings.take();
    let outbox_state = known.outbox.take();
    let Some(about) = about_known(host, url, known).await? else {
        return Ok(Answer::refused(Code::NotAPage));
    };
    let query = match (&about.api_host, &about.record_id) {
        (Some(api_host), Some(record_id)) => Query::Index {
            index: "byRecord",
            key: Key::pair(api_host, record_id),
        },
        _ => Query::Index {
            index: "byProfile",
            key: Key::Text(about.profile_id.clone().unwrap_or_default()),
        },
    };
    let mut entries = decode_items(host, host.get_all(Store::Items, &query).await?);
    crate::sort::by(&mut entries, |a, b| b.created_at.total_cmp(&a.created_at));
    let scope = match settings {
        Some(scope) => scope,
        None => settings_for(bg, about.api_host.as_deref()).await?,
    };
    let (org, user) = write_settings(bg, &scope, about.api_host.as_deref()).await?;
    let toggles = ItemKind::ALL
        .into_iter()
        .map(|kind| {
            let toggle = match writeback::toggle_default(&org, &user, kind) {
                Some(on) => Toggle {
                    offered: true,
                    on,
                    reason: None,
                },
                // Not offered: the decision for a wanted, matched item names the reason.
                None => Toggle {
                    offered: false,
                    on: false,
                    reason: local_reason(writeback::decide(
                        &org,
                        &user,
                        kind,
                        true,
                        MatchStatus::Matched,
                    ))
                    .map(|r| seat::access_reason(r, scope.access)),
                },
            };
            (kind, toggle)
        })
        .collect();
    let outbox = outbox::view(host, about.api_host.as_deref(), outbox_state).await?;
    Ok(Answer::Ok(Activity {
        about,
        entries,
        toggles,
        outbox,
    }))
}

/// Changes one item from its stored state, under the items lock; the answer is the item.
async fn update_item<H: Host>(
    bg: &Background<H>,
    id: &str,
    change: impl FnOnce(&mut StoredItem) -> Result<(), WrongState>,
) -> Result<Answer<StoredItem>, HostError> {
    let host = &bg.host;
    let answer = {
        let _items = bg.host.lock(Locked::Items).await;
        let Some(mut item) = items_by_id(host, &[id.to_string()]).await?.pop() else {
            return Ok(Answer::refused(Code::NotFound));
        };
        if let Err(WrongState(state)) = change(&mut item) {
            return Ok(Answer::Error(Problem::wrong_state(state)));
        }
        host.write(vec![host.put(Store::Items, &item)?]).await?;
        item
    };
    items_changed(bg, vec![answer.id().to_string()]).await?;
    Ok(Answer::Ok(answer))
}

/// Send a parked (or waiting) item again now; its org is tried at once.
pub async fn retry_item<H: Host>(
    bg: &Background<H>,
    id: &str,
) -> Result<Answer<StoredItem>, HostError> {
    let answer = update_item(bg, id, StoredItem::retry).await?;
    if let Answer::Ok(item) = &answer {
        if let Some(api_host) = &item.about.api_host {
            outbox::resume_org(bg, api_host).await?;
        }
    }
    Ok(answer)
}

/// The user confirmed: the item stays on this computer only.
pub async fn discard_item<H: Host>(
    bg: &Background<H>,
    id: &str,
) -> Result<Answer<StoredItem>, HostError> {
    update_item(bg, id, StoredItem::discard).await
}

/// Points an item at the synced record the user picked and queues it.
pub async fn resolve_item<H: Host>(
    bg: &Background<H>,
    id: &str,
    api_host: &str,
    record_type: RecordType,
    record_id: &str,
) -> Result<Answer<StoredItem>, HostError> {
    let Some(target) = target_of(&bg.host, api_host, record_type, record_id).await? else {
        return Ok(Answer::refused(Code::NoSuchRecord));
    };
    let all = settings::for_org(bg, api_host).await?.all;
    let answer = update_item(bg, id, |item| item.resolve(target, &NEEDS_USER)).await?;
    // The record (or its person) may be on the never-log list: the item then stays here.
    if let Answer::Ok(item) = &answer {
        if settings::never_logged(&bg.host, &all, &item.about).await {
            return update_item(bg, id, StoredItem::never_log).await;
        }
    }
    if matches!(answer, Answer::Ok(_)) {
        outbox::wake(&bg.host, outbox::GATHER_MS);
    }
    Ok(answer)
}

/// The `about` fields of a synced record, or `None` when it is not there to write to.
async fn target_of<H: Host>(
    host: &H,
    api_host: &str,
    record_type: RecordType,
    record_id: &str,
) -> Result<Option<About>, HostError> {
    let record = host
        .get_as::<CrmRecord>(Store::Records, &Key::pair(api_host, record_id))
        .await
        .ok()
        .flatten();
    let Some(record) = record.filter(|r| r.record_type == record_type) else {
        return Ok(None);
    };
    if !resolve::resolvable(record_type) {
        return Ok(None);
    }
    let Some(crm) = crm_of(host, api_host).await else {
        return Ok(None);
    };
    let page_host = crate::crm::OrgHost::of(crm, api_host)
        .and_then(|org| page::record_url(crm, &org, record_type, record_id))
        .and_then(|u| crate::weburl::WebUrl::parse(&u))
        .and_then(|u| u.host_str().map(String::from));
    let Some(page_host) = page_host else {
        return Ok(None);
    };
    Ok(Some(About {
        crm: Some(crm),
        api_host: Some(api_host.to_string()),
        page_host: Some(page_host),
        record_type: Some(record_type),
        record_id: Some(record_id.to_string()),
        record_name: Some(record.name),
        ..About::default()
    }))
}

/// Items waiting for a CRM match whose person now has a confident one (a sync matched them,
/// or the user linked the profile) go to that record: queued, then written. Returns their ids.
pub async fn resolve_matched<H: Host>(bg: &Background<H>) -> Result<Vec<String>, HostError> {
    let host = &bg.host;
    let waiting: Vec<StoredItem> = items_in(host, ItemState::Unresolved)
        .await?
        .into_iter()
        .filter(|i| i.about.profile_id.is_some())
        // Its record was deleted: the user picks the next one, never a guess.
        .filter(|i| i.reason != Some(Reason::RecordDeleted))
        .collect();
    let mut targets = Vec::new();
    for item in &waiting {
        let profile_id = item.about.profile_id.as_deref().unwrap_or_default();
        if let Some((api_host, record_id)) = panel::confident_match(host, profile_id).await? {
            let record = record_about(host, &api_host, &record_id, None, None).await?;
            targets.push((item.id().to_string(), record));
        }
    }
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let mut resolved = Vec::new();
    {
        let _items = bg.host.lock(Locked::Items).await;
        let ids: Vec<String> = targets.iter().map(|(id, _)| id.clone()).collect();
        let mut writes = Vec::new();
        for mut item in items_by_id(host, &ids).await? {
            let Some((_, record)) = targets.iter().find(|(id, _)| id == item.id()) else {
                continue;
            };
            // Only if still unresolved: the user may have discarded or resolved it meanwhile.
            if item
                .resolve(record.clone(), &[ItemState::Unresolved])
                .is_ok()
            {
                writes.push(host.put(Store::Items, &item)?);
                resolved.push(item.id().to_string());
            }
        }
        host.write(writes).await?;
    }
    if !resolved.is_empty() {
        outbox::wake(host, outbox::GATHER_MS);
        items_changed(bg, resolved.clone()).await?;
    }
    Ok(resolved)
}

/// Items in one state, newest first.
pub async fn list_items<H: Host>(host: &H, state: ItemState) -> Result<Vec<StoredItem>, HostError> {
    let mut items = items_in(host, state).await?;
    crate::sort::by(&mut items, |a, b| b.created_at.total_cmp(&a.created_at));
    Ok(items)
}

/// Everything written to a CRM, newest first (as stored).
pub async fn list_audit<H: Host>(host: &H) -> Result<Vec<H::Value>, HostError> {
    let mut rows = host.get_all(Store::Audit, &Query::All).await?;
    rows.reverse();
    Ok(rows)
}

pub async fn export_items<H: Host>(host: &H, state: ItemState) -> Result<String, HostError> {
    let items: Vec<ExportItem> = list_items(host, state)
        .await?
        .iter()
        .filter_map(|i| serde_json::to_value(i).ok())
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    Ok(export::items_csv(&items))
}

pub async fn export_audit<H: Host>(host: &H) -> Result<String, HostError> {
    let mut rows = Vec::new();
    for row in list_audit(host).await? {
        let Ok(mut row) = host.decode::<Value>(row) else {
            continue;
        };
        // Audit times are stored as milliseconds; the CSV shows ISO 8601 UTC.
        if let Some(ms) = row.get("writtenAt").and_then(Value::as_f64) {
            row["writtenAt"] = Value::from(iso_utc(ms));
        }
        if let Ok(row) = serde_json::from_value::<AuditRow>(row) {
            rows.push(row);
        }
    }
    Ok(export::audit_csv(&rows))
}

/// Synced Contacts, Leads and Accounts of every org whose name matches, best first. An empty
/// query finds nothing but builds the index, so a page can warm it before the first keystroke.
pub async fn search_records<H: Host>(
    bg: &Background<H>,
    query: &str,
) -> Result<Vec<FoundRecord>, HostError> {
    let host = &bg.host;
    let search = record_search(bg).await?;
    let mut found = Vec::new();
    for record in search.search(query, SEARCH_LIMIT) {
        let stored = host
            .get_as::<CrmRecord>(Store::Records, &Key::pair(&record.api_host, &record.id))
            .await
            .ok()
            .flatten();
        let account = match stored.as_ref().and_then(|r| r.account_id.clone()) {
            Some(account_id) => host
                .get_as::<CrmRecord>(Store::Records, &Key::pair(&record.api_host, &account_id))
                .await
                .ok()
                .flatten(),
            None => None,
        };
        let company = account
            .map(|a| a.name)
            .or_else(|| stored.and_then(|r| r.person).and_then(|p| p.company));
        found.push(FoundRecord {
            crm: crm_of(host, &record.api_host).await,
            record: record.clone(),
            company,
        });
    }
    Ok(found)
}

/// The name search over every org's records, rebuilt only when a sync finished or CRM data
/// was cleared since (counting the records too would notice a sync half-way, but costs a
/// scan of them on every keystroke).
async fn record_search<H: Host>(bg: &Background<H>) -> Result<Rc<RecordSearch>, HostError> {
    let host = &bg.host;
    let mut version = String::new();
    for api_host in super::links::synced_hosts(host).await? {
        let synced = panel::last_synced(host, &api_host).await?.unwrap_or(0.0);
        version.push_str(&format!("{api_host}@{synced};"));
    }
    if let Some((known, search)) = bg.record_search.borrow().as_ref() {
        if *known == version {
            return Ok(Rc::clone(search));
        }
    }
    let records: Vec<RecordRef> = host
        .get_all(Store::Records, &Query::All)
        .await?
        .into_iter()
        .filter_map(|v| host.decode(v).ok())
        .collect();
    let search = Rc::new(RecordSearch::new(records));
    *bg.record_search.borrow_mut() = Some((version, Rc::clone(&search)));
    Ok(search)
}
