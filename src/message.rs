//! Messages from content scripts and extension pages to the background. They are typed and
//! checked here: anything that does not parse is refused, whoever sent it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Request {
    /// A content script asks what the page at `url` is.
    DetectPage { url: String },
    /// The panel asks for the record shown on the page at `url`.
    GetRecord { url: String },
}

/// Longest URL we accept in a message; real CRM URLs are far shorter.
const MAX_URL_LEN: usize = 4096;

impl Request {
    pub fn validate(self) -> Result<Self, String> {
        let url = match &self {
            Request::DetectPage { url } | Request::GetRecord { url } => url,
        };
        if url.len() > MAX_URL_LEN {
            return Err(format!("url longer than {MAX_URL_LEN} bytes"));
        }
        Ok(self)
    }
}

pub fn parse(json: &str) -> Result<Request, String> {
    serde_json::from_str::<Request>(json)
        .map_err(|e| e.to_string())?
        .validate()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_messages_parse() {
        assert_eq!(
            parse(r#"{"type":"detectPage","url":"https://x"}"#),
            Ok(Request::DetectPage {
                url: "https://x".into()
            })
        );
    }

    #[test]
    fn unknown_types_and_extra_fields_are_refused() {
        assert!(parse(r#"{"type":"deleteEverything"}"#).is_err());
        assert!(parse(r#"{"type":"getRecord","url":"https://x","token":"t"}"#).is_err());
        assert!(parse(r#"{"type":"getRecord"}"#).is_err());
        assert!(parse(&format!(
            r#"{{"type":"getRecord","url":"{}"}}"#,
            "a".repeat(5000)
        ))
        .is_err());
    }
}
