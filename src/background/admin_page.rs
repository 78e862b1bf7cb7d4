//! The admin page's requests (docs/org-admin.md), behind [`handle`]: open an org (its
//! state, published settings, the CRM's preferences and every active user with their seat,
//! read at once), connect and disconnect (with "clear all previously imported CRM data"),
//! publish the org's settings, and give or take back one user's seat. Each CRM's side is in
//! [`salesforce`] and [`dynamics`]; every step is safe to run again, and a request that
//! stops says at which step and, for a non-admin, which right to ask the CRM admin for.

mod dynamics;
mod salesforce;
pub mod view;

use serde_json::Value;

use super::org_admin::org_session;
use super::{settings, Background, Failure};
use crate::answer::{Answer, Code, Problem};
use crate::crm::admin::{self, CrmPreferences, OrgState, OrgUser, Published};
use crate::crm::salesforce::Session;
use crate::crm::{Crm, CrmError, CrmErrorKind, HttpRequest, OrgHost};
use crate::host::{Host, HostError};
use crate::message::AdminRequest;
use crate::settings::{resolve, Layer, PolicyLayers, SettingKey};
use crate::store::Meta;
use view::{AdminStep, AdminView, Offered, OrgSettings, SeatUser};

/// Most pages of users or seats one load reads (a CRM whose next link never ends must not
/// keep the page loading): 400,000 Salesforce users, 100,000 in Dataverse.
const MAX_PAGES: usize = 200;

/// Settings the org publishes: not `allowedOrgs` (browser policy's alone) nor `seats`
/// (the CRM's own seat mechanism holds them).
const NOT_PUBLISHED: [SettingKey; 2] = [SettingKey::AllowedOrgs, SettingKey::Seats];

/// The core's own refusals, carried as CRM errors until they become an answer's code.
const SETTINGS_INVALID: &str = "SETTINGS_INVALID";
const NOT_A_USER_ID: &str = "NOT_A_USER_ID";

/// Why a step stopped, before it becomes an answer.
pub(super) struct Stop {
    failure: Failure,
    step: Option<AdminStep>,
}

impl<E: Into<Failure>> From<E> for Stop {
    fn from(error: E) -> Stop {
        Stop {
            failure: error.into(),
            step: None,
        }
    }
}

/// Names the step a CRM error stopped at: `.map_err(at(AdminStep::Users))`.
pub(super) fn at(step: AdminStep) -> impl Fn(CrmError) -> Stop {
    move |error| Stop {
        failure: Failure::Crm(error),
        step: Some(step),
    }
}

/// The org an admin request is for: its CRM and where its requests go.
pub(super) enum Target {
    Salesforce(Session),
    Dynamics(OrgHost),
}

/// What the page shows of the org, as the CRM has it.
pub(super) struct Loaded {
    pub published: Published,
    pub preferences: CrmPreferences,
    pub users: Vec<OrgUser>,
    pub seats: Vec<String>,
}

/// Sends `request` and reads its answer.
pub(super) async fn ask<H: Host, T>(
    host: &H,
    request: &HttpRequest,
    read: impl FnOnce(u16, &str) -> Result<T, CrmError>,
) -> Result<T, CrmError> {
    let answer = host.fetch(request).await;
    read(answer.status, &answer.body).map_err(|mut error| {
        error.retry_after = error.retry_after.or(answer.retry_after);
        error
    })
}

/// Reads one page of a list: its items and the CRM's link to the next page.
pub(super) type ReadPage<T> = dyn Fn(u16, &str) -> Result<(Vec<T>, Option<String>), CrmError>;

/// Every page of a list, following the CRM's next links: `read` gives a page's items and
/// its next link, `next` the request for that link.
/// (The readers are `dyn`: one copy of this loop per item type, not one per list.)
pub(super) async fn all_pages<H: Host, T>(
    host: &H,
    first: HttpRequest,
    next: &dyn Fn(&str) -> Result<HttpRequest, CrmError>,
    read: &ReadPage<T>,
) -> Result<Vec<T>, CrmError> {
    let mut items = Vec::new();
    let mut request = first;
    for _ in 0..MAX_PAGES {
        let (page, link) = ask(host, &request, read).await?;
        items.extend(page);
        match link {
            Some(link) => request = next(&link)?,
            None => return Ok(items),
        }
        // IndexedDB and fetch do not keep a Chrome worker alive; an extension call does.
        host.keep_alive().await;
    }
    Err(CrmError::unexpected(
        200,
        &format!("more than {MAX_PAGES} pages of users"),
    ))
}

/// The org's published settings as a layer (an unreadable entry is left out, as everywhere).
fn layer_of(published: &Published) -> Layer {
    let json: Value = serde_json::from_str(&published.settings).unwrap_or(Value::Null);
    Layer::read(&json, "").0
}

