//! What the Embedded Profile panel shows for a page, and the badges' answers: a record page
//! costs one CRM request (the record) unless the synced copy holds every field it shows
//! (a synced Contact or Lead: no request, `record_copy`); its matched profile, or an
//! Account's or Opportunity's people, come from the store. A stale or missing sync starts on
//! the way.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::activity::Known;
use super::{links, session, settings, sync_run, Background};
use crate::answer::{Code, Problem};
use crate::crm::admin::OrgState;
use crate::crm::{Crm, CrmError, CrmErrorKind, RecordType};
use crate::host::{Host, HostError, Key, Query, Write};
use crate::linking::ProfileMatch;
use crate::matching::MatchLevel;
use crate::page::{self, Page};
use crate::panel_model::{AskAgain, Linked, PanelModel};
use crate::profiles::Profile;
use crate::record_fetch;
use crate::store::{LastSynced, Meta, MetaEntry, Store};
use crate::sync::CrmRecord;

/// A sync older than this starts again when a record page is opened.
const STALE_MS: f64 = 15.0 * 60.0 * 1000.0;

/// The panel on a record page.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordPanel {
    pub api_host: String,
    pub ask_again: AskAgain,
    #[serde(flatten)]
    pub model: PanelModel,
}

impl RecordPanel {
    /// Whether the page's person is in the CRM: the record's own profile, or its people.
    pub fn matched(&self) -> bool {
        self.model.linked.is_some() || !self.model.people.is_empty()
    }
}

/// The panel on a network profile page: the stored profile and the records it is in.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfilePanel {
    pub mode: &'static str,
    pub profile: Profile,
    pub in_crm: Vec<InCrm>,
    pub ask_again: AskAgain,
}

impl ProfilePanel {
    /// Whether this person is in a CRM (the profile page's badge).
    pub fn matched(&self) -> bool {
        self.in_crm.iter().any(|r| !r.deleted)
    }
}

/// A record a profile is matched to, with its page in the CRM.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InCrm {
    pub url: String,
    pub crm: Crm,
    pub name: String,
    pub level: MatchLevel,
    /// The user linked this record, and the CRM deleted it (no page, no badge).
    #[serde(default)]
    pub deleted: bool,
}

/// Where the org's UI lives and which CRM it is, for work with no page open.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgSeen {
    pub crm: Crm,
    pub page_host: String,
}

pub async fn record_panel<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    page: &Page,
    cookie_store: Option<String>,
    scope: Option<settings::ForOrg>,
) -> Result<(RecordPanel, Known), Problem> {
    let Page::Record {
        crm,
        page_host,
        api_host,
        record_id,
        ..
    } = page
    else {
        return Err(Problem::new(Code::NotAPage));
    };
    let host = &bg.host;
    let outbox = super::outbox::org_state(host, api_host).await?;
    let synced = last_synced(host, api_host).await?;
    let stored_error = sync_error(host, api_host).await?;
    // The copy serves a tab of the browser's default cookie store, whose session it was synced
    // with (another store's tab may be another user), after a finished sync.
    let from_copy = synced.is_some()
        && session::same_store(cookie_store.as_deref(), None)
        && !session_known_bad(&outbox, stored_error.as_ref());
    let stored = match from_copy {
        true => Some(synced_record(host, api_host, record_id).await),
        false => None,
    };
    let copied = stored
        .as_ref()
        .and_then(|record| crate::record_copy::summary(*crm, record.as_ref()?));
    let (record, answer) = match copied {
        Some(record) => (record, None),
        None => match fetch_record(host, page, cookie_store.as_deref()).await {
            Err(error) if error.kind == CrmErrorKind::Blocked => {
                refused(host, *crm, page_host, api_host, &error).await?;
                return Err(error.into());
            }
            fetched => fetched.map(|(record, answer)| (record, Some(answer)))?,
        },
    };
    // The answer's report of the org's API usage is stored with the org, in one transaction.
    let usage = match &answer {
        Some(answer) => super::budget::noted(host, api_host, answer).await?,
        None => None,
    };
    remember_org(host, *crm, page_host, api_host, usage).await?;
    // Only a read proves the session works: then an org waiting for sign-in may send now.
    let outbox = match answer {
        Some(_) => super::outbox::wake_if_waiting(bg, api_host, outbox).await?,
        None => outbox,
    };
    let scope = match scope {
        Some(scope) => scope,
        None => settings::for_org(bg, api_host).await?,
    };
    // An org its admin disconnected is not synced, only asked again: by its last read.
    let disconnected = scope
        .view
        .as_ref()
        .filter(|v| v.state == OrgState::Disconnected);
    let read_at = disconnected.map(|v| v.read_at);
    let checked = synced.into_iter().chain(read_at).reduce(f64::max);
    if checked.is_none_or(|at| host.now_ms() - at > STALE_MS) {
        sync_run::start(bg, page, cookie_store).await?;
    }
    let access = scope.access;
    let (linked, people) = links_of(bg, page).await?;
    // A Contact's or Lead's person is its best match (Accounts and Opportunities have people).
    let person = matches!(
        page,
        Page::Record {
            record_type: RecordType::Contact | RecordType::Lead,
            ..
        }
    )
    .then(|| linked.clone().map(|l| (l.link.profile_id, Some(l.profile))));
    let known = Known {
        settings: Some(scope),
        person,
        outbox: Some(outbox),
        page_record: stored,
        ..Known::default()
    };
    let syncing = bg.is_syncing(api_host);
    // Read once above: a sync that fails since is told to the panel, which asks again.
    let sync_error = if syncing { None } else { stored_error };
    let panel = RecordPanel {
        api_host: api_host.clone(),
        ask_again: AskAgain::record_page(api_host, syncing),
        model: PanelModel {
            record,
            linked,
            people,
            syncing,
            last_synced: synced,
            sync_error,
            access,
        },
    };
    Ok((panel, known))
}

