//! An item as the `items` store keeps it (docs/writeback.md): what was logged, what it is
//! about, and where it stands. Every change of state is a method here, so the background
//! and its tests agree on what each state allows; field names are the stored ones, so
//! items saved by earlier releases read unchanged.

use serde::{Deserialize, Serialize};

use super::item::{LoggedItem, Target};
use super::outbox::{retry_delay_ms, Entry, Outcome, Progress};
use super::{ItemKind, ItemState, WriteDecision};
use crate::activity_model::Reason;
use crate::crm::{Crm, CrmError, RecordType};

/// What an item was logged on: the network profile, and the CRM record it goes to.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct About {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crm: Option<Crm>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_type: Option<RecordType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_id: Option<String>,
}

impl About {
    /// Points it at a CRM record (the profile fields stay).
    pub fn with_record(mut self, record: About) -> About {
        self.crm = record.crm;
        self.api_host = record.api_host;
        self.page_host = record.page_host;
        self.record_type = record.record_type;
        self.record_id = record.record_id;
        self.record_name = record.record_name;
        self.related_id = record.related_id;
        self
    }
}

/// A logged item, as stored.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredItem {
    #[serde(flatten)]
    pub item: LoggedItem,
    /// When it was saved, ms since the epoch.
    #[serde(default)]
    pub created_at: f64,
    #[serde(default)]
    pub about: About,
    /// The item's Copy to CRM switch.
    #[serde(default)]
    pub copy: bool,
    pub state: ItemState,
    #[serde(default)]
    pub reason: Option<Reason>,
    #[serde(default)]
    pub attempts: u32,
    #[serde(default)]
    pub next_attempt_at: f64,
    /// A write may have reached the CRM without us hearing back: look before writing.
    #[serde(default)]
    pub uncertain: bool,
    #[serde(default)]
    pub progress: Progress,
    #[serde(default)]
    pub error: Option<CrmError>,
    #[serde(default)]
    pub crm_ids: Vec<String>,
    #[serde(default)]
    pub written_at: Option<f64>,
    /// The CRM user who owns the activity, once known.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// The cookie store of the tab it was logged in (its CRM session is found there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie_store: Option<String>,
}

/// A row of the `audit` store (its `seq` is given by the store).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub item_id: String,
    pub kind: ItemKind,
    pub subject: String,
    pub crm: Option<Crm>,
    pub api_host: Option<String>,
    pub record_type: Option<RecordType>,
    pub record_id: Option<String>,
    pub record_name: Option<String>,
    pub crm_ids: Vec<String>,
    pub written_at: Option<f64>,
    pub by: Option<String>,
}

/// A change the item's state does not allow (the outbox or the user moved it meanwhile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrongState(pub ItemState);

impl StoredItem {
    /// A new item, in the state the toggle decision gives it.
    pub fn new(
        item: LoggedItem,
        about: About,
        copy: bool,
        decision: WriteDecision,
        now_ms: f64,
    ) -> StoredItem {
        let reason = local_reason(decision);
        let state = match decision {
            WriteDecision::Write => ItemState::Queued,
            WriteDecision::Unresolved => ItemState::Unresolved,
            _ => ItemState::Local,
        };
        StoredItem {
            item,
            created_at: now_ms,
            about,
            copy,
            state,
            reason,
            attempts: 0,
            next_attempt_at: 0.0,
            uncertain: false,
            progress: Progress::default(),
            error: None,
            crm_ids: Vec::new(),
            written_at: None,
            owner_id: None,
            cookie_store: None,
        }
    }

    pub fn id(&self) -> &str {
        &self.item.id
    }

    /// Waits for the user (Unresolved Activities lists it, the toolbar badge counts it).
    pub fn needs_user(&self) -> bool {
        needs_user(self.state)
    }

    /// Queued and due for a try at `now_ms`.
    pub fn is_due(&self, now_ms: f64) -> bool {
        self.state == ItemState::Queued && self.next_attempt_at <= now_ms
    }