/// The org's state and settings as the page shows them, with this browser's policy locks.
async fn org_settings<H: Host>(
    bg: &Background<H>,
    published: &Published,
) -> Result<OrgSettings, HostError> {
    let policy = settings::policy(bg).await;
    let user = settings::stored_layer(&bg.host, Meta::UserSettings).await?;
    let org = layer_of(published);
    let locks = PolicyLayers {
        locked: policy.locked.clone(),
        ..PolicyLayers::default()
    };
    Ok(OrgSettings {
        state: published.state,
        settings: resolve(&locks, &org, &Layer::default()),
        clear_default: resolve(&policy, &org, &user).clear_on_change,
    })
}

/// The admin's settings to publish: what the page may publish, with what browser policy
/// locks here kept as the org published it; refused when an entry is not what its setting
/// takes (nothing is sent).
fn to_publish(locks: &Layer, draft: &Value, published: &Published) -> Result<String, CrmError> {
    let (draft, problems) = Layer::read(draft, "");
    if let Some(problem) = problems.first() {
        return Err(CrmError::new(
            CrmErrorKind::Rejected,
            0,
            SETTINGS_INVALID,
            &problem.at,
        ));
    }
    let before = layer_of(published).to_json();
    let mut settings = draft.to_json();
    let not_published = NOT_PUBLISHED.map(SettingKey::name);
    for key in not_published {
        settings.remove(key);
    }
    let locked = locks.to_json();
    let locked = locked
        .keys()
        .filter(|k| *k != "neverLog" && !not_published.contains(&k.as_str()));
    for key in locked {
        match before.get(key) {
            Some(value) => settings.insert(key.clone(), value.clone()),
            None => settings.remove(key),
        };
    }
    Ok(Value::Object(settings).to_string())
}

/// A seat change for something that is no user id of the CRM (nothing is sent).
pub(super) fn not_a_user(user_id: &str) -> CrmError {
    CrmError::new(CrmErrorKind::Rejected, 0, NOT_A_USER_ID, user_id)
}

pub(super) fn not_connected() -> CrmError {
    CrmError::new(CrmErrorKind::NotFound, 0, admin::NOT_CONNECTED, "")
}

/// The clear marker after a connect or disconnect: now when the admin chose to clear,
/// else the one already published (seat holders cleared for it once already).
fn cleared<H: Host>(host: &H, clear: bool, before: &Published) -> Option<String> {
    if clear {
        Some(super::activity::iso_utc(host.now_ms()))
    } else {
        before.cleared.clone()
    }
}

async fn target<H: Host>(
    host: &H,
    api_host: &str,
    cookie_store: Option<&str>,
) -> Result<(Crm, Target), Stop> {
    let (crm, org_host, session) = org_session(host, api_host, cookie_store).await?;
    Ok(match session {
        Some(session) => (crm, Target::Salesforce(session)),
        None => (crm, Target::Dynamics(org_host)),
    })
}

async fn open<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    cookie_store: Option<&str>,
) -> Result<AdminView, Stop> {
    let host = &bg.host;
    let (crm, target) = target(host, api_host, cookie_store).await?;
    let loaded = match &target {
        Target::Salesforce(session) => salesforce::load(host, session).await?,
        Target::Dynamics(org) => dynamics::load(host, org).await?,
    };
    let seated = |id: &str| loaded.seats.iter().any(|s| s.eq_ignore_ascii_case(id));
    let users = loaded
        .users
        .iter()
        .map(|u| SeatUser {
            seat: seated(&u.id),
            id: u.id.clone(),
            name: u.name.clone(),
            email: u.email.clone(),
        })
        .collect();
    Ok(AdminView {
        api_host: api_host.to_string(),
        crm,
        org: org_settings(bg, &loaded.published).await?,
        stages: Offered::list(&loaded.preferences.stages),
        money_fields: Offered::list(&loaded.preferences.currency_fields),
        users,
    })
}

/// Writes what `change` makes of the published document, read first.
async fn republish<H: Host>(
    host: &H,
    target: &Target,
    change: impl FnOnce(&Published) -> Result<Published, CrmError>,
) -> Result<Published, Stop> {
    match target {
        Target::Salesforce(session) => salesforce::republish(host, session, change).await,
        Target::Dynamics(org) => dynamics::republish(host, org, change).await,
    }
}

async fn connect<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    cookie_store: Option<&str>,
    draft: &Value,
    clear: bool,
) -> Result<AdminView, Stop> {
    let host = &bg.host;
    let (_, target) = target(host, api_host, cookie_store).await?;
    let locks = settings::policy(bg).await.locked.clone();
    // Settings that would be refused at the end refuse the connect before its first step.
    to_publish(&locks, draft, &Published::not_connected())?;
    // The first settings are the page's; what policy locks is kept as it stood.
    let first = |before: &Published| -> Result<Published, CrmError> {
        Ok(Published {
            state: OrgState::Connected,
            settings: to_publish(&locks, draft, before)?,
            cleared: cleared(host, clear, before),
        })
    };
    match &target {
        Target::Salesforce(session) => salesforce::connect(host, session, first).await?,
        Target::Dynamics(org) => dynamics::connect(host, org, first).await?,
    }
    open(bg, api_host, cookie_store).await
}