/// Whether the org's session is known to be gone or refused (the outbox waits for sign-in or
/// is held, or the sync stopped on it): the record is then read, not drawn from the copy, so
/// the panel says what to do and a read that works wakes what waits for it.
fn session_known_bad(outbox: &super::outbox::OrgOutbox, sync_error: Option<&CrmError>) -> bool {
    let sync_stopped = sync_error
        .is_some_and(|e| matches!(e.kind, CrmErrorKind::SessionExpired | CrmErrorKind::Blocked));
    outbox.needs_sign_in || outbox.blocked || sync_stopped
}

/// The page's record in the org's synced copy, which the panel draws from when it holds
/// every field shown (`record_copy`): no API call.
async fn synced_record<H: Host>(host: &H, api_host: &str, record_id: &str) -> Option<CrmRecord> {
    let key = Key::pair(api_host, record_id);
    host.get_as::<CrmRecord>(Store::Records, &key)
        .await
        .ok()
        .flatten()
}

/// The record of a record `page`, read with the tab's session, and the answer it came in.
async fn fetch_record<H: Host>(
    host: &H,
    page: &Page,
    cookie_store: Option<&str>,
) -> Result<(crate::crm::RecordSummary, crate::host::HttpAnswer), CrmError> {
    let session = match page {
        Page::Record {
            crm: Crm::Salesforce,
            page_host,
            api_host,
            ..
        } => {
            session::salesforce_reachable(api_host)?;
            session::salesforce(host, page_host, api_host, cookie_store).await
        }
        _ => {
            session::dynamics(cookie_store)?;
            None
        }
    };
    let request = record_fetch::plan(page, session.as_ref())?;
    let answer = host.fetch(&request).await;
    let record = record_fetch::read(page, answer.status, &answer.body, answer.retry_after)?;
    Ok((record, answer))
}

/// The org refuses this session (CRM-APIS A19): the org is remembered (the options page names
/// it and why) and its sync stops with that reason until a session it accepts reads a record.
async fn refused<H: Host>(
    host: &H,
    crm: Crm,
    page_host: &str,
    api_host: &str,
    error: &CrmError,
) -> Result<(), HostError> {
    let reason = MetaEntry {
        key: Meta::SyncError(api_host).key(),
        value: error,
    };
    let reason = host.put(Store::Meta, &reason)?;
    remember_org(host, crm, page_host, api_host, Some(reason)).await
}

/// Remembers the org's page host, so the outbox finds its session with no page open, and
/// `also` beside it.
async fn remember_org<H: Host>(
    host: &H,
    crm: Crm,
    page_host: &str,
    api_host: &str,
    also: Option<Write<H::Value>>,
) -> Result<(), HostError> {
    let entry = MetaEntry {
        key: Meta::Org(api_host).key(),
        value: OrgSeen {
            crm,
            page_host: page_host.to_string(),
        },
    };
    let mut batch = vec![host.put(Store::Meta, &entry)?];
    batch.extend(also);
    host.write(batch).await
}

pub async fn last_synced<H: Host>(host: &H, api_host: &str) -> Result<Option<f64>, HostError> {
    let key = Key::Text(Meta::LastSynced(api_host).key());
    Ok(host
        .get_as::<LastSynced>(Store::Meta, &key)
        .await
        .ok()
        .flatten()
        .map(|e| e.value))
}

