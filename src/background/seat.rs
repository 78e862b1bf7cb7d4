//! The seat holder's half of the org's published settings (docs/org-admin.md): at the start
//! of each sync of an org, one seat-view request picks up what its admin published (the
//! org's settings layer, its state, my seat, a clear to do); items logged while CRM sync is
//! not on for me stay here with the reason, and are written once it is.

use std::rc::Rc;

use super::sync_job::SyncJob;
use super::{activity, links, outbox, settings, Background, Event, Failure};
use crate::activity_model::Reason;
use crate::crm::admin::{dynamics as dy, salesforce as sf, SeatView};
use crate::crm::budget::OrgBudget;
use crate::crm::salesforce::{no_session, Session};
use crate::crm::{Crm, CrmError, CrmErrorKind, DataverseGuid, OrgHost};
use crate::host::{Host, HostError, HttpAnswer, Locked};
use crate::settings::seat::{self, Access};
use crate::store::{Meta, MetaEntry, Store};
use crate::writeback::{self, ItemKind, ItemState, MatchStatus, UserSync, WriteBackSettings};

/// Why an item waits while CRM sync is not on for me.
pub fn reason(access: Access) -> Reason {
    match access {
        Access::Disconnected | Access::DisconnectedHere => Reason::OrgDisconnected,
        Access::Enabled | Access::NotEnabled => Reason::UserNotEnabled,
    }
}

/// `reason`, saying "disconnected" where the org is rather than "not enabled".
pub fn access_reason(reason_now: Reason, access: Access) -> Reason {
    match reason_now {
        Reason::UserNotEnabled => reason(access),
        other => other,
    }
}

/// An item's switch as it would have started if CRM sync were on for me.
pub fn copy_when_enabled(org: &WriteBackSettings, user: &UserSync, kind: ItemKind) -> bool {
    let enabled = UserSync {
        enabled: true,
        ..user.clone()
    };
    writeback::toggle_default(org, &enabled, kind).unwrap_or(false)
}

/// Reads the org's seat view (one request; Dataverse's names my user id, asked once per org
/// and remembered), keeps it, clears the org's imported data when its admin chose so since
/// the last read, and releases the items kept for want of access when I have it. A failed
/// read keeps the last good settings; a refused session is the sync's failure. The answer's report of the org's API usage is noted
/// in `budget` and stored with the view. My access after it, and whether the org's data was
/// cleared (the sync then starts from the beginning).
pub async fn pick_up<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    job: &SyncJob,
    session: Option<&Session>,
    budget: &mut OrgBudget,
) -> Result<(Access, bool), Failure> {
    let host = &bg.host;
    let api_host = job.api_host.as_str();
    let before = settings::for_org(bg, api_host).await?;
    let mut noted = false;
    let now = host.now_ms();
    let mut note = |answer: &HttpAnswer| {
        noted |= budget.note_limit_info(answer.header(super::budget::LIMIT_INFO), now);
    };
    let read = read_view(bg, job, session, &before, &mut note).await;
    // A session the org refuses stops the sync here, as its first page would (CRM-APIS A19).
    if let Err(
        error @ CrmError {
            kind: CrmErrorKind::Blocked,
            ..
        },
    ) = &read
    {
        return Err(Failure::Crm(error.clone()));
    }
    let (view, clear) = seat::after_read(before.view.as_ref(), read, host.now_ms());
    if clear {
        links::clear_org_data(bg, api_host).await?;
    }
    let entry = MetaEntry {
        key: Meta::CrmSettings(api_host).key(),
        value: &view,
    };
    let mut batch = vec![host.put(Store::Meta, &entry)?];
    if noted {
        batch.push(super::budget::put(host, api_host, budget)?);
    }
    host.write(batch).await?;
    let after = settings::for_org(bg, api_host).await?;
    if after.all != before.all || after.access != before.access {
        host.broadcast(&Event::SettingsChanged);
    }
    if after.access.enabled() {
        release(bg, api_host).await?;
    }
    Ok((after.access, clear))
}

