//! The background's one entry point for messages: each checked request becomes one call
//! into the core, and one answer.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{
    activity, links, org_admin, org_status, panel, profiles, settings, sync_run, Background,
    Failure,
};
use crate::crm::{CrmError, CrmErrorKind};
use crate::host::{Host, HostError};
use crate::message::Request;
use crate::page::{self, AnyPage, NetworkPage, Page};
use crate::profiles::api::ImportProgress;
use crate::record_fetch::Outcome;

/// Who sent a message, as the browser (not the message) says.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SenderInfo {
    /// The URL of the tab the sender runs in (a content script's page, a panel's host page).
    #[serde(default)]
    pub tab_url: Option<String>,
    /// The tab's cookie store (Firefox containers and private windows have their own).
    #[serde(default)]
    pub cookie_store: Option<String>,
}

impl SenderInfo {
    /// A sender in a tab showing `url` (tests: the browser's side of a message).
    pub fn in_tab(url: &str) -> SenderInfo {
        SenderInfo {
            tab_url: Some(url.to_string()),
            cookie_store: None,
        }
    }
}

/// A CSV export's answer.
#[derive(Serialize)]
struct Csv {
    csv: String,
}

/// The panel's answer with the page's activity in it, and whether the page's person is in
/// the CRM (the host page's badge): one message per page view.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PanelAnswer<P> {
    #[serde(flatten)]
    panel: P,
    matched: bool,
    activity: Option<activity::Activity>,
}

async fn with_activity<H: Host + 'static, P: Serialize>(
    bg: &Rc<Background<H>>,
    url: &str,
    shown: Result<P, CrmError>,
    matched: bool,
) -> Result<Outcome<PanelAnswer<P>>, HostError> {
    let panel = match shown {
        Ok(panel) => panel,
        Err(error) => return Ok(Outcome::Error(error)),
    };
    let activity = match activity::get_activity(bg, url).await? {
        activity::Reply::Ok { ok } => Some(ok),
        activity::Reply::Error { .. } => None,
    };
    Ok(Outcome::Ok(PanelAnswer {
        panel,
        matched,
        activity,
    }))
}

/// `{ok}` or `{error: CrmError}`; a port failure is the background's own, not the CRM's.
fn outcome<T>(result: Result<T, Failure>) -> Result<Outcome<T>, HostError> {
    match result {
        Ok(value) => Ok(Outcome::Ok(value)),
        Err(Failure::Crm(error)) => Ok(Outcome::Error(error)),
        Err(Failure::Host(error)) => Err(error),
    }
}

fn refused(code: &str) -> CrmError {
    CrmError::new(CrmErrorKind::Forbidden, 0, code, "")
}

/// Why a request about a page is refused: the sender's tab shows no page the extension
/// knows, or another page than the one the message names.
enum NotTheTabsPage {
    NotAPage,
    Other,
}

impl NotTheTabsPage {
    fn crm_error(&self) -> CrmError {
        match self {
            NotTheTabsPage::NotAPage => not_a_record(),
            NotTheTabsPage::Other => refused(NOT_THE_TABS_PAGE),
        }
    }

    /// As the item requests answer (`{error: code}`).
    fn reply(&self) -> activity::Reply<()> {
        let code = match self {
            NotTheTabsPage::NotAPage => "notAPage",
            NotTheTabsPage::Other => "notThisPage",
        };
        activity::Reply::Error {
            error: code.into(),
            state: None,
        }
    }
}

/// Refused: the message names another page than the sender's tab shows.
pub const NOT_THE_TABS_PAGE: &str = "NOT_THE_TABS_PAGE";

/// The page a request is about: the one the browser says the sender's tab shows, never the
/// message's. The message's `url` only says which page the sender thinks it is on, and must
/// name the same page: the host page can rewrite our panel frame's URL through the DOM, and
/// a panel may still show a page its tab has just left. Answers the tab's URL.
fn tabs_page(sender: &SenderInfo, url: &str) -> Result<String, NotTheTabsPage> {
    let tab = sender.tab_url.as_deref().unwrap_or_default();
    match (page::detect_any(tab), page::detect_any(url)) {
        (Some(shown), Some(named)) if shown == named => Ok(tab.to_string()),
        (None, None) => Err(NotTheTabsPage::NotAPage),
        _ => Err(NotTheTabsPage::Other),
    }
}

