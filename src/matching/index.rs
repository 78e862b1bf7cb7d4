//! The match index: normalised records, blocking postings and term
//! frequencies, built once per CRM sync and persisted as compact bytes.

use serde::{Deserialize, Serialize};

use super::blocking;
use super::compare::compare;
use super::explain::{Explanation, FieldScore, MatchSource};
use super::features::Features;
use super::hash::key;
use super::model::{uses_term_frequency, Model};
use super::overrides::Overrides;
use super::postings::{name_dependence, postings, run_lengths};
use super::same_person::same_person;
use super::types::{Field, Level, MatchLevel, Person, N_FIELDS};
use crate::sort;

mod update;
pub use update::ChangedKeys;

/// Buckets larger than this say too little to be worth scoring ("J. Smith").
const MAX_BUCKET: usize = 2_000;
/// The same for weak keys (surname sound + initial and the like), which only
/// rescue typos and so are worth little when a hundred records share them (at
/// 250, 3,000 profiles against 1,000,000 records took 43–54 s, at 100 32 s, with
/// the same accuracy on the dev, held-out and Febrl sets).
const MAX_WEAK_BUCKET: usize = 100;
/// Records of one person are looked for among candidates this close to the best
/// (in bits of weight), at most this many: a far one cannot change the decision.
const SAME_PERSON_BITS: f64 = 12.0;
const SAME_PERSON_MAX: usize = 16;
/// EM rounds of `fit`: the estimates stop moving after about five.
const FIT_ITERATIONS: usize = 8;
/// Version tag at the start of `to_bytes`, so stale persisted indexes are rejected.
const FORMAT: u32 = 4;
/// Updates in place may touch this share of the records before a full build is due.
const MAX_DRIFT_PERCENT: u64 = 5;

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MatchIndex {
    ids: Vec<String>,
    records: Vec<Features>,
    /// Sorted unique blocking keys; postings of `keys[i]` are `postings[offsets[i]..offsets[i+1]]`.
    keys: Vec<u32>,
    offsets: Vec<u32>,
    postings: Vec<u32>,
    /// Sorted (value hash, count) for term-frequency adjusted weights.
    term_counts: Vec<(u32, u32)>,
    /// Record positions sorted by id, for manual links.
    by_id: Vec<u32>,
    /// The org's statistics as of the last full build (its size, the names' dependence):
    /// updates in place keep them, so a profile no changed record concerns keeps its
    /// decision; `drift` counts the records updated since.
    frozen: Frozen,
    pub model: Model,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Frozen {
    population: u32,
    /// log2 of how much more often first and last name agree together than
    /// independence predicts (names cluster by language and family).
    name_dependence: f64,
    drift: u32,
}

/// A pair's comparison before weights (kept compact: EM holds thousands of them).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Evidence {
    pub levels: [Level; N_FIELDS],
    /// Term count of the agreeing value, or `NO_COUNT`.
    pub tf: [u32; N_FIELDS],
}

const NO_COUNT: u32 = u32::MAX;

/// A profile's candidates, weighed: parallel lists, by candidate.
struct Scored {
    cands: Vec<u32>,
    weights: Vec<f64>,
    fields: Vec<[FieldScore; N_FIELDS]>,
    /// The candidate standing for each one's person.
    person: Vec<usize>,
    /// Posteriors, at each person's standing candidate.
    score: Vec<f64>,
    /// Candidates that are another's person (few, near the top).
    shared: Vec<usize>,
}

/// A scored record for one profile.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub record_id: String,
    /// Posterior probability in [0, 1] that this record is the profile.
    pub score: f64,
    /// Sum of field weights (log2 likelihood ratio).
    pub weight: f64,
    pub fields: [FieldScore; N_FIELDS],
    /// Other candidates that are the same person (a Lead and a Contact): they share `score`.
    #[serde(default)]
    pub same_person: Vec<String>,
}

impl Candidate {
    pub fn explanation(&self, prior: f64, source: MatchSource) -> Explanation {
        Explanation {
            fields: self.fields.to_vec(),
            prior: prior as f32,
            total: self.weight as f32,
            source,
        }
    }
    /// Same person, different employer: data validation flags the CRM record.
    pub fn company_changed(&self) -> bool {
        self.fields[Field::Company as usize].level == Level::Disagree
    }
}