async fn sync_error<H: Host>(host: &H, api_host: &str) -> Result<Option<CrmError>, HostError> {
    let key = Key::Text(Meta::SyncError(api_host).key());
    Ok(host
        .get_as::<MetaEntry<CrmError>>(Store::Meta, &key)
        .await
        .ok()
        .flatten()
        .map(|e| e.value))
}

/// The profiles matched to a record, best first.
pub async fn matches_of_record<H: Host>(
    host: &H,
    api_host: &str,
    record_id: &str,
) -> Result<Vec<ProfileMatch>, HostError> {
    let query = Query::Index {
        index: "byRecord",
        key: Key::pair(api_host, record_id),
    };
    let mut found: Vec<ProfileMatch> = host
        .get_all(Store::Matches, &query)
        .await?
        .into_iter()
        .filter_map(|v| host.decode(v).ok())
        .collect();
    crate::sort::by(&mut found, |a, b| b.score.total_cmp(&a.score));
    Ok(found)
}

async fn linked_of<H: Host>(host: &H, found: ProfileMatch) -> Result<Option<Linked>, HostError> {
    let profile = host
        .get_as::<Profile>(Store::Profiles, &Key::Text(found.profile_id.clone()))
        .await
        .ok()
        .flatten();
    Ok(profile.map(|profile| Linked {
        profile,
        link: found,
    }))
}

/// Contacts and Leads: their matched profile; Accounts and Opportunities: their people.
async fn links_of<H: Host>(
    bg: &Background<H>,
    page: &Page,
) -> Result<(Option<Linked>, Vec<Linked>), HostError> {
    let host = &bg.host;
    let Page::Record {
        api_host,
        record_type,
        record_id,
        ..
    } = page
    else {
        return Ok((None, Vec::new()));
    };
    let contact_ids: Vec<String> = match record_type {
        RecordType::Contact | RecordType::Lead => {
            let best = matches_of_record(host, api_host, record_id)
                .await?
                .into_iter()
                .next();
            let linked = match best {
                Some(found) => linked_of(host, found).await?,
                None => None,
            };
            return Ok((linked, Vec::new()));
        }
        RecordType::Account => {
            let query = Query::Index {
                index: "byAccount",
                key: Key::pair(api_host, record_id),
            };
            let rows = host.get_all(Store::Records, &query).await?;
            rows.into_iter()
                .filter_map(|v| host.decode::<CrmRecord>(v).ok())
                .map(|r| r.id)
                .collect()
        }
        RecordType::Opportunity => {
            let key = Key::pair(api_host, record_id);
            let record = host
                .get_as::<CrmRecord>(Store::Records, &key)
                .await
                .ok()
                .flatten();
            record.map(|r| r.contact_ids).unwrap_or_default()
        }
    };
    let mut people = Vec::new();
    for contact_id in contact_ids {
        if let Some(best) = matches_of_record(host, api_host, &contact_id)
            .await?
            .into_iter()
            .next()
        {
            people.extend(linked_of(host, best).await?);
        }
    }
    Ok((None, people))
}

/// The profile mode: the profile captured for this page, and its records.
pub async fn profile_panel<H: Host>(
    bg: &Background<H>,
    profile_id: &str,
) -> Result<(ProfilePanel, Known), Problem> {
    let host = &bg.host;
    let profile = host
        .get_as::<Profile>(Store::Profiles, &Key::from(profile_id))
        .await
        .ok()
        .flatten();
    let profile = profile.ok_or_else(|| Problem::new(Code::ProfileNotCaptured))?;
    let synced = links::synced_hosts(host).await?;
    let links = links_in(host, &synced, profile_id).await?;
    let mut records = Vec::new();
    let mut in_crm = records_of_links(host, links.clone(), &mut records).await?;
    in_crm.extend(deleted_links(host, &synced, profile_id, &records).await?);
    let known = Known {
        person: Some(Some((profile_id.to_string(), Some(profile.clone())))),
        links: Some(links),
        records,
        ..Known::default()
    };
    let panel = ProfilePanel {
        mode: "profile",
        profile,
        in_crm,
        ask_again: AskAgain::profile_page(),
    };
    Ok((panel, known))
}

/// A profile's match in every synced org (the "In CRM" badge and the write gate both read
/// links through here).
pub async fn profile_links<H: Host>(
    host: &H,
    profile_id: &str,
) -> Result<Vec<(String, ProfileMatch)>, HostError> {
    links_in(host, &links::synced_hosts(host).await?, profile_id).await
}

