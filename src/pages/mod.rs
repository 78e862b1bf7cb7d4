//! The extension's own pages as data: the options page ([`options`]), Unresolved Activities
//! ([`unresolved`]) and the audit log ([`audit`]). Each page model holds what the page shows,
//! takes the user's requests and the background's answers, and says what to send next as
//! [`PageAction`]s; every word is a [`Text`]. The views in `ui` render them with web-sys and
//! the pages' JavaScript only carries messages, so all of it is tested natively here.

pub mod admin;
pub mod audit;
pub mod options;
pub mod saved;
mod text;
pub mod unresolved;
pub mod validation;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::answer::Answer as AnswerOf;
pub use crate::answer::{Code, Problem};
use crate::crm::RecordType;
use crate::message::Request;
pub use text::{key, Text};

#[cfg(test)]
pub use text::english;

/// The pages that link to each other, in the order their links are shown, and the admin
/// page, which links to them all and is reached from the options page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Unresolved,
    Audit,
    Options,
    Validation,
    Saved,
    Admin,
}

impl Page {
    pub const ALL: [Page; 5] = [
        Page::Unresolved,
        Page::Saved,
        Page::Validation,
        Page::Audit,
        Page::Options,
    ];

    pub fn file(self) -> &'static str {
        match self {
            Page::Unresolved => "unresolved.html",
            Page::Audit => "audit.html",
            Page::Options => "options.html",
            Page::Validation => "validation.html",
            Page::Saved => "saved.html",
            Page::Admin => "admin.html",
        }
    }

    /// The page's title, heading and link text.
    pub fn title(self) -> Text {
        match self {
            Page::Unresolved => crate::msg!("unresolvedTitle"),
            Page::Audit => crate::msg!("auditTitle"),
            Page::Options => crate::msg!("optionsTitle"),
            Page::Validation => crate::msg!("validationTitle"),
            Page::Saved => crate::msg!("savedTitle"),
            Page::Admin => crate::msg!("adminTitle"),
        }
    }

    /// The pages this one links to.
    pub fn others(self) -> impl Iterator<Item = Page> {
        Page::ALL.into_iter().filter(move |p| *p != self)
    }
}

impl Page {
    /// Whether an event of the background (on the panel port) changes what the page shows:
    /// the page then asks again.
    pub fn concerned_by(self, heard: &crate::panel_model::Heard) -> bool {
        use crate::panel_model::EventKind;
        matches!(
            (self, heard.kind),
            (Page::Options, EventKind::SettingsChanged)
                | (Page::Unresolved, EventKind::ActivityChanged)
                | (Page::Validation, EventKind::ValidationChanged)
        )
    }
}

/// What a page asks its JavaScript to do. (Nearly every action is a `Send`: boxing it, as
/// clippy suggests natively for the size difference, would only add an allocation.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PageAction {
    /// Send this message to the background and give its answer back to the page with it
    /// (`importProfiles` goes over the `import` port, whose messages are given back one by
    /// one).
    Send(Request),
    /// Save `text` as a file (through a Blob URL).
    Download { filename: String, text: String },
}

/// An answer of the background as a page reads it: `{ok}` or `{error: Problem}`
/// (src/answer.rs); one that never came, or does not read, is a `noAnswer` failure.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<T> {
    pub ok: Option<T>,
    pub error: Option<Problem>,
}

impl<T> Default for Reply<T> {
    fn default() -> Self {
        Reply {
            ok: None,
            error: None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Reply<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match AnswerOf::<T>::deserialize(deserializer)? {
            AnswerOf::Ok(ok) => Reply::ok(ok),
            AnswerOf::Error(error) => Reply {
                ok: None,
                error: Some(error),
            },
        })
    }
}

impl<T> Reply<T> {
    pub fn ok(value: T) -> Reply<T> {
        Reply {
            ok: Some(value),
            error: None,
        }
    }

    /// An answer that never came, or could not be read: `why` in the browser's words.
    pub fn no_answer(why: impl Into<String>) -> Reply<T> {
        Reply {
            ok: None,
            error: Some(Problem::with_detail(Code::NoAnswer, why)),
        }
    }

    pub fn failed(&self) -> bool {
        self.error.is_some() || self.ok.is_none()
    }

    /// Whether it failed with this code.
    pub fn refused_for(&self, code: Code) -> bool {
        self.error.as_ref().is_some_and(|e| e.code == code)
    }

    /// Why it failed, in the user's words (the core's words for the code).
    pub fn failure(&self) -> Text {
        match &self.error {
            Some(problem) => Text::from(problem.words()),
            None => crate::msg!("activityFailedUnknown"),
        }
    }
}

/// An answer a page reads; [`Answer::unreadable`] stands for one that does not read (or
/// never came), with why.
pub trait Answer {
    fn unreadable(why: String) -> Self;
}

impl<T> Answer for Reply<T> {
    fn unreadable(why: String) -> Self {
        Reply::no_answer(why)
    }
}