/// The best candidate for a profile, with the badge level.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The best record, also when the level is `NoMatch` (the panel may show it); `None` without candidates.
    pub record_id: Option<String>,
    pub score: f64,
    pub level: MatchLevel,
    pub explanation: Explanation,
    pub company_changed: bool,
    /// The other records of the same person (a Lead and a Contact, two Contacts).
    #[serde(default)]
    pub also: Vec<String>,
}

fn term_key(field: Field, value: &str) -> u32 {
    let h = key(100 + field as u8, &[value.as_bytes()]);
    (h ^ (h >> 32)) as u32
}

impl MatchIndex {
    pub fn build(records: &[Person]) -> MatchIndex {
        Self::build_with(records, Model::default())
    }

    pub fn build_with(records: &[Person], model: Model) -> MatchIndex {
        let ids = records.iter().map(|r| r.id.clone()).collect();
        Self::from_features(ids, records.iter().map(Features::of).collect(), model, None)
    }

    /// The postings, term counts and statistics of already-normalised records (the org's
    /// statistics measured unless `frozen`).
    fn from_features(
        ids: Vec<String>,
        feats: Vec<Features>,
        model: Model,
        frozen: Option<Frozen>,
    ) -> MatchIndex {
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(feats.len() * 8);
        let mut terms: Vec<u32> = Vec::with_capacity(feats.len() * 4);
        for (i, f) in feats.iter().enumerate() {
            pairs.extend(blocking::keys(f, false).into_iter().map(|k| (k, i as u32)));
            terms.extend(term_values(f));
        }
        pairs.sort_unstable();
        terms.sort_unstable();
        let (keys, offsets, postings) = postings(&pairs);
        let frozen = frozen.unwrap_or_else(|| Frozen {
            population: feats.len() as u32,
            name_dependence: name_dependence(&feats),
            drift: 0,
        });
        let by_id: Vec<u32> = sort::positions(ids.len(), &|a, b| ids[a].cmp(&ids[b]))
            .into_iter()
            .map(|p| p as u32)
            .collect();
        MatchIndex {
            ids,
            records: feats,
            keys,
            offsets,
            postings,
            term_counts: run_lengths(&terms),
            by_id,
            frozen,
            model,
        }
    }

    /// Updating `more` records in place would take the org's statistics too far from the
    /// last full build's (a small org, where a few records are a large share, is always
    /// built again): build the index again instead.
    pub fn needs_rebuild(&self, more: usize) -> bool {
        (u64::from(self.frozen.drift) + more as u64) * 100
            > u64::from(self.frozen.population) * MAX_DRIFT_PERCENT
    }

    /// The org's size the weights are computed for (as of the last full build).
    pub(crate) fn population(&self) -> usize {
        self.frozen.population as usize
    }