async fn disconnect<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    cookie_store: Option<&str>,
    clear: bool,
) -> Result<OrgSettings, Stop> {
    let host = &bg.host;
    let (_, target) = target(host, api_host, cookie_store).await?;
    let published = republish(host, &target, |before| {
        if before.state == OrgState::NotConnected {
            return Err(not_connected());
        }
        Ok(Published {
            state: OrgState::Disconnected,
            settings: before.settings.clone(),
            cleared: cleared(host, clear, before),
        })
    })
    .await?;
    Ok(org_settings(bg, &published).await?)
}

async fn publish<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    cookie_store: Option<&str>,
    draft: &Value,
) -> Result<OrgSettings, Stop> {
    let host = &bg.host;
    let (_, target) = target(host, api_host, cookie_store).await?;
    let locks = settings::policy(bg).await.locked.clone();
    let published = republish(host, &target, |before| {
        if before.state != OrgState::Connected {
            return Err(not_connected());
        }
        Ok(Published {
            settings: to_publish(&locks, draft, before)?,
            ..before.clone()
        })
    })
    .await?;
    Ok(org_settings(bg, &published).await?)
}

async fn set_up_validation<H: Host>(
    host: &H,
    api_host: &str,
    cookie_store: Option<&str>,
) -> Result<(), Stop> {
    let (_, target) = target(host, api_host, cookie_store).await?;
    match &target {
        Target::Salesforce(session) => salesforce::set_up_validation(host, session).await,
        Target::Dynamics(org) => dynamics::set_up_validation(host, org).await,
    }
}

async fn seat<H: Host>(
    host: &H,
    api_host: &str,
    cookie_store: Option<&str>,
    user_id: &str,
    on: bool,
) -> Result<bool, Stop> {
    let (_, target) = target(host, api_host, cookie_store).await?;
    match &target {
        Target::Salesforce(session) => salesforce::seat(host, session, user_id, on).await?,
        Target::Dynamics(org) => dynamics::seat(host, org, user_id, on).await?,
    }
    Ok(on)
}

/// The step's name as the answer spells it.
fn step_name(step: AdminStep) -> Option<String> {
    match serde_json::to_value(step) {
        Ok(Value::String(name)) => Some(name),
        _ => None,
    }
}

/// A stopped request's problem: the core's own refusals by their code, the CRM's with its
/// error (`code: crm`), and the step it stopped at as the detail.
fn problem_of(error: CrmError, step: Option<AdminStep>) -> Problem {
    let problem = match error.code.as_str() {
        admin::NOT_CONNECTED => Problem::new(Code::OrgNotConnected),
        SETTINGS_INVALID => Problem::new(Code::SettingInvalid),
        NOT_A_USER_ID => Problem::new(Code::NotFound),
        _ => Problem::from(error),
    };
    Problem {
        detail: step.and_then(step_name),
        ..problem
    }
}

/// `{ok}` or `{error: Problem}`; a port that failed is the handler's to answer.
fn answer<T>(result: Result<T, Stop>) -> Result<Answer<T>, HostError> {
    match result {
        Ok(ok) => Ok(Answer::Ok(ok)),
        Err(Stop {
            failure: Failure::Host(error),
            ..
        }) => Err(error),
        Err(Stop {
            failure: Failure::Crm(error),
            step,
        }) => Ok(Answer::Error(problem_of(error, step))),
    }
}

/// Answers one admin request for a sender whose tab is in `cookie_store`.
pub async fn handle<H: Host>(
    bg: &Background<H>,
    request: AdminRequest,
    cookie_store: Option<&str>,
) -> Result<H::Value, HostError> {
    let host = &bg.host;
    match &request {
        AdminRequest::Open { api_host } => {
            host.encode(&answer(open(bg, api_host, cookie_store).await)?)
        }
        AdminRequest::Connect {
            api_host,
            settings,
            clear_imported,
        } => {
            let done = connect(bg, api_host, cookie_store, settings, *clear_imported).await;
            host.encode(&answer(done)?)
        }
        AdminRequest::Disconnect {
            api_host,
            clear_imported,
        } => {
            let done = disconnect(bg, api_host, cookie_store, *clear_imported).await;
            host.encode(&answer(done)?)
        }
        AdminRequest::Publish { api_host, settings } => {
            let done = publish(bg, api_host, cookie_store, settings).await;
            host.encode(&answer(done)?)
        }
        AdminRequest::SetUpValidation { api_host } => {
            let done = set_up_validation(host, api_host, cookie_store).await;
            host.encode(&answer(done)?)
        }
        AdminRequest::Seat {
            api_host,
            user_id,
            on,
        } => {
            let done = seat(host, api_host, cookie_store, user_id, *on).await;
            host.encode(&answer(done)?)
        }
    }
}
