//! Professional-network profiles the user brings in: the member data export
//! (`Connections.csv`), vCards, profile pages they visit, and manual entry. Each becomes a
//! matching [`Person`] whose `id` is a stable [`key`], so importing the same file twice
//! updates instead of duplicating.

pub mod api;
pub mod capture;
pub mod connections_csv;
mod csv_rows;
pub mod merge;
pub mod vcard;

use serde::{Deserialize, Serialize};

use crate::matching::{profile_url, text, Person};

/// Where a profile came from (the most recent source wins on merge).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Origin {
    ConnectionsExport,
    VCard,
    PageCapture,
    Manual,
}

/// A profile as the extension stores it.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// `person.id` is the profile's [`key`].
    pub person: Person,
    pub origin: Origin,
    /// "Connected On" from the export, as written there (e.g. `12 Mar 2024`).
    #[serde(default)]
    pub connected_on: Option<String>,
}

/// A row or card that was not imported, and why (shown to the user with its line).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    pub line: usize,
    pub reason: SkipReason,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// Fields too: JS reads `firstLine`, as every other answer spells its fields.
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum SkipReason {
    /// Neither a name nor a profile URL.
    NoName,
    /// The row has `found` fields where the header has `expected`.
    FieldCount { expected: usize, found: usize },
    /// The same profile appears earlier in the file.
    Duplicate { first_line: usize },
    /// The file itself is not what it claims (no header, not UTF-8, …).
    Malformed { detail: String },
    /// A quote opened on this line never closes; the lines after it are read again.
    UnclosedQuote,
    /// The file has more than `max` rows or cards: nothing of it is imported.
    TooManyRows { max: usize },
}

/// What parsing a file produced, before anything is stored.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parsed {
    pub profiles: Vec<Profile>,
    pub skipped: Vec<Skipped>,
}

/// The stable identity of a profile: its member URL when known, else its e-mail, else its
/// folded name and company. Two imports of the same person yield the same key.
pub fn key(person: &Person) -> Option<String> {
    if let Some(url) = person.profile_url.as_deref().and_then(profile_url::key) {
        return Some(format!("url:{url}"));
    }
    if let Some(email) = person
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| e.contains('@'))
    {
        return Some(format!("email:{}", crate::case::lower(email)));
    }
    let name = display_name(person);
    if name.is_empty() {
        return None;
    }
    let company = person.company.as_deref().unwrap_or_default();
    Some(format!(
        "name:{}|{}",
        text::fold(&name),
        text::fold(company)
    ))
}

/// The key of the profile at a member URL (a network profile page), if it is one.
pub fn key_of_url(url: &str) -> Option<String> {
    profile_url::key(url)
        .filter(|k| k.starts_with("in/"))
        .map(|k| format!("url:{k}"))
}

/// "First Last", or the full name when that is all there is.
pub fn display_name(person: &Person) -> String {
    let parts: Vec<&str> = [person.first_name.as_deref(), person.last_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        person
            .full_name
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_string()
    } else {
        parts.join(" ")
    }
}

/// Most rows (or cards) an import reads: the network caps a member at 30,000 connections
/// (its "Network Size Limit" help page, as quoted at
/// https://joeburridge.com/2018/06/25/linkedin-caps-your-connections-at-30000-why/), so a
/// real export stays far below; past this a file is refused whole, before it fills memory.
pub const MAX_IMPORT_ROWS: usize = 100_000;

/// A file over [`MAX_IMPORT_ROWS`]: nothing of it is imported, and the line says where.
pub(crate) fn too_many_rows(line: usize) -> Parsed {
    Parsed {
        profiles: Vec::new(),
        skipped: vec![Skipped {
            line,
            reason: SkipReason::TooManyRows {
                max: MAX_IMPORT_ROWS,
            },
        }],
    }
}

/// Empty or whitespace-only values are missing values.
pub(crate) fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// Keys every parsed profile, and skips later copies of a key already seen in the file.
pub(crate) fn finish(rows: Vec<(usize, Profile)>, mut skipped: Vec<Skipped>) -> Parsed {
    let mut first_line_of: std::collections::HashMap<String, usize> = Default::default();
    let mut profiles = Vec::with_capacity(rows.len());
    for (line, mut profile) in rows {
        let Some(id) = key(&profile.person) else {
            skipped.push(Skipped {
                line,
                reason: SkipReason::NoName,
            });
            continue;
        };
        if let Some(&first_line) = first_line_of.get(&id) {
            skipped.push(Skipped {
                line,
                reason: SkipReason::Duplicate { first_line },
            });
            continue;
        }
        first_line_of.insert(id.clone(), line);
        profile.person.id = id;
        profiles.push(profile);
    }
    crate::sort::by(&mut skipped, |a, b| a.line.cmp(&b.line));
    Parsed { profiles, skipped }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(first: &str, last: &str) -> Person {
        Person {
            first_name: non_empty(first),
            last_name: non_empty(last),
            ..Person::default()
        }
    }

    #[test]
    fn key_prefers_profile_url_then_email_then_name() {
        let mut p = person("Élodie", "Lefèvre");
        p.company = Some("SGI".into());
        assert_eq!(key(&p).as_deref(), Some("name:elodie lefevre|sgi"));
        p.email = Some(" Elodie.Lefevre@SGI.fr ".into());
        assert_eq!(key(&p).as_deref(), Some("email:elodie.lefevre@sgi.fr"));
        p.profile_url = Some("https://fr.linkedin.com/in/elodie-lefevre/?trk=x".into());
        assert_eq!(key(&p).as_deref(), Some("url:in/elodie-lefevre"));
    }

    #[test]
    fn a_member_page_url_has_the_key_of_its_profile() {
        let mut p = person("Élodie", "Lefèvre");
        p.profile_url = Some("https://www.linkedin.com/in/elodie-lefevre".into());
        assert_eq!(
            key_of_url("https://fr.linkedin.com/in/elodie-lefevre/?trk=x"),
            key(&p)
        );
        assert_eq!(key_of_url("https://www.linkedin.com/feed/"), None);
    }

    #[test]
    fn nameless_profiles_have_no_key() {
        assert_eq!(key(&person("", " ")), None);
    }
}
