//! The profile operations the extension calls, as plain functions over serde types.

use serde::{Deserialize, Serialize};

use super::merge::{merge, Change};
use super::{capture, connections_csv, finish, vcard, Origin, Parsed, Profile, Skipped};
use crate::matching::Person;
use crate::message::ImportFormat;

pub fn parse_file(format: ImportFormat, text: &str) -> Parsed {
    match format {
        ImportFormat::ConnectionsCsv => connections_csv::parse(text),
        ImportFormat::VCard => vcard::parse(text),
    }
}

/// How far an import is: `done` of the file's `total` profiles are stored.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
}

/// What an import did: the options page shows these counts and names every skipped line.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    #[serde(default)]
    pub skipped: Vec<Skipped>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Merged {
    pub profile: Profile,
    pub change: Change,
}

/// Merges each incoming profile with the stored one at the same position (or none).
pub fn merge_all(existing: Vec<Option<Profile>>, incoming: Vec<Profile>) -> Vec<Merged> {
    incoming
        .into_iter()
        .zip(existing.into_iter().chain(std::iter::repeat(None)))
        .map(|(new, old)| {
            let (profile, change) = merge(old.as_ref(), new);
            Merged { profile, change }
        })
        .collect()
}

/// A typed-in profile, keyed like any other; `None` without a name or profile URL.
pub fn manual(person: Person) -> Option<Profile> {
    let profile = Profile {
        person,
        origin: Origin::Manual,
        connected_on: None,
    };
    finish(vec![(1, profile)], Vec::new())
        .profiles
        .into_iter()
        .next()
}

/// The profile the member page at `page_url` (the sender's tab) shows, if it names someone.
pub fn captured(page_url: &str, page: &capture::PageData) -> Option<Profile> {
    capture::from_page(page_url, page)
        .filter(|p| p.person.full_name.is_some() || p.person.first_name.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_all_pairs_by_position() {
        let parsed = parse_file(
            ImportFormat::ConnectionsCsv,
            "First Name,Last Name\nAda,Lovelace\nGrace,Hopper\n",
        );
        let first = parsed.profiles[0].clone();
        let merged = merge_all(vec![Some(first), None], parsed.profiles);
        let changes: Vec<Change> = merged.iter().map(|m| m.change).collect();
        assert_eq!(changes, vec![Change::Unchanged, Change::Added]);
    }

    #[test]
    fn manual_entry_needs_a_name() {
        assert!(manual(Person::default()).is_none());
        let p = manual(Person {
            full_name: Some("Ada Lovelace".into()),
            ..Person::default()
        })
        .unwrap();
        assert_eq!(p.person.id, "name:ada lovelace|");
        assert_eq!(p.origin, Origin::Manual);
    }
}
