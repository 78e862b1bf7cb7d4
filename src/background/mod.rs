//! The background's logic, driving the host's ports ([`crate::host::Host`]): the panel's
//! answer for a page, the org sync (a resumable job), profiles (imports, captures, manual
//! entry, the typeahead), profile ↔ record links and their corrections. The wasm boundary (`src/wasm/background.rs`) only converts; unit tests run
//! all of it natively against the in-memory host.

pub mod activity;
pub mod admin_page;
pub mod budget;
pub mod handle;
pub mod links;
pub mod lock;
pub mod org_admin;
pub mod org_status;
pub mod outbox;
pub mod panel;
pub mod profiles;
pub mod rare;
pub mod record_removal;
pub mod saved;
pub mod seat;
pub mod session;
pub mod settings;
pub mod sync_deletions;
pub mod sync_job;
pub mod sync_run;
pub mod validation;
pub mod validation_report;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use serde::Serialize;

use crate::crm::CrmError;
use crate::host::{Host, HostError};
use crate::matching::MatchIndex;

/// What the background tells open panels (and its own listeners in JS).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Event {
    /// Matches of this org changed (a sync, a correction, new profiles).
    LinksChanged { api_host: String },
    /// The org's sync stopped with this error (it resumes from where it stood).
    SyncFailed { api_host: String, error: CrmError },
    /// These items changed state (open panels and pages reload them).
    ActivityChanged { ids: Vec<String> },
    /// The org's data validation pass ended (the views read it again).
    ValidationChanged { api_host: String },
    /// The effective settings changed (browser policy, the org's or the user's).
    SettingsChanged,
    /// Sent to one panel when the background takes its port: what is broadcast from now on
    /// reaches it, and what was broadcast before did not.
    PanelConnected,
}

/// A failure of the background itself (a port), or of the CRM.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Host(HostError),
    Crm(CrmError),
}

impl From<HostError> for Failure {
    fn from(error: HostError) -> Self {
        Failure::Host(error)
    }
}

impl From<CrmError> for Failure {
    fn from(error: CrmError) -> Self {
        Failure::Crm(error)
    }
}

impl Failure {
    /// As a CRM error a panel can show (a port failure reads as "unexpected").
    pub fn into_crm(self) -> CrmError {
        match self {
            Failure::Crm(error) => error,
            Failure::Host(error) => CrmError::unexpected(0, &error.0),
        }
    }
}

impl From<Failure> for crate::answer::Problem {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Crm(error) => error.into(),
            Failure::Host(error) => error.into(),
        }
    }
}

impl From<HostError> for crate::answer::Problem {
    fn from(error: HostError) -> Self {
        crate::answer::Problem::with_detail(crate::answer::Code::BackgroundFailed, error.0)
    }
}

/// The background: the host, and what it keeps in memory while the worker lives.
/// People indexes per org in memory. Only the rare module builds them; one it kept from an
/// earlier message is used while the store still holds that org's index (links.rs).
pub type Indexes = Rc<RefCell<HashMap<String, Rc<MatchIndex>>>>;

pub struct Background<H: Host> {
    pub host: H,
    /// Orgs whose sync this worker is driving now.
    syncing: RefCell<HashSet<String>>,
    /// People indexes per org, loaded once from the store (the rare module's outlive each
    /// message: [`Indexes`]).
    indexes: Indexes,
    /// The typeahead's profiles, dropped whenever profiles change.
    profile_search: RefCell<Option<Rc<profiles::SearchCache>>>,
    /// A flush of the outbox is running; another was asked for meanwhile.
    flushing: Cell<bool>,
    flush_again: Cell<bool>,
    /// The name search over synced records, and the sync times it was built at.
    record_search: RefCell<Option<(String, Rc<crate::writeback::resolve::RecordSearch>)>>,
    /// The browser policy as last read (read again when the browser says it changed).
    policy: RefCell<Option<Rc<crate::settings::PolicyLayers>>>,
    /// In the rare module only: what the start module does after this message (rare.rs).
    handoff: RefCell<Option<rare::Handoff>>,
    /// Orgs whose data validation pass waits for the gathering timer (validation.rs).
    validate_pending: RefCell<std::collections::BTreeSet<String>>,
}

impl<H: Host + 'static> Background<H> {
    pub fn new(host: H) -> Rc<Self> {
        Self::with_indexes(host, Indexes::default())
    }

    fn with_indexes(host: H, indexes: Indexes) -> Rc<Self> {
        Rc::new(Background {
            host,
            syncing: RefCell::new(HashSet::new()),
            indexes,
            profile_search: RefCell::new(None),
            flushing: Cell::new(false),
            flush_again: Cell::new(false),
            record_search: RefCell::new(None),
            policy: RefCell::new(None),
            handoff: RefCell::new(None),
            validate_pending: RefCell::new(Default::default()),
        })
    }

    /// The background of the rare module, for one message (rare.rs), with the indexes it
    /// keeps while the worker lives.
    #[cfg(feature = "rare")]
    fn in_rare_module(host: H, indexes: Indexes) -> Rc<Self> {
        let bg = Background::with_indexes(host, indexes);
        bg.handoff.replace(Some(rare::Handoff::default()));
        bg
    }

    #[cfg(feature = "rare")]
    fn is_rare_module(&self) -> bool {
        self.handoff.borrow().is_some()
    }

    /// The worker started (or woke for an alarm): syncs it was driving when the browser
    /// stopped it carry on from their checkpoints, and the outbox flushes soon.
    pub async fn start(self: &Rc<Self>) -> Result<(), HostError> {
        outbox::wake(&self.host, outbox::GATHER_MS);
        activity::refresh_badge(&self.host).await?;
        sync_run::resume_all(self).await
    }

    /// A timer set with [`Host::set_timer`] fired.
    pub async fn on_timer(self: &Rc<Self>, name: &str) -> Result<(), HostError> {
        match name {
            outbox::TIMER => outbox::flush(self).await,
            validation::TIMER => validation::run_pending(self).await,
            _ => Ok(()),
        }
    }

    /// An alarm set with [`Host::set_alarm`] fired (the worker may have just started).
    pub async fn on_alarm(self: &Rc<Self>, name: &str) -> Result<(), HostError> {
        match name {
            sync_run::ALARM => sync_run::resume_all(self).await,
            outbox::ALARM => outbox::flush(self).await,
            validation::ALARM => validation::run_all(self).await,
            _ => Ok(()),
        }
    }

    pub fn is_syncing(&self, api_host: &str) -> bool {
        self.syncing.borrow().contains(api_host)
    }
}

impl<H: Host> Background<H> {
    /// Matches of an org changed: panels hear of it, and unresolved items whose person now
    /// has a confident match leave Unresolved ("completing the sync"), in the start module.
    pub async fn links_changed(&self, api_host: String) -> Result<(), HostError> {
        if let Some(handoff) = self.handoff.borrow_mut().as_mut() {
            handoff.links_changed(api_host);
            return Ok(());
        }
        validation::soon(self, &api_host);
        self.host.broadcast(&Event::LinksChanged { api_host });
        activity::resolve_matched(self).await.map(drop)
    }
}

// Natively only: the in-memory host is not built for wasm.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod admin_page_fakes;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod admin_page_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod deletions_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod limits_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod outbox_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod profiles_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod seat_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod settings_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod validation_tests;
