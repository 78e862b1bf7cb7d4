//! The index's update in place after an incremental sync: the changed records are
//! normalised again and merged into the postings, term counts and id order in one linear
//! pass each (no record is hashed or sorted again), and the org's statistics stay frozen
//! until `needs_rebuild` says a full build is due.

use std::collections::HashSet;

use super::{blocking, term_values, Features, Frozen, MatchIndex, Person};

/// A value's count change below this many bits of weight concerns no profile: 7% of its
/// count, so any change of a value fewer than 14 records share, and none of a common one's.
/// (The posterior moves by at most 0.02 at 0.1 bits; `needs_rebuild` bounds the sum.)
const TERM_SHIFT_BITS: f64 = 0.1;

/// A touched record whose odds for a profile stay below this (log2, against "no record")
/// moves no posterior of that profile by more than 0.001: it cannot change the decision.
const NEGLIGIBLE_LOG2_ODDS: f64 = -10.0;

/// What an [`MatchIndex::update`] changed: the touched records' versions (before and
/// after) with the keys they are filed under, the keys whose bucket crossed the size cap
/// (all their records came or went), and the term values whose counts moved the weights.
#[derive(Debug, Clone, Default)]
pub struct ChangedKeys {
    versions: Vec<Features>,
    /// (key, version), sorted: under which live keys each version is (or was) found.
    filed: Vec<(u32, u32)>,
    crossed: Vec<u32>,
    terms: Vec<u32>,
}

impl ChangedKeys {
    /// Whether the profile's decision may have changed (`index`: the updated one): it finds
    /// a touched record, before or after, with odds that are not negligible; or looks up a
    /// bucket that crossed the cap; or holds a value whose count moved its weight.
    pub fn concern(&self, index: &MatchIndex, profile: &Person) -> bool {
        if self.filed.is_empty() && self.crossed.is_empty() && self.terms.is_empty() {
            return false;
        }
        let f = Features::of(profile);
        let keys = blocking::keys(&f, true);
        let has = |set: &[u32], k: &u32| set.binary_search(k).is_ok();
        if keys.iter().any(|k| has(&self.crossed, k))
            || term_values(&f).any(|t| has(&self.terms, &t))
        {
            return true;
        }
        let mut found: Vec<u32> = Vec::new();
        for k in &keys {
            let from = self.filed.partition_point(|e| e.0 < *k);
            found.extend(
                self.filed[from..]
                    .iter()
                    .take_while(|e| e.0 == *k)
                    .map(|e| e.1),
            );
        }
        found.sort_unstable();
        found.dedup();
        let model = &index.model;
        let against_none =
            model.prior_log2(index.population()) - (1.0 - model.match_rate).max(1e-12).log2();
        found.into_iter().any(|v| {
            let evidence = index.evidence_of(&f, &self.versions[v as usize]);
            index.weigh(model, &evidence).0 + against_none > NEGLIGIBLE_LOG2_ODDS
        })
    }
}

impl MatchIndex {
    /// Replaces the records of `changed` (by id; new ids are added, the last of a repeated id
    /// counts) and drops `removed`, in place. Answers what changed: a profile it does not
    /// concern keeps its decision.
    pub fn update(&mut self, changed: &[Person], removed: &[String]) -> ChangedKeys {
        let mut seen = HashSet::new();
        let changed: Vec<&Person> = changed
            .iter()
            .rev()
            .filter(|p| seen.insert(p.id.as_str()))
            .collect();
        let removed: Vec<u32> = removed
            .iter()
            .filter(|id| !seen.contains(id.as_str()))
            .filter_map(|id| self.position(id))
            .collect();
        let replaced: Vec<Option<u32>> = changed.iter().map(|p| self.position(&p.id)).collect();
        let mut touched = Vec::new();
        let mut terms = Vec::new();
        let mut versions = Vec::new();
        let mut leaving = vec![false; self.len()];
        for &r in removed.iter().chain(replaced.iter().flatten()) {
            if !std::mem::replace(&mut leaving[r as usize], true) {
                let f = &self.records[r as usize];
                let keys = blocking::keys(f, false);
                touched.extend(keys.iter().map(|&k| (k, versions.len() as u32)));
                terms.extend(term_values(f).map(|t| (t, -1)));
                versions.push(f.clone());
            }
        }
        let remap = self.drop_records(&removed);
        let mut added = Vec::new();
        for (person, at) in changed.iter().zip(&replaced) {
            let f = Features::of(person);
            let keys = blocking::keys(&f, false);
            terms.extend(term_values(&f).map(|t| (t, 1)));
            touched.extend(keys.iter().map(|&k| (k, versions.len() as u32)));
            versions.push(f.clone());
            let position = match at {
                Some(r) => {
                    let r = remap[*r as usize];
                    self.records[r as usize] = f;
                    r
                }
                None => {
                    self.ids.push(person.id.clone());
                    self.records.push(f);
                    (self.ids.len() - 1) as u32
                }
            };
            added.extend(keys.iter().map(|&k| (k, position)));
        }
        touched.sort_unstable();
        touched.dedup();
        let capped_before: Vec<bool> = touched.iter().map(|&(k, _)| self.over_cap(k)).collect();
        let terms = net_changes(terms);
        let counts_before: Vec<u32> = terms.iter().map(|t| self.count_of(t.0)).collect();
        let leaving: Vec<bool> = (0..leaving.len())
            .filter(|&r| remap[r] != u32::MAX)
            .map(|r| leaving[r])
            .collect();
        self.merge_postings(&remap, &leaving, added);
        self.merge_term_counts(&terms);
        self.merge_by_id(&remap);
        self.frozen = Frozen {
            drift: self.frozen.drift + (removed.len() + changed.len()) as u32,
            ..self.frozen
        };
        // A bucket too large to be looked at, before and after, changed nothing anyone sees;
        // one that crossed the cap changed every profile's candidates that looks it up.
        let mut filed = Vec::new();
        let mut crossed = Vec::new();
        for ((k, version), before) in touched.into_iter().zip(capped_before) {
            match (before, self.over_cap(k)) {
                (false, false) => filed.push((k, version)),
                (true, true) => {}
                _ => crossed.push(k),
            }
        }
        crossed.dedup();
        let terms = terms
            .iter()
            .zip(counts_before)
            .filter(|&(t, was)| weight_moves(was, self.count_of(t.0)))
            .map(|(t, _)| t.0)
            .collect();
        ChangedKeys {
            versions,
            filed,
            crossed,
            terms,
        }
    }

