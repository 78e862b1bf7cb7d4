//! Fellegi–Sunter model: per field and level, m = P(level | same person) and
//! u = P(level | different people); a field's weight is log2(m/u).
//!
//! Defaults come from how CRM and profile data usually differ (see
//! docs/matching.md); they need no training. `em::estimate` can re-fit them
//! on the user's own records without labels.

use serde::{Deserialize, Serialize};

use super::types::{Field, Level, N_FIELDS, N_LEVELS};

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// m[field][level]
    pub m: [[f64; N_LEVELS]; N_FIELDS],
    /// u[field][level]; for exact names, company and city the value's own
    /// frequency among the records replaces it (term-frequency adjustment).
    pub u: [[f64; N_LEVELS]; N_FIELDS],
    /// Prior probability that a profile has a record at all.
    pub match_rate: f64,
    /// Score from which a candidate is a match.
    pub match_threshold: f64,
    /// Score from which a candidate is a possible match.
    pub possible_threshold: f64,
    /// Pseudo-count that pulls term frequencies toward `u` in small CRMs.
    pub tf_prior_records: f64,
}

// Column order: Exact, Nickname, Fuzzy, Initial, Disagree, Missing (unused cells are 1).
#[rustfmt::skip]
const M: [[f64; N_LEVELS]; N_FIELDS] = [
    [0.80, 0.09, 0.04, 0.03, 0.04, 1.0],   // first name: nicknames, initials, typos
    [0.88, 1.0, 0.07, 1.0, 0.05, 1.0],     // last name: typos, marriage
    [0.80, 1.0, 0.05, 1.0, 0.15, 1.0],     // e-mail: personal vs work, job change
    [0.80, 1.0, 1.0, 1.0, 0.20, 1.0],      // phone: office vs mobile
    [0.97, 1.0, 1.0, 1.0, 0.03, 1.0],      // profile URL: renamed slug
    [0.70, 1.0, 0.12, 1.0, 0.18, 1.0],     // company: job change
    [0.35, 1.0, 0.25, 1.0, 0.40, 1.0],     // title: promotions, wording
    [0.80, 1.0, 0.05, 1.0, 0.15, 1.0],     // city: moves, suburbs, typos
    [0.95, 1.0, 1.0, 1.0, 0.05, 1.0],      // country
];
#[rustfmt::skip]
const U: [[f64; N_LEVELS]; N_FIELDS] = [
    [0.01, 0.004, 0.01, 0.004, 0.972, 1.0],
    [0.002, 1.0, 0.004, 1.0, 0.994, 1.0],
    [1e-5, 1.0, 0.005, 1.0, 0.995, 1.0],
    [1e-5, 1.0, 1.0, 1.0, 0.99999, 1.0],
    [1e-6, 1.0, 1.0, 1.0, 0.999999, 1.0],
    [0.002, 1.0, 0.003, 1.0, 0.995, 1.0],
    [0.03, 1.0, 0.06, 1.0, 0.91, 1.0],
    [0.02, 1.0, 0.005, 1.0, 0.975, 1.0],
    [0.25, 1.0, 1.0, 1.0, 0.75, 1.0],
];

/// u of city and country agreement among different people at the same company:
/// colleagues share offices, so once the company agrees these say little
/// (independence would count the same evidence twice).
const U_CITY_SAME_COMPANY: f64 = 0.7;
/// u of company agreement between different people who share a surname but not a
/// given name: relatives work together far more often than strangers share a firm.
pub const U_COMPANY_SAME_SURNAME: f64 = 0.05;
const U_COUNTRY_SAME_COMPANY: f64 = 0.95;

/// A value both sides share is never evidence against a match, nor one they differ on
/// evidence for it. Estimated u can say otherwise where nearly every record holds the same
/// value (an org whose contacts are all "Engineer": agreement is then the rule among strangers,
/// and the rare disagreement would look like proof): such a field then carries no weight.
fn monotone(level: Level, weight: f64) -> f64 {
    match level {
        Level::Exact => weight.max(0.0),
        Level::Disagree => weight.min(0.0),
        _ => weight,
    }
}

/// Fields whose exact agreement is weighted by how common the value is.
pub fn uses_term_frequency(field: Field) -> bool {
    matches!(
        field,
        Field::FirstName | Field::LastName | Field::Company | Field::City
    )
}

impl Default for Model {
    fn default() -> Self {
        Model {
            m: M,
            u: U,
            match_rate: 0.5,
            match_threshold: 0.5,
            possible_threshold: 0.15,
            tf_prior_records: 1000.0,
        }
    }
}

