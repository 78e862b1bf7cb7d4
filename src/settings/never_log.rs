//! The never-log list: e-mail addresses, e-mail domains, network profiles and CRM records
//! whose activities are never written to the CRM. An item it stops is kept on this computer
//! with that reason. Entries are kept as written (the options page shows them) and compared
//! in a normal form: lower-case addresses and domains, the profile's store key, the record's
//! 18-character Salesforce id or lower-case Dataverse GUID.

use serde::{Deserialize, Serialize};

use crate::page::normalize_guid;
use crate::{profiles, salesforce_id};

/// What an entry names.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NeverLogKind {
    Email,
    Domain,
    Profile,
    Record,
}

impl NeverLogKind {
    pub const ALL: [NeverLogKind; 4] = [
        NeverLogKind::Email,
        NeverLogKind::Domain,
        NeverLogKind::Profile,
        NeverLogKind::Record,
    ];

    /// The entry's comparable form, or `None` when it is not one of these.
    pub fn normal(self, entry: &str) -> Option<String> {
        let entry = entry.trim();
        match self {
            NeverLogKind::Email => email(entry),
            NeverLogKind::Domain => domain(entry),
            NeverLogKind::Profile => profiles::key_of_url(entry),
            NeverLogKind::Record => salesforce_id::to_18(entry).or_else(|| normalize_guid(entry)),
        }
    }
}

fn email(entry: &str) -> Option<String> {
    let (local, host) = entry.rsplit_once('@')?;
    let ok = !local.is_empty() && !local.contains(char::is_whitespace);
    domain(host)
        .filter(|_| ok)
        .map(|d| format!("{}@{d}", crate::case::lower(local)))
}

/// A DNS name of at least two labels (`example.com`), lower-case.
pub fn domain(entry: &str) -> Option<String> {
    let name = entry.trim().trim_end_matches('.').to_ascii_lowercase();
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    (name.contains('.') && name.len() <= 253 && name.split('.').all(label_ok)).then_some(name)
}

/// The list as a layer holds it: each kind's entries, as written.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct NeverLog {
    pub emails: Vec<String>,
    pub domains: Vec<String>,
    pub profiles: Vec<String>,
    pub records: Vec<String>,
}

impl NeverLog {
    pub fn entries(&self, kind: NeverLogKind) -> &Vec<String> {
        match kind {
            NeverLogKind::Email => &self.emails,
            NeverLogKind::Domain => &self.domains,
            NeverLogKind::Profile => &self.profiles,
            NeverLogKind::Record => &self.records,
        }
    }

    pub fn entries_mut(&mut self, kind: NeverLogKind) -> &mut Vec<String> {
        match kind {
            NeverLogKind::Email => &mut self.emails,
            NeverLogKind::Domain => &mut self.domains,
            NeverLogKind::Profile => &mut self.profiles,
            NeverLogKind::Record => &mut self.records,
        }
    }

    /// The valid entries (trimmed, each once), and the ones that are not what their list
    /// holds.
    pub fn cleaned(&self) -> (NeverLog, Vec<(NeverLogKind, String)>) {
        let mut clean = NeverLog::default();
        let mut rejected = Vec::new();
        for kind in NeverLogKind::ALL {
            let mut seen = Vec::new();
            for entry in self.entries(kind) {
                match kind.normal(entry) {
                    Some(normal) if seen.contains(&normal) => {}
                    Some(normal) => {
                        seen.push(normal);
                        clean.entries_mut(kind).push(entry.trim().to_string());
                    }
                    None => rejected.push((kind, entry.clone())),
                }
            }
        }
        (clean, rejected)
    }

