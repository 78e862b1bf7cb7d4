//! The admin page, as data (docs/org-admin.md): pick an org crmsync has seen, see whether
//! it is connected, connect or disconnect it (with "Clear all previously imported CRM
//! data"), edit and publish its settings ([`form`]), give seats from the CRM's own users,
//! run Test Write-Back, and download the settings as browser policy files. The background
//! reads and writes the CRM; this model only shows, asks and says what happened.

pub mod form;
pub mod words;

use crate::background::admin_page::view::{AdminView, OrgSettings};
use crate::crm::admin::OrgState;
use crate::message::{AdminRequest, Request};
use crate::msg;
use crate::pages::options::settings::Listed;
use crate::pages::options::write_back::{Op, Org, Removed, Report, TestRun, WriteBack};
use crate::pages::{PageAction, Problem, Reply, Text};
use crate::settings::policy_files::{self, Published};
use crate::settings::{NeverLogKind, SettingKey};
use crate::writeback::ItemKind;
use form::{Draft, Field};
use words::{failure_text, state_text};

/// What is out to the background (one change at a time; seats may go side by side).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    Loading,
    Connecting,
    Disconnecting,
    Publishing,
    SettingUpValidation,
}

/// One user of the seat list as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub on: bool,
    /// A change of this seat is out.
    pub busy: bool,
}

/// A file to download and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyNote {
    pub filename: &'static str,
    pub note: Text,
}