async fn read_view<H: Host>(
    bg: &Background<H>,
    job: &SyncJob,
    session: Option<&Session>,
    before: &settings::ForOrg,
    note: &mut dyn FnMut(&HttpAnswer),
) -> Result<SeatView, CrmError> {
    let host = &bg.host;
    let owner = |session| outbox::owner_of(host, job.crm, &job.api_host, session);
    match job.crm {
        Crm::Salesforce => {
            let session = session.ok_or_else(no_session)?;
            // A seat list names CRM user ids: mine, asked once per org (the outbox keeps it
            // too). Without it the list cannot enable me, so a failure only leaves it unknown.
            if !before.all.seats.value.is_empty() {
                let _ = owner(Some(session)).await;
            }
            let answer = host.fetch(&sf::seat_view_request(session)).await;
            note(&answer);
            sf::read_seat_view(answer.status, &answer.body)
        }
        Crm::Dynamics => {
            let me = owner(None).await.map_err(Failure::into_crm)?;
            let me = DataverseGuid::parse(&me)
                .ok_or_else(|| CrmError::unexpected(0, "WhoAmI gave no user id"))?;
            let api_host = OrgHost::checked(Crm::Dynamics, &job.api_host)?;
            let answer = host.fetch(&dy::seat_view_request(&api_host, &me)).await;
            note(&answer);
            dy::read_seat_view(answer.status, &answer.body)
        }
    }
}

/// Queued items that now stay on this computer, each with its reason (CRM sync is not on
/// for me in its org, or the never-log list names it).
pub async fn keep_here<H: Host>(
    bg: &Background<H>,
    kept: &[(String, Reason)],
) -> Result<(), HostError> {
    if kept.is_empty() {
        return Ok(());
    }
    let host = &bg.host;
    let ids: Vec<String> = kept.iter().map(|(id, _)| id.clone()).collect();
    let mut changed = Vec::new();
    {
        let _items = bg.host.lock(Locked::Items).await;
        let mut writes = Vec::new();
        for mut item in activity::items_by_id(host, &ids).await? {
            let Some((_, why)) = kept.iter().find(|(id, _)| id == item.id()) else {
                continue;
            };
            if item.keep_here(*why).is_ok() {
                writes.push(host.put(Store::Items, &item)?);
                changed.push(item.id().to_string());
            }
        }
        host.write(writes).await?;
    }
    activity::items_changed(bg, changed).await
}

/// CRM sync is on for me in the org: the items kept here for want of it are decided again
/// with the org's settings now (each once: a released item is no longer waiting).
pub async fn release<H: Host>(bg: &Background<H>, api_host: &str) -> Result<(), HostError> {
    let host = &bg.host;
    let waiting: Vec<String> = activity::items_in(host, ItemState::Local)
        .await?
        .into_iter()
        .filter(|i| i.about.api_host.as_deref() == Some(api_host))
        .filter(|i| i.reason.is_some_and(Reason::waits_for_access))
        .map(|i| i.id().to_string())
        .collect();
    if waiting.is_empty() {
        return Ok(());
    }
    let scope = settings::for_org(bg, api_host).await?;
    let (org, user) = activity::write_settings(bg, &scope, Some(api_host)).await?;
    let mut released = Vec::new();
    {
        let _items = bg.host.lock(Locked::Items).await;
        let mut writes = Vec::new();
        for mut item in activity::items_by_id(host, &waiting).await? {
            let status = match item.about.record_id {
                Some(_) => MatchStatus::Matched,
                None => MatchStatus::Unresolved,
            };
            let never_logged = settings::never_logged(host, &scope.all, &item.about).await;
            let decision = writeback::never_log_gate(
                writeback::decide(&org, &user, item.item.kind, item.copy, status),
                never_logged,
            );
            if item.release(decision).is_ok() {
                writes.push(host.put(Store::Items, &item)?);
                released.push(item.id().to_string());
            }
        }
        host.write(writes).await?;
    }
    if !released.is_empty() {
        outbox::wake(host, outbox::GATHER_MS);
        activity::refresh_badge(host).await?;
    }
    activity::items_changed(bg, released).await
}