/// [`profile_links`] in these synced orgs.
async fn links_in<H: Host>(
    host: &H,
    synced: &[String],
    profile_id: &str,
) -> Result<Vec<(String, ProfileMatch)>, HostError> {
    let mut found = Vec::new();
    for api_host in synced {
        let key = Key::pair(api_host, profile_id);
        if let Some(found_match) = host
            .get_as::<ProfileMatch>(Store::Matches, &key)
            .await
            .ok()
            .flatten()
        {
            found.push((api_host.clone(), found_match));
        }
    }
    Ok(found)
}

/// The one definition of "matched" for Copy to CRM: the record a profile is confidently
/// matched to (`level: match`, from the model or the user's link), first synced org first.
/// A *possible* match is not enough to write activities onto someone's record.
pub async fn confident_match<H: Host>(
    host: &H,
    profile_id: &str,
) -> Result<Option<(String, String)>, HostError> {
    Ok(confident_of(profile_links(host, profile_id).await?))
}

/// [`confident_match`] among a profile's links.
pub fn confident_of(links: Vec<(String, ProfileMatch)>) -> Option<(String, String)> {
    links
        .into_iter()
        .find_map(|(api_host, found)| match (found.level, found.record_id) {
            (MatchLevel::Match, Some(record_id)) => Some((api_host, record_id)),
            _ => None,
        })
}

/// The CRM records of a profile's links, with their UI URLs, keeping each record read (with its CRM) in `read`.
async fn records_of_links<H: Host>(
    host: &H,
    links: Vec<(String, ProfileMatch)>,
    read: &mut Vec<(String, CrmRecord, Crm)>,
) -> Result<Vec<InCrm>, HostError> {
    let mut found = Vec::new();
    for (api_host, found_match) in links {
        let Some(record_id) = found_match.record_id else {
            continue;
        };
        let record = host
            .get_as::<CrmRecord>(Store::Records, &Key::pair(&api_host, &record_id))
            .await
            .ok()
            .flatten();
        let synced = host
            .get_as::<LastSynced>(Store::Meta, &Key::Text(Meta::LastSynced(&api_host).key()))
            .await;
        let (Some(record), Some(synced)) = (record, synced.ok().flatten()) else {
            continue;
        };
        let org = crate::crm::OrgHost::of(synced.crm, &api_host);
        let url =
            org.and_then(|org| page::record_url(synced.crm, &org, record.record_type, &record.id));
        read.push((api_host.clone(), record.clone(), synced.crm));
        if let Some(url) = url {
            found.push(InCrm {
                url,
                crm: synced.crm,
                name: record.name,
                level: found_match.level,
                deleted: false,
            });
        }
    }
    Ok(found)
}

/// The records the user linked this profile to in the `synced` orgs that the CRM deleted
/// since; an org's CRM is taken from the records `read` for the panel when one is there.
async fn deleted_links<H: Host>(
    host: &H,
    synced: &[String],
    profile_id: &str,
    read: &[(String, CrmRecord, Crm)],
) -> Result<Vec<InCrm>, HostError> {
    let mut found = Vec::new();
    for api_host in synced {
        let Some(record) = links::deleted_link(host, api_host, profile_id).await? else {
            continue;
        };
        let crm = match read.iter().find(|(h, ..)| h == api_host) {
            Some((.., crm)) => Some(*crm),
            None => host
                .get_as::<LastSynced>(Store::Meta, &Key::Text(Meta::LastSynced(api_host).key()))
                .await
                .ok()
                .flatten()
                .map(|synced| synced.crm),
        };
        if let Some(crm) = crm {
            found.push(InCrm {
                url: String::new(),
                crm,
                name: record.name,
                level: MatchLevel::Match,
                deleted: true,
            });
        }
    }
    Ok(found)
}

/// Which of a list view's `ids` have a matched profile (row badges). The ids are as the page
/// writes them (`page::list_record_id` reads each, and skips what names no record); the
/// answer repeats the matched ones as they were asked, so the page needs no rule of its own.
pub async fn matched_records<H: Host>(
    host: &H,
    crm: Crm,
    api_host: &str,
    ids: &[String],
) -> Result<Vec<String>, HostError> {
    let mut matched = Vec::new();
    for asked in ids {
        let Some(id) = page::list_record_id(crm, asked) else {
            continue;
        };
        let query = Query::Index {
            index: "byRecord",
            key: Key::pair(api_host, &id),
        };
        if host.count(Store::Matches, &query).await? > 0 {
            matched.push(asked.clone());
        }
    }
    Ok(matched)
}