impl Model {
    /// log2(m/u) for one field; `tf` is (records with this value, all records).
    pub fn weight(&self, field: Field, level: Level, tf: Option<(u32, usize)>) -> f64 {
        if level == Level::Missing {
            return 0.0;
        }
        let (f, l) = (field as usize, level.index());
        let mut u = self.u[f][l];
        if let (Level::Exact, Some((count, n))) = (level, tf) {
            u = (f64::from(count) + self.tf_prior_records * u) / (n as f64 + self.tf_prior_records);
        }
        monotone(level, (self.m[f][l].max(1e-9) / u.max(1e-12)).log2())
    }

    /// Like [`Model::weight`], with city and country conditioned on the company agreeing.
    pub fn weight_given_company(
        &self,
        field: Field,
        level: Level,
        tf: Option<(u32, usize)>,
        company_agrees: bool,
    ) -> f64 {
        let conditional = match field {
            Field::City => U_CITY_SAME_COMPANY,
            Field::Country => U_COUNTRY_SAME_COMPANY,
            _ => return self.weight(field, level, tf),
        };
        if company_agrees && level == Level::Exact {
            let m = self.m[field as usize][level.index()];
            (m / conditional.max(self.u[field as usize][level.index()])).log2()
        } else {
            self.weight(field, level, tf)
        }
    }

    /// log2(m/u) with `u` raised to at least `u_floor` (a conditional u).
    pub fn weight_against(&self, field: Field, level: Level, u_floor: f64) -> f64 {
        let (f, l) = (field as usize, level.index());
        (self.m[f][l].max(1e-9) / self.u[f][l].max(u_floor)).log2()
    }

    /// log2 of the prior odds that a given record is a given profile's match.
    pub fn prior_log2(&self, records: usize) -> f64 {
        (self.match_rate / records.max(1) as f64).log2()
    }

    /// Posterior for each candidate given every candidate's total weight,
    /// assuming a profile has at most one record among them.
    pub fn posteriors(&self, weights: &[f64], records: usize) -> Vec<f64> {
        let prior = self.prior_log2(records);
        let none = (1.0 - self.match_rate).max(1e-12).log2();
        // log-sum-exp in base 2 for stability with very large weights.
        let top = weights.iter().map(|w| w + prior).fold(none, f64::max);
        let denom: f64 = (none - top).exp2()
            + weights
                .iter()
                .map(|w| (w + prior - top).exp2())
                .sum::<f64>();
        weights
            .iter()
            .map(|w| ((w + prior - top).exp2() / denom).clamp(0.0, 1.0))
            .collect()
    }

    pub fn level_of(&self, score: f64) -> super::types::MatchLevel {
        use super::types::MatchLevel::*;
        if score >= self.match_threshold {
            Match
        } else if score >= self.possible_threshold {
            Possible
        } else {
            NoMatch
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_have_the_right_sign() {
        let m = Model::default();
        for f in Field::ALL {
            assert!(m.weight(f, Level::Exact, None) > 0.0, "{f:?}");
            assert!(m.weight(f, Level::Disagree, None) < 0.0, "{f:?}");
            assert_eq!(m.weight(f, Level::Missing, None), 0.0);
        }
    }

    #[test]
    fn city_says_little_once_the_company_agrees() {
        let m = Model::default();
        let alone = m.weight_given_company(Field::City, Level::Exact, None, false);
        let with = m.weight_given_company(Field::City, Level::Exact, None, true);
        assert!(alone > 4.0 && with.abs() < 0.5);
    }

    #[test]
    fn rare_values_weigh_more() {
        let m = Model::default();
        let rare = m.weight(Field::LastName, Level::Exact, Some((1, 100_000)));
        let common = m.weight(Field::LastName, Level::Exact, Some((2_000, 100_000)));
        assert!(rare > common + 3.0);
    }

    #[test]
    fn posteriors_are_probabilities_and_compete() {
        let m = Model::default();
        let one = m.posteriors(&[40.0], 5000);
        assert!(one[0] > 0.99);
        let two = m.posteriors(&[40.0, 40.0], 5000);
        assert!((two[0] - 0.5).abs() < 0.01);
        let none = m.posteriors(&[-20.0], 5000);
        assert!(none[0] < 0.01);
        assert!(m
            .posteriors(&[1e6, -1e6], 1)
            .iter()
            .all(|p| (0.0..=1.0).contains(p)));
    }
}
