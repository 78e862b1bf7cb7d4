//! The admin page's messages (docs/org-admin.md), one variant of [`super::Request`]:
//! `{"admin": {"connect": {"apiHost": …}}}`. The background answers them all in
//! `src/background/admin_page.rs`. (Tagged by their one key, as `Request` is: a tag field
//! has serde buffer each message, and that code costs the wasm builds kilobytes.) The
//! settings are a settings layer (`crate::settings::Layer`) as JSON, read by the background
//! like every layer.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum AdminRequest {
    /// What the admin page shows for the org at `api_host`: its state and published
    /// settings, the CRM's preferences and every active user with whether they hold a seat.
    Open { api_host: String },
    /// Connect the org (each step is safe to run again) and publish `settings` as its first
    /// settings; `clear_imported`: every seat holder clears the CRM data imported before.
    Connect {
        api_host: String,
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Layer"))]
        settings: Value,
        clear_imported: bool,
    },
    /// Stop sync and write-back for every seat holder of the org.
    Disconnect {
        api_host: String,
        clear_imported: bool,
    },
    /// Publish the org's settings (what browser policy locks here stays as it was).
    Publish {
        api_host: String,
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Layer"))]
        settings: Value,
    },
    /// Data validation's setup: the Not at Company flag on Contact (and, in Dataverse, the
    /// four system views). Safe to run again.
    SetUpValidation { api_host: String },
    /// Give (`on`) or take back the seat of the CRM user `user_id`.
    Seat {
        api_host: String,
        user_id: String,
        on: bool,
    },
}

impl AdminRequest {
    /// The org every admin request is about.
    pub fn api_host(&self) -> &str {
        match self {
            AdminRequest::Open { api_host }
            | AdminRequest::Connect { api_host, .. }
            | AdminRequest::Disconnect { api_host, .. }
            | AdminRequest::Publish { api_host, .. }
            | AdminRequest::SetUpValidation { api_host }
            | AdminRequest::Seat { api_host, .. } => api_host,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, Request, Sender};
    use super::*;

    #[test]
    fn admin_messages_parse_from_extension_pages_only() {
        let json = r#"{"admin": {"connect":{"apiHost":"acme.my.salesforce.com","settings":{"writeBack":false},"clearImported":true}}}"#;
        let Ok(Request::Admin(AdminRequest::Connect {
            settings,
            clear_imported,
            ..
        })) = parse(json, Sender::ExtensionPage)
        else {
            panic!("{json}")
        };
        assert_eq!(
            (&settings["writeBack"], clear_imported),
            (&Value::Bool(false), true)
        );
        assert!(parse(json, Sender::ContentScript).is_err());
        for refused in [
            r#"{"admin": {"open":{"apiHost":"a","token":"t"}}}"#,
            r#"{"admin": {"open":{"apiHost":"a"},"token":"t"}}"#,
            r#"{"admin": {"dropOrg":{"apiHost":"a"}}}"#,
            r#""admin""#,
        ] {
            assert!(parse(refused, Sender::ExtensionPage).is_err(), "{refused}");
        }
        let open = r#"{"admin":{"open":{"apiHost":"a"}}}"#;
        let request = parse(open, Sender::ExtensionPage).unwrap();
        assert_eq!(
            serde_json::to_string(&request).unwrap(),
            open,
            "the page sends the same"
        );
    }
}
