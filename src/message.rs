//! Messages from content scripts and extension pages to the background. They are typed and
//! checked here: anything that does not parse is refused, whoever sent it.

use serde::{Deserialize, Serialize};

use crate::linking::Correction;
use crate::matching::Person;
use crate::profiles::capture::PageData;
use crate::writeback::item::NewItem;
use crate::writeback::ItemState;

/// The kinds of profile file the options page imports.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportFormat {
    ConnectionsCsv,
    VCard,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Request {
    /// A content script asks what the page at `url` is.
    DetectPage { url: String },
    /// The panel asks what to show for the record page at `url`.
    GetPanel { url: String },
    /// The options page imports a file's text (sent over the `import` port for progress).
    ImportProfiles { format: ImportFormat, text: String },
    /// The user typed a profile in.
    AddProfile { person: Person },
    /// A content script read a network profile page.
    CaptureProfile { page: PageData },
    /// How many profiles are stored.
    CountProfiles,
    /// The panel asks to sync the org of the record page at `url` now.
    SyncNow { url: String },
    /// Forget every synced CRM record, match and sync watermark (profiles and the user's own
    /// corrections stay).
    ClearCrmData,
    /// A list view asks which of its rows' records are matched (for row badges).
    MatchedRecords { url: String, ids: Vec<String> },
    /// Typeahead in the panel.
    SearchProfiles { query: String },
    /// The user corrects the match of the record at `url`.
    CorrectMatch { url: String, correction: Correction },
    /// The user links the profile at `profile_url` to the record at `url`.
    LinkProfileUrl { url: String, profile_url: String },
    /// The user logs an item in the panel framed in the page at `url`.
    LogItem {
        url: String,
        item: NewItem,
        copy_to_crm: bool,
    },
    /// The items logged on the page at `url`, and the toggles to offer for new ones.
    GetActivity { url: String },
    /// Send a parked or waiting item again now.
    RetryItem { id: String },
    /// Keep an unresolved item locally only (after the user confirmed).
    DiscardItem { id: String },
    /// The user picked the CRM record an unresolved item is about.
    ResolveItem {
        id: String,
        api_host: String,
        record_type: crate::crm::RecordType,
        record_id: String,
    },
    /// Items in one state (Unresolved Activities lists `unresolved` and `parked`).
    ListItems { state: ItemState },
    /// Synced CRM records whose name matches, to resolve an item against.
    SearchRecords { query: String },
    /// Everything written to a CRM, newest first.
    ListAudit,
    /// CSV of the items in a state.
    ExportItems { state: ItemState },
    /// CSV of the audit log.
    ExportAudit,
    /// The CRM orgs the extension has seen (for the options page's Copy to CRM section).
    ListOrgs,
    /// Add the item-id field Copy to CRM needs to the Salesforce org at `api_host`.
    PrepareOrg { api_host: String },
    /// Create a test Contact and one activity of every enabled kind in the org at `api_host`.
    TestWriteBack { api_host: String },
    /// Remove what the last Test Write-Back created in the org at `api_host`.
    RemoveTestRecords { api_host: String },
    /// The effective settings, each with its source, and what was wrong with the policy.
    GetSettings,
    /// The user sets one of their settings (`null`: back to the default).
    SetSetting {
        key: crate::settings::SettingKey,
        #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
        value: serde_json::Value,
    },
    /// The current settings as policy files for Chrome, Edge and Firefox.
    PolicyFiles,
}

/// Who sent a message: a content script in a web page, or one of the extension's own pages.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Sender {
    ContentScript,
    ExtensionPage,
}

impl Request {
    /// Content scripts live in pages that may be hostile; they may only report what they
    /// see. Reading CRM data and changing stored data is for the extension's own pages.
    pub fn allowed_from(&self, sender: Sender) -> bool {
        match self {
            Request::DetectPage { .. }
            | Request::CaptureProfile { .. }
            | Request::MatchedRecords { .. } => true,
            Request::GetPanel { .. }
            | Request::ImportProfiles { .. }
            | Request::AddProfile { .. }
            | Request::CountProfiles
            | Request::SyncNow { .. }
            | Request::ClearCrmData
            | Request::SearchProfiles { .. }
            | Request::CorrectMatch { .. }
            | Request::LinkProfileUrl { .. }
            | Request::LogItem { .. }
            | Request::GetActivity { .. }
            | Request::RetryItem { .. }
            | Request::DiscardItem { .. }
            | Request::ResolveItem { .. }
            | Request::ListItems { .. }
            | Request::SearchRecords { .. }
            | Request::ListAudit
            | Request::ExportItems { .. }
            | Request::ExportAudit
            | Request::ListOrgs
            | Request::PrepareOrg { .. }
            | Request::TestWriteBack { .. }
            | Request::RemoveTestRecords { .. }
            | Request::GetSettings
            | Request::SetSetting { .. }
            | Request::PolicyFiles => sender == Sender::ExtensionPage,
        }
    }
}

