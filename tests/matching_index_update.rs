//! The index's in-place update (`MatchIndex::update`) against a full rebuild, on a
//! generated org of 5,000 records and 2,000 profiles: after 50 changed, 20 deleted and 30
//! new records, every profile gets the decision a rebuild gives, and a profile the changed
//! keys do not concern keeps the one it had (so a sync re-matches only the concerned).

#![cfg(not(target_arch = "wasm32"))]

mod matching_gen;

use crmsync::matching::{Decision, MatchIndex, MatchLevel, Overrides, Person};

struct Org {
    before: Vec<Person>,
    changed: Vec<Person>,
    removed: Vec<String>,
    after: Vec<Person>,
    profiles: Vec<Person>,
}

/// 50 records edited (new titles, employers, names), 20 deleted, 30 added, 10 of
/// which are people among the profiles who had no record.
fn org() -> Org {
    let data = matching_gen::generate(41, 5_000, 2_000);
    let before = data.records;
    let mut changed: Vec<Person> = before[..50]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut r = r.clone();
            match i % 3 {
                0 => r.title = Some("Head of Procurement".into()),
                1 => r.company = Some(format!("Moved Elsewhere {i} GmbH")),
                _ => r.last_name = r.last_name.map(|l| format!("{l}-Berg")),
            }
            r
        })
        .collect();
    let matched: std::collections::HashSet<&str> =
        data.truth.iter().map(|(p, _)| p.as_str()).collect();
    let newcomers = data
        .profiles
        .iter()
        .filter(|p| !matched.contains(p.id.as_str()));
    changed.extend(newcomers.take(10).map(|p| Person {
        id: format!("new-{}", p.id),
        profile_url: None,
        ..p.clone()
    }));
    let fresh = matching_gen::records(42, 20);
    changed.extend(fresh.into_iter().map(|r| Person {
        id: format!("fresh-{}", r.id),
        ..r
    }));
    let removed: Vec<String> = before[50..70].iter().map(|r| r.id.clone()).collect();
    let mut after: Vec<Person> = before[70..].to_vec();
    after.extend(changed.iter().cloned());
    Org {
        before,
        changed,
        removed,
        after,
        profiles: data.profiles,
    }
}

/// The record shown (none for no match), at a confidence within `slack`.
fn same(a: &Decision, b: &Decision, slack: f64) -> bool {
    fn shown(d: &Decision) -> Option<&String> {
        d.record_id
            .as_ref()
            .filter(|_| d.level != MatchLevel::NoMatch)
    }
    shown(a) == shown(b) && (a.score - b.score).abs() <= slack
}

#[test]
fn an_updated_index_decides_as_a_rebuilt_one() {
    let org = org();
    let mut updated = MatchIndex::build(&org.before);
    updated.update(&org.changed, &org.removed);
    let rebuilt = MatchIndex::build(&org.after);
    assert_eq!(updated.len(), rebuilt.len());
    let none = Overrides::default();
    let differ: Vec<&str> = org
        .profiles
        .iter()
        .filter(|p| !same(&updated.best(p, &none), &rebuilt.best(p, &none), 0.02))
        .map(|p| p.id.as_str())
        .collect();
    assert!(
        differ.is_empty(),
        "{} profiles decided otherwise: {differ:?}",
        differ.len()
    );
}

#[test]
fn only_profiles_the_changed_keys_concern_can_change() {
    let org = org();
    let old = MatchIndex::build(&org.before);
    let mut updated = old.clone();
    let keys = updated.update(&org.changed, &org.removed);
    let none = Overrides::default();
    let concerned: Vec<&Person> = org
        .profiles
        .iter()
        .filter(|p| keys.concern(&updated, p))
        .collect();
    let moved: Vec<String> = org
        .profiles
        .iter()
        .filter(|p| !keys.concern(&updated, p))
        .filter(|p| !same(&old.best(p, &none), &updated.best(p, &none), 0.02))
        .map(|p| {
            let (a, b) = (old.best(p, &none), updated.best(p, &none));
            format!(
                "{} {:?} {:?} {} -> {:?} {:?} {}",
                p.id, a.record_id, a.level, a.score, b.record_id, b.level, b.score
            )
        })
        .collect();
    assert!(moved.is_empty(), "unconcerned profiles changed: {moved:#?}");
    // 100 touched records (2% of this small org) concern a fifth of the 2,000 profiles
    // (the case, 50 of 100,000, under 1%: `cargo bench --bench matching`).
    assert!(
        !concerned.is_empty() && concerned.len() < 600,
        "{} concerned",
        concerned.len()
    );
    // The newcomers are found.
    let found = concerned
        .iter()
        .filter(|p| {
            let d = updated.best(p, &none);
            d.record_id.is_some_and(|id| id == format!("new-{}", p.id))
        })
        .count();
    assert!(found >= 8, "{found} of 10 newcomers matched");
}

#[test]
fn an_update_without_changes_concerns_nobody() {
    let org = org();
    let mut index = MatchIndex::build(&org.before);
    let keys = index.update(&[], &[]);
    assert!(org.profiles.iter().all(|p| !keys.concern(&index, p)));
    assert_eq!(index.len(), org.before.len());
}

/// A decision is the first of the profile's ranked candidates (`best` builds only that one):
/// the same record, score, weight and records of the same person, for every profile.
#[test]
fn a_decision_is_the_first_ranked_candidate() {
    let data = matching_gen::generate(43, 5_000, 2_000);
    let index = MatchIndex::build(&data.records);
    let mut compared = 0;
    for profile in &data.profiles {
        let decision = index.best(profile, &Overrides::default());
        let first = index.query(profile).into_iter().next();
        assert_eq!(
            decision.record_id,
            first.as_ref().map(|c| c.record_id.clone())
        );
        if let Some(first) = first {
            assert_eq!(decision.score, first.score, "{}", profile.id);
            assert_eq!(decision.explanation.total, first.weight as f32);
            assert_eq!(decision.also, first.same_person);
            compared += 1;
        }
    }
    assert!(compared > 1_000, "only {compared} profiles had candidates");
}