pub const POLICY_NOTES: [PolicyNote; 3] = [
    PolicyNote {
        filename: "crmsync-chrome-edge-policy.json",
        note: crate::pages::key("policyNoteChrome"),
    },
    PolicyNote {
        filename: "crmsync-chrome-edge-policy.reg",
        note: crate::pages::key("policyNoteReg"),
    },
    PolicyNote {
        filename: "policies.json",
        note: crate::pages::key("policyNoteFirefox"),
    },
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Admin {
    /// The org the page was opened for (`admin.html?org=…`).
    asked: Option<String>,
    orgs: Vec<Org>,
    selected: Option<String>,
    view: Option<AdminView>,
    draft: Draft,
    clear: bool,
    busy: Option<Busy>,
    seats_out: Vec<String>,
    filter: String,
    status: Option<(Text, bool)>,
    pub test: WriteBack,
}

fn layer_json(layer: &crate::settings::Layer) -> serde_json::Value {
    serde_json::Value::Object(layer.to_json())
}

fn send(request: AdminRequest) -> PageAction {
    PageAction::Send(Request::Admin(request))
}

impl Admin {
    pub fn new(asked: Option<String>) -> Admin {
        Admin {
            asked: asked.filter(|a| !a.is_empty()),
            ..Admin::default()
        }
    }

    /// The orgs seen and, when the page was opened for one, that org at once.
    pub fn start(&mut self) -> Vec<PageAction> {
        let mut actions = vec![PageAction::Send(Request::ListOrgs)];
        if let Some(org) = self.asked.clone() {
            actions.extend(self.load(&org));
        }
        actions
    }

    fn load(&mut self, api_host: &str) -> Vec<PageAction> {
        self.selected = Some(api_host.to_string());
        self.view = None;
        self.busy = Some(Busy::Loading);
        self.status = Some((msg!("adminLoading"), false));
        self.test.select(api_host);
        vec![send(AdminRequest::Open {
            api_host: api_host.to_string(),
        })]
    }

    pub fn orgs_listed(&mut self, answer: Reply<Vec<Org>>) -> Vec<PageAction> {
        let Some(orgs) = answer.ok.clone() else {
            self.status = Some((answer.failure(), true));
            return Vec::new();
        };
        self.test.orgs_listed(answer);
        self.orgs = orgs;
        if self.orgs.is_empty() && self.selected.is_none() {
            self.status = Some((msg!("adminNoOrg"), false));
            return Vec::new();
        }
        match (&self.selected, self.orgs.first()) {
            (Some(selected), _) => {
                let selected = selected.clone();
                self.test.select(&selected);
                Vec::new()
            }
            (None, Some(first)) => {
                let first = first.api_host.clone();
                self.load(&first)
            }
            (None, None) => Vec::new(),
        }
    }

    /// The org picker's choices: `(value, label, selected)`.
    pub fn choices(&self) -> Vec<(String, Text, bool)> {
        let mut choices = self.test.choices();
        for choice in &mut choices {
            choice.2 = self.selected.as_deref() == Some(choice.0.as_str());
        }
        if let Some(asked) = self
            .selected
            .as_ref()
            .filter(|s| !choices.iter().any(|c| &c.0 == *s))
        {
            choices.insert(0, (asked.clone(), Text::from(asked.as_str()), true));
        }
        choices
    }

    pub fn select(&mut self, api_host: &str) -> Vec<PageAction> {
        if self.selected.as_deref() == Some(api_host)
            || self.busy.is_some_and(|b| b != Busy::Loading)
        {
            return Vec::new();
        }
        self.load(api_host)
    }

    /// Whether an answer about `api_host` is for the org shown now.
    fn current(&self, api_host: &str) -> bool {
        self.selected.as_deref() == Some(api_host)
    }

    fn set_view(&mut self, view: AdminView) {
        self.draft = Draft::from(&view.org);
        self.clear = view.org.clear_default.value;
        self.view = Some(view);
    }

    fn set_org(&mut self, org: OrgSettings) {
        self.draft = Draft::from(&org);
        if let Some(view) = &mut self.view {
            view.org = org;
        }
    }

    fn failed(&mut self, problem: Option<&Problem>) {
        let crm = self.view.as_ref().map(|v| v.crm).or_else(|| {
            let selected = self.selected.as_deref()?;
            self.orgs
                .iter()
                .find(|o| o.api_host == selected)
                .map(|o| o.crm)
        });
        let crm = crm.unwrap_or(crate::crm::Crm::Salesforce);
        let text = match problem {
            Some(problem) => failure_text(problem, crm),
            None => msg!("activityFailedUnknown"),
        };
        self.status = Some((text, true));
    }

    /// The answer to `open` or `connect`: the org as it is now.
    pub fn view_answered(&mut self, request: &AdminRequest, answer: Reply<AdminView>) {
        if !self.current(request.api_host()) {
            return;
        }
        self.busy = None;
        match answer.ok {
            Some(view) => {
                let connected = matches!(request, AdminRequest::Connect { .. });
                self.set_view(view);
                self.status = connected.then(|| (msg!("adminConnected"), false));
            }
            None => self.failed(answer.error.as_ref()),
        }
    }

    /// The answer to `publish` or `disconnect`: the org's state and settings now.
    pub fn org_answered(&mut self, request: &AdminRequest, answer: Reply<OrgSettings>) {
        if !self.current(request.api_host()) {
            return;
        }
        self.busy = None;
        match answer.ok {
            Some(org) => {
                let done = match request {
                    AdminRequest::Publish { .. } => msg!("adminPublished"),
                    _ => msg!("adminDisconnected"),
                };
                self.set_org(org);
                self.status = Some((done, false));
            }
            None => self.failed(answer.error.as_ref()),
        }
    }

    /// The answer to data validation's setup.
    pub fn validation_answered(&mut self, request: &AdminRequest, answer: Reply<()>) {
        if !self.current(request.api_host()) {
            return;
        }
        self.busy = None;
        match answer.ok {
            Some(()) => self.status = Some((msg!("adminValidationReady"), false)),
            None => self.failed(answer.error.as_ref()),
        }
    }

    /// The answer to a seat change: the seat as it is now.
    pub fn seat_answered(&mut self, request: &AdminRequest, answer: Reply<bool>) {
        let AdminRequest::Seat { user_id, .. } = request else {
            return;
        };
        self.seats_out.retain(|id| id != user_id);
        if !self.current(request.api_host()) {
            return;
        }
        match answer.ok {
            Some(on) => {
                let name = self.set_seat(user_id, on);
                let said = if on {
                    msg!("adminSeatOn", name)
                } else {
                    msg!("adminSeatOff", name)
                };
                self.status = Some((said, false));
            }
            None => self.failed(answer.error.as_ref()),
        }
    }

    /// Marks the seat; the user's name.
    fn set_seat(&mut self, user_id: &str, on: bool) -> String {
        let users = self.view.iter_mut().flat_map(|v| v.users.iter_mut());
        let mut name = user_id.to_string();
        for user in users.filter(|u| u.id == user_id) {
            user.seat = on;
            name = user.name.clone();
        }
        name
    }

    pub fn view(&self) -> Option<&AdminView> {
        self.view.as_ref()
    }

    pub fn busy(&self) -> Option<Busy> {
        self.busy
    }

    pub fn status(&self) -> Option<&(Text, bool)> {
        self.status.as_ref()
    }

    pub fn state(&self) -> Option<OrgState> {
        self.view.as_ref().map(|v| v.org.state)
    }

    /// "Connected to Salesforce", or what else the org is.
    pub fn state_line(&self) -> Option<Text> {
        let view = self.view.as_ref()?;
        Some(state_text(view.org.state, view.crm))
    }

    /// The clear box: ticked, and whether browser policy locks it.
    pub fn clear_box(&self) -> (bool, bool) {
        let locked = self
            .view
            .as_ref()
            .is_some_and(|v| v.org.clear_default.source == crate::settings::Source::Locked);
        (self.clear, locked)
    }

    pub fn clear_switched(&mut self, on: bool) {
        if !self.clear_box().1 {
            self.clear = on;
        }
    }

    fn can_change(&self) -> Option<&AdminView> {
        self.view.as_ref().filter(|_| self.busy.is_none())
    }

    pub fn connect(&mut self) -> Vec<PageAction> {
        let Some(view) = self.can_change() else {
            return Vec::new();
        };
        let request = AdminRequest::Connect {
            api_host: view.api_host.clone(),
            settings: layer_json(&self.draft.to_publish()),
            clear_imported: self.clear,
        };
        self.working(Busy::Connecting);
        vec![send(request)]
    }

    pub fn disconnect(&mut self) -> Vec<PageAction> {
        let Some(view) = self.can_change() else {
            return Vec::new();
        };
        let request = AdminRequest::Disconnect {
            api_host: view.api_host.clone(),
            clear_imported: self.clear,
        };
        self.working(Busy::Disconnecting);
        vec![send(request)]
    }

    pub fn publish(&mut self) -> Vec<PageAction> {
        let Some(view) = self
            .can_change()
            .filter(|v| v.org.state == OrgState::Connected)
        else {
            return Vec::new();
        };
        let request = AdminRequest::Publish {
            api_host: view.api_host.clone(),
            settings: layer_json(&self.draft.to_publish()),
        };
        self.working(Busy::Publishing);
        vec![send(request)]
    }

    /// Creates the Not at Company flag (and Dataverse's views) in a connected org.
    pub fn set_up_validation(&mut self) -> Vec<PageAction> {
        let Some(view) = self
            .can_change()
            .filter(|v| v.org.state == OrgState::Connected)
        else {
            return Vec::new();
        };
        let request = AdminRequest::SetUpValidation {
            api_host: view.api_host.clone(),
        };
        self.working(Busy::SettingUpValidation);
        vec![send(request)]
    }

    fn working(&mut self, busy: Busy) {
        self.busy = Some(busy);
        self.status = Some((msg!("writeBackWorking"), false));
    }

    /// The settings section's fields (none before the org is read).
    pub fn fields(&self) -> Vec<Field> {
        match &self.view {
            Some(view) => self.draft.fields(&view.stages, &view.money_fields),
            None => Vec::new(),
        }
    }

    pub fn switched(&mut self, key: SettingKey, on: bool) -> bool {
        self.draft.switched(key, on)
    }

    pub fn kind_switched(&mut self, kind: ItemKind, on: bool) -> bool {
        self.draft.kind_switched(kind, on)
    }

    pub fn chose(&mut self, key: SettingKey, value: &str) -> bool {
        self.draft.chose(key, value)
    }

    /// Yes/No: everyone with a seat syncs; the seat list is shown for No.
    pub fn auto_sync_all(&self) -> (bool, bool) {
        (
            self.draft.auto_sync_all(),
            self.draft.locked(SettingKey::AutoSyncAll),
        )
    }

    pub fn never_log(&self) -> Vec<Listed> {
        self.draft.never_log()
    }

    /// Adds a never-log entry, or says why not.
    pub fn add_never_log(&mut self, kind: NeverLogKind, text: &str) -> bool {
        if text.trim().is_empty() {
            return false;
        }
        let added = self.draft.add_never_log(kind, text);
        if !added && kind.normal(text).is_none() {
            let label = crate::pages::options::settings::kind_label(kind);
            self.status = Some((msg!("neverLogInvalid", label, text.trim()), true));
        }
        added
    }

    pub fn remove_never_log(&mut self, kind: NeverLogKind, value: &str) {
        self.draft.remove_never_log(kind, value)
    }

    pub fn filter(&mut self, text: &str) {
        self.filter = crate::case::lower(text.trim());
    }

    /// The seat list as filtered: name or e-mail holding the filter's text.
    pub fn seats(&self) -> Vec<SeatRow> {
        let users = self.view.iter().flat_map(|v| &v.users);
        let wanted = |text: &str| crate::case::lower(text).contains(&self.filter);
        users
            .filter(|u| self.filter.is_empty() || wanted(&u.name) || wanted(&u.email))
            .map(|u| SeatRow {
                id: u.id.clone(),
                name: u.name.clone(),
                email: u.email.clone(),
                on: u.seat,
                busy: self.seats_out.contains(&u.id),
            })
            .collect()
    }

    /// "1,005 active users, 12 with CRM sync".
    pub fn seats_summary(&self) -> Option<Text> {
        let users = &self.view.as_ref()?.users;
        let seated = users.iter().filter(|u| u.seat).count();
        Some(msg!("adminSeatsCount", users.len(), seated))
    }

    /// Seats need the org connected (its permission set or team).
    pub fn seats_open(&self) -> bool {
        self.state() == Some(OrgState::Connected)
    }

    pub fn seat_switched(&mut self, user_id: &str, on: bool) -> Vec<PageAction> {
        let Some(view) = self.view.as_ref().filter(|_| self.seats_open()) else {
            return Vec::new();
        };
        if self.seats_out.iter().any(|id| id == user_id)
            || !view.users.iter().any(|u| u.id == user_id)
        {
            return Vec::new();
        }
        let request = AdminRequest::Seat {
            api_host: view.api_host.clone(),
            user_id: user_id.to_string(),
            on,
        };
        self.seats_out.push(user_id.to_string());
        vec![send(request)]
    }

    /// The settings on the page as browser policy files: what is published is locked for
    /// everyone, and with "Auto sync all" No, the seat holders' CRM user ids.
    pub fn download(&self) -> Vec<PageAction> {
        let Some(view) = &self.view else {
            return Vec::new();
        };
        let mut locked = self.draft.to_publish();
        if !self.draft.auto_sync_all() {
            locked.seats = Some(
                view.users
                    .iter()
                    .filter(|u| u.seat)
                    .map(|u| u.id.clone())
                    .collect(),
            );
        }
        let published = Published {
            locked,
            defaults: Default::default(),
        };
        policy_files::files(&published)
            .into_iter()
            .map(|f| PageAction::Download {
                filename: f.filename,
                text: f.text,
            })
            .collect()
    }

    /// Test Write-Back (and Prepare, Remove) for the org shown.
    pub fn run_test(&mut self, op: Op) -> Vec<PageAction> {
        if let Some(selected) = self.selected.clone() {
            self.test.select(&selected);
        }
        self.test.run(op)
    }

    pub fn test_report(&self) -> Option<&Report> {
        self.test.report()
    }

    pub fn test_prepared(&mut self, answer: Reply<bool>) {
        self.test.prepared(answer)
    }

    pub fn test_ran(&mut self, answer: Reply<TestRun>) {
        self.test.tested(answer)
    }

    pub fn test_removed(&mut self, answer: Reply<Removed>) {
        self.test.removed(answer)
    }
}

#[cfg(test)]
mod tests;
