//! Job titles: abbreviations expanded, seniority words kept, filler dropped,
//! so "Sr. VP, Sales" and "Senior Vice President of Sales" compare equal.

use super::text::fold;

const ABBREVIATIONS: &[(&str, &str)] = &[
    ("sr", "senior"),
    ("snr", "senior"),
    ("jr", "junior"),
    ("vp", "vice president"),
    ("svp", "senior vice president"),
    ("evp", "executive vice president"),
    ("avp", "assistant vice president"),
    ("ceo", "chief executive officer"),
    ("cfo", "chief financial officer"),
    ("cto", "chief technology officer"),
    ("coo", "chief operating officer"),
    ("cmo", "chief marketing officer"),
    ("cio", "chief information officer"),
    ("cro", "chief revenue officer"),
    ("mgr", "manager"),
    ("mngr", "manager"),
    ("dir", "director"),
    ("eng", "engineer"),
    ("engr", "engineer"),
    ("dev", "developer"),
    ("exec", "executive"),
    ("asst", "assistant"),
    ("assoc", "associate"),
    ("acct", "account"),
    ("admin", "administrator"),
    ("hr", "human resources"),
    ("it", "information technology"),
    ("pm", "product manager"),
    ("md", "managing director"),
    ("gm", "general manager"),
    ("ae", "account executive"),
    ("sdr", "sales development representative"),
    ("bdr", "business development representative"),
    ("rep", "representative"),
    ("intl", "international"),
    ("ops", "operations"),
    ("mktg", "marketing"),
    ("dept", "department"),
    ("head", "head"),
    ("pres", "president"),
];
const FILLER: &[&str] = &[
    "of", "the", "and", "for", "de", "du", "des", "la", "le", "der", "die", "das", "und", "et",
    "e", "do", "da", "&", "in", "at",
];

/// Normalised title tokens, sorted and deduplicated.
pub fn tokens(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in fold(raw).split(' ').filter(|t| !t.is_empty()) {
        match ABBREVIATIONS.iter().find(|(a, _)| *a == t) {
            Some((_, full)) => out.extend(full.split(' ').map(str::to_owned)),
            None if !FILLER.contains(&t) => out.push(t.to_owned()),
            None => {}
        }
    }
    crate::sort::by(&mut out, |a, b| a.cmp(b));
    out.dedup();
    out
}

/// Jaccard similarity of two sorted token lists, in [0, 1].
pub fn similarity(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.iter().filter(|t| b.binary_search(t).is_ok()).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_expand() {
        assert_eq!(
            tokens("Sr. VP, Sales"),
            tokens("Senior Vice President of Sales")
        );
        assert_eq!(tokens("CEO"), tokens("Chief Executive Officer"));
    }

    #[test]
    fn similarity_bounds_and_symmetry() {
        let a = tokens("Sales Director");
        let b = tokens("Director of Sales EMEA");
        assert!((similarity(&a, &b) - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(similarity(&a, &b), similarity(&b, &a));
        assert_eq!(similarity(&a, &[]), 0.0);
    }
}