    /// What the outbox hands the CRM mapping, once it knows the owner; `None` without a
    /// record to write on.
    pub fn entry(&self, owner_id: &str) -> Option<Entry> {
        Some(Entry {
            item: self.item.clone(),
            target: Target {
                record_type: self.about.record_type?,
                record_id: self.about.record_id.clone()?,
                related_id: self.about.related_id.clone(),
                owner_id: owner_id.to_string(),
            },
            uncertain: self.uncertain,
            progress: self.progress.clone(),
        })
    }

    /// A request that may write it is about to go: if its answer is lost, look first.
    pub fn mark_uncertain(&mut self) -> bool {
        let changed = !self.uncertain;
        self.uncertain = true;
        changed
    }

    /// Stores what a flush ended with: the batch's bookkeeping (`entry`), then the outcome.
    /// Only a queued item takes it; one discarded or re-targeted meanwhile keeps its state.
    pub fn settle(
        &mut self,
        entry: Option<&Entry>,
        outcome: Option<&Outcome>,
        now_ms: f64,
        jitter: f64,
    ) -> Result<(), WrongState> {
        if self.state != ItemState::Queued {
            return Err(WrongState(self.state));
        }
        if let Some(entry) = entry {
            self.uncertain = entry.uncertain;
            self.owner_id = Some(entry.target.owner_id.clone());
            self.progress = entry.progress.clone();
        }
        match outcome {
            Some(Outcome::Written { crm_ids }) => {
                self.state = ItemState::Written;
                self.crm_ids = crm_ids.clone();
                self.written_at = Some(now_ms);
                self.error = None;
                self.uncertain = false;
            }
            Some(Outcome::Park { error }) => {
                self.state = ItemState::Parked;
                self.error = Some(error.clone());
            }
            Some(Outcome::Retry { error }) => {
                let delay = retry_delay_ms(self.attempts, error.retry_after, jitter);
                self.attempts += 1;
                self.next_attempt_at = now_ms + delay as f64;
                self.error = Some(error.clone());
            }
            // Stays queued: the org's state holds it back.
            Some(
                Outcome::SignIn { error }
                | Outcome::Pause { error, .. }
                | Outcome::Blocked { error },
            ) => {
                self.error = Some(error.clone());
            }
            // No outcome (should not happen): try again later rather than lose it.
            None => {
                let delay = retry_delay_ms(self.attempts, None, jitter);
                self.attempts += 1;
                self.next_attempt_at = now_ms + delay as f64;
            }
        }
        Ok(())
    }

    /// The user asked to send a parked or waiting item again now.
    pub fn retry(&mut self) -> Result<(), WrongState> {
        if !matches!(self.state, ItemState::Parked | ItemState::Queued) {
            return Err(WrongState(self.state));
        }
        self.state = ItemState::Queued;
        self.next_attempt_at = 0.0;
        self.error = None;
        Ok(())
    }

    /// The user confirmed: it stays on this computer only.
    pub fn discard(&mut self) -> Result<(), WrongState> {
        if !self.needs_user() {
            return Err(WrongState(self.state));
        }
        self.state = ItemState::Discarded;
        self.next_attempt_at = 0.0;
        Ok(())
    }

    /// Points it at `record` and queues it: the user picked the record (from unresolved or
    /// parked), or its person now has a confident match (`from` is then only unresolved).
    pub fn resolve(&mut self, record: About, from: &[ItemState]) -> Result<(), WrongState> {
        if !from.contains(&self.state) {
            return Err(WrongState(self.state));
        }
        self.about = std::mem::take(&mut self.about).with_record(record);
        if self.reason == Some(Reason::RecordDeleted) {
            self.reason = None; // it has a record again
        }
        self.state = ItemState::Queued;
        self.attempts = 0;
        self.next_attempt_at = 0.0;
        self.error = None;
        Ok(())
    }

