//! Data validation in the seat holder's browser (issue 15): after each sync, when profiles
//! change, and at least every 24 hours, each enabled seat holder's extension checks its own
//! scope (`crate::validation`) and writes the flags that changed, 200 per request. A pass is
//! short and idempotent (a flag is written as a value, not toggled), so a worker the browser
//! stops mid-pass simply runs it again at its next trigger; the alarm outlives the worker.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::outbox::{owner_of, remember, remembered};
use super::panel::OrgSeen;
use super::{links, session, settings, Background, Event, Failure};
use crate::crm::{Crm, CrmError};
use crate::host::{Host, HostError, Key, Query};
use crate::linking::ProfileMatch;
use crate::matching::{MatchLevel, MatchSource, Person};
use crate::profiles::Profile;
use crate::store::{Meta, Store};
use crate::sync::CrmRecord;
use crate::validation::target::Target;
use crate::validation::{in_scope, validate, Dismissals, Finding, FlagChange, FlagOutcome};

/// The alarm of the daily pass over every synced org.
pub const ALARM: &str = "validate";
/// The timer that gathers triggers (a sync's end, changed profiles) into one pass.
pub const TIMER: &str = "validate";
const EVERY_MS: f64 = 24.0 * 3600.0 * 1000.0;
/// After a failed pass (signed out, throttled), the next try.
const RETRY_MS: f64 = 15.0 * 60.0 * 1000.0;
const GATHER_MS: f64 = 2_000.0;

/// A flag the CRM refused, not sent again until the contact changes in the CRM.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Refusal {
    pub contact_id: String,
    pub flagged: bool,
    /// The contact's modification time when it was refused.
    pub modified: Option<String>,
    pub error: CrmError,
}

/// What the org's last pass found (the `validation:` meta entry).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgValidation {
    /// Contacts the CRM holds flagged, as last read and written.
    pub flagged: Vec<String>,
    /// What profiles say of the contacts in scope that left their Account.
    pub findings: Vec<Finding>,
    pub refused: Vec<Refusal>,
    /// When the last pass ended (ms since the epoch).
    pub checked_at: Option<f64>,
    /// Why the last pass stopped, if it did (data validation not set up, signed out…).
    pub problem: Option<CrmError>,
    /// Flags the last pass wrote, and the write requests it took.
    pub written: u32,
    pub write_requests: u32,
}

/// The start module's side: a pass of `api_host` soon, gathered with other triggers.
pub fn soon<H: Host>(bg: &Background<H>, api_host: &str) {
    bg.validate_pending
        .borrow_mut()
        .insert(api_host.to_string());
    bg.host.set_timer(TIMER, Some(GATHER_MS));
}

/// The gathered passes, each in the rare module.
pub async fn run_pending<H: Host>(bg: &Background<H>) -> Result<(), HostError> {
    let hosts: Vec<String> = std::mem::take(&mut *bg.validate_pending.borrow_mut())
        .into_iter()
        .collect();
    for api_host in hosts {
        super::rare::work(bg, &super::rare::Work::Validate(api_host)).await?;
    }
    Ok(())
}

/// The daily pass: every synced org.
pub async fn run_all<H: Host>(bg: &Background<H>) -> Result<(), HostError> {
    for api_host in links::synced_hosts(&bg.host).await? {
        super::rare::work(bg, &super::rare::Work::Validate(api_host)).await?;
    }
    Ok(())
}

/// The rare module's side: one pass of the org, if data validation is on for the user there.
pub async fn pass<H: Host>(bg: &Background<H>, api_host: &str) -> Result<(), HostError> {
    let scope = settings::for_org(bg, api_host).await?;
    let on = scope.all.data_validation.value && scope.access.enabled();
    if !on || !scope.all.org_allowed(api_host) {
        return Ok(());
    }
    let host = &bg.host;
    let Some(org) = remembered::<H, OrgSeen>(host, &Meta::Org(api_host).key()).await else {
        return Ok(()); // never seen on a page: no session to look for
    };
    let key = Meta::Validation(api_host).key();
    let mut state: OrgValidation = remembered(host, &key).await.unwrap_or_default();
    state.written = 0;
    state.write_requests = 0;
    let outcome = check(bg, org, api_host, &mut state).await;
    state.problem = match outcome {
        Ok(()) => None,
        Err(Failure::Crm(error)) => Some(error),
        Err(Failure::Host(error)) => return Err(error),
    };
    let now = host.now_ms();
    state.checked_at = Some(now);
    let next = if state.problem.is_some() {
        RETRY_MS
    } else {
        EVERY_MS
    };
    remember(host, key, &state).await?;
    host.set_alarm(ALARM, Some(now + next));
    host.broadcast(&Event::ValidationChanged {
        api_host: api_host.to_string(),
    });
    Ok(())
}