    /// Re-fits the model's parameters on the profiles it will be asked about
    /// (no labels: `em::estimate`), so weights follow this CRM's data.
    pub fn fit(&mut self, profiles: &[Person]) {
        self.model = super::em::estimate(self, profiles, FIT_ITERATIONS);
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Every blocked candidate, best first, with posterior scores.
    pub fn query(&self, profile: &Person) -> Vec<Candidate> {
        self.query_where(profile, |_| true)
    }

    fn query_where(&self, profile: &Person, allowed: impl Fn(&str) -> bool) -> Vec<Candidate> {
        let f = Features::of(profile);
        let scored = self.scored(&f, self.allowed_candidates(&f, allowed));
        sort::positions(scored.cands.len(), &|a, b| self.ranking(&scored, a, b))
            .into_iter()
            .map(|i| self.candidate(&scored, i))
            .collect()
    }

    /// The first of [`Self::query_where`]'s candidates, without building the others: a
    /// profile is scored against up to thousands of records, and a decision needs one.
    fn top_where(&self, profile: &Person, allowed: impl Fn(&str) -> bool) -> Option<Candidate> {
        let f = Features::of(profile);
        let scored = self.scored(&f, self.allowed_candidates(&f, allowed));
        let first = (0..scored.cands.len()).min_by(|&a, &b| self.ranking(&scored, a, b))?;
        Some(self.candidate(&scored, first))
    }

    /// The candidates' order: likelier person first, then the heavier record, then by id.
    fn ranking(&self, scored: &Scored, a: usize, b: usize) -> std::cmp::Ordering {
        let score = |i: usize| scored.score[scored.person[i]];
        score(b)
            .total_cmp(&score(a))
            .then_with(|| scored.weights[b].total_cmp(&scored.weights[a]))
            .then_with(|| self.id_of(scored, a).cmp(self.id_of(scored, b)))
    }

    fn allowed_candidates(&self, f: &Features, allowed: impl Fn(&str) -> bool) -> Vec<u32> {
        let mut cands: Vec<u32> = Vec::new();
        for k in blocking::keys(f, true) {
            cands.extend_from_slice(self.bucket(k));
        }
        cands.sort_unstable();
        cands.dedup();
        cands.retain(|c| allowed(&self.ids[*c as usize]));
        cands
    }

    fn bucket(&self, k: u32) -> &[u32] {
        let postings = self.postings_of(k);
        if postings.len() > bucket_cap(k) {
            &[]
        } else {
            postings
        }
    }

    fn postings_of(&self, k: u32) -> &[u32] {
        match self.keys.binary_search(&k) {
            Ok(i) => &self.postings[self.offsets[i] as usize..self.offsets[i + 1] as usize],
            Err(_) => &[],
        }
    }

    fn over_cap(&self, k: u32) -> bool {
        self.postings_of(k).len() > bucket_cap(k)
    }

    /// Every candidate weighed, grouped into people and given its person's posterior.
    fn scored(&self, f: &Features, cands: Vec<u32>) -> Scored {
        let (weights, fields): (Vec<f64>, Vec<[FieldScore; N_FIELDS]>) =
            cands.iter().map(|&c| self.score_pair(f, c)).unzip();
        let person = self.people(&cands, &weights);
        // One weight a person (their best record's): records of one person share it.
        let mut person_weight = vec![f64::NEG_INFINITY; cands.len()];
        for (i, &p) in person.iter().enumerate() {
            person_weight[p] = person_weight[p].max(weights[i]);
        }
        let leaders: Vec<usize> = (0..cands.len()).filter(|&i| person[i] == i).collect();
        let leader_weights: Vec<f64> = leaders.iter().map(|&i| person_weight[i]).collect();
        let mut score = vec![0.0; cands.len()];
        for (&i, p) in leaders
            .iter()
            .zip(self.model.posteriors(&leader_weights, self.population()))
        {
            score[i] = p;
        }
        let shared = (0..cands.len()).filter(|&i| person[i] != i).collect();
        Scored {
            cands,
            weights,
            fields,
            person,
            score,
            shared,
        }
    }

    fn id_of<'a>(&'a self, scored: &Scored, i: usize) -> &'a str {
        &self.ids[scored.cands[i] as usize]
    }

    /// Candidate `i` of `scored`, with the other records of its person (few, near the top).
    fn candidate(&self, scored: &Scored, i: usize) -> Candidate {
        let p = scored.person[i];
        // Its person's standing record first, then the others in candidate order; only the
        // few shared candidates are looked at, as `query_where` builds every candidate.
        let others: Vec<usize> = scored
            .shared
            .iter()
            .copied()
            .filter(|&j| scored.person[j] == p)
            .collect();
        let same_person = match others.is_empty() {
            true => Vec::new(),
            false => std::iter::once(p)
                .chain(others)
                .filter(|&j| j != i)
                .map(|j| self.id_of(scored, j).to_owned())
                .collect(),
        };
        Candidate {
            record_id: self.id_of(scored, i).to_owned(),
            score: scored.score[p],
            weight: scored.weights[i],
            fields: scored.fields[i],
            same_person,
        }
    }

    /// For each candidate, the position of the candidate standing for its person
    /// (itself unless an earlier, likelier record is the same person). Only
    /// candidates near the best are compared: the rest cannot change a decision.
    fn people(&self, cands: &[u32], weights: &[f64]) -> Vec<usize> {
        let mut person: Vec<usize> = (0..cands.len()).collect();
        let best = weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut near: Vec<usize> = (0..cands.len())
            .filter(|&i| weights[i] >= best - SAME_PERSON_BITS)
            .collect();
        near.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
        near.truncate(SAME_PERSON_MAX);
        for (k, &i) in near.iter().enumerate() {
            let rec = &self.records[cands[i] as usize];
            if let Some(&j) = near[..k]
                .iter()
                .find(|&&j| person[j] == j && same_person(&self.records[cands[j] as usize], rec))
            {
                person[i] = j;
            }
        }
        person
    }

    /// Total weight and per-field scores of profile features against record `r`.
    pub(crate) fn score_pair(&self, f: &Features, r: u32) -> (f64, [FieldScore; N_FIELDS]) {
        self.score_pair_with(&self.model, f, r)
    }

    fn score_pair_with(
        &self,
        model: &Model,
        f: &Features,
        r: u32,
    ) -> (f64, [FieldScore; N_FIELDS]) {
        self.weigh(model, &self.evidence(f, r))
    }

    /// Levels and term counts of profile features against record `r`: all a
    /// model needs to weigh the pair (EM re-weighs these without comparing again).
    pub(crate) fn evidence(&self, f: &Features, r: u32) -> Evidence {
        self.evidence_of(f, &self.records[r as usize])
    }

    /// [`Self::evidence`] against a record's features, in the index or not.
    fn evidence_of(&self, f: &Features, rec: &Features) -> Evidence {
        let cmp = compare(f, rec);
        let mut tf = [NO_COUNT; N_FIELDS];
        for (i, field) in Field::ALL.into_iter().enumerate() {
            let count = match (field, cmp.levels[i]) {
                (Field::Title, Level::Exact) => Some(self.term_count(field, &rec.title.join(" "))),
                (Field::LastName, Level::Exact) => self.rarest_common_surname(f, rec),
                _ => cmp.tf_values[i]
                    .filter(|_| uses_term_frequency(field))
                    .map(|v| self.term_count(field, v)),
            };
            tf[i] = count.map_or(NO_COUNT, |c| c.min(NO_COUNT - 1));
        }
        Evidence {
            levels: cmp.levels,
            tf,
        }
    }

    /// Total weight and per-field scores of `e` under `model`.
    pub(crate) fn weigh(&self, model: &Model, e: &Evidence) -> (f64, [FieldScore; N_FIELDS]) {
        let mut fields = [FieldScore {
            field: Field::FirstName,
            level: Level::Missing,
            weight: 0.0,
        }; N_FIELDS];
        let mut total = 0.0;
        let company_agrees = matches!(
            e.levels[Field::Company as usize],
            Level::Exact | Level::Fuzzy
        );
        for (i, field) in Field::ALL.into_iter().enumerate() {
            let level = e.levels[i];
            let tf = (e.tf[i] != NO_COUNT).then_some((e.tf[i], self.population()));
            let mut w = model.weight_given_company(field, level, tf, company_agrees);
            if field == Field::Company && company_agrees && relatives(&e.levels) {
                w = w.min(model.weight_against(field, level, super::model::U_COMPANY_SAME_SURNAME));
            }
            if field == Field::LastName && names_agree(&e.levels) {
                w -= self.frozen.name_dependence;
            }
            total += w;
            fields[i] = FieldScore {
                field,
                level,
                weight: w as f32,
            };
        }
        (total, fields)
    }

    /// Count of the rarest surname part both share: "Silva dos Santos" agrees on its rarest part.
    fn rarest_common_surname(&self, f: &Features, rec: &Features) -> Option<u32> {
        rec.name
            .surnames
            .iter()
            .filter(|s| f.name.surnames.contains(s))
            .map(|s| self.term_count(Field::LastName, s))
            .min()
    }

    fn term_count(&self, field: Field, value: &str) -> u32 {
        self.count_of(term_key(field, value))
    }

    fn count_of(&self, k: u32) -> u32 {
        self.term_counts
            .binary_search_by_key(&k, |t| t.0)
            .map_or(0, |i| self.term_counts[i].1)
    }

    /// The decision for one profile: manual links and rejections win over the model.
    pub fn best(&self, profile: &Person, overrides: &Overrides) -> Decision {
        if let Some(record_id) = overrides.linked(&profile.id) {
            return self.manual(profile, record_id);
        }
        let top = self.top_where(profile, |rid| !overrides.is_rejected(&profile.id, rid));
        let prior = self.model.prior_log2(self.population());
        match top {
            Some(c) => Decision {
                level: self.model.level_of(c.score),
                company_changed: c.company_changed(),
                explanation: c.explanation(prior, MatchSource::Model),
                score: c.score,
                record_id: Some(c.record_id),
                also: c.same_person,
            },
            None => Decision {
                record_id: None,
                score: 0.0,
                level: MatchLevel::NoMatch,
                explanation: Explanation {
                    fields: vec![],
                    prior: prior as f32,
                    total: 0.0,
                    source: MatchSource::Model,
                },
                company_changed: false,
                also: vec![],
            },
        }
    }

    fn manual(&self, profile: &Person, record_id: &str) -> Decision {
        let prior = self.model.prior_log2(self.population());
        let (fields, total) = match self.position(record_id) {
            Some(r) => {
                let (w, fs) = self.score_pair(&Features::of(profile), r);
                (fs.to_vec(), w)
            }
            None => (vec![], 0.0),
        };
        let company_changed = fields
            .iter()
            .any(|f| f.field == Field::Company && f.level == Level::Disagree);
        Decision {
            record_id: Some(record_id.to_owned()),
            score: 1.0,
            level: MatchLevel::Match,
            explanation: Explanation {
                fields,
                prior: prior as f32,
                total: total as f32,
                source: MatchSource::ManualLink,
            },
            company_changed,
            also: vec![],
        }
    }

    fn position(&self, id: &str) -> Option<u32> {
        self.by_id
            .binary_search_by(|p| self.ids[*p as usize].as_str().cmp(id))
            .ok()
            .map(|i| self.by_id[i])
    }

    pub(crate) fn features(&self, r: u32) -> &Features {
        &self.records[r as usize]
    }

    /// Candidate record positions for already-normalised features (used by EM).
    pub(crate) fn candidates_of(&self, f: &Features) -> Vec<u32> {
        let mut c: Vec<u32> = blocking::keys(f, true)
            .into_iter()
            .flat_map(|k| self.bucket(k).iter().copied())
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    }

    /// How many records a profile is scored against (for benchmarks and tuning).
    pub fn candidate_count(&self, profile: &Person) -> usize {
        self.candidates_of(&Features::of(profile)).len()
    }

    /// Compact binary form: a format tag, then the postcard encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = FORMAT.to_le_bytes().to_vec();
        out.extend(postcard::to_allocvec(self).unwrap_or_default());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<MatchIndex, String> {
        let (tag, body) = bytes.split_at_checked(4).ok_or("index bytes too short")?;
        if tag != FORMAT.to_le_bytes() {
            return Err("index bytes have an unknown format version".into());
        }
        let idx: MatchIndex =
            postcard::from_bytes(body).map_err(|e| format!("corrupt index bytes: {e}"))?;
        idx.check().map(|_| idx)
    }

    /// Guards the invariants lookups rely on, so corrupt bytes cannot panic later.
    fn check(&self) -> Result<(), String> {
        let n = self.ids.len();
        let ok = self.records.len() == n
            && self.by_id.len() == n
            && self.offsets.len() == self.keys.len() + 1
            && self.offsets.windows(2).all(|w| w[0] <= w[1])
            && self
                .offsets
                .last()
                .is_some_and(|&o| o as usize == self.postings.len())
            && self.postings.iter().all(|&p| (p as usize) < n)
            && self.by_id.iter().all(|&p| (p as usize) < n);
        ok.then_some(())
            .ok_or_else(|| "inconsistent index bytes".into())
    }
}

