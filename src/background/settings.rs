//! The settings every decision reads ([`crate::settings`]): the browser policy (read once
//! through the `managedPolicy` port, again when the browser says it changed), the org's
//! settings published in the CRM (one layer per org) and the user's own, both in `meta`. Also the gate that
//! keeps orgs the settings do not allow out of every request, the options page's changes,
//! and the never-log check of an item.

use std::rc::Rc;

use serde_json::Value;

use super::{outbox, Background, Event};
use crate::answer::{Answer, Code};
use crate::host::{Host, HostError, Key, Query};
use crate::message::Request;
use crate::page;
use crate::profiles::Profile;
use crate::settings::policy_files::{self, PolicyFile, Published};
use crate::settings::resolve::Refusal;
use crate::settings::seat::{self, Access, OrgView};
use crate::settings::{resolve, Layer, PolicyLayers, Resolved, SettingKey, Subject};
use crate::store::{Meta, MetaEntry, Store};
use crate::sync::CrmRecord;
use crate::writeback::About;

pub(super) async fn policy<H: Host>(bg: &Background<H>) -> Rc<PolicyLayers> {
    if let Some(known) = bg.policy.borrow().as_ref() {
        return Rc::clone(known);
    }
    let raw = match bg.host.managed_policy().await {
        // A value that does not even read as JSON is reported as not being an object.
        Some(value) => bg
            .host
            .decode::<Value>(value)
            .unwrap_or_else(|_| Value::from("unreadable")),
        None => Value::Null,
    };
    let read = Rc::new(PolicyLayers::read(&raw));
    *bg.policy.borrow_mut() = Some(Rc::clone(&read));
    read
}

/// The value of a `meta` entry, when there is one this version reads.
fn value_of<H: Host, T: serde::de::DeserializeOwned>(
    host: &H,
    stored: Option<H::Value>,
) -> Option<T> {
    stored
        .and_then(|value| host.decode::<MetaEntry<T>>(value).ok())
        .map(|e| e.value)
}

/// A layer as kept in `meta` (none yet, or unreadable: an empty layer).
fn layer_of<H: Host>(host: &H, stored: Option<H::Value>) -> Layer {
    stored
        .and_then(|value| host.decode::<MetaEntry<Value>>(value).ok())
        .map(|e| Layer::read(&e.value, "").0)
        .unwrap_or_default()
}

pub(super) async fn stored_layer<H: Host>(host: &H, meta: Meta<'_>) -> Result<Layer, HostError> {
    let stored = host.get(Store::Meta, &Key::Text(meta.key())).await?;
    Ok(layer_of(host, stored))
}

/// The effective settings shown on the options page: the policy as last read, the user's
/// layer and the layer of the org whose settings were read last (each org's own apply to
/// work about it: [`for_org`]).
pub async fn current<H: Host>(bg: &Background<H>) -> Result<Resolved, HostError> {
    let policy = policy(bg).await;
    let prefix = Query::Prefix {
        prefix: Meta::CRM_SETTINGS.to_string(),
    };
    let newest = bg
        .host
        .get_all(Store::Meta, &prefix)
        .await?
        .into_iter()
        .filter_map(|v| bg.host.decode::<MetaEntry<OrgView>>(v).ok())
        .map(|e| e.value)
        .max_by(|a, b| a.read_at.total_cmp(&b.read_at));
    let org = newest.map(|v| v.layer()).unwrap_or_default();
    let user = stored_layer(&bg.host, Meta::UserSettings).await?;
    Ok(resolve(&policy, &org, &user))
}

/// The settings for work about one org (its write-back, toggle default, kinds, never-log
/// list), and whether CRM sync is on for me there.
#[derive(Debug)]
pub struct ForOrg {
    pub all: Resolved,
    pub access: Access,
    pub view: Option<OrgView>,
}

/// [`ForOrg`] from the policy and one store read: the org's view, my layer, my CRM user id
/// there and my own disconnect.
pub async fn for_org<H: Host>(bg: &Background<H>, api_host: &str) -> Result<ForOrg, HostError> {
    let policy = policy(bg).await;
    let keys = [
        Meta::CrmSettings(api_host),
        Meta::UserSettings,
        Meta::Owner(api_host),
        Meta::Disconnected(api_host),
    ]
    .map(|m| Key::Text(m.key()));
    let mut stored = bg.host.get_many(Store::Meta, &keys).await?.into_iter();
    let mut next = || stored.next().flatten();
    let view: Option<OrgView> = value_of(&bg.host, next());
    let user = layer_of(&bg.host, next());
    let owner: Option<String> = value_of(&bg.host, next());
    let disconnected_here = next().is_some();
    let org = view.as_ref().map(OrgView::layer).unwrap_or_default();
    let all = resolve(&policy, &org, &user);
    let access = seat::access(&all, view.as_ref(), owner.as_deref(), disconnected_here);
    Ok(ForOrg { all, access, view })
}

/// The browser's policy changed: read it again, and tell open pages; an org it now
/// allows may have writes waiting.
pub fn policy_changed<H: Host>(bg: &Background<H>) {
    *bg.policy.borrow_mut() = None;
    bg.host.broadcast(&Event::SettingsChanged);
    outbox::wake(&bg.host, outbox::GATHER_MS);
}

