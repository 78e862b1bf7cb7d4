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
    let name_close = name_close || acronym_of(&a.name, &b.name) || acronym_of(&b.name, &a.name);
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

/// "ibm" is the acronym of "international business machines": a one-word key of two or more
/// letters spelling the initials of a key of as many words.
fn acronym_of(short: &Option<String>, long: &Option<String>) -> bool {
    let (Some(short), Some(long)) = (short, long) else {
        return false;
    };
    let words: Vec<&str> = long.split(' ').collect();
    !short.contains(' ')
        && words.len() >= 2
        && short.chars().count() == words.len()
        && short
            .chars()
            .zip(&words)
            .all(|(c, w)| w.starts_with(c) && c.is_alphabetic())
}

/// Best Account for `company` among `accounts`, or `None` below the possible threshold.
pub fn match_account(company: &Company, accounts: &[Company]) -> Option<AccountMatch> {
    let k = keys(company);
    let judged = accounts.iter().map(|acc| judge(&k, &keys(acc), &acc.id));
    best_of(judged)
}

/// How `company` compares with one `account`: `NoMatch` when they are clearly different
/// companies, `Possible` when only a fuzzy name agrees (data validation leaves those alone).
pub fn same_company(company: &Company, account: &Company) -> MatchLevel {
    judge(&keys(company), &keys(account), &account.id).level
}

fn judge(k: &Keys, account: &Keys, account_id: &str) -> AccountMatch {
    let (score, name_agrees, domain_agrees) = score(k, account);
    let level = if score >= 0.8 {
        MatchLevel::Match
    } else if score >= 0.5 {
        MatchLevel::Possible
    } else {
        MatchLevel::NoMatch
    };
    AccountMatch {
        account_id: account_id.to_string(),
        score,
        level,
        name_agrees,
        domain_agrees,
    }
}

/// The highest score above nothing; the first one wins a tie, so the answer is stable.
fn best_of(judged: impl Iterator<Item = AccountMatch>) -> Option<AccountMatch> {
    let mut best: Option<AccountMatch> = None;
    for m in judged {
        if m.score > best.as_ref().map_or(0.0, |b| b.score) {
            best = Some(m);
        }
    }
    best.filter(|b| b.level != MatchLevel::NoMatch)
}

/// The org's Accounts keyed for lookup, so finding a company's Account reads a few
/// candidates (same name key, same compact key, same domain root, same initials) instead of
/// every Account: an org-wide run asks this for each of a million contacts.
pub struct AccountIndex {
    keys: Vec<(String, Keys)>,
    by_token: std::collections::HashMap<String, Vec<u32>>,
}

impl AccountIndex {
    pub fn build(accounts: &[Company]) -> AccountIndex {
        let mut by_token: std::collections::HashMap<String, Vec<u32>> = Default::default();
        let keys: Vec<(String, Keys)> = accounts.iter().map(|a| (a.id.clone(), keys(a))).collect();
        for (i, (_, k)) in keys.iter().enumerate() {
            for token in lookup_tokens(k) {
                let ids = by_token.entry(token).or_default();
                if ids.last() != Some(&(i as u32)) {
                    ids.push(i as u32);
                }
            }
        }
        AccountIndex { keys, by_token }
    }

    /// The best Account for `company`, as [`match_account`] would find it among candidates
    /// that share a lookup token (a name that shares nothing with any key is no match).
    pub fn best(&self, company: &Company) -> Option<AccountMatch> {
        let k = keys(company);
        let mut candidates: Vec<u32> = lookup_tokens(&k)
            .iter()
            .filter_map(|t| self.by_token.get(t))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let judged = candidates.into_iter().map(|i| {
            let (id, keys) = &self.keys[i as usize];
            judge(&k, keys, id)
        });
        best_of(judged)
    }
}

/// Tokens under which an Account is filed and a company looked up: the name key's first
/// word, its compact form, its initials, and the domain root. Every pair [`score`] rates a
/// `Match` shares one of them (same key, same domain, or a name's compact form that is the
/// other's domain); a `Possible` pair may not (a typo in the first word of both names).
fn lookup_tokens(k: &Keys) -> Vec<String> {
    let mut tokens = Vec::with_capacity(4);
    if let Some(name) = &k.name {
        let words: Vec<&str> = name.split(' ').collect();
        tokens.push(format!("w:{}", words[0]));
        tokens.push(format!("c:{}", company::compact(name)));
        if words.len() >= 2 {
            let initials: String = words.iter().filter_map(|w| w.chars().next()).collect();
            tokens.push(format!("c:{initials}"));
        }
    }
    if let Some(domain) = &k.domain {
        tokens.push(format!("c:{domain}"));
    }
    tokens
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
    fn initials_are_a_possible_match_and_a_domain_makes_them_sure() {
        let ibm = co("a1", "International Business Machines Corp.", "", "");
        assert_eq!(
            same_company(&co("p", "IBM", "", ""), &ibm),
            MatchLevel::Possible
        );
        let with_domain = co("a1", "International Business Machines", "ibm.com", "");
        assert_eq!(
            same_company(&co("p", "IBM", "", ""), &with_domain),
            MatchLevel::Match
        );
        assert_eq!(
            same_company(&co("p", "Initech", "", ""), &ibm),
            MatchLevel::NoMatch
        );
    }

    #[test]
    fn the_index_finds_what_a_scan_finds_as_a_match() {
        let accounts = vec![
            co("a1", "Acme Corporation", "acme.com", "US"),
            co("a2", "Globex GmbH", "", "DE"),
            co("a3", "Acme Widgets", "acmewidgets.io", "US"),
            co("a4", "Initech", "initech.com", ""),
            co("a5", "Soylent Green SA", "", "FR"),
        ];
        let index = AccountIndex::build(&accounts);
        let probes = [
            co("p", "ACME Inc.", "", ""),
            co("p", "", "https://www.acme.com/", ""),
            co("p", "globex.de", "", ""),
            co("p", "acmewidgets", "", ""),
            co("p", "Initech LLC", "", ""),
            co("p", "Soylent Green", "", "FR"),
            co("p", "Umbrella", "", ""),
            co("p", "Acme", "", "FR"),
        ];
        for probe in probes {
            let scan = match_account(&probe, &accounts);
            let indexed = index.best(&probe);
            assert_eq!(
                scan.as_ref().map(|m| (&m.account_id, m.level)),
                indexed.as_ref().map(|m| (&m.account_id, m.level)),
                "{probe:?}"
            );
        }
    }

    #[test]
    fn country_clash_lowers_the_score() {
        let accounts = vec![co("a1", "Acme", "", "US")];
        let m = match_account(&co("p", "Acme", "", "FR"), &accounts).unwrap();
        assert_eq!(m.level, MatchLevel::Possible);
    }
}
