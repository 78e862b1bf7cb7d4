//! The background's one entry point for messages: each checked request becomes one call
//! into the core, and one answer: `{ok}` or `{error: Problem}` (src/answer.rs), whatever
//! the request.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{activity, links, org_status, panel, profiles, settings, sync_run, Background};
#[cfg(feature = "rare")]
use super::{admin_page, org_admin};
use crate::answer::{Answer, Code, Problem};
use crate::host::{Host, HostError};
use crate::message::{Request, Sender};
use crate::page::{self, AnyPage, NetworkPage, Page};
use crate::profiles::api::ImportProgress;
use settings::OrgCheck;

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

/// The panel's answer, its activity from what the panel's view already read.
async fn with_activity<H: Host + 'static, P: Serialize>(
    bg: &Rc<Background<H>>,
    url: &str,
    shown: Result<(P, activity::Known), Problem>,
    matched: impl Fn(&P) -> bool,
    settings: Option<settings::ForOrg>,
) -> Result<Answer<PanelAnswer<P>>, HostError> {
    let (panel, known) = match shown {
        Ok(shown) => shown,
        Err(problem) => return Ok(Answer::Error(problem)),
    };
    let matched = matched(&panel);
    let known = activity::Known {
        settings: settings.or(known.settings),
        ..known
    };
    let activity = match activity::get_activity(bg, url, known).await? {
        Answer::Ok(activity) => Some(activity),
        Answer::Error(_) => None,
    };
    Ok(Answer::Ok(PanelAnswer {
        panel,
        matched,
        activity,
    }))
}

/// The page a request is about: the one the browser says the sender's tab shows, never the
/// message's. The message's `url` only says which page the sender thinks it is on, and must
/// name the same page: the host page can rewrite our panel frame's URL through the DOM, and
/// a panel may still show a page its tab has just left. Answers the tab's URL.
fn tabs_page(sender: &SenderInfo, url: &str) -> Result<String, Problem> {
    let tab = sender.tab_url.as_deref().unwrap_or_default();
    match (page::detect_any(tab), page::detect_any(url)) {
        (Some(shown), Some(named)) if shown == named => Ok(tab.to_string()),
        (None, None) => Err(Problem::new(Code::NotAPage)),
        _ => Err(Problem::new(Code::NotThisPage)),
    }
}

/// The tab's page, when it is a record page.
fn tabs_record(sender: &SenderInfo, url: &str) -> Result<Page, Problem> {
    match page::detect(&tabs_page(sender, url)?) {
        Some(page @ Page::Record { .. }) => Ok(page),
        _ => Err(Problem::new(Code::NotAPage)),
    }
}

/// `{ok: value}`.
fn ok<H: Host, T: Serialize>(host: &H, value: &T) -> Result<H::Value, HostError> {
    host.encode(&Answer::Ok(value))
}

/// Answers a message as JavaScript sent it (`message`, from a sender of `kind`): checked,
/// then answered here or, for rare work, by the rare module (rare.rs). `progress` hears how
/// far an import is (the `import` port relays it). A message refused by its shape, its
/// sender or a limit is answered `refused`.
pub async fn handle_message<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    message: &str,
    kind: Sender,
    sender: SenderInfo,
    progress: &dyn Fn(ImportProgress),
) -> Result<H::Value, HostError> {
    match crate::message::parse(message, kind) {
        Ok(request) => answered(bg, request, message, sender, progress).await,
        Err(why) => bg.host.encode(&Answer::<()>::Error(Problem::with_detail(
            Code::Refused,
            why,
        ))),
    }
}

/// Answers one request (already checked against its sender's kind), as a test sends it.
#[cfg(not(target_arch = "wasm32"))]
pub async fn handle<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    request: Request,
    sender: SenderInfo,
) -> Result<H::Value, HostError> {
    handle_reporting(bg, request, sender, &|_| {}).await
}

/// [`handle`], telling `progress` how far an import is.
#[cfg(not(target_arch = "wasm32"))]
pub async fn handle_reporting<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    request: Request,
    sender: SenderInfo,
    progress: &dyn Fn(ImportProgress),
) -> Result<H::Value, HostError> {
    let message = serde_json::to_string(&request).map_err(|e| HostError(e.to_string()))?;
    answered(bg, request, &message, sender, progress).await
}