    /// Removes records; answers each old position's new one (`u32::MAX` for the removed).
    fn drop_records(&mut self, removed: &[u32]) -> Vec<u32> {
        let mut remap = vec![0; self.len()];
        for &r in removed {
            remap[r as usize] = u32::MAX;
        }
        let mut next = 0;
        for slot in remap.iter_mut() {
            if *slot == 0 {
                *slot = next;
                next += 1;
            }
        }
        let mut keep = remap.iter().map(|&r| r != u32::MAX);
        self.ids.retain(|_| keep.next().unwrap_or(false));
        let mut keep = remap.iter().map(|&r| r != u32::MAX);
        self.records.retain(|_| keep.next().unwrap_or(false));
        remap
    }

    /// Postings without the leaving records (by new position), with the `added` (key,
    /// position) pairs, in one pass over the keys.
    fn merge_postings(&mut self, remap: &[u32], leaving: &[bool], mut added: Vec<(u32, u32)>) {
        added.sort_unstable();
        let mut keys = Vec::with_capacity(self.keys.len() + added.len());
        let mut offsets = Vec::with_capacity(self.keys.len() + added.len() + 1);
        let mut postings = Vec::with_capacity(self.postings.len() + added.len());
        let mut extra = added.into_iter().peekable();
        let mut old = 0;
        loop {
            let next_old = self.keys.get(old).copied();
            let next_added = extra.peek().map(|a| a.0);
            let key = match (next_old, next_added) {
                (None, None) => break,
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
            };
            let start = postings.len();
            if next_old == Some(key) {
                let (s, e) = (self.offsets[old] as usize, self.offsets[old + 1] as usize);
                for &p in &self.postings[s..e] {
                    let r = remap[p as usize];
                    if r != u32::MAX && !leaving[r as usize] {
                        postings.push(r);
                    }
                }
                old += 1;
            }
            while let Some((_, p)) = extra.next_if(|a| a.0 == key) {
                postings.push(p);
            }
            if postings.len() > start {
                postings[start..].sort_unstable();
                keys.push(key);
                offsets.push(start as u32);
            }
        }
        offsets.push(postings.len() as u32);
        (self.keys, self.offsets, self.postings) = (keys, offsets, postings);
    }

    /// Term counts with the net changes applied (zero counts leave).
    fn merge_term_counts(&mut self, changes: &[(u32, i32)]) {
        let mut merged = Vec::with_capacity(self.term_counts.len() + changes.len());
        let mut changes = changes.iter().peekable();
        for &(key, count) in &self.term_counts {
            while let Some(&(k, delta)) = changes.next_if(|c| c.0 < key) {
                push_count(&mut merged, k, 0, delta);
            }
            let delta = changes.next_if(|c| c.0 == key).map_or(0, |c| c.1);
            push_count(&mut merged, key, count, delta);
        }
        for &(k, delta) in changes {
            push_count(&mut merged, k, 0, delta);
        }
        self.term_counts = merged;
    }

