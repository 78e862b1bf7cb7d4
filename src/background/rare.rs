//! Rare work in a second wasm module, so the module the background loads at every start
//! stays small: imports, CSV exports, the options page's org admin and Test Write-Back, the
//! policy files and the admin page's requests. A request is rare when its arm in
//! `handle.rs` is wrapped in `rare!`; the start module's build leaves that code out and asks
//! the host's `rare` port, which loads the rare module the first time and hands it the
//! message as it came.
//!
//! The rare module builds a fresh [`Background`] for each message and keeps nothing between
//! them, so it never holds a stale cache. It changes no item: it stores profiles and `meta`
//! entries only, and leaves re-matching the profiles it changed to the start module, which
//! owns the items lock (re-matching resolves unresolved items), the people indexes and the
//! typeahead's cache.

use std::rc::Rc;

use super::{links, Background};
use crate::answer::{Answer, Code, Problem};
use crate::background::handle::SenderInfo;
use crate::host::{Host, HostError};
use crate::profiles::api::ImportProgress;

/// What the rare module answers: the request's answer, and the profiles it changed.
#[derive(Debug, Clone, PartialEq)]
pub struct RareAnswer<V> {
    pub answer: V,
    pub relink: Vec<String>,
}

/// The start module's side: the rare module answers `message`, then the profiles it changed
/// are re-matched here.
pub async fn forward<H: Host + 'static>(
    bg: &Rc<Background<H>>,
    message: &str,
    sender: &SenderInfo,
    progress: &dyn Fn(ImportProgress),
) -> Result<H::Value, HostError> {
    // The rare module answers every failure of its own; a failed port is one to load it.
    let RareAnswer { answer, relink } = match bg.host.rare(message, sender, progress).await {
        Ok(reply) => reply,
        Err(why) => {
            let problem = Problem::with_detail(Code::PartNotLoaded, why.0);
            return bg.host.encode(&Answer::<()>::Error(problem));
        }
    };
    if !relink.is_empty() {
        bg.profile_search.borrow_mut().take();
        links::relink(bg, &relink).await?;
    }
    Ok(answer)
}

/// The rare module's side: answers a message the start module has already checked.
#[cfg(feature = "rare")]
pub async fn answer<H: Host + 'static>(
    host: H,
    message: &str,
    sender: SenderInfo,
    progress: &dyn Fn(ImportProgress),
) -> Result<RareAnswer<H::Value>, HostError> {
    let bg = Background::in_rare_module(host);
    let request = serde_json::from_str(message).map_err(|e| HostError(e.to_string()))?;
    let answer = super::handle::answered(&bg, request, message, sender, progress).await?;
    let relink = bg.rare_relinks.take().unwrap_or_default();
    Ok(RareAnswer { answer, relink })
}
