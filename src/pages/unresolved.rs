//! Unresolved Activities: items the CRM could not take yet. Unresolved ones (no matching
//! record) are resolved to a synced record found by name, or discarded; parked ones (the CRM
//! refused them) are retried or discarded. Discarding asks first, in the page. A list is not
//! redrawn under an open search or question, but once that closes. Either list exports as
//! CSV.

use serde::Deserialize;

use crate::crm::RecordType;
use crate::message::Request;
use crate::msg;
use crate::pages::{csv_name, key, kind_text, record_type_text, PageAction, Reply, Stamp, Text};
use crate::writeback::export::{about_of, error_text, ExportItem};
use crate::writeback::ItemState;

/// A list of the page, with its words and element names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub state: ItemState,
    /// The state as stored; the section's element ids start with it (`parked-list`).
    pub name: &'static str,
    pub heading: Text,
    pub help: Text,
    pub empty: Text,
    pub export: Text,
}

pub const SECTIONS: [Section; 2] = [
    Section {
        state: ItemState::Unresolved,
        name: "unresolved",
        heading: key("unresolvedHeading"),
        help: key("unresolvedHelp"),
        empty: key("unresolvedEmpty"),
        export: key("exportUnresolved"),
    },
    Section {
        state: ItemState::Parked,
        name: "parked",
        heading: key("parkedHeading"),
        help: key("parkedHelp"),
        empty: key("parkedEmpty"),
        export: key("exportParked"),
    },
];

fn section_of(state: ItemState) -> usize {
    SECTIONS.iter().position(|s| s.state == state).unwrap_or(0)
}

/// What the user may do with an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemAction {
    /// Pick the CRM record (opens the search).
    Resolve,
    Retry,
    /// Asks first.
    Discard,
}

impl ItemAction {
    pub fn label(self) -> Text {
        match self {
            ItemAction::Resolve => msg!("unresolvedResolve"),
            ItemAction::Retry => msg!("unresolvedRetry"),
            ItemAction::Discard => msg!("unresolvedDiscard"),
        }
    }

    /// An unresolved item needs a record; a parked one, the CRM's fix and a retry.
    pub fn offered(state: ItemState) -> [ItemAction; 2] {
        match state {
            ItemState::Parked => [ItemAction::Retry, ItemAction::Discard],
            _ => [ItemAction::Resolve, ItemAction::Discard],
        }
    }
}

/// An item as its list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub id: String,
    pub kind: Text,
    pub title: Text,
    /// "About Ada Lovelace".
    pub about: Text,
    pub occurred_at: Stamp,
    /// A parked item's refusal, in the CRM's words.
    pub crm_said: Option<Text>,
    /// Why an unresolved item waits when it is not that no record matched (its record was
    /// deleted in the CRM).
    pub why: Option<Text>,
    pub actions: [ItemAction; 2],
}

/// The line naming an item: its subject, else its tags, else its kind.
pub fn title(item: &ExportItem) -> Text {
    let subject = item.subject.trim();
    if !subject.is_empty() {
        subject.into()
    } else if !item.tags.is_empty() {
        item.tags.join(", ").into()
    } else {
        kind_text(&item.kind)
    }
}

fn listed(item: &ExportItem, state: ItemState) -> Listed {
    let who = match about_of(&item.about) {
        "" => msg!("unknownPerson"),
        name => name.into(),
    };
    let crm_said = (state == ItemState::Parked).then(|| {
        let said = match item.error.as_ref().map_or("", error_text) {
            "" => msg!("unknownError"),
            words => words.into(),
        };
        msg!("crmSaid", said)
    });
    let why = (state == ItemState::Unresolved)
        .then_some(item.reason)
        .flatten()
        .map(|reason| key(crate::activity_model::reason_key(reason)));
    Listed {
        id: item.id.clone(),
        kind: kind_text(&item.kind),
        title: title(item),
        about: msg!("itemAbout", who),
        occurred_at: Stamp::Iso(item.occurred_at.clone()),
        crm_said,
        why,
        actions: ItemAction::offered(state),
    }
}

/// A synced record the search found (`searchRecords`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FoundRecord {
    pub api_host: String,
    pub id: String,
    pub record_type: RecordType,
    pub name: String,
    #[serde(default)]
    pub company: Option<String>,
}

