//! Company ↔ Account matching: name key, website/e-mail domain and country.

use serde::{Deserialize, Serialize};
use strsim::jaro_winkler;

use super::text::non_empty;
use super::types::{Company, MatchLevel};
use super::{company, geo};

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountMatch {
    pub account_id: String,
    pub score: f64,
    pub level: MatchLevel,
    pub name_agrees: bool,
    pub domain_agrees: bool,
}

struct Keys {
    name: Option<String>,
    domain: Option<String>,
    country: Option<&'static str>,
}

fn keys(c: &Company) -> Keys {
    Keys {
        name: non_empty(c.name.as_deref())
            .map(company::key)
            .filter(|k| !k.is_empty()),
        domain: non_empty(c.domain.as_deref()).and_then(company::domain_root),
        country: non_empty(c.country.as_deref()).and_then(geo::country_code),
    }
}

/// Score of one company against one account, in [0, 1].
fn score(a: &Keys, b: &Keys) -> (f64, bool, bool) {
    let name_exact = matches!((&a.name, &b.name), (Some(x), Some(y)) if x == y);
    let name_close = matches!((&a.name, &b.name), (Some(x), Some(y)) if jaro_winkler(x, y) >= 0.93 || company::compact(x) == company::compact(y));
    let domain = matches!((&a.domain, &b.domain), (Some(x), Some(y)) if x == y);
    let cross = |k: &Keys, d: &Keys| matches!((&k.name, &d.domain), (Some(n), Some(dom)) if company::compact(n) == *dom);
    let country_clash = matches!((a.country, b.country), (Some(x), Some(y)) if x != y);
    let mut s: f64 = match (name_exact, name_close, domain || cross(a, b) || cross(b, a)) {
        (true, _, true) => 0.99,
        (_, _, true) if domain => 0.95,
        (true, _, false) => 0.9,
        (_, true, true) => 0.9,
        (_, _, true) => 0.8,
        (false, true, false) => 0.6,
        _ => 0.0,
    };
    if country_clash {
        s *= 0.6; // Subsidiaries share names across countries.
    }
    (s, name_exact || name_close, domain)
}

/// Best Account for `company` among `accounts`, or `None` below the possible threshold.
pub fn match_account(company: &Company, accounts: &[Company]) -> Option<AccountMatch> {
    let k = keys(company);
    let mut best: Option<AccountMatch> = None;
    for acc in accounts {
        let (s, name_agrees, domain_agrees) = score(&k, &keys(acc));
        if s > best.as_ref().map_or(0.0, |b| b.score) {
            let level = if s >= 0.8 {
                MatchLevel::Match
            } else if s >= 0.5 {
                MatchLevel::Possible
            } else {
                MatchLevel::NoMatch
            };
            best = Some(AccountMatch {
                account_id: acc.id.clone(),
                score: s,
                level,
                name_agrees,
                domain_agrees,
            });
        }
    }
    best.filter(|b| b.level != MatchLevel::NoMatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn co(id: &str, name: &str, domain: &str, country: &str) -> Company {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Company {
            id: id.into(),
            name: opt(name),
            domain: opt(domain),
            city: None,
            country: opt(country),
        }
    }

    #[test]
    fn matches_by_name_or_domain() {
        let accounts = vec![
            co("a1", "Acme Corporation", "acme.com", "US"),
            co("a2", "Globex GmbH", "", "DE"),
        ];
        let m = match_account(&co("p", "ACME Inc.", "", ""), &accounts).unwrap();
        assert_eq!((m.account_id.as_str(), m.level), ("a1", MatchLevel::Match));
        let m = match_account(&co("p", "", "https://www.acme.com/", ""), &accounts).unwrap();
        assert_eq!(m.account_id, "a1");
        let m = match_account(&co("p", "globex.de", "", ""), &accounts).unwrap();
        assert_eq!(m.account_id, "a2");
        assert!(match_account(&co("p", "Initech", "", ""), &accounts).is_none());
    }

    #[test]
    fn country_clash_lowers_the_score() {
        let accounts = vec![co("a1", "Acme", "", "US")];
        let m = match_account(&co("p", "Acme", "", "FR"), &accounts).unwrap();
        assert_eq!(m.level, MatchLevel::Possible);
    }
}
