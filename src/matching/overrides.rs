//! The user's own decisions, which always beat the model.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Overrides {
    /// profile id → record id chosen by hand.
    pub links: BTreeMap<String, String>,
    /// (profile id, record id) pairs marked "not this person".
    pub rejections: BTreeSet<(String, String)>,
}

impl Overrides {
    /// Links by hand; also lifts an earlier rejection of the same pair.
    pub fn link(&mut self, profile: &str, record: &str) {
        self.rejections
            .remove(&(profile.to_owned(), record.to_owned()));
        self.links.insert(profile.to_owned(), record.to_owned());
    }

    /// "Not this person"; also drops a manual link to that record.
    pub fn reject(&mut self, profile: &str, record: &str) {
        if self.links.get(profile).is_some_and(|r| r == record) {
            self.links.remove(profile);
        }
        self.rejections
            .insert((profile.to_owned(), record.to_owned()));
    }

    pub fn linked(&self, profile: &str) -> Option<&str> {
        self.links.get(profile).map(String::as_str)
    }

    pub fn is_rejected(&self, profile: &str, record: &str) -> bool {
        // Tuple lookup without allocating: scan the profile's range.
        self.rejections
            .range((profile.to_owned(), String::new())..)
            .take_while(|(p, _)| p == profile)
            .any(|(_, r)| r == record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_and_reject_replace_each_other() {
        let mut o = Overrides::default();
        o.reject("p", "r");
        assert!(o.is_rejected("p", "r"));
        assert!(!o.is_rejected("p", "s"));
        o.link("p", "r");
        assert!(!o.is_rejected("p", "r"));
        assert_eq!(o.linked("p"), Some("r"));
        o.reject("p", "r");
        assert_eq!(o.linked("p"), None);
    }

    #[test]
    fn serde_round_trip() {
        let mut o = Overrides::default();
        o.link("a", "b");
        o.reject("c", "d");
        let json = serde_json::to_string(&o).unwrap();
        assert_eq!(serde_json::from_str::<Overrides>(&json).unwrap(), o);
    }
}