impl FoundRecord {
    /// What tells same-named records apart: type, company, org.
    pub fn details(&self) -> Text {
        Text::joined(
            " · ",
            [
                record_type_text(self.record_type),
                self.company.clone().unwrap_or_default().into(),
                self.api_host.as_str().into(),
            ],
        )
    }
}

/// What an answer with a list changes on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redraw {
    /// A search or question is open: the lists are asked for again once it closes.
    Not,
    List,
    /// The list, then its heading takes focus (an item left it).
    ListAndFocus,
}

/// The open search or question under an item (one at a time).
#[derive(Debug, Clone, PartialEq)]
pub enum Tray {
    Resolve {
        id: String,
        query: String,
        /// The records found for `query`; `None` before its answer.
        found: Option<Vec<FoundRecord>>,
    },
    Discard {
        id: String,
        question: Text,
    },
}

impl Tray {
    pub fn item_id(&self) -> &str {
        match self {
            Tray::Resolve { id, .. } | Tray::Discard { id, .. } => id,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unresolved {
    lists: [Option<Vec<ExportItem>>; 2],
    tray: Option<Tray>,
    /// The items changed while a tray was open.
    stale: bool,
    status: Option<Text>,
    /// After an action: the heading to focus once its list is redrawn.
    focus: Option<ItemState>,
}

impl Unresolved {
    pub fn start(&mut self) -> Vec<PageAction> {
        self.refresh()
    }

    fn refresh(&mut self) -> Vec<PageAction> {
        self.stale = false;
        SECTIONS
            .iter()
            .map(|s| PageAction::Send(Request::ListItems { state: s.state }))
            .collect()
    }

    /// The items changed somewhere (the outbox, another tab) or the page got focus.
    pub fn changed(&mut self) -> Vec<PageAction> {
        if self.tray.is_some() {
            self.stale = true;
            return Vec::new();
        }
        self.refresh()
    }

    /// A `listItems` answer, and what it changes on the page.
    pub fn listed(&mut self, state: ItemState, answer: Reply<Vec<ExportItem>>) -> Redraw {
        match answer.ok {
            Some(items) => self.lists[section_of(state)] = Some(items),
            None => self.status = Some(answer.failure()),
        }
        if self.tray.is_some() {
            self.stale = true;
            return Redraw::Not;
        }
        if self.focus == Some(state) {
            self.focus = None;
            return Redraw::ListAndFocus;
        }
        Redraw::List
    }

    /// A section's items; `None` until the first answer.
    pub fn items(&self, state: ItemState) -> Option<Vec<Listed>> {
        let items = self.lists[section_of(state)].as_ref()?;
        Some(items.iter().map(|item| listed(item, state)).collect())
    }

    fn find(&self, id: &str) -> Option<(ItemState, &ExportItem)> {
        SECTIONS.iter().find_map(|s| {
            let items = self.lists[section_of(s.state)].as_ref()?;
            items.iter().find(|i| i.id == id).map(|i| (s.state, i))
        })
    }

    pub fn status(&self) -> Option<&Text> {
        self.status.as_ref()
    }

    pub fn tray(&self) -> Option<&Tray> {
        self.tray.as_ref()
    }

    /// The user pressed an item's button.
    pub fn act(&mut self, id: &str, action: ItemAction) -> Vec<PageAction> {
        let Some((_, item)) = self.find(id) else {
            return Vec::new();
        };
        let id = id.to_string();
        match action {
            ItemAction::Retry => vec![PageAction::Send(Request::RetryItem { id })],
            ItemAction::Discard => {
                let question = msg!("discardQuestion", title(item));
                self.tray = Some(Tray::Discard { id, question });
                Vec::new()
            }
            ItemAction::Resolve => {
                self.tray = Some(Tray::Resolve {
                    id,
                    query: String::new(),
                    found: None,
                });
                // An empty query finds nothing but builds the index while the user types.
                vec![PageAction::Send(Request::SearchRecords {
                    query: String::new(),
                })]
            }
        }
    }

    /// Cancel or Escape: the tray closes, and lists that changed meanwhile are redrawn.
    pub fn close(&mut self) -> Vec<PageAction> {
        self.tray = None;
        if self.stale {
            self.refresh()
        } else {
            Vec::new()
        }
    }

    /// The search text after the user paused typing.
    pub fn search(&mut self, text: &str) -> Vec<PageAction> {
        let Some(Tray::Resolve { query, found, .. }) = &mut self.tray else {
            return Vec::new();
        };
        *query = text.to_string();
        if text.trim().is_empty() {
            *found = None;
            return Vec::new();
        }
        vec![PageAction::Send(Request::SearchRecords {
            query: text.to_string(),
        })]
    }

    /// A `searchRecords` answer, used only for the query still in the box.
    pub fn found(&mut self, for_query: &str, answer: Reply<Vec<FoundRecord>>) {
        let Some(Tray::Resolve { query, found, .. }) = &mut self.tray else {
            return;
        };
        if for_query != query || query.trim().is_empty() {
            return;
        }
        *found = Some(answer.ok.unwrap_or_default());
    }

    /// "Records found: 3", once the query has an answer.
    pub fn found_count(&self) -> Option<Text> {
        match &self.tray {
            Some(Tray::Resolve {
                found: Some(found), ..
            }) => Some(msg!("resolveFound", found.len())),
            _ => None,
        }
    }

    /// The user picked the `index`th record found.
    pub fn choose(&mut self, index: usize) -> Vec<PageAction> {
        let Some(Tray::Resolve {
            id,
            found: Some(found),
            ..
        }) = &self.tray
        else {
            return Vec::new();
        };
        let Some(record) = found.get(index) else {
            return Vec::new();
        };
        vec![PageAction::Send(Request::ResolveItem {
            id: id.clone(),
            api_host: record.api_host.clone(),
            record_type: record.record_type,
            record_id: record.id.clone(),
        })]
    }

    /// "Yes, discard".
    pub fn confirm(&mut self) -> Vec<PageAction> {
        match &self.tray {
            Some(Tray::Discard { id, .. }) => {
                vec![PageAction::Send(Request::DiscardItem { id: id.clone() })]
            }
            _ => Vec::new(),
        }
    }

    /// The answer to `resolveItem`, `discardItem` or `retryItem` (`{ok: item}` or why not).
    /// The item leaves its list: the lists are redrawn and that list's heading takes focus.
    pub fn item_answer(&mut self, request: &Request, answer: Reply<ExportItem>) -> Vec<PageAction> {
        let (id, changed) = match (request, &answer.ok) {
            (_, None) => return self.failed(&answer),
            // Resolved, but the never-log list names the record: kept here, not written.
            (Request::ResolveItem { id, .. }, Some(item)) if item.state == "local" => {
                let name = item.about.record_name.clone().unwrap_or_default();
                (id, msg!("resolvedNeverLogged", name))
            }
            (Request::ResolveItem { id, .. }, Some(item)) => {
                let name = item.about.record_name.clone().unwrap_or_default();
                (id, msg!("resolvedQueued", name))
            }
            (Request::DiscardItem { id }, Some(item)) => (id, msg!("discarded", title(item))),
            (Request::RetryItem { id }, Some(item)) => (id, msg!("retryQueued", title(item))),
            _ => return Vec::new(),
        };
        if answer.failed() {
            return self.failed(&answer);
        }
        let state = self.find(id).map_or(ItemState::Unresolved, |(s, _)| s);
        self.status = Some(changed);
        self.tray = None;
        self.focus = Some(state);
        self.refresh()
    }

    fn failed(&mut self, answer: &Reply<ExportItem>) -> Vec<PageAction> {
        self.status = Some(answer.failure());
        Vec::new()
    }

    pub fn export(&self, state: ItemState) -> Vec<PageAction> {
        vec![PageAction::Send(Request::ExportItems { state })]
    }

    /// The `exportItems` answer: saved as `<state>-activities-<today>.csv`.
    pub fn exported(
        &mut self,
        state: ItemState,
        today: &str,
        answer: Reply<String>,
    ) -> Vec<PageAction> {
        let Some(csv) = answer.ok.clone() else {
            self.status = Some(answer.failure());
            return Vec::new();
        };
        self.status = Some(msg!("exportDone"));
        let stem = format!("{}-activities", SECTIONS[section_of(state)].name);
        vec![PageAction::Download {
            filename: csv_name(&stem, today),
            text: csv,
        }]
    }
}

#[cfg(test)]
mod tests;
