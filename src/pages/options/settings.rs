//! The options page's settings: each effective setting with its control and where its value
//! comes from ("Set by your administrator" and no control that works for what browser
//! policy locks; "Default set by your administrator" for a policy default the user may
//! change), the policy's problems in words, the never-log list, and the admin's download of
//! the settings as policy files. The background decides; this only shows and asks.

use serde_json::Value;

use crate::message::Request;
use crate::msg;
use crate::pages::{key, PageAction, Reply, Text};
use crate::settings::layer::Issue;
use crate::settings::policy_files::PolicyFile;
use crate::settings::{CrmChoice, Effective, NeverLog, NeverLogKind, Resolved, SettingKey, Source};
use crate::writeback::ItemKind;

/// A setting's control, with what it shows now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    Switch(bool),
    /// A CRM field or stage by API name; empty is "Not sure".
    Choice(String),
    /// Hosts or ids, one per line.
    Lines(Vec<String>),
    Kinds(Vec<(ItemKind, bool)>),
}

/// One setting as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: SettingKey,
    pub label: Text,
    pub control: Control,
    pub source: Source,
    /// Where the value comes from, when anyone set it.
    pub note: Option<Text>,
}

impl Row {
    /// An admin set it: shown, not changeable.
    pub fn locked(&self) -> bool {
        self.source.binds_user()
    }

    /// The user's own choice can go back to the default.
    pub fn resettable(&self) -> bool {
        self.source == Source::User
    }
}

/// One never-log entry as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub kind: NeverLogKind,
    pub value: String,
    pub note: Option<Text>,
    /// The user's own entry (an admin's stays).
    pub removable: bool,
}

pub fn source_note(source: Source) -> Option<Text> {
    match source {
        Source::Locked => Some(msg!("sourceLocked")),
        Source::Organization => Some(msg!("sourceOrganization")),
        Source::PolicyDefault => Some(msg!("sourcePolicyDefault")),
        Source::User => Some(msg!("sourceUser")),
        Source::BuiltIn => None,
    }
}

pub fn kind_label(kind: NeverLogKind) -> Text {
    match kind {
        NeverLogKind::Email => msg!("neverLogEmail"),
        NeverLogKind::Domain => msg!("neverLogDomain"),
        NeverLogKind::Profile => msg!("neverLogProfile"),
        NeverLogKind::Record => msg!("neverLogRecord"),
    }
}

/// A setting's label (the admin page shows the same).
pub fn label(key: SettingKey) -> Text {
    match key {
        SettingKey::AllowedOrgs => msg!("settingAllowedOrgs"),
        SettingKey::AutoSyncAll => msg!("settingAutoSyncAll"),
        SettingKey::Seats => msg!("settingSeats"),
        SettingKey::WriteBack => msg!("settingWriteBack"),
        SettingKey::WriteBackKinds => msg!("settingWriteBackKinds"),
        SettingKey::ToggleDefaultOn => msg!("settingToggleDefaultOn"),
        SettingKey::PipelineStage => msg!("settingPipelineStage"),
        SettingKey::WonValueField => msg!("settingWonValueField"),
        SettingKey::NeverLog => msg!("neverLogHeading"),
        SettingKey::DataValidation => msg!("settingDataValidation"),
        SettingKey::ClearOnChange => msg!("settingClearOnChange"),
    }
}

fn row<T>(key: SettingKey, effective: &Effective<T>, control: Control) -> Row {
    Row {
        key,
        label: label(key),
        control,
        source: effective.source,
        note: source_note(effective.source),
    }
}

fn choice(value: &CrmChoice) -> Control {
    Control::Choice(String::from(value.clone()))
}