    /// The never-log list now names what a queued or waiting item is about: it stays on
    /// this computer, not written and not deleted, with that reason.
    pub fn never_log(&mut self) -> Result<(), WrongState> {
        self.keep_here(Reason::NeverLogged)
    }

    /// A queued or waiting item stays on this computer for `reason`, not written and not
    /// deleted.
    pub fn keep_here(&mut self, reason: Reason) -> Result<(), WrongState> {
        if !matches!(self.state, ItemState::Queued | ItemState::Unresolved) {
            return Err(WrongState(self.state));
        }
        self.state = ItemState::Local;
        self.reason = Some(reason);
        self.next_attempt_at = 0.0;
        Ok(())
    }

    /// CRM sync is on for the user again: an item kept here only because it was not takes
    /// `decision` (queued, or waiting for a match); any other item is left as it is.
    pub fn release(&mut self, decision: WriteDecision) -> Result<(), WrongState> {
        let waiting = self.reason.is_some_and(Reason::waits_for_access);
        if self.state != ItemState::Local || !waiting {
            return Err(WrongState(self.state));
        }
        self.state = match decision {
            WriteDecision::Write => ItemState::Queued,
            WriteDecision::Unresolved => ItemState::Unresolved,
            _ => ItemState::Local,
        };
        self.reason = local_reason(decision);
        self.attempts = 0;
        self.next_attempt_at = 0.0;
        Ok(())
    }

    /// The CRM deleted the record it is about: it waits in Unresolved Activities, with that
    /// reason, for the user to pick another record. So does one kept here until CRM sync is
    /// on for the user (it would be written to a record that is gone). Written and local-only
    /// items stay.
    pub fn record_deleted(&mut self) -> Result<(), WrongState> {
        let on_its_way = match self.state {
            ItemState::Queued | ItemState::Parked | ItemState::Unresolved => true,
            ItemState::Local => self.reason.is_some_and(Reason::waits_for_access),
            ItemState::Written | ItemState::Discarded => false,
        };
        if !on_its_way {
            return Err(WrongState(self.state));
        }
        self.state = ItemState::Unresolved;
        self.reason = Some(Reason::RecordDeleted);
        self.next_attempt_at = 0.0;
        self.error = None;
        Ok(())
    }

    /// The audit row of a written item.
    pub fn audit(&self) -> AuditEntry {
        AuditEntry {
            item_id: self.item.id.clone(),
            kind: self.item.kind,
            subject: self.item.subject.clone(),
            crm: self.about.crm,
            api_host: self.about.api_host.clone(),
            record_type: self.about.record_type,
            record_id: self.about.record_id.clone(),
            record_name: self.about.record_name.clone(),
            crm_ids: self.crm_ids.clone(),
            written_at: self.written_at,
            by: self.owner_id.clone(),
        }
    }
}

/// Why a decision keeps an item locally only (`None`: it is wanted in the CRM).
pub fn local_reason(decision: WriteDecision) -> Option<Reason> {
    match decision {
        WriteDecision::Write | WriteDecision::Unresolved => None,
        WriteDecision::OffForOrg => Some(Reason::OffForOrg),
        WriteDecision::KindNotSynced => Some(Reason::KindNotSynced),
        WriteDecision::UserNotEnabled => Some(Reason::UserNotEnabled),
        WriteDecision::ToggleOff => Some(Reason::ToggleOff),
        WriteDecision::NeverLogged => Some(Reason::NeverLogged),
    }
}

/// States that wait for the user: the badge counts them, Unresolved Activities lists them.
pub const NEEDS_USER: [ItemState; 2] = [ItemState::Unresolved, ItemState::Parked];