/// [`answer`]; a port that failed on the way is answered as such (`backgroundFailed`), as
/// every other failure.
pub(super) async fn answered<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    request: Request,
    message: &str,
    sender: SenderInfo,
    progress: &dyn Fn(ImportProgress),
) -> Result<H::Value, HostError> {
    match answer(bg, request, message, sender, progress).await {
        Ok(answer) => Ok(answer),
        Err(error) => bg.host.encode(&Answer::<()>::Error(error.into())),
    }
}

/// The start module leaves the code of rare work out of its build (rare.rs): what only the
/// `rare!` arms use is unused there.
#[cfg_attr(not(feature = "rare"), allow(unused_variables))]
async fn answer<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    request: Request,
    message: &str,
    sender: SenderInfo,
    progress: &dyn Fn(ImportProgress),
) -> Result<H::Value, HostError> {
    // Rare work: the rare module answers it with `$answer`; the start module forwards it.
    #[cfg(feature = "rare")]
    macro_rules! rare {
        ($answer:expr) => {
            if bg.is_rare_module() {
                $answer
            } else {
                super::rare::forward(bg, message, &sender, progress).await
            }
        };
    }
    #[cfg(not(feature = "rare"))]
    macro_rules! rare {
        ($answer:expr) => {
            super::rare::forward(bg, message, &sender, progress).await
        };
    }
    let host = &bg.host;
    let settings = match settings::check_org(bg, &request).await? {
        OrgCheck::Refused(refused) => return Ok(refused),
        OrgCheck::Allowed(settings) => settings,
    };
    match request {
        Request::DetectPage { url } => ok(host, &page::detect_any(&url)),
        Request::GetPanel { url } => {
            // The panel only runs framed in the page it describes, never on its own (its tab
            // is then no web page the extension knows).
            if sender
                .tab_url
                .as_deref()
                .and_then(page::detect_any)
                .is_none()
            {
                return host.encode(&Answer::<()>::refused(Code::PanelNotFramed));
            }
            let url = match tabs_page(&sender, &url) {
                Ok(url) => url,
                Err(problem) => return host.encode(&Answer::<()>::Error(problem)),
            };
            match page::detect_any(&url) {
                Some(AnyPage::Network(NetworkPage::NetworkProfile { profile_id })) => {
                    let shown = panel::profile_panel(bg, &profile_id).await;
                    let matched = panel::ProfilePanel::matched;
                    host.encode(&with_activity(bg, &url, shown, matched, settings).await?)
                }
                Some(AnyPage::Crm(page)) => {
                    let shown = panel::record_panel(bg, &page, sender.cookie_store, settings).await;
                    let matched = panel::RecordPanel::matched;
                    host.encode(&with_activity(bg, &url, shown, matched, None).await?)
                }
                None => host.encode(&Answer::<()>::refused(Code::NotAPage)),
            }
        }
        Request::SyncNow { url } => {
            let started = match tabs_record(&sender, &url) {
                Ok(page) => sync_run::start(bg, &page, sender.cookie_store)
                    .await
                    .map(|()| true)
                    .map_err(Problem::from),
                Err(problem) => Err(problem),
            };
            host.encode(&Answer::from(started))
        }
        Request::MatchedRecords { url, ids } => {
            let url = tabs_page(&sender, &url).unwrap_or_default();
            let matched = match page::detect(&url) {
                Some(Page::List { crm, api_host, .. }) => {
                    panel::matched_records(host, crm, &api_host, &ids).await?
                }
                _ => Vec::new(),
            };
            ok(host, &matched)
        }
        Request::CorrectMatch { url, correction } => rare!({
            let corrected = match tabs_record(&sender, &url) {
                Ok(Page::Record {
                    api_host,
                    record_id,
                    ..
                }) => links::correct(bg, &api_host, &record_id, &correction)
                    .await
                    .map(|()| true)
                    .map_err(Problem::from),
                Ok(_) => Err(Problem::new(Code::NotAPage)),
                Err(problem) => Err(problem),
            };
            host.encode(&Answer::from(corrected))
        }),
        Request::ClearCrmData => {
            links::clear_crm_data(bg).await?;
            ok(host, &true)
        }
        Request::ImportProfiles { format, text } => {
            rare!(ok(
                host,
                &profiles::import(bg, format, &text, progress).await?
            ))
        }
        Request::AddProfile { person } => host.encode(&profiles::add(bg, person).await?),
        Request::CaptureProfile { page } => {
            let tab = sender.tab_url.unwrap_or_default();
            ok(host, &profiles::capture(bg, &tab, &page).await?)
        }
        Request::CountProfiles => ok(host, &profiles::count(host).await?),
        Request::SearchProfiles { query } => ok(host, &profiles::search(bg, &query).await?),
        Request::LinkProfileUrl { url, profile_url } => rare!(match tabs_record(&sender, &url) {
            Ok(Page::Record {
                api_host,
                record_id,
                ..
            }) => match profiles::link_url(bg, &api_host, &record_id, &profile_url).await {
                Ok(answer) => host.encode(&answer),
                Err(failure) => host.encode(&Answer::<bool>::Error(failure.into())),
            },
            Ok(_) => host.encode(&Answer::<bool>::refused(Code::NotAPage)),
            Err(problem) => host.encode(&Answer::<bool>::Error(problem)),
        }),
        Request::LogItem {
            url,
            item,
            copy_to_crm,
        } => match tabs_page(&sender, &url) {
            Ok(url) => host.encode(
                &activity::log_item(bg, &url, item, copy_to_crm, sender.cookie_store).await?,
            ),
            Err(problem) => host.encode(&Answer::<()>::Error(problem)),
        },
        Request::GetActivity { url } => match tabs_page(&sender, &url) {
            Ok(url) => {
                let known = activity::Known {
                    settings,
                    ..activity::Known::default()
                };
                host.encode(&activity::get_activity(bg, &url, known).await?)
            }
            Err(problem) => host.encode(&Answer::<()>::Error(problem)),
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
        Request::ListItems { state } => ok(host, &activity::list_items(host, state).await?),
        Request::SearchRecords { query } => ok(host, &activity::search_records(bg, &query).await?),
        Request::ListAudit => {
            let rows = activity::list_audit(host).await?;
            let rows: Vec<serde_json::Value> = rows
                .into_iter()
                .filter_map(|row| host.decode(row).ok())
                .collect();
            ok(host, &rows)
        }
        Request::ExportItems { state } => {
            rare!(ok(host, &activity::export_items(host, state).await?))
        }
        Request::ExportAudit => rare!(ok(host, &activity::export_audit(host).await?)),
        Request::ListOrgs => rare!(ok(host, &org_admin::list_orgs(host).await?)),
        Request::PrepareOrg { api_host } => rare!({
            let prepared =
                org_admin::prepare_org(host, &api_host, sender.cookie_store.as_deref()).await;
            host.encode(&Answer::from(prepared.map(|()| true)))
        }),
        Request::TestWriteBack { api_host } => rare!({
            let run =
                org_admin::test_write_back(bg, &api_host, sender.cookie_store.as_deref()).await;
            host.encode(&Answer::from(run))
        }),
        Request::RemoveTestRecords { api_host } => rare!({
            let removed =
                org_admin::remove_test_records(host, &api_host, sender.cookie_store.as_deref())
                    .await;
            host.encode(&Answer::from(removed))
        }),
        Request::GetSettings => ok(host, &settings::current(bg).await?),
        Request::SetSetting { key, value } => {
            host.encode(&settings::set_setting(bg, key, &value).await?)
        }
        Request::PolicyFiles => rare!(ok(host, &settings::files(bg).await?)),
        Request::SavedLists => rare!(ok(host, &super::saved::lists(bg).await?)),
        Request::ValidationViews => rare!(ok(host, &super::validation_report::report(bg).await?)),
        Request::FixFlag {
            api_host,
            contact_id,
            fix,
        } => {
            rare!(host
                .encode(&super::validation_report::fix(bg, &api_host, &contact_id, &fix).await?))
        }
        Request::OrgStatuses => ok(host, &org_status::statuses(bg).await?),
        Request::DisconnectOrg { api_host, clear } => {
            host.encode(&org_status::disconnect(bg, &api_host, clear).await?)
        }
        Request::ReconnectOrg { api_host } => {
            host.encode(&org_status::connect_again(bg, &api_host).await?)
        }
        Request::Admin(admin) => {
            rare!(admin_page::handle(bg, admin, sender.cookie_store.as_deref()).await)
        }
    }
}