/// A policy problem in words: where, and what is wrong.
pub fn problem_text(problem: &crate::settings::LayerProblem) -> Text {
    let at = if problem.at.is_empty() {
        msg!("policyWhole")
    } else {
        Text::from(problem.at.as_str())
    };
    match &problem.issue {
        Issue::NotAnObject => msg!("policyNotAnObject", at),
        Issue::UnknownKey => msg!("policyUnknownKey", at),
        Issue::WrongType => msg!("policyWrongType", at),
        Issue::BadHost { value } => msg!("policyBadHost", at, value.as_str()),
        Issue::BadEntry { value } => msg!("policyBadEntry", at, value.as_str()),
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    resolved: Option<Resolved>,
    status: Option<Text>,
    error: bool,
}

impl Settings {
    pub fn start() -> PageAction {
        PageAction::Send(Request::GetSettings)
    }

    /// The `getSettings` or `setSetting` answer.
    pub fn answered(&mut self, answer: Reply<Resolved>, after_change: bool) {
        self.error = answer.failed();
        self.status = match (&answer.ok, &answer.error) {
            (Some(resolved), None) => {
                self.resolved = Some(resolved.clone());
                after_change.then(|| msg!("settingSaved"))
            }
            _ => Some(answer.failure()),
        };
    }

    pub fn status(&self) -> Option<(&Text, bool)> {
        self.status.as_ref().map(|s| (s, self.error))
    }

    pub fn rows(&self) -> Vec<Row> {
        let Some(r) = &self.resolved else {
            return Vec::new();
        };
        let kinds = ItemKind::ALL
            .into_iter()
            .map(|k| (k, r.write_back_kinds.value.contains(&k)))
            .collect();
        let switch = |key, e: &Effective<bool>| row(key, e, Control::Switch(e.value));
        let lines = |key, e: &Effective<Vec<String>>| row(key, e, Control::Lines(e.value.clone()));
        let pick = |key, e: &Effective<CrmChoice>| row(key, e, choice(&e.value));
        vec![
            switch(SettingKey::WriteBack, &r.write_back),
            row(
                SettingKey::WriteBackKinds,
                &r.write_back_kinds,
                Control::Kinds(kinds),
            ),
            switch(SettingKey::ToggleDefaultOn, &r.toggle_default_on),
            switch(SettingKey::AutoSyncAll, &r.auto_sync_all),
            lines(SettingKey::Seats, &r.seats),
            lines(SettingKey::AllowedOrgs, &r.allowed_orgs),
            pick(SettingKey::PipelineStage, &r.pipeline_stage),
            pick(SettingKey::WonValueField, &r.won_value_field),
            switch(SettingKey::DataValidation, &r.data_validation),
            switch(SettingKey::ClearOnChange, &r.clear_on_change),
        ]
    }

    pub fn problems(&self) -> Vec<Text> {
        let problems = self.resolved.as_ref().map(|r| r.problems.as_slice());
        problems
            .unwrap_or_default()
            .iter()
            .map(problem_text)
            .collect()
    }

    pub fn never_log(&self) -> Vec<Listed> {
        let entries = self.resolved.as_ref().map(|r| r.never_log.as_slice());
        entries
            .unwrap_or_default()
            .iter()
            .map(|e| Listed {
                kind: e.kind,
                value: e.value.clone(),
                note: source_note(e.source).filter(|_| e.source != Source::User),
                removable: e.source == Source::User,
            })
            .collect()
    }

    fn set(&self, key: SettingKey, value: Value) -> Vec<PageAction> {
        let locked = self.rows().iter().any(|r| r.key == key && r.locked());
        if locked || self.resolved.is_none() {
            return Vec::new();
        }
        vec![PageAction::Send(Request::SetSetting { key, value })]
    }

    /// A switch was turned to `on`.
    pub fn switched(&self, key: SettingKey, on: bool) -> Vec<PageAction> {
        self.set(key, Value::Bool(on))
    }

    /// One kind's box in the kinds row was ticked or cleared.
    pub fn kind_switched(&self, kind: ItemKind, on: bool) -> Vec<PageAction> {
        let Some(r) = &self.resolved else {
            return Vec::new();
        };
        let kinds: Vec<Value> = ItemKind::ALL
            .into_iter()
            .filter(|k| {
                if *k == kind {
                    on
                } else {
                    r.write_back_kinds.value.contains(k)
                }
            })
            .filter_map(|k| serde_json::to_value(k).ok())
            .collect();
        self.set(SettingKey::WriteBackKinds, Value::Array(kinds))
    }

    /// A text control's new text: a choice as it is, lines split at commas and line ends.
    pub fn typed(&self, key: SettingKey, text: &str) -> Vec<PageAction> {
        match key {
            SettingKey::AllowedOrgs | SettingKey::Seats => {
                let lines = text
                    .split([',', '\n'])
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(Value::from);
                self.set(key, Value::Array(lines.collect()))
            }
            _ => self.set(key, Value::from(text.trim())),
        }
    }

    /// The user's choice goes back to the default.
    pub fn reset(&self, key: SettingKey) -> Vec<PageAction> {
        self.set(key, Value::Null)
    }

    /// The user's own never-log entries.
    fn user_list(&self) -> NeverLog {
        let mut list = NeverLog::default();
        for entry in self.never_log().into_iter().filter(|e| e.removable) {
            list.entries_mut(entry.kind).push(entry.value);
        }
        list
    }

    fn send_list(&self, list: NeverLog) -> Vec<PageAction> {
        match serde_json::to_value(list) {
            Ok(value) => self.set(SettingKey::NeverLog, value),
            Err(_) => Vec::new(),
        }
    }

    /// Adds an entry to the user's never-log list; the background says whether it is one.
    pub fn add_never_log(&mut self, kind: NeverLogKind, text: &str) -> Vec<PageAction> {
        let text = text.trim();
        if text.is_empty() {
            return Vec::new();
        }
        if kind.normal(text).is_none() {
            self.status = Some(msg!("neverLogInvalid", kind_label(kind), text));
            self.error = true;
            return Vec::new();
        }
        let mut list = self.user_list();
        list.entries_mut(kind).push(text.to_string());
        self.send_list(list)
    }

    pub fn remove_never_log(&self, kind: NeverLogKind, value: &str) -> Vec<PageAction> {
        let mut list = self.user_list();
        list.entries_mut(kind).retain(|v| v != value);
        self.send_list(list)
    }

    /// The admin downloads the settings as policy files.
    pub fn download(&self) -> Vec<PageAction> {
        vec![PageAction::Send(Request::PolicyFiles)]
    }

    /// The `policyFiles` answer: each file saved.
    pub fn files(&mut self, answer: Reply<Vec<PolicyFile>>) -> Vec<PageAction> {
        match answer.ok {
            Some(files) if answer.error.is_none() => files
                .into_iter()
                .map(|f| PageAction::Download {
                    filename: f.filename,
                    text: f.text,
                })
                .collect(),
            _ => {
                self.status = Some(answer.failure());
                self.error = true;
                Vec::new()
            }
        }
    }
}

/// The settings section's words that do not depend on a setting.
pub const HEADING: Text = key("settingsHeading");
pub const HELP: Text = key("settingsHelp");

#[cfg(test)]
mod tests;