    /// Whether the list names this person or record (then nothing about it is written).
    pub fn blocks(&self, subject: &Subject) -> bool {
        let normals = |kind: NeverLogKind| -> Vec<String> {
            self.entries(kind)
                .iter()
                .filter_map(|e| kind.normal(e))
                .collect()
        };
        let emails: Vec<String> = subject.emails.iter().filter_map(|e| email(e)).collect();
        let blocked_emails = normals(NeverLogKind::Email);
        let blocked_domains = normals(NeverLogKind::Domain);
        let in_domain = |address: &String| {
            let host = address.rsplit_once('@').map_or("", |(_, h)| h);
            blocked_domains.iter().any(|d| {
                host == d
                    || host
                        .strip_suffix(d.as_str())
                        .is_some_and(|sub| sub.ends_with('.'))
            })
        };
        let profile = subject.profile_id.as_ref();
        let records: Vec<String> = subject
            .record_ids
            .iter()
            .filter_map(|r| NeverLogKind::Record.normal(r))
            .collect();
        emails
            .iter()
            .any(|e| blocked_emails.contains(e) || in_domain(e))
            || profile.is_some_and(|p| normals(NeverLogKind::Profile).contains(p))
            || records
                .iter()
                .any(|r| normals(NeverLogKind::Record).contains(r))
    }
}

/// Who and what an item is about, as far as the background knows: the profile's and the
/// record's e-mail addresses, the profile's store key, the record and its account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    pub emails: Vec<String>,
    pub profile_id: Option<String>,
    pub record_ids: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(json: serde_json::Value) -> NeverLog {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn addresses_domains_and_subdomains_are_stopped_case_blind() {
        let never = list(serde_json::json!({
            "emails": ["Ceo@Rival.example"],
            "domains": ["lawfirm.example"],
        }));
        let about = |email: &str| Subject {
            emails: vec![email.into()],
            ..Subject::default()
        };
        assert!(never.blocks(&about("ceo@rival.example")));
        assert!(!never.blocks(&about("cfo@rival.example")));
        assert!(never.blocks(&about("a@LawFirm.example")));
        assert!(never.blocks(&about("a@eu.lawfirm.example")));
        assert!(
            !never.blocks(&about("a@notlawfirm.example")),
            "a suffix is not a subdomain"
        );
        assert!(!never.blocks(&Subject::default()));
    }

    #[test]
    fn profiles_match_by_their_key_and_records_by_their_id_in_either_form() {
        let never = list(serde_json::json!({
            "profiles": ["https://www.linkedin.com/in/jane-doe/"],
            "records": ["0035g00000ABCDe", "{6F1E0B9A-8C7D-4E8A-9C6D-2F1E0B9A8C7D}"],
        }));
        let jane = profiles::key_of_url("https://linkedin.com/in/jane-doe").unwrap();
        assert!(never.blocks(&Subject {
            profile_id: Some(jane),
            ..Subject::default()
        }));
        let record = |id: &str| Subject {
            record_ids: vec![id.into()],
            ..Subject::default()
        };
        assert!(
            never.blocks(&record("0035g00000ABCDeAAP")),
            "15 = 18 characters"
        );
        assert!(never.blocks(&record("6f1e0b9a-8c7d-4e8a-9c6d-2f1e0b9a8c7d")));
        assert!(!never.blocks(&record("0035g00000ABCDfAAP")));
    }

    #[test]
    fn entries_that_are_not_what_their_list_holds_are_rejected_and_the_rest_kept() {
        let never = list(serde_json::json!({
            "emails": ["ok@example.com", "not an address", "OK@example.com"],
            "domains": ["example", "good.example"],
            "profiles": ["https://example.com/jane"],
            "records": ["003"],
        }));
        let (clean, rejected) = never.cleaned();
        assert_eq!(clean.emails, ["ok@example.com"], "the same address once");
        assert_eq!(clean.domains, ["good.example"]);
        assert!(clean.profiles.is_empty() && clean.records.is_empty());
        assert_eq!(rejected.len(), 4);
        assert!(rejected.contains(&(NeverLogKind::Email, "not an address".into())));
    }
}
