//! Rare and long work in a second wasm module, so the module the background loads at every
//! start stays small: imports, CSV exports, the options page's org admin and Test
//! Write-Back, the policy files and the admin page's requests; the org sync with its people
//! index rebuild, corrections, and every re-matching of new or changed profiles.
//! A request is rare when its arm in `handle.rs` is wrapped in `rare!`; the start module's
//! build leaves that code out and asks the host's `rare` port, which loads the rare module
//! the first time and hands it the message as it came. A sync or a re-matching goes the same
//! way as a [`Work`] order.
//!
//! The rare module builds a fresh [`Background`] for each message and keeps nothing between
//! them, so it never holds a stale cache. What it changes that the start module keeps in
//! memory is handed over ([`Handoff`]): the start module drops its typeahead cache when
//! profiles changed, and for each org whose matches changed tells panels and resolves the
//! unresolved items that now match. Items both modules change are changed under the host's
//! items lock, which both share ([`crate::host::Host::lock`]).

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::sync_job::SyncJob;
use super::Background;
use crate::answer::{Answer, Code, Problem};
use crate::background::handle::SenderInfo;
use crate::host::{Host, HostError};
use crate::profiles::api::ImportProgress;

/// What the rare module answers: the request's answer, the profiles it changed and the orgs
/// whose matches changed.
#[derive(Debug, Clone, PartialEq)]
pub struct RareAnswer<V> {
    pub answer: V,
    pub relink: Vec<String>,
    pub links_changed: Vec<String>,
}

/// What the start module does after a message the rare module answered.
#[derive(Debug, Default)]
pub struct Handoff {
    profiles: Vec<String>,
    links: Vec<String>,
}

impl Handoff {
    pub fn profiles_changed(&mut self, ids: &[String]) {
        self.profiles.extend_from_slice(ids);
    }

    pub fn links_changed(&mut self, api_host: String) {
        if !self.links.contains(&api_host) {
            self.links.push(api_host);
        }
    }
}

/// Work the start module hands to the rare module besides messages.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Work {
    /// Run this sync to its end, or to where the org's budget holds it (sync_run.rs).
    RunSync(Box<SyncJob>),
    /// Re-match these profiles in every synced org (links.rs).
    Relink(Vec<String>),
    /// Send the outbox's due items (outbox.rs).
    Flush,
    /// One data validation pass of this org (validation.rs).
    Validate(String),
}

/// The start module's side: the rare module answers `message`, then does what it handed over.
pub async fn forward<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    message: &str,
    sender: &SenderInfo,
    progress: &dyn Fn(ImportProgress),
) -> Result<H::Value, HostError> {
    // The rare module answers every failure of its own; a failed port is one to load it.
    let reply = match bg.host.rare(message, sender, progress).await {
        Ok(reply) => reply,
        Err(why) => {
            let problem = Problem::with_detail(Code::PartNotLoaded, why.0);
            return bg.host.encode(&Answer::<()>::Error(problem));
        }
    };
    hand_over(bg, reply).await
}

/// The start module's side of [`Work`]: the rare module's answer, after what it handed over.
/// A module that could not be loaded is a failed port.
pub async fn work<H: Host>(bg: &Background<H>, work: &Work) -> Result<H::Value, HostError> {
    let message = serde_json::to_string(work).map_err(|e| HostError(e.to_string()))?;
    let reply = bg
        .host
        .rare(&message, &SenderInfo::default(), &|_| {})
        .await?;
    hand_over(bg, reply).await
}

async fn hand_over<H: Host>(
    bg: &Background<H>,
    reply: RareAnswer<H::Value>,
) -> Result<H::Value, HostError> {
    if !reply.relink.is_empty() {
        bg.profile_search.borrow_mut().take();
    }
    for api_host in reply.links_changed {
        bg.links_changed(api_host).await?;
    }
    Ok(reply.answer)
}

/// The rare module's side: answers a message the start module has already checked, or does
/// its [`Work`].
#[cfg(feature = "rare")]
pub async fn answer<H: Host + 'static>(
    host: H,
    indexes: super::Indexes,
    message: &str,
    sender: SenderInfo,
    progress: &dyn Fn(ImportProgress),
) -> Result<RareAnswer<H::Value>, HostError> {
    let bg = Background::in_rare_module(host, indexes);
    // A request first: a message that reached the start module is always one.
    let answer = match serde_json::from_str(message) {
        Ok(request) => super::handle::answered(&bg, request, message, sender, progress).await?,
        Err(not_a_request) => match serde_json::from_str::<Work>(message) {
            Ok(work) => done(&bg, work).await?,
            Err(_) => return Err(HostError(not_a_request.to_string())),
        },
    };
    let handoff = bg.handoff.take().unwrap_or_default();
    Ok(RareAnswer {
        answer,
        relink: handoff.profiles,
        links_changed: handoff.links,
    })
}

#[cfg(feature = "rare")]
async fn done<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    work: Work,
) -> Result<H::Value, HostError> {
    use super::{links, sync_run};
    match work {
        Work::RunSync(job) => {
            let ran = sync_run::run_here(bg, *job).await;
            bg.host.encode(&ran)
        }
        Work::Relink(profile_ids) => {
            links::relink(bg, &profile_ids).await?;
            bg.host.encode(&())
        }
        Work::Flush => {
            super::outbox::flush_due(bg).await?;
            bg.host.encode(&())
        }
        Work::Validate(api_host) => {
            super::validation::pass(bg, &api_host).await?;
            bg.host.encode(&())
        }
    }
}