async fn check<H: Host>(
    bg: &Background<H>,
    org: OrgSeen,
    api_host: &str,
    state: &mut OrgValidation,
) -> Result<(), Failure> {
    let host = &bg.host;
    let session = match org.crm {
        Crm::Salesforce => session::salesforce(host, &org.page_host, api_host, None).await,
        Crm::Dynamics => None,
    };
    let target = Target::new(org.crm, api_host, session.clone())?;
    let mut flagged = read_flagged(host, &target).await?;
    let mut records = records_of(host, api_host).await?;
    for r in records.iter_mut().filter(|r| r.person.is_some()) {
        r.not_at_company = Some(flagged.contains(&r.id));
    }
    let me = owner_of(host, org.crm, api_host, session.as_ref()).await?;
    let profiles = linked_profiles(host, api_host).await?;
    let linked: HashMap<&str, &Person> = profiles.iter().map(|(c, p)| (c.as_str(), p)).collect();
    let dismissals: Dismissals = remembered(host, &Meta::Dismissals(api_host).key())
        .await
        .unwrap_or_default();
    let scope = in_scope(&records, &[me]);
    let found = validate(&records, &scope, &linked, &dismissals);
    let modified: HashMap<&str, Option<&String>> = records
        .iter()
        .map(|r| (r.id.as_str(), r.modified.as_ref()))
        .collect();
    // A refusal stands while the contact is unchanged and the same flag is wanted.
    let wanted: HashSet<&FlagChange> = found.changes.iter().collect();
    state.refused.retain(|r| {
        let same = FlagChange {
            contact_id: r.contact_id.clone(),
            flagged: r.flagged,
        };
        wanted.contains(&same)
            && modified.get(r.contact_id.as_str()).copied().flatten() == r.modified.as_ref()
    });
    let refused: HashSet<&str> = state
        .refused
        .iter()
        .map(|r| r.contact_id.as_str())
        .collect();
    let changes: Vec<FlagChange> = found
        .changes
        .iter()
        .filter(|c| !refused.contains(c.contact_id.as_str()))
        .cloned()
        .collect();
    state.findings = found.findings;
    let mut new_refusals = Vec::new();
    let result = write(
        host,
        &target,
        &changes,
        &mut flagged,
        state,
        |change, error| {
            new_refusals.push(Refusal {
                contact_id: change.contact_id.clone(),
                flagged: change.flagged,
                modified: modified
                    .get(change.contact_id.as_str())
                    .copied()
                    .flatten()
                    .cloned(),
                error,
            })
        },
    )
    .await;
    state.refused.extend(new_refusals);
    state.flagged = flagged.into_iter().collect();
    result
}

/// Sends the changes, 200 per request; `flagged` follows what was written.
async fn write<H: Host>(
    host: &H,
    target: &Target,
    changes: &[FlagChange],
    flagged: &mut BTreeSet<String>,
    state: &mut OrgValidation,
    mut refuse: impl FnMut(&FlagChange, CrmError),
) -> Result<(), Failure> {
    for write in target.write_requests(changes) {
        host.keep_alive().await;
        let answer = host.fetch(&write.request).await;
        state.write_requests += 1;
        let outcomes =
            target.read_write(&write, answer.status, &answer.body, answer.retry_after)?;
        for (change, outcome) in write.changes.iter().zip(outcomes) {
            match outcome {
                FlagOutcome::Written => {
                    state.written += 1;
                    if change.flagged {
                        flagged.insert(change.contact_id.clone());
                    } else {
                        flagged.remove(&change.contact_id);
                    }
                }
                FlagOutcome::Refused(error) => refuse(change, error),
                FlagOutcome::Retry(_) => {} // the next pass sends it again
            }
        }
    }
    Ok(())
}

/// Every flagged contact of the org, page by page.
async fn read_flagged<H: Host>(host: &H, target: &Target) -> Result<BTreeSet<String>, Failure> {
    let mut flagged = BTreeSet::new();
    let mut next: Option<String> = None;
    loop {
        let request = target.flagged_request(next.as_deref())?;
        let answer = host.fetch(&request).await;
        let (ids, following) = target
            .read_flagged(answer.status, &answer.body)
            .map_err(not_set_up_said_so)?;
        flagged.extend(ids);
        match following {
            Some(link) => next = Some(link),
            None => return Ok(flagged),
        }
    }
}

/// An org without the flag says so in words the user can act on.
fn not_set_up_said_so(error: CrmError) -> CrmError {
    if Target::not_set_up(&error) {
        CrmError {
            code: "NOT_SET_UP".into(),
            message: "Data validation is not set up in this org: an admin runs its setup on crmsync's admin page.".into(),
            ..error
        }
    } else {
        error
    }
}

pub(super) async fn records_of<H: Host>(
    host: &H,
    api_host: &str,
) -> Result<Vec<CrmRecord>, HostError> {
    let query = Query::Index {
        index: "byHost",
        key: Key::Text(api_host.to_string()),
    };
    Ok(links::decode_all(
        host,
        host.get_all(Store::Records, &query).await?,
    ))
}

/// Each contact's linked profile: a sure match or the user's own link.
pub(super) async fn linked_profiles<H: Host>(
    host: &H,
    api_host: &str,
) -> Result<Vec<(String, Person)>, HostError> {
    let query = Query::Index {
        index: "byHost",
        key: Key::Text(api_host.to_string()),
    };
    let matches: Vec<ProfileMatch> =
        links::decode_all(host, host.get_all(Store::Matches, &query).await?);
    let sure: Vec<(String, String)> = matches
        .into_iter()
        .filter(|m| m.level == MatchLevel::Match || m.source == MatchSource::ManualLink)
        .filter_map(|m| Some((m.record_id?, m.profile_id)))
        .collect();
    let keys: Vec<Key> = sure.iter().map(|(_, p)| Key::Text(p.clone())).collect();
    let found = host.get_many(Store::Profiles, &keys).await?;
    Ok(sure
        .into_iter()
        .zip(found)
        .filter_map(|((record, _), value)| {
            let profile: Profile = host.decode(value?).ok()?;
            Some((record, profile.person))
        })
        .collect())
}
