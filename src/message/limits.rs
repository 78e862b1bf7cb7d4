//! How large a message may be, by kind. A message longer than its sender may send is refused
//! before it is parsed; a parsed one is checked against its kind's limits before anything is
//! stored. Each limit is far above what a real user sends, and the refusal names the limit
//! (`_locales` `tooLarge…`, read by `src/answer.rs`).

use std::fmt;

use super::{Request, Sender};

/// Largest file an import takes. A real Connections.csv of 30,000 connections (the most a
/// member can have, `profiles::MAX_IMPORT_ROWS`) is about 3 MB.
pub const MAX_IMPORT_BYTES: usize = 32 << 20;
/// Longest item text. Salesforce keeps up to 32,000 characters of a Task's description
/// (CRM-APIS A9), at most 4 bytes each; real notes are a few thousand characters.
pub const MAX_ITEM_BYTES: usize = 128 << 10;
/// Most text a page capture carries (URLs, title, OpenGraph, JSON-LD). A profile page's
/// structured data is one JSON-LD `Person` and a dozen meta tags: a few kilobytes.
pub const MAX_CAPTURE_BYTES: usize = 512 << 10;
/// Most record ids one message asks about. A Lightning list view loads rows as it scrolls,
/// and a query page holds at most 2,000 rows in Salesforce, 5,000 in Dataverse (CRM-APIS
/// A2, B3).
pub const MAX_IDS: usize = 10_000;
/// Longest URL in a message; real CRM URLs are far shorter.
pub const MAX_URL_BYTES: usize = 4096;
/// Any other message (a query, a typed-in profile, an item id, a correction) as JSON.
pub const MAX_SMALL_MESSAGE: usize = 64 << 10;

/// What a limit is on, as the refusal names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    /// The whole message, as JSON.
    Message,
    ImportFile,
    ItemText,
    Capture,
    Ids,
    Url,
}

const LIMITED: [(Limited, &str); 6] = [
    (Limited::Message, "message"),
    (Limited::ImportFile, "importFile"),
    (Limited::ItemText, "itemText"),
    (Limited::Capture, "capture"),
    (Limited::Ids, "ids"),
    (Limited::Url, "url"),
];

/// A message over one of its limits. Its text (`tooLarge:importFile:33554432`) is the
/// refusal the sender gets back; [`TooLarge::from_refusal`] reads it again for the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    pub what: Limited,
    pub max: usize,
}

const PREFIX: &str = "tooLarge:";

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = LIMITED
            .iter()
            .find(|(l, _)| *l == self.what)
            .map(|(_, n)| n);
        write!(f, "{PREFIX}{}:{}", name.unwrap_or(&"message"), self.max)
    }
}

impl TooLarge {
    pub fn from_refusal(refused: &str) -> Option<TooLarge> {
        let (name, max) = refused.trim().strip_prefix(PREFIX)?.split_once(':')?;
        let what = LIMITED.iter().find(|(_, n)| *n == name)?.0;
        Some(TooLarge {
            what,
            max: max.parse().ok()?,
        })
    }
}

fn over(what: Limited, len: usize, max: usize) -> Result<(), TooLarge> {
    if len > max {
        Err(TooLarge { what, max })
    } else {
        Ok(())
    }
}

/// The most JSON a sender may send: a content script at most a capture (JSON escaping can
/// double text), an extension page an import's file.
pub fn check_length(json_len: usize, sender: Sender) -> Result<(), TooLarge> {
    let max = match sender {
        Sender::ContentScript => 2 * MAX_CAPTURE_BYTES + MAX_SMALL_MESSAGE,
        Sender::ExtensionPage => 2 * MAX_IMPORT_BYTES + MAX_SMALL_MESSAGE,
    };
    over(Limited::Message, json_len, max)
}

/// The limits of the request's kind; `json_len` is the message it was parsed from.
pub fn check(request: &Request, json_len: usize) -> Result<(), TooLarge> {
    if let Some(url) = url_of(request) {
        over(Limited::Url, url.len(), MAX_URL_BYTES)?;
    }
    match request {
        Request::ImportProfiles { text, .. } => {
            over(Limited::ImportFile, text.len(), MAX_IMPORT_BYTES)
        }
        Request::LogItem { item, .. } => {
            over(Limited::ItemText, item.body.len(), MAX_ITEM_BYTES)?;
            let max = 2 * MAX_ITEM_BYTES + MAX_SMALL_MESSAGE;
            over(Limited::Message, json_len, max)
        }
        Request::CaptureProfile { page } => {
            over(Limited::Capture, page.text_len(), MAX_CAPTURE_BYTES)
        }
        Request::MatchedRecords { ids, .. } => {
            over(Limited::Ids, ids.len(), MAX_IDS)?;
            // A GUID, the longest id, is 36 characters.
            let max = MAX_IDS * 64 + MAX_SMALL_MESSAGE;
            over(Limited::Message, json_len, max)
        }
        _ => over(Limited::Message, json_len, MAX_SMALL_MESSAGE),
    }
}

fn url_of(request: &Request) -> Option<&str> {
    match request {
        Request::DetectPage { url }
        | Request::GetPanel { url }
        | Request::CorrectMatch { url, .. }
        | Request::SyncNow { url }
        | Request::LinkProfileUrl { url, .. }
        | Request::LogItem { url, .. }
        | Request::GetActivity { url }
        | Request::MatchedRecords { url, .. } => Some(url),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_reads_back_as_its_limit() {
        for what in LIMITED.map(|(l, _)| l) {
            let too_large = TooLarge { what, max: 42 };
            assert_eq!(
                TooLarge::from_refusal(&too_large.to_string()),
                Some(too_large)
            );
        }
        assert_eq!(TooLarge::from_refusal("tooLarge:nothing:1"), None);
        assert_eq!(TooLarge::from_refusal("file larger than 64 MiB"), None);
    }
}