fn bucket_cap(k: u32) -> usize {
    if blocking::is_weak(k) {
        MAX_WEAK_BUCKET
    } else {
        MAX_BUCKET
    }
}

/// Term values of a record: given name, each surname part, company, city, title.
fn term_values(f: &Features) -> impl Iterator<Item = u32> + '_ {
    let first = f.name.first().map(|v| term_key(Field::FirstName, v));
    let surnames = f.name.surnames.iter().map(|s| term_key(Field::LastName, s));
    let company = f.company.as_deref().map(|v| term_key(Field::Company, v));
    let city = f.city.as_deref().map(|v| term_key(Field::City, v));
    let title = (!f.title.is_empty()).then(|| term_key(Field::Title, &f.title.join(" ")));
    first
        .into_iter()
        .chain(surnames)
        .chain(company)
        .chain(city)
        .chain(title)
}

/// Same surname, other given name: a relative or namesake, whose shared employer
/// says less than a stranger's would.
fn relatives(levels: &[Level; N_FIELDS]) -> bool {
    levels[Field::FirstName as usize] == Level::Disagree
        && levels[Field::LastName as usize] == Level::Exact
}

/// Both names agree: the surname's weight is then conditioned on the given name.
fn names_agree(levels: &[Level; N_FIELDS]) -> bool {
    matches!(
        levels[Field::FirstName as usize],
        Level::Exact | Level::Nickname
    ) && levels[Field::LastName as usize] == Level::Exact
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn person(id: &str, first: &str, last: &str, company: &str) -> Person {
        Person {
            id: id.into(),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            company: Some(company.into()),
            ..Person::default()
        }
    }

    fn crm() -> Vec<Person> {
        vec![
            person("r1", "Robert", "Müller", "Acme GmbH"),
            person("r2", "Anna", "Schmidt", "Acme GmbH"),
            person("r3", "Claire", "Dubois", "Globex SA"),
        ]
    }

    #[test]
    fn finds_the_right_record() {
        let idx = MatchIndex::build(&crm());
        let d = idx.best(
            &person("p", "Bob", "Mueller", "ACME"),
            &Overrides::default(),
        );
        assert_eq!(d.record_id.as_deref(), Some("r1"));
        assert_eq!(d.level, MatchLevel::Match);
        assert!(!d.company_changed);
    }

    #[test]
    fn flags_a_job_change() {
        let idx = MatchIndex::build(&crm());
        let d = idx.best(
            &person("p", "Claire", "Dubois", "Initech"),
            &Overrides::default(),
        );
        assert_eq!(d.record_id.as_deref(), Some("r3"));
        assert!(d.company_changed);
    }

    #[test]
    fn unrelated_profile_has_no_candidate() {
        let idx = MatchIndex::build(&crm());
        let d = idx.best(
            &person("p", "Zoe", "Nakamura", "Umbrella"),
            &Overrides::default(),
        );
        assert_eq!((d.record_id, d.level), (None, MatchLevel::NoMatch));
    }

    #[test]
    fn namesakes_split_the_probability() {
        let mut records = crm();
        records.push(person("r4", "Claire", "Dubois", "Initech"));
        let idx = MatchIndex::build(&records);
        let d = idx.best(&person("p", "Claire", "Dubois", ""), &Overrides::default());
        assert_eq!(d.level, MatchLevel::Possible, "{}", d.score);
        let d = idx.best(
            &person("p", "Claire", "Dubois", "Initech"),
            &Overrides::default(),
        );
        assert_eq!(
            (d.record_id.as_deref(), d.level),
            (Some("r4"), MatchLevel::Match)
        );
    }

    #[test]
    fn a_lead_and_a_contact_of_one_person_share_the_match() {
        let mut records = crm();
        let mut contact = person("c1", "Claire", "Dubois", "Globex SA");
        contact.email = Some("claire.dubois@globex.fr".into());
        let mut lead = person("l1", "Claire", "Dubois", "");
        lead.email = Some("Claire.Dubois@globex.fr".into());
        records.retain(|r| r.id != "r3");
        records.extend([contact, lead]);
        let idx = MatchIndex::build(&records);
        let mut p = person("p", "Claire", "Dubois", "Globex");
        p.email = Some("claire.dubois@globex.fr".into());
        let d = idx.best(&p, &Overrides::default());
        assert_eq!(d.level, MatchLevel::Match, "{}", d.score);
        assert_eq!(d.record_id.as_deref(), Some("c1"));
        assert_eq!(d.also, ["l1"]);
        let q = idx.query(&p);
        assert_eq!(q[0].score, q[1].score);
    }

    #[test]
    fn a_colleague_is_not_a_match() {
        let idx = MatchIndex::build(&crm());
        let d = idx.best(
            &person("p", "Paul", "Weber", "Acme GmbH"),
            &Overrides::default(),
        );
        assert_ne!(d.level, MatchLevel::Match);
    }

    #[test]
    fn overrides_win() {
        let idx = MatchIndex::build(&crm());
        let p = person("p", "Bob", "Mueller", "ACME");
        let mut o = Overrides::default();
        o.reject("p", "r1");
        assert_ne!(idx.best(&p, &o).record_id.as_deref(), Some("r1"));
        o.link("p", "r2");
        let d = idx.best(&p, &o);
        assert_eq!(
            (d.record_id.as_deref(), d.level, d.score),
            (Some("r2"), MatchLevel::Match, 1.0)
        );
        assert_eq!(d.explanation.source, MatchSource::ManualLink);
    }

    #[test]
    fn bytes_round_trip_and_reject_garbage() {
        let idx = MatchIndex::build(&crm());
        let back = MatchIndex::from_bytes(&idx.to_bytes()).unwrap();
        let p = person("p", "Anna", "Schmidt", "Acme");
        assert_eq!(back.query(&p), idx.query(&p));
        assert!(MatchIndex::from_bytes(b"").is_err());
        assert!(MatchIndex::from_bytes(&[1, 0, 0, 0, 9, 9]).is_err());
    }
}
