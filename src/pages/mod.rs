//! The extension's own pages as data: the options page ([`options`]), Unresolved Activities
//! ([`unresolved`]) and the audit log ([`audit`]). Each page model holds what the page shows,
//! takes the user's requests and the background's answers, and says what to send next as
//! [`PageAction`]s; every word is a [`Text`]. The views in `ui` render them with web-sys and
//! the pages' JavaScript only carries messages, so all of it is tested natively here.

pub mod admin;
pub mod audit;
pub mod options;
mod text;
pub mod unresolved;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::crm::{CrmErrorKind, RecordType};
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
    Admin,
}

impl Page {
    pub const ALL: [Page; 3] = [Page::Unresolved, Page::Audit, Page::Options];

    pub fn file(self) -> &'static str {
        match self {
            Page::Unresolved => "unresolved.html",
            Page::Audit => "audit.html",
            Page::Options => "options.html",
            Page::Admin => "admin.html",
        }
    }

    /// The page's title, heading and link text.
    pub fn title(self) -> Text {
        match self {
            Page::Unresolved => crate::msg!("unresolvedTitle"),
            Page::Audit => crate::msg!("auditTitle"),
            Page::Options => crate::msg!("optionsTitle"),
            Page::Admin => crate::msg!("adminTitle"),
        }
    }

    /// The pages this one links to.
    pub fn others(self) -> impl Iterator<Item = Page> {
        Page::ALL.into_iter().filter(move |p| *p != self)
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

/// An answer of the background: `{ok}`, `{error}` (a word such as `notFound`, or a CRM
/// error), or `{refused}` when the message was refused or the handler failed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, bound = "T: Deserialize<'de>")]
pub struct Reply<T> {
    pub ok: Option<T>,
    pub error: Option<Problem>,
    pub refused: Option<String>,
}

impl<T> Default for Reply<T> {
    fn default() -> Self {
        Reply {
            ok: None,
            error: None,
            refused: None,
        }
    }
}

impl<T> Reply<T> {
    /// An answer that never came, or could not be read.
    pub fn refused(why: impl Into<String>) -> Reply<T> {
        Reply {
            refused: Some(why.into()),
            ..Reply::default()
        }
    }

    /// Why it failed, when it did.
    pub fn failed(&self) -> bool {
        self.error.is_some() || self.refused.is_some()
    }

    /// The reason in the words the background or the CRM gave (may be empty).
    pub fn reason(&self) -> String {
        match (&self.error, &self.refused) {
            (Some(error), _) => error.reason(),
            (None, Some(refused)) => refused.clone(),
            (None, None) => String::new(),
        }
    }

    /// "That did not work: …", or the limit a refused message was over.
    pub fn failure(&self) -> Text {
        match self.refused.as_deref() {
            Some(refused) if crate::message::TooLarge::from_refusal(refused).is_some() => {
                Text::from(crate::answer::refusal_words(refused))
            }
            _ => crate::msg!("actionFailed", self.reason()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// `notFound`, `wrongState`, `noSuchRecord`, `noName`.
    Word(String),
    Crm(CrmProblem),
}

/// Text or an object, read without buffering the value (as an untagged enum would; that
/// costs the wasm build more than all the pages' code).
impl<'de> Deserialize<'de> for Problem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = Problem;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a word or a CRM error")
            }
            fn visit_str<E: de::Error>(self, word: &str) -> Result<Problem, E> {
                Ok(Problem::Word(word.to_string()))
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Problem, M::Error> {
                CrmProblem::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Problem::Crm)
            }
        }
        deserializer.deserialize_any(Either)
    }
}

/// A CRM error as much as a page shows of it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct CrmProblem {
    pub kind: Option<CrmErrorKind>,
    pub code: String,
    pub message: String,
}

impl Problem {
    /// The CRM's own words, else its code.
    pub fn reason(&self) -> String {
        match self {
            Problem::Word(word) => word.clone(),
            Problem::Crm(e) if e.message.is_empty() => e.code.clone(),
            Problem::Crm(e) => e.message.clone(),
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
        Reply::refused(why)
    }
}

impl Answer for Exported {
    fn unreadable(why: String) -> Self {
        Exported::refused(why)
    }
}

/// A list or count the background answers bare, or a failure. (Read by the views: it is an
/// object exactly when it failed.)
#[derive(Debug, Clone, PartialEq)]
pub enum Bare<T> {
    Value(T),
    Failed(Reply<()>),
}

impl<T> Bare<T> {
    pub fn refused(why: impl Into<String>) -> Bare<T> {
        Bare::Failed(Reply::refused(why))
    }
}

#[cfg(test)]
impl<T: serde::de::DeserializeOwned> Bare<T> {
    /// Reads an answer as the views do.
    pub fn from_json(value: serde_json::Value) -> Bare<T> {
        if value.is_object() {
            Bare::Failed(serde_json::from_value(value).unwrap())
        } else {
            Bare::Value(serde_json::from_value(value).unwrap())
        }
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

/// The `{csv}` answer of an export, or why there is none.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Exported {
    pub csv: Option<String>,
    pub error: Option<Problem>,
    pub refused: Option<String>,
}

impl Exported {
    pub fn refused(why: impl Into<String>) -> Exported {
        Exported {
            refused: Some(why.into()),
            ..Exported::default()
        }
    }

    pub fn failure(&self) -> Text {
        let reply: Reply<()> = Reply {
            ok: None,
            error: self.error.clone(),
            refused: self.refused.clone(),
        };
        reply.failure()
    }
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
    fn each_page_links_the_two_others() {
        let links: Vec<&str> = Page::Audit.others().map(Page::file).collect();
        assert_eq!(links, ["unresolved.html", "options.html"]);
        assert_eq!(english(&Page::Options.title()), "crmsync settings");
    }

    #[test]
    fn failures_read_as_the_background_or_crm_words() {
        let word: Reply<()> = serde_json::from_str(r#"{"error":"notFound"}"#).unwrap();
        assert_eq!(english(&word.failure()), "That did not work: notFound");
        let crm: Reply<()> = serde_json::from_str(
            r#"{"error":{"kind":"rejected","code":"X","message":"Nope","status":400}}"#,
        )
        .unwrap();
        assert_eq!(crm.reason(), "Nope");
        let refused: Reply<()> = serde_json::from_str(r#"{"refused":"bad message"}"#).unwrap();
        assert!(refused.failed());
        assert_eq!(refused.reason(), "bad message");
        let ok: Reply<bool> = serde_json::from_str(r#"{"ok":true}"#).unwrap();
        assert!(!ok.failed());
    }

    #[test]
    fn bare_answers_are_values_or_failures() {
        let rows: Bare<Vec<u32>> = Bare::from_json(serde_json::json!([1, 2]));
        assert_eq!(rows, Bare::Value(vec![1, 2]));
        let failed: Bare<Vec<u32>> = Bare::from_json(serde_json::json!({"refused": "x"}));
        assert!(matches!(failed, Bare::Failed(r) if r.reason() == "x"));
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

    #[test]
    fn exports_answer_csv_or_why_not() {
        let csv: Exported = serde_json::from_str(r#"{"csv":"a,b"}"#).unwrap();
        assert_eq!(csv.csv.as_deref(), Some("a,b"));
        let refused: Exported = serde_json::from_str(r#"{"refused":"no"}"#).unwrap();
        assert_eq!(refused.csv, None);
        assert_eq!(english(&refused.failure()), "That did not work: no");
    }
}