#[cfg(test)]
impl<T: serde::de::DeserializeOwned> Reply<T> {
    /// Reads an answer as the views do.
    pub fn from_json(value: serde_json::Value) -> Reply<T> {
        serde_json::from_value(value).unwrap_or_else(|e| Reply::no_answer(e.to_string()))
    }
}

/// A stored time: ISO 8601 text or milliseconds since the epoch. The views show it in the
/// reader's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Stamp {
    Ms(f64),
    Iso(String),
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl Visitor<'_> for Either {
            type Value = Stamp;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("milliseconds or ISO 8601 text")
            }
            fn visit_f64<E: de::Error>(self, ms: f64) -> Result<Stamp, E> {
                Ok(Stamp::Ms(ms))
            }
            fn visit_i64<E: de::Error>(self, ms: i64) -> Result<Stamp, E> {
                Ok(Stamp::Ms(ms as f64))
            }
            fn visit_u64<E: de::Error>(self, ms: u64) -> Result<Stamp, E> {
                Ok(Stamp::Ms(ms as f64))
            }
            fn visit_str<E: de::Error>(self, iso: &str) -> Result<Stamp, E> {
                Ok(Stamp::Iso(iso.to_string()))
            }
        }
        deserializer.deserialize_any(Either)
    }
}

/// An item kind's name (`note`, `inMail`, …); an unknown kind as it is stored.
pub fn kind_text(kind: &str) -> Text {
    match kind {
        "note" => crate::msg!("itemKind_note"),
        "message" => crate::msg!("itemKind_message"),
        "inMail" => crate::msg!("itemKind_inMail"),
        "call" => crate::msg!("itemKind_call"),
        "tag" => crate::msg!("itemKind_tag"),
        other => other.into(),
    }
}

pub fn record_type_text(record_type: RecordType) -> Text {
    match record_type {
        RecordType::Contact => crate::msg!("recordType_Contact"),
        RecordType::Lead => crate::msg!("recordType_Lead"),
        RecordType::Account => crate::msg!("recordType_Account"),
        RecordType::Opportunity => crate::msg!("recordType_Opportunity"),
    }
}

/// A CSV export's file name: `unresolved-activities-2026-11-24.csv`.
pub fn csv_name(stem: &str, today: &str) -> String {
    format!("{stem}-{today}.csv")
}

/// What a page sends is a message the background takes from an extension page.
#[cfg(test)]
pub fn assert_sendable(actions: &[PageAction]) {
    for action in actions {
        if let PageAction::Send(request) = action {
            let json = serde_json::to_string(request).unwrap();
            let parsed = crate::message::parse(&json, crate::message::Sender::ExtensionPage);
            assert_eq!(parsed.as_ref(), Ok(request), "{json}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_links_the_others() {
        let links: Vec<&str> = Page::Audit.others().map(Page::file).collect();
        assert_eq!(
            links,
            [
                "unresolved.html",
                "saved.html",
                "validation.html",
                "options.html"
            ]
        );
        assert_eq!(english(&Page::Options.title()), "crmsync settings");
    }

    #[test]
    fn failures_read_in_the_cores_words() {
        let word: Reply<()> = Reply::from_json(serde_json::json!({"error": {"code": "notFound"}}));
        assert_eq!(
            english(&word.failure()),
            "That record or item is no longer there. Reload the page and try again."
        );
        let crm: Reply<()> = Reply::from_json(serde_json::json!({"error": {"code": "crm",
            "crm": {"kind": "rejected", "code": "X", "message": "Nope", "status": 400, "retryAfter": null}}}));
        assert_eq!(english(&crm.failure()), "That did not go through: Nope");
        let unread: Reply<()> = Reply::from_json(serde_json::json!({"refused": "bad message"}));
        assert!(unread.refused_for(Code::NoAnswer));
        let ok: Reply<bool> = Reply::from_json(serde_json::json!({"ok": true}));
        assert!(!ok.failed());
        let unit: Reply<()> = Reply::from_json(serde_json::json!({"ok": null}));
        assert!(!unit.failed(), "an answer with nothing to say but ok");
    }

    #[test]
    fn a_page_asks_again_for_the_events_that_change_it() {
        use crate::background::Event;
        let heard = |event: Event| serde_json::from_value(serde_json::to_value(event).unwrap());
        let settings = heard(Event::SettingsChanged).unwrap();
        let items = heard(Event::ActivityChanged { ids: vec![] }).unwrap();
        assert!(Page::Options.concerned_by(&settings));
        assert!(!Page::Options.concerned_by(&items));
        assert!(Page::Unresolved.concerned_by(&items));
        assert!(!Page::Audit.concerned_by(&items) && !Page::Audit.concerned_by(&settings));
    }

    #[test]
    fn stamps_are_milliseconds_or_iso_text() {
        let stamps: Vec<Stamp> = serde_json::from_str(r#"[5, 1.5, "2026-11-24"]"#).unwrap();
        assert_eq!(
            stamps,
            [
                Stamp::Ms(5.0),
                Stamp::Ms(1.5),
                Stamp::Iso("2026-11-24".into())
            ]
        );
    }
}
