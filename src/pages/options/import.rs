//! Importing a profile file: which format it is, its progress, and the summary that names
//! every skipped line, all read from the Rust types the import produces.

use serde::Deserialize;

use crate::answer::refusal_words;
use crate::message::{ImportFormat, Limited, Request, TooLarge, MAX_IMPORT_BYTES};
use crate::msg;
use crate::pages::{Reply, Text};
use crate::profiles::{SkipReason, Skipped};

/// A message on the `import` port: progress after each stored batch, then the summary, or
/// why the import failed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PortMessage {
    Progress(Progress),
    /// The import's answer.
    Summary(Reply<Summary>),
    /// The port's own failure (the background stopped during the import).
    Refused(String),
}

impl crate::pages::Answer for PortMessage {
    fn unreadable(why: String) -> Self {
        PortMessage::Refused(why)
    }
}

/// Progress and the summary are the background's own types (`src/background/profiles.rs`).
pub use crate::profiles::api::{ImportProgress as Progress, ImportSummary as Summary};

impl Summary {
    pub fn headline(&self) -> Text {
        msg!(
            "importSummary",
            self.added,
            self.updated,
            self.unchanged,
            self.skipped.len()
        )
    }
}

/// A file over the import's limit says the limit; any other refusal gives its reason.
fn refusal_text(why: &str) -> Text {
    match TooLarge::from_refusal(why) {
        Some(_) => Text::from(refusal_words(why)),
        None => msg!("importFailed", why),
    }
}

/// `Line 28: the same profile as line 5`.
pub fn skipped_text(skipped: &Skipped) -> Text {
    let why = match &skipped.reason {
        SkipReason::NoName => msg!("skipNoName"),
        SkipReason::FieldCount { expected, found } => {
            msg!("skipFieldCount", expected, found)
        }
        SkipReason::Duplicate { first_line } => msg!("skipDuplicate", first_line),
        SkipReason::Malformed { detail } => msg!("skipMalformed", detail.as_str()),
        SkipReason::UnclosedQuote => msg!("skipUnclosedQuote"),
        SkipReason::TooManyRows { max } => msg!("skipTooManyRows", max),
    };
    msg!("skipLine", skipped.line, why)
}

/// A vCard by its name or its first line; anything else is read as `Connections.csv`.
pub fn format_of(file_name: &str, text: &str) -> ImportFormat {
    let name = file_name.to_ascii_lowercase();
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let begins_vcard = start
        .get(..11)
        .is_some_and(|head| head.eq_ignore_ascii_case("BEGIN:VCARD"));
    if name.ends_with(".vcf") || name.ends_with(".vcard") || begins_vcard {
        ImportFormat::VCard
    } else {
        ImportFormat::ConnectionsCsv
    }
}

/// What the import part of the options page shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Import {
    busy: bool,
    /// Shown once a first import started; it stays full after the import.
    progress: Option<Progress>,
    result: Option<Outcome>,
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Done(Summary),
    Failed(Text),
}

/// The summary region: a line, and the skipped lines if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub error: bool,
    pub line: Text,
    pub skipped: Vec<Text>,
}

impl Import {
    /// A file was read: the message that imports it (one import at a time).
    pub fn start(&mut self, file_name: &str, text: String) -> Option<Request> {
        if self.busy {
            return None;
        }
        // The background refuses it too; saying so here spares sending it (a browser's own
        // message limit would fail it with words of its own).
        if text.len() > MAX_IMPORT_BYTES {
            let too_large = TooLarge {
                what: Limited::ImportFile,
                max: MAX_IMPORT_BYTES,
            };
            self.result = Some(Outcome::Failed(refusal_text(&too_large.to_string())));
            return None;
        }
        self.busy = true;
        self.progress = Some(Progress::default());
        Some(Request::ImportProfiles {
            format: format_of(file_name, &text),
            text,
        })
    }

    /// Whether a file may be chosen now.
    pub fn can_start(&self) -> bool {
        !self.busy
    }

    /// Takes a port message; true when the import is over (the port can be closed).
    pub fn message(&mut self, message: PortMessage) -> bool {
        if !self.busy {
            return true;
        }
        match message {
            PortMessage::Progress(progress) => {
                self.progress = Some(progress);
                return false;
            }
            PortMessage::Summary(Reply {
                ok: Some(summary), ..
            }) => {
                let total = self.progress.map_or(0, |p| p.total).max(1);
                self.progress = Some(Progress { done: total, total });
                self.result = Some(Outcome::Done(summary));
            }
            PortMessage::Summary(failed) => self.result = Some(Outcome::Failed(failed.failure())),
            PortMessage::Refused(why) => self.result = Some(Outcome::Failed(refusal_text(&why))),
        }
        self.busy = false;
        true
    }

    /// The progress bar's `(value, max)`, or `None` while it is hidden.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.progress.map(|p| (p.done.min(p.total), p.total.max(1)))
    }

    pub fn report(&self) -> Option<Report> {
        Some(match self.result.as_ref()? {
            Outcome::Done(summary) => Report {
                error: false,
                line: summary.headline(),
                skipped: summary.skipped.iter().map(skipped_text).collect(),
            },
            Outcome::Failed(why) => Report {
                error: true,
                line: why.clone(),
                skipped: Vec::new(),
            },
        })
    }
}