fn record_page(url: &str) -> Result<Page, CrmError> {
    match page::detect(url) {
        Some(page @ Page::Record { .. }) => Ok(page),
        _ => Err(not_a_record()),
    }
}

fn not_a_record() -> CrmError {
    CrmError::new(CrmErrorKind::Unexpected, 0, "NOT_A_RECORD_PAGE", "")
}

fn host_failure(error: HostError) -> CrmError {
    CrmError::unexpected(0, &error.0)
}

/// Answers one request (already parsed and checked against its sender's kind).
pub async fn handle<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    request: Request,
    sender: SenderInfo,
) -> Result<H::Value, HostError> {
    handle_reporting(bg, request, sender, &|_| {}).await
}

/// [`handle`], telling `progress` how far an import is (the `import` port relays it).
pub async fn handle_reporting<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    request: Request,
    sender: SenderInfo,
    progress: &dyn Fn(ImportProgress),
) -> Result<H::Value, HostError> {
    let host = &bg.host;
    if let Some(refused) = settings::refused_org(bg, &request).await? {
        return Ok(refused);
    }
    match request {
        Request::DetectPage { url } => host.encode(&page::detect_any(&url)),
        Request::GetPanel { url } => {
            // The panel only runs framed in the page it describes, never on its own (its tab
            // is then no web page the extension knows).
            if sender
                .tab_url
                .as_deref()
                .and_then(page::detect_any)
                .is_none()
            {
                return host.encode(&Outcome::<()>::Error(refused("PANEL_NOT_FRAMED")));
            }
            let url = match tabs_page(&sender, &url) {
                Ok(url) => url,
                Err(refusal) => return host.encode(&Outcome::<()>::Error(refusal.crm_error())),
            };
            match page::detect_any(&url) {
                Some(AnyPage::Network(NetworkPage::NetworkProfile { profile_id })) => {
                    let shown = panel::profile_panel(bg, &profile_id).await;
                    let matched = shown.as_ref().is_ok_and(panel::ProfilePanel::matched);
                    host.encode(&with_activity(bg, &url, shown, matched).await?)
                }
                Some(AnyPage::Crm(page)) => {
                    let shown = panel::record_panel(bg, &page, sender.cookie_store).await;
                    let matched = shown.as_ref().is_ok_and(panel::RecordPanel::matched);
                    host.encode(&with_activity(bg, &url, shown, matched).await?)
                }
                None => host.encode(&Outcome::<()>::Error(not_a_record())),
            }
        }
        Request::SyncNow { url } => {
            let page = tabs_page(&sender, &url).map_err(|r| r.crm_error());
            let started = match page.and_then(|url| record_page(&url)) {
                Ok(page) => sync_run::start(bg, &page, sender.cookie_store)
                    .await
                    .map_err(host_failure),
                Err(error) => Err(error),
            };
            host.encode(&Outcome::from(started.map(|()| true)))
        }
        Request::MatchedRecords { url, ids } => {
            let url = tabs_page(&sender, &url).unwrap_or_default();
            let matched = match page::detect(&url) {
                Some(Page::List { api_host, .. }) => {
                    panel::matched_records(host, &api_host, &ids).await?
                }
                _ => Vec::new(),
            };
            host.encode(&matched)
        }
        Request::CorrectMatch { url, correction } => {
            let url = match tabs_page(&sender, &url) {
                Ok(url) => url,
                Err(refusal) => return host.encode(&Outcome::<()>::Error(refusal.crm_error())),
            };
            let corrected = match page::detect(&url) {
                Some(Page::Record {
                    api_host,
                    record_id,
                    ..
                }) => links::correct(bg, &api_host, &record_id, &correction)
                    .await
                    .map_err(Failure::into_crm),
                _ => Err(not_a_record()),
            };
            host.encode(&Outcome::from(corrected.map(|()| true)))
        }
        Request::ClearCrmData => {
            links::clear_crm_data(bg).await?;
            host.encode(&Outcome::<bool>::Ok(true))
        }
        Request::ImportProfiles { format, text } => {
            host.encode(&profiles::import(bg, format, &text, progress).await?)
        }
        Request::AddProfile { person } => match profiles::add(bg, person).await? {
            Ok(counts) => host.encode(&counts),
            Err(refused) => host.encode(&refused),
        },
        Request::CaptureProfile { page } => {
            let tab = sender.tab_url.unwrap_or_default();
            host.encode(&profiles::capture(bg, &tab, &page).await?)
        }
        Request::CountProfiles => host.encode(&profiles::count(host).await?),
        Request::SearchProfiles { query } => host.encode(&profiles::search(bg, &query).await?),
        Request::LinkProfileUrl { url, profile_url } => match tabs_page(&sender, &url) {
            Err(refusal) => host.encode(&Outcome::<bool>::Error(refusal.crm_error())),
            Ok(url) => match page::detect(&url) {
                Some(Page::Record {
                    api_host,
                    record_id,
                    ..
                }) => match profiles::link_url(bg, &api_host, &record_id, &profile_url).await {
                    Ok(Ok(())) => host.encode(&Outcome::<bool>::Ok(true)),
                    Ok(Err(refused)) => host.encode(&refused),
                    Err(failure) => host.encode(&Outcome::<bool>::Error(failure.into_crm())),
                },
                _ => host.encode(&Outcome::<bool>::Error(not_a_record())),
            },
        },
        Request::LogItem {
            url,
            item,
            copy_to_crm,
        } => match tabs_page(&sender, &url) {
            Ok(url) => host.encode(
                &activity::log_item(bg, &url, item, copy_to_crm, sender.cookie_store).await?,
            ),
            Err(refusal) => host.encode(&refusal.reply()),
        },
        Request::GetActivity { url } => match tabs_page(&sender, &url) {
            Ok(url) => host.encode(&activity::get_activity(bg, &url).await?),
            Err(refusal) => host.encode(&refusal.reply()),
        },
        Request::RetryItem { id } => host.encode(&activity::retry_item(bg, &id).await?),
        Request::DiscardItem { id } => host.encode(&activity::discard_item(bg, &id).await?),
        Request::ResolveItem {
            id,
            api_host,
            record_type,
            record_id,
        } => {
            host.encode(&activity::resolve_item(bg, &id, &api_host, record_type, &record_id).await?)
        }
        Request::ListItems { state } => host.encode(&activity::list_items(host, state).await?),
        Request::SearchRecords { query } => {
            host.encode(&activity::search_records(bg, &query).await?)
        }
        Request::ListAudit => {
            let rows = activity::list_audit(host).await?;
            let rows: Vec<serde_json::Value> = rows
                .into_iter()
                .filter_map(|row| host.decode(row).ok())
                .collect();
            host.encode(&rows)
        }
        Request::ExportItems { state } => host.encode(&Csv {
            csv: activity::export_items(host, state).await?,
        }),
        Request::ExportAudit => host.encode(&Csv {
            csv: activity::export_audit(host).await?,
        }),
        Request::ListOrgs => host.encode(&org_admin::list_orgs(host).await?),
        Request::PrepareOrg { api_host } => {
            let prepared =
                org_admin::prepare_org(host, &api_host, sender.cookie_store.as_deref()).await;
            host.encode(&outcome(prepared.map(|()| true))?)
        }
        Request::TestWriteBack { api_host } => {
            let run =
                org_admin::test_write_back(bg, &api_host, sender.cookie_store.as_deref()).await;
            host.encode(&outcome(run)?)
        }
        Request::RemoveTestRecords { api_host } => {
            let removed =
                org_admin::remove_test_records(host, &api_host, sender.cookie_store.as_deref())
                    .await;
            host.encode(&outcome(removed)?)
        }
        Request::GetSettings => host.encode(&activity::Reply::Ok {
            ok: settings::current(bg).await?,
        }),
        Request::SetSetting { key, value } => {
            host.encode(&settings::set_setting(bg, key, &value).await?)
        }
        Request::PolicyFiles => host.encode(&activity::Reply::Ok {
            ok: settings::files(bg).await?,
        }),
        Request::OrgStatuses => host.encode(&org_status::statuses(bg).await?),
        Request::DisconnectOrg { api_host, clear } => {
            host.encode(&org_status::disconnect(bg, &api_host, clear).await?)
        }
        Request::ReconnectOrg { api_host } => {
            host.encode(&org_status::connect_again(bg, &api_host).await?)
        }
    }
}