/// Longest URL we accept in a message; real CRM URLs are far shorter.
const MAX_URL_LEN: usize = 4096;
/// Most rows a list view asks about at once (Lightning and Dynamics page far below this).
const MAX_LIST_ROWS: usize = 2000;
/// Longest item text: Salesforce keeps 32,000 characters of a Task's description.
pub const MAX_ITEM_BYTES: usize = 128 << 10;
/// Largest file the import takes: a 100,000-connection export is about 15 MB.
const MAX_IMPORT_BYTES: usize = 64 << 20;

impl Request {
    pub fn validate(self) -> Result<Self, String> {
        match &self {
            Request::DetectPage { url }
            | Request::GetPanel { url }
            | Request::CorrectMatch { url, .. }
            | Request::SyncNow { url }
            | Request::LinkProfileUrl { url, .. }
            | Request::LogItem { url, .. }
            | Request::GetActivity { url }
                if url.len() > MAX_URL_LEN =>
            {
                Err(format!("url longer than {MAX_URL_LEN} bytes"))
            }
            Request::ImportProfiles { text, .. } if text.len() > MAX_IMPORT_BYTES => {
                Err(format!("file larger than {} MiB", MAX_IMPORT_BYTES >> 20))
            }
            Request::LogItem { item, .. } if item.body.len() > MAX_ITEM_BYTES => {
                Err(format!("item longer than {} KiB", MAX_ITEM_BYTES >> 10))
            }
            Request::MatchedRecords { ids, .. } if ids.len() > MAX_LIST_ROWS => {
                Err(format!("more than {MAX_LIST_ROWS} rows"))
            }
            Request::CaptureProfile { page } if page.url.len() > MAX_URL_LEN => {
                Err(format!("url longer than {MAX_URL_LEN} bytes"))
            }
            _ => Ok(self),
        }
    }
}

pub fn parse(json: &str, sender: Sender) -> Result<Request, String> {
    let request = serde_json::from_str::<Request>(json)
        .map_err(|e| e.to_string())?
        .validate()?;
    if request.allowed_from(sender) {
        Ok(request)
    } else {
        Err(format!("{sender:?} may not send this message"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Request, String> {
        super::parse(json, Sender::ExtensionPage)
    }

    #[test]
    fn content_scripts_may_only_report_what_they_see() {
        let from_page = |json: &str| super::parse(json, Sender::ContentScript);
        assert!(from_page(r#"{"type":"detectPage","url":"https://x"}"#).is_ok());
        assert!(from_page(r#"{"type":"captureProfile","page":{"url":"https://x"}}"#).is_ok());
        assert!(from_page(r#"{"type":"getPanel","url":"https://x"}"#).is_err());
        assert!(from_page(r#"{"type":"countProfiles"}"#).is_err());
    }

    #[test]
    fn known_messages_parse() {
        assert_eq!(
            parse(r#"{"type":"detectPage","url":"https://x"}"#),
            Ok(Request::DetectPage {
                url: "https://x".into()
            })
        );
        assert!(matches!(
            parse(r#"{"type":"importProfiles","format":"vCard","text":"BEGIN:VCARD"}"#),
            Ok(Request::ImportProfiles {
                format: ImportFormat::VCard,
                ..
            })
        ));
        assert_eq!(
            parse(r#"{"type":"countProfiles"}"#),
            Ok(Request::CountProfiles)
        );
    }

    #[test]
    fn unknown_types_and_extra_fields_are_refused() {
        assert!(parse(r#"{"type":"deleteEverything"}"#).is_err());
        assert!(parse(r#"{"type":"getPanel","url":"https://x","token":"t"}"#).is_err());
        assert!(parse(r#"{"type":"getPanel"}"#).is_err());
        assert!(parse(&format!(
            r#"{{"type":"getPanel","url":"{}"}}"#,
            "a".repeat(5000)
        ))
        .is_err());
        assert!(parse(r#"{"type":"importProfiles","format":"excel","text":""}"#).is_err());
    }
}