    /// Positions by id, the removed left out and the new merged in.
    fn merge_by_id(&mut self, remap: &[u32]) {
        let kept: Vec<u32> = self
            .by_id
            .iter()
            .map(|&p| remap[p as usize])
            .filter(|&p| p != u32::MAX)
            .collect();
        let known = remap.iter().filter(|&&r| r != u32::MAX).count() as u32;
        let mut new: Vec<u32> = (known..self.ids.len() as u32).collect();
        new.sort_by(|&a, &b| self.ids[a as usize].cmp(&self.ids[b as usize]));
        let mut merged = Vec::with_capacity(kept.len() + new.len());
        let mut new = new.into_iter().peekable();
        for p in kept {
            while let Some(n) = new.next_if(|&n| self.ids[n as usize] < self.ids[p as usize]) {
                merged.push(n);
            }
            merged.push(p);
        }
        merged.extend(new);
        self.by_id = merged;
    }
}

fn push_count(out: &mut Vec<(u32, u32)>, key: u32, count: u32, delta: i32) {
    let count = (i64::from(count) + i64::from(delta)).max(0) as u32;
    if count > 0 {
        out.push((key, count));
    }
}

/// Whether a value's count moving from `was` to `now` moves the weight of agreeing on it
/// enough to matter (a common city's 500 → 501 does not; a rare surname's 1 → 2 does).
fn weight_moves(was: u32, now: u32) -> bool {
    ((f64::from(now) + 1.0) / (f64::from(was) + 1.0))
        .log2()
        .abs()
        > TERM_SHIFT_BITS
}

/// The net change of each term key from (key, ±1) changes, sorted, zero nets left out.
fn net_changes(mut changes: Vec<(u32, i32)>) -> Vec<(u32, i32)> {
    changes.sort_unstable();
    changes
        .chunk_by(|a, b| a.0 == b.0)
        .map(|run| (run[0].0, run.iter().map(|c| c.1).sum::<i32>()))
        .filter(|c| c.1 != 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::person;
    use super::*;
    use crate::matching::Overrides;

    fn org() -> Vec<Person> {
        vec![
            person("r1", "Robert", "Müller", "Acme GmbH"),
            person("r2", "Anna", "Schmidt", "Acme GmbH"),
            person("r3", "Claire", "Dubois", "Globex SA"),
            person("r4", "Jonas", "Berg", "Initech"),
        ]
    }

    /// Every (key, record id) the postings hold.
    fn pairs(index: &MatchIndex) -> Vec<(u32, String)> {
        let mut all: Vec<(u32, String)> = (0..index.keys.len())
            .flat_map(|i| {
                let (s, e) = (index.offsets[i] as usize, index.offsets[i + 1] as usize);
                index.postings[s..e]
                    .iter()
                    .map(move |&p| (index.keys[i], index.ids[p as usize].clone()))
            })
            .collect();
        all.sort_unstable();
        all
    }

    #[test]
    fn an_updated_index_holds_what_a_built_one_holds() {
        let mut updated = MatchIndex::build(&org());
        let changed = [
            person("r2", "Anna", "Weber", "Acme GmbH"),
            person("r0", "Zoe", "Nakamura", "Umbrella"),
        ];
        updated.update(&changed, &["r3".to_string()]);
        let after = [
            person("r0", "Zoe", "Nakamura", "Umbrella"),
            person("r1", "Robert", "Müller", "Acme GmbH"),
            person("r2", "Anna", "Weber", "Acme GmbH"),
            person("r4", "Jonas", "Berg", "Initech"),
        ];
        let built = MatchIndex::build(&after);
        assert_eq!(pairs(&updated), pairs(&built));
        assert_eq!(updated.term_counts, built.term_counts);
        let by_id = |index: &MatchIndex| -> Vec<String> {
            index
                .by_id
                .iter()
                .map(|&p| index.ids[p as usize].clone())
                .collect()
        };
        assert_eq!(by_id(&updated), by_id(&built));
        assert!(updated.check().is_ok());
        let back = MatchIndex::from_bytes(&updated.to_bytes()).expect("bytes");
        assert_eq!(back.len(), 4);
    }

    #[test]
    fn a_renamed_record_concerns_both_names_and_is_found_under_the_new() {
        let mut index = MatchIndex::build(&org());
        let keys = index.update(&[person("r3", "Claire", "Martin", "Globex SA")], &[]);
        let new_name = person("p", "Claire", "Martin", "Globex");
        let old_name = person("q", "Claire", "Dubois", "Globex");
        assert!(keys.concern(&index, &new_name) && keys.concern(&index, &old_name));
        assert!(!keys.concern(&index, &person("s", "Jonas", "Berg", "Initech")));
        let none = Overrides::default();
        assert_eq!(
            index.best(&new_name, &none).record_id.as_deref(),
            Some("r3")
        );
    }

    #[test]
    fn updates_add_up_to_a_rebuild() {
        let mut index = MatchIndex::build(&org());
        assert!(!index.needs_rebuild(0));
        // One record of four is well past the share updates may drift.
        assert!(index.needs_rebuild(1));
        index.update(&[person("r1", "Rob", "Müller", "Acme GmbH")], &[]);
        assert!(index.needs_rebuild(0));
        assert!(
            MatchIndex::build(&[]).needs_rebuild(1),
            "an empty org's index is built again"
        );
    }
}
