//! Messages from content scripts and extension pages to the background. They are typed and
//! checked here: anything that does not parse is refused, whoever sent it. A message's `url`
//! says which page its sender believes it is on; the page the background acts on is the
//! sender's tab's, as the browser reports it (`handle::SenderInfo`), and a message naming
//! another page is refused.

use serde::{Deserialize, Serialize};

mod admin;
mod limits;
pub use admin::AdminRequest;
pub use limits::{Limited, TooLarge, MAX_IMPORT_BYTES, MAX_ITEM_BYTES};

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

/// A message to the background, tagged by its one key: `{"getPanel": {"url": …}}`, or its
/// name alone when it carries nothing (`"countProfiles"`). Not by a `type` field: serde reads
/// such a tag by buffering the whole message first, code that cost the background's wasm
/// 11 KiB of gzip.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
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
    /// Each org with its connection, last sync and whether CRM sync is on for the user.
    OrgStatuses,
    /// Stop sync and write-back for the org on this computer; `clear` its imported data too.
    DisconnectOrg { api_host: String, clear: bool },
    /// Undo [`Request::DisconnectOrg`].
    ReconnectOrg { api_host: String },
    /// The seat holder's saved leads and accounts in every synced org.
    SavedLists,
    /// The four data validation views of every org a pass has run in.
    ValidationViews,
    /// A view's one-click fix for the flagged contact `contact_id`.
    FixFlag {
        api_host: String,
        contact_id: String,
        fix: crate::background::validation_report::FlagFix,
    },
    /// The admin page's requests (`op` names which).
    Admin(AdminRequest),
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
            | Request::PolicyFiles
            | Request::OrgStatuses
            | Request::DisconnectOrg { .. }
            | Request::ReconnectOrg { .. }
            | Request::ValidationViews
            | Request::SavedLists
            | Request::FixFlag { .. }
            | Request::Admin(_) => sender == Sender::ExtensionPage,
        }
    }
}

pub fn parse(json: &str, sender: Sender) -> Result<Request, String> {
    limits::check_length(json.len(), sender).map_err(|e| e.to_string())?;
    let request = serde_json::from_str::<Request>(json).map_err(|e| e.to_string())?;
    limits::check(&request, json.len()).map_err(|e| e.to_string())?;
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
        assert!(from_page(r#"{"detectPage": {"url":"https://x"}}"#).is_ok());
        assert!(from_page(r#"{"captureProfile": {"page":{"title":"x"}}}"#).is_ok());
        assert!(from_page(r#"{"getPanel": {"url":"https://x"}}"#).is_err());
        assert!(from_page(r#""countProfiles""#).is_err());
    }

    #[test]
    fn known_messages_parse() {
        assert_eq!(
            parse(r#"{"detectPage": {"url":"https://x"}}"#),
            Ok(Request::DetectPage {
                url: "https://x".into()
            })
        );
        assert!(matches!(
            parse(r#"{"importProfiles": {"format":"vCard","text":"BEGIN:VCARD"}}"#),
            Ok(Request::ImportProfiles {
                format: ImportFormat::VCard,
                ..
            })
        ));
        assert_eq!(parse(r#""countProfiles""#), Ok(Request::CountProfiles));
    }

    #[test]
    fn unknown_types_and_extra_fields_are_refused() {
        assert!(parse(r#"{"deleteEverything": {}}"#).is_err());
        assert!(parse(r#""deleteEverything""#).is_err());
        assert!(parse(r#"{"type":"getPanel","url":"https://x"}"#).is_err());
        assert!(parse(r#"{"getPanel": {"url":"https://x","token":"t"}}"#).is_err());
        assert!(parse(r#"{"getPanel": {"url":"https://x"}, "token": "t"}"#).is_err());
        assert!(parse(r#""getPanel""#).is_err());
        assert!(parse(&format!(
            r#"{{"getPanel": {{"url":"{}"}}}}"#,
            "a".repeat(5000)
        ))
        .is_err());
        assert!(parse(r#"{"importProfiles": {"format":"excel","text":""}}"#).is_err());
    }

    fn refusal(json: &str, sender: Sender) -> Option<TooLarge> {
        TooLarge::from_refusal(&super::parse(json, sender).unwrap_err())
    }

    fn too_large(what: Limited, max: usize) -> Option<TooLarge> {
        Some(TooLarge { what, max })
    }

    #[test]
    fn a_huge_capture_is_refused_before_it_is_read() {
        let page = serde_json::json!({"captureProfile": {"page": {"url": "https://www.linkedin.com/in/ada", "jsonLd": ["x".repeat(60 << 20)]}}});
        let refused = refusal(&page.to_string(), Sender::ContentScript);
        assert_eq!(refused.map(|r| r.what), Some(Limited::Message));
        let page = serde_json::json!({"captureProfile": {"page": {"url": "https://www.linkedin.com/in/ada", "jsonLd": ["x".repeat(600 << 10)]}}});
        assert_eq!(
            refusal(&page.to_string(), Sender::ContentScript),
            too_large(Limited::Capture, limits::MAX_CAPTURE_BYTES)
        );
    }

    #[test]
    fn each_kind_of_message_has_its_limit() {
        let ids = serde_json::json!({"matchedRecords": {"url": "https://x",
            "ids": vec!["003000000000001AAA"; limits::MAX_IDS + 1]}});
        assert_eq!(
            refusal(&ids.to_string(), Sender::ContentScript),
            too_large(Limited::Ids, limits::MAX_IDS)
        );
        let note = serde_json::json!({"logItem": {"url": "https://x", "copyToCrm": false,
            "item": {"kind": "note", "body": "é".repeat(MAX_ITEM_BYTES), "occurredAt": "t"}}});
        assert_eq!(
            refusal(&note.to_string(), Sender::ExtensionPage),
            too_large(Limited::ItemText, MAX_ITEM_BYTES)
        );
        let file = serde_json::json!({"importProfiles": {"format": "connectionsCsv",
            "text": "a".repeat(MAX_IMPORT_BYTES + 1)}});
        assert_eq!(
            refusal(&file.to_string(), Sender::ExtensionPage),
            too_large(Limited::ImportFile, MAX_IMPORT_BYTES)
        );
        let query = serde_json::json!({"searchProfiles": {"query": "a".repeat(70 << 10)}});
        assert_eq!(
            refusal(&query.to_string(), Sender::ExtensionPage),
            too_large(Limited::Message, limits::MAX_SMALL_MESSAGE)
        );
    }

    #[test]
    fn messages_a_real_user_sends_pass() {
        let ids = serde_json::json!({"matchedRecords": {"url": "https://x",
            "ids": vec!["00000000-0000-0000-0000-000000000001"; 5_000]}});
        assert!(super::parse(&ids.to_string(), Sender::ContentScript).is_ok());
        let note = serde_json::json!({"logItem": {"url": "https://x", "copyToCrm": true,
            "item": {"kind": "note", "body": "Met at the expo.\n".repeat(2_000), "occurredAt": "t"}}});
        assert!(parse(&note.to_string()).is_ok());
        let file = serde_json::json!({"importProfiles": {"format": "connectionsCsv",
            "text": "Ada,Lovelace,https://www.linkedin.com/in/ada,,Acme,CTO,01 Jan 2020\n".repeat(30_000)}});
        assert!(parse(&file.to_string()).is_ok());
    }
}
