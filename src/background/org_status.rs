//! The options page's orgs (issue 12 item 6): each org with when it was connected and last
//! synced, whether CRM sync is on for me there (and why not), and *Disconnect* / *Connect
//! again* on this computer.
//!
//! Disconnect is locked when browser policy locks `allowedOrgs` and names the org: the
//! admin who deployed the policy chose that this browser works with this org.

use super::{links, org_admin, outbox, panel, seat, settings, sync_run, Background, Event};
use crate::answer::{Answer, Code};
use crate::host::{Host, HostError, Key};
use crate::settings::seat::{OrgStatus, OrgView};
use crate::settings::{Resolved, Source};
use crate::store::{Meta, MetaEntry, Store};

/// Browser policy locks the allowed orgs and names this one.
fn disconnect_locked(all: &Resolved, api_host: &str) -> bool {
    all.allowed_orgs.source == Source::Locked && all.org_allowed(api_host)
}

/// Every org a panel was opened in, as the options page shows it.
pub async fn statuses<H: Host>(bg: &Background<H>) -> Result<Vec<OrgStatus>, HostError> {
    let mut shown = Vec::new();
    for org in org_admin::list_orgs(&bg.host).await? {
        let api_host = org.api_host;
        let scope = settings::for_org(bg, &api_host).await?;
        let view = scope.view.as_ref();
        shown.push(OrgStatus {
            crm: org.seen.crm,
            connected_since: view.and_then(|v| v.connected_since),
            last_synced: panel::last_synced(&bg.host, &api_host).await?,
            access: scope.access,
            settings_problem: view.and_then(|v| v.problem.clone()),
            disconnect_locked: disconnect_locked(&scope.all, &api_host),
            clear_on_change: scope.all.clear_on_change.clone(),
            api_host,
        });
    }
    Ok(shown)
}

/// Stops sync and write-back for the org on this computer; `clear` also clears its imported
/// CRM data (unless browser policy locks clear-on-change, whose value then applies).
pub async fn disconnect<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    clear: bool,
) -> Result<Answer<bool>, HostError> {
    let scope = settings::for_org(bg, api_host).await?;
    if disconnect_locked(&scope.all, api_host) {
        return Ok(Answer::refused(Code::SettingLocked));
    }
    let host = &bg.host;
    let choice = &scope.all.clear_on_change;
    let clear = match choice.source {
        Source::Locked => choice.value,
        _ => clear,
    };
    if clear {
        links::clear_org_data(bg, api_host).await?;
    }
    let mut writes = vec![host.put(
        Store::Meta,
        &MetaEntry {
            key: Meta::Disconnected(api_host).key(),
            value: host.now_ms(),
        },
    )?];
    writes.extend(since(host, api_host, scope.view, None)?);
    host.write(writes).await?;
    host.broadcast(&Event::SettingsChanged);
    // Queued items of the org stay here from the next flush on, with the reason.
    outbox::wake(host, outbox::GATHER_MS);
    Ok(Answer::Ok(clear))
}

/// Undoes Disconnect: the org syncs again (from where it was, or from the start after a
/// clear) and the items kept meanwhile are written if CRM sync is on for me there.
pub async fn connect_again<H: Host + 'static>(
    bg: &std::rc::Rc<Background<H>>,
    api_host: &str,
) -> Result<Answer<bool>, HostError> {
    let host = &bg.host;
    let scope = settings::for_org(bg, api_host).await?;
    let mut writes = vec![sync_run::delete_meta(Meta::Disconnected(api_host))];
    writes.extend(since(host, api_host, scope.view, Some(host.now_ms()))?);
    host.write(writes).await?;
    host.broadcast(&Event::SettingsChanged);
    seat::release(bg, api_host).await?;
    let key = Key::Text(Meta::Org(api_host).key());
    if let Some(seen) = host
        .get_as::<MetaEntry<panel::OrgSeen>>(Store::Meta, &key)
        .await?
    {
        sync_run::start_seen(bg, seen.value.crm, api_host, &seen.value.page_host);
    }
    Ok(Answer::Ok(true))
}

/// The org's view with a new "connected since" (no view yet: nothing to change).
fn since<H: Host>(
    host: &H,
    api_host: &str,
    view: Option<OrgView>,
    connected_since: Option<f64>,
) -> Result<Option<crate::host::Write<H::Value>>, HostError> {
    let Some(mut view) = view else {
        return Ok(None);
    };
    view.connected_since = connected_since;
    let entry = MetaEntry {
        key: Meta::CrmSettings(api_host).key(),
        value: view,
    };
    Ok(Some(host.put(Store::Meta, &entry)?))
}
