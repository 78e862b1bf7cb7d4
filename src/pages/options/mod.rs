//! The options page: import profiles from a file (progress, then a summary naming each
//! skipped line), the number of stored profiles, each org's sync that waits or stopped
//! ([`sync_status`]), clearing the CRM copy (press twice), the Copy to CRM section
//! ([`write_back`]), the orgs ([`orgs`]), the settings ([`settings`]) and a profile typed in
//! by hand.

pub mod import;
pub mod orgs;
pub mod settings;
pub mod sync_status;
pub mod write_back;

use crate::matching::Person;
use crate::message::Request;
use crate::msg;
use crate::pages::{key, PageAction, Reply, Text};
use import::Import;
use serde::de::IgnoredAny;
use write_back::WriteBack;

/// An input of the manual form: its `name`, label and input type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub label: Text,
    pub input_type: &'static str,
}

const fn field(name: &'static str, label: Text, input_type: &'static str) -> Field {
    Field {
        name,
        label,
        input_type,
    }
}

/// The manual form's inputs, in order; [`Options::submit`] takes their values in this order.
pub const MANUAL_FIELDS: [Field; 6] = [
    field("first_name", key("fieldFirstName"), "text"),
    field("last_name", key("fieldLastName"), "text"),
    field("company", key("field_Company"), "text"),
    field("title", key("field_Title"), "text"),
    field("email", key("field_Email"), "email"),
    field("profile_url", key("fieldProfileUrl"), "url"),
];

/// How long "Press again" waits for the second press.
pub const CLEAR_CONFIRM_MS: u32 = 10_000;

/// The person typed in: each value trimmed, empty ones left out.
pub fn manual_person(values: &[String; 6]) -> Person {
    let value = |i: usize| Some(values[i].trim().to_string()).filter(|v| !v.is_empty());
    Person {
        first_name: value(0),
        last_name: value(1),
        company: value(2),
        title: value(3),
        email: value(4),
        profile_url: value(5),
        ..Person::default()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    count: Option<u64>,
    pub import: Import,
    manual_busy: bool,
    manual_status: Option<Text>,
    /// The press that armed the clear button, while it waits for the second.
    armed: Option<u32>,
    presses: u32,
    clear_status: Option<Text>,
    pub write_back: WriteBack,
    pub settings: settings::Settings,
    pub sync_status: sync_status::SyncStatus,
    pub orgs: orgs::Orgs,
}

impl Options {
    pub fn start(&self) -> Vec<PageAction> {
        vec![
            PageAction::Send(Request::CountProfiles),
            PageAction::Send(Request::ListOrgs),
            orgs::Orgs::start(),
            settings::Settings::start(),
        ]
    }

    /// The number of stored profiles, once known.
    pub fn count(&self) -> Option<String> {
        self.count.map(|n| n.to_string())
    }

    pub fn counted(&mut self, answer: Reply<f64>) {
        if let Some(n) = answer.ok {
            self.count = Some(n.max(0.0) as u64);
        }
    }

    /// A file was read.
    pub fn file_read(&mut self, file_name: &str, text: String) -> Vec<PageAction> {
        self.import
            .start(file_name, text)
            .map(PageAction::Send)
            .into_iter()
            .collect()
    }

    /// A message on the import port; true when the import is over. Then the count changed.
    pub fn import_message(&mut self, message: import::PortMessage) -> (bool, Vec<PageAction>) {
        let was_busy = !self.import.can_start();
        let over = self.import.message(message);
        let recount = (over && was_busy).then_some(PageAction::Send(Request::CountProfiles));
        (over, recount.into_iter().collect())
    }

    pub fn submit(&mut self, values: &[String; 6]) -> Vec<PageAction> {
        if self.manual_busy {
            return Vec::new();
        }
        self.manual_busy = true;
        let person = manual_person(values);
        vec![PageAction::Send(Request::AddProfile { person })]
    }

    pub fn manual_status(&self) -> Option<&Text> {
        self.manual_status.as_ref()
    }

    /// The `addProfile` answer (a save summary, or `noName`); true when the form is to be
    /// emptied.
    pub fn added(&mut self, answer: Reply<IgnoredAny>) -> (bool, Vec<PageAction>) {
        self.manual_busy = false;
        let saved = !answer.failed();
        self.manual_status = Some(match saved {
            true => msg!("manualSaved"),
            false => answer.failure(),
        });
        (saved, vec![PageAction::Send(Request::CountProfiles)])
    }

    /// The first press asks; a second while it asks clears (no modal dialog).
    pub fn clear_pressed(&mut self) -> Vec<PageAction> {
        if self.armed.take().is_some() {
            return vec![PageAction::Send(Request::ClearCrmData)];
        }
        self.presses += 1;
        self.armed = Some(self.presses);
        Vec::new()
    }

    /// The press to give [`Options::clear_expired`] after [`CLEAR_CONFIRM_MS`], while armed.
    pub fn armed(&self) -> Option<u32> {
        self.armed
    }

    /// The wait after press `press` is over; a later press has its own.
    pub fn clear_expired(&mut self, press: u32) {
        if self.armed == Some(press) {
            self.armed = None;
        }
    }

    pub fn clear_label(&self) -> Text {
        match self.armed {
            Some(_) => msg!("clearCrmConfirm"),
            None => msg!("clearCrmData"),
        }
    }

    pub fn cleared(&mut self, answer: Reply<bool>) {
        self.clear_status = Some(match answer.ok {
            Some(true) if !answer.failed() => msg!("clearCrmDone"),
            _ => answer.failure(),
        });
    }

    pub fn clear_status(&self) -> Option<&Text> {
        self.clear_status.as_ref()
    }
}

#[cfg(test)]
mod tests;
