//! Re-importing or re-capturing a profile updates it instead of duplicating it.

use serde::{Deserialize, Serialize};

use super::{Origin, Profile};
use crate::matching::Person;

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Change {
    Added,
    Updated,
    Unchanged,
}

/// Newer values win, missing values never erase known ones, and what the user typed in by
/// hand is only filled in, never overwritten, by imports and captures.
pub fn merge(existing: Option<&Profile>, incoming: Profile) -> (Profile, Change) {
    let Some(existing) = existing else {
        return (incoming, Change::Added);
    };
    let keep_existing = existing.origin == Origin::Manual && incoming.origin != Origin::Manual;
    let (base, extra) = if keep_existing {
        (existing.clone(), incoming)
    } else {
        (incoming, existing.clone())
    };
    let merged = Profile {
        person: fill(base.person, &extra.person),
        origin: base.origin,
        connected_on: base.connected_on.or(extra.connected_on),
    };
    let change = if merged == *existing {
        Change::Unchanged
    } else {
        Change::Updated
    };
    (merged, change)
}

/// `base` with its missing fields taken from `extra`.
fn fill(base: Person, extra: &Person) -> Person {
    let or = |a: Option<String>, b: &Option<String>| a.or_else(|| b.clone());
    Person {
        id: base.id,
        first_name: or(base.first_name, &extra.first_name),
        last_name: or(base.last_name, &extra.last_name),
        full_name: or(base.full_name, &extra.full_name),
        email: or(base.email, &extra.email),
        company: or(base.company, &extra.company),
        title: or(base.title, &extra.title),
        city: or(base.city, &extra.city),
        country: or(base.country, &extra.country),
        phone: or(base.phone, &extra.phone),
        profile_url: or(base.profile_url, &extra.profile_url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(origin: Origin, company: Option<&str>, email: Option<&str>) -> Profile {
        Profile {
            person: Person {
                id: "url:in/ada".into(),
                first_name: Some("Ada".into()),
                company: company.map(String::from),
                email: email.map(String::from),
                ..Person::default()
            },
            origin,
            connected_on: None,
        }
    }

    #[test]
    fn same_data_again_is_unchanged() {
        let p = profile(Origin::ConnectionsExport, Some("Acme"), None);
        assert_eq!(merge(Some(&p), p.clone()).1, Change::Unchanged);
        assert_eq!(merge(None, p).1, Change::Added);
    }

    #[test]
    fn newer_values_win_and_missing_values_do_not_erase() {
        let old = profile(
            Origin::ConnectionsExport,
            Some("Acme"),
            Some("ada@acme.com"),
        );
        let new = profile(Origin::PageCapture, Some("Analytical Engines"), None);
        let (merged, change) = merge(Some(&old), new);
        assert_eq!(change, Change::Updated);
        assert_eq!(merged.person.company.as_deref(), Some("Analytical Engines"));
        assert_eq!(merged.person.email.as_deref(), Some("ada@acme.com"));
    }

    #[test]
    fn manual_entries_are_only_filled_in() {
        let manual = profile(Origin::Manual, Some("Typed Co"), None);
        let import = profile(
            Origin::ConnectionsExport,
            Some("Imported Co"),
            Some("a@b.c"),
        );
        let (merged, _) = merge(Some(&manual), import);
        assert_eq!(merged.person.company.as_deref(), Some("Typed Co"));
        assert_eq!(merged.person.email.as_deref(), Some("a@b.c"));
        assert_eq!(merged.origin, Origin::Manual);
    }
}