/// The user changes one of their settings (`null`: back to the default); refused for what
/// an admin set. The answer is the effective settings after the change.
pub async fn set_setting<H: Host>(
    bg: &Background<H>,
    key: SettingKey,
    value: &Value,
) -> Result<Answer<Resolved>, HostError> {
    let all = current(bg).await?;
    let user = stored_layer(&bg.host, Meta::UserSettings).await?;
    let changed = match all.change(&user, key, value) {
        Ok(changed) => changed,
        Err(refusal) => {
            return Ok(Answer::refused(match refusal {
                Refusal::Locked => Code::SettingLocked,
                Refusal::Invalid(_) => Code::SettingInvalid,
            }));
        }
    };
    let entry = MetaEntry {
        key: Meta::UserSettings.key(),
        value: Value::Object(changed.to_json()),
    };
    bg.host
        .write(vec![bg.host.put(Store::Meta, &entry)?])
        .await?;
    bg.host.broadcast(&Event::SettingsChanged);
    Ok(Answer::Ok(current(bg).await?))
}

/// The current settings as policy files to download.
pub async fn files<H: Host>(bg: &Background<H>) -> Result<Vec<PolicyFile>, HostError> {
    Ok(policy_files::files(&Published::from_resolved(
        &current(bg).await?,
    )))
}

/// The org a request is about, when it names one.
fn org_of(request: &Request) -> Option<String> {
    let from_url = |url: &str| page::detect(url).map(|p| p.api_host().to_string());
    match request {
        Request::DetectPage { url }
        | Request::GetPanel { url }
        | Request::SyncNow { url }
        | Request::MatchedRecords { url, .. }
        | Request::CorrectMatch { url, .. }
        | Request::LinkProfileUrl { url, .. }
        | Request::LogItem { url, .. }
        | Request::GetActivity { url } => from_url(url),
        Request::ResolveItem { api_host, .. }
        | Request::PrepareOrg { api_host }
        | Request::TestWriteBack { api_host }
        | Request::RemoveTestRecords { api_host }
        | Request::FixFlag { api_host, .. } => Some(api_host.clone()),
        Request::Admin(admin) => Some(admin.api_host().to_string()),
        _ => None,
    }
}

/// A request about an org the settings do not allow is answered here: a page of another org
/// is no page of ours (no badge, no panel, no sync). Otherwise the settings read to decide
/// it, if any, for the request to use.
#[allow(clippy::large_enum_variant)] // one a request, moved once: boxing would only allocate
pub enum OrgCheck<V> {
    Refused(V),
    Allowed(Option<ForOrg>),
}

pub async fn check_org<H: Host>(
    bg: &Background<H>,
    request: &Request,
) -> Result<OrgCheck<H::Value>, HostError> {
    let Some(api_host) = org_of(request) else {
        return Ok(OrgCheck::Allowed(None));
    };
    let scope = for_org(bg, &api_host).await?;
    let host = &bg.host;
    let correcting = matches!(
        request,
        Request::CorrectMatch { .. } | Request::LinkProfileUrl { .. }
    );
    if correcting && scope.all.org_allowed(&api_host) && !scope.access.enabled() {
        // Matches are read-only where CRM sync is not on for the user.
        return Ok(OrgCheck::Refused(
            host.encode(&Answer::<()>::refused(Code::SyncNotEnabled))?,
        ));
    }
    if scope.all.org_allowed(&api_host) {
        return Ok(OrgCheck::Allowed(Some(scope)));
    }
    Ok(OrgCheck::Refused(match request {
        Request::DetectPage { .. } => host.encode(&Answer::Ok(Value::Null))?,
        Request::MatchedRecords { .. } => host.encode(&Answer::Ok(Vec::<String>::new()))?,
        _ => host.encode(&Answer::<()>::refused(Code::OrgNotAllowed))?,
    }))
}

/// Who an item is about, for the never-log list: the profile's and the record's e-mail
/// addresses, the profile, the record and its account.
pub async fn subject_of<H: Host>(host: &H, about: &About) -> Subject {
    let mut subject = Subject {
        profile_id: about.profile_id.clone(),
        ..Subject::default()
    };
    if let Some(id) = &about.profile_id {
        let profile = host
            .get_as::<Profile>(Store::Profiles, &Key::Text(id.clone()))
            .await
            .ok()
            .flatten();
        subject.emails.extend(profile.and_then(|p| p.person.email));
    }
    if let (Some(api_host), Some(record_id)) = (&about.api_host, &about.record_id) {
        let record = host
            .get_as::<CrmRecord>(Store::Records, &Key::pair(api_host, record_id))
            .await
            .ok()
            .flatten();
        subject
            .emails
            .extend(record.and_then(|r| r.person).and_then(|p| p.email));
        subject.record_ids.push(record_id.clone());
    }
    subject.record_ids.extend(about.related_id.clone());
    subject
}

/// Whether the never-log list stops items about this.
pub async fn never_logged<H: Host>(host: &H, all: &Resolved, about: &About) -> bool {
    let list = all.never_log_list();
    !all.never_log.is_empty() && list.blocks(&subject_of(host, about).await)
}