pub fn needs_user(state: ItemState) -> bool {
    NEEDS_USER.contains(&state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::CrmErrorKind;
    use serde_json::json;

    fn logged() -> LoggedItem {
        LoggedItem {
            id: "i1".into(),
            kind: ItemKind::Note,
            subject: "Hi".into(),
            body: "Met".into(),
            occurred_at: "2026-11-24T09:30:00.000Z".into(),
            call: None,
            tags: vec![],
        }
    }

    fn record() -> About {
        About {
            crm: Some(Crm::Salesforce),
            api_host: Some("acme.my.salesforce.com".into()),
            record_type: Some(RecordType::Contact),
            record_id: Some("003000000000001AAA".into()),
            ..About::default()
        }
    }

    fn queued() -> StoredItem {
        StoredItem::new(logged(), record(), true, WriteDecision::Write, 1000.0)
    }

    fn error(kind: CrmErrorKind, status: u16) -> CrmError {
        CrmError::new(kind, status, "CODE", "words")
    }

    #[test]
    fn an_item_kept_while_sync_was_off_for_the_user_is_released_once_and_no_other() {
        let mut held =
            StoredItem::new(logged(), record(), true, WriteDecision::UserNotEnabled, 0.0);
        assert_eq!(held.state, ItemState::Local);
        assert_eq!(held.release(WriteDecision::Write), Ok(()));
        assert_eq!((held.state, held.reason), (ItemState::Queued, None));
        assert!(held.release(WriteDecision::Write).is_err(), "only once");
        let mut off = StoredItem::new(logged(), record(), false, WriteDecision::ToggleOff, 0.0);
        assert!(off.release(WriteDecision::Write).is_err());
        let mut queued = queued();
        queued.keep_here(Reason::OrgDisconnected).unwrap();
        assert_eq!(queued.reason, Some(Reason::OrgDisconnected));
        queued.release(WriteDecision::KindNotSynced).unwrap();
        assert_eq!(
            (queued.state, queued.reason),
            (ItemState::Local, Some(Reason::KindNotSynced))
        );
    }

    #[test]
    fn the_decision_gives_the_state_and_the_reason() {
        assert_eq!(queued().state, ItemState::Queued);
        let off = StoredItem::new(logged(), record(), false, WriteDecision::ToggleOff, 0.0);
        assert_eq!(
            (off.state, off.reason),
            (ItemState::Local, Some(Reason::ToggleOff))
        );
        let waiting = StoredItem::new(
            logged(),
            About::default(),
            true,
            WriteDecision::Unresolved,
            0.0,
        );
        assert_eq!(waiting.state, ItemState::Unresolved);
        assert!(waiting.entry("005").is_none(), "no record to write on");
    }

    #[test]
    fn the_stored_shape_is_the_one_earlier_releases_wrote() {
        let stored = json!({
            "id": "i1", "kind": "note", "subject": "Hi", "body": "Met",
            "occurredAt": "2026-11-24T09:30:00.000Z", "call": null, "tags": [],
            "createdAt": 1000, "about": {"profileId": "p1", "profileName": "Ana",
            "crm": "salesforce", "apiHost": "acme.my.salesforce.com", "pageHost": null,
            "recordType": "contact", "recordId": "003", "recordName": "Ana", "relatedId": null},
            "copy": true, "state": "parked", "reason": null, "attempts": 2, "nextAttemptAt": 0,
            "uncertain": false, "progress": {}, "error": {"kind": "rejected", "code": "X",
            "message": "no", "status": 400, "retryAfter": null}, "crmIds": [], "writtenAt": null,
            "ownerId": "005"
        });
        let item: StoredItem = serde_json::from_value(stored.clone()).unwrap();
        assert_eq!(item.state, ItemState::Parked);
        let again = serde_json::to_value(&item).unwrap();
        for field in stored.as_object().unwrap().keys() {
            assert!(again.get(field).is_some(), "{field} kept");
        }
        assert_eq!(again["about"]["recordId"], "003");
    }

    #[test]
    fn an_item_about_a_deleted_record_waits_for_the_user_with_the_reason() {
        for mut item in [queued(), {
            let mut parked = queued();
            parked.state = ItemState::Parked;
            parked
        }] {
            item.record_deleted().unwrap();
            assert_eq!(
                (item.state, item.reason),
                (ItemState::Unresolved, Some(Reason::RecordDeleted))
            );
            assert!(item.needs_user());
            item.resolve(record(), &[ItemState::Unresolved]).unwrap();
            assert_eq!((item.state, item.reason), (ItemState::Queued, None));
        }
        let mut written = queued();
        written.state = ItemState::Written;
        assert!(
            written.record_deleted().is_err(),
            "a written item stays written"
        );
        let mut kept = StoredItem::new(logged(), record(), false, WriteDecision::ToggleOff, 0.0);
        assert!(kept.record_deleted().is_err(), "a local-only item stays");
        assert_eq!(kept.reason, Some(Reason::ToggleOff));
        let mut held =
            StoredItem::new(logged(), record(), true, WriteDecision::UserNotEnabled, 0.0);
        held.record_deleted().unwrap();
        assert_eq!(
            (held.state, held.reason),
            (ItemState::Unresolved, Some(Reason::RecordDeleted)),
            "kept until sync is on, it would be written to a record that is gone"
        );
    }

    #[test]
    fn outcomes_move_a_queued_item() {
        let mut item = queued();
        let written = Outcome::Written {
            crm_ids: vec!["00T1".into()],
        };
        item.uncertain = true;
        item.settle(None, Some(&written), 5.0, 0.5).unwrap();
        assert_eq!(item.state, ItemState::Written);
        assert_eq!((item.written_at, item.uncertain), (Some(5.0), false));
        assert_eq!(item.audit().crm_ids, vec!["00T1".to_string()]);

        let mut item = queued();
        let retry = Outcome::Retry {
            error: error(CrmErrorKind::Unavailable, 503),
        };
        item.settle(None, Some(&retry), 10_000.0, 1.0).unwrap();
        assert_eq!((item.state, item.attempts), (ItemState::Queued, 1));
        assert_eq!(item.next_attempt_at, 12_000.0);
        item.settle(None, Some(&retry), 20_000.0, 1.0).unwrap();
        assert_eq!(item.next_attempt_at, 24_000.0, "the backoff doubles");

        let mut item = queued();
        let sign_in = Outcome::SignIn {
            error: error(CrmErrorKind::SessionExpired, 401),
        };
        item.settle(None, Some(&sign_in), 0.0, 0.0).unwrap();
        assert_eq!((item.state, item.attempts), (ItemState::Queued, 0));

        let mut item = queued();
        let park = Outcome::Park {
            error: error(CrmErrorKind::Rejected, 400),
        };
        item.settle(None, Some(&park), 0.0, 0.0).unwrap();
        assert_eq!(item.state, ItemState::Parked);
        item.retry().unwrap();
        assert_eq!((item.state, item.error.clone()), (ItemState::Queued, None));
    }

    #[test]
    fn an_item_moved_meanwhile_keeps_its_state() {
        let mut item = queued();
        item.state = ItemState::Parked;
        item.discard().unwrap();
        let written = Outcome::Written { crm_ids: vec![] };
        assert_eq!(
            item.settle(None, Some(&written), 0.0, 0.0),
            Err(WrongState(ItemState::Discarded))
        );
        assert_eq!(item.retry(), Err(WrongState(ItemState::Discarded)));
        assert_eq!(item.discard(), Err(WrongState(ItemState::Discarded)));
    }

    #[test]
    fn resolving_points_it_at_the_record_and_queues_it() {
        let mut item = StoredItem::new(
            logged(),
            About {
                profile_id: Some("p1".into()),
                ..About::default()
            },
            true,
            WriteDecision::Unresolved,
            0.0,
        );
        item.resolve(record(), &[ItemState::Unresolved]).unwrap();
        assert_eq!(item.state, ItemState::Queued);
        assert_eq!(item.about.profile_id.as_deref(), Some("p1"));
        assert!(item.entry("005").is_some());
        assert_eq!(
            item.resolve(record(), &[ItemState::Unresolved]),
            Err(WrongState(ItemState::Queued))
        );
    }
}
