//! Company names and domains.
//!
//! "The Acme Corporation", "ACME Corp.", "Acme, Inc." and `acme.com` all reduce
//! to the key "acme": legal-form suffixes of many countries, a leading "The"
//! and the conjunctions of "&"/"and"/"und"/"et" are dropped.

use super::text::{fold_with, is_apostrophe};

/// Legal forms, folded with dots removed ("S.p.A." → "spa", "S/A" → "sa").
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "plc",
    "corp",
    "corporation",
    "co",
    "company",
    "cie",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "kgaa",
    "ohg",
    "ug",
    "ev",
    "eg",
    "se",
    "sa",
    "sas",
    "sasu",
    "sarl",
    "eurl",
    "sca",
    "snc",
    "spa",
    "srl",
    "sl",
    "ltda",
    "lda",
    "me",
    "epp",
    "eireli",
    "bv",
    "nv",
    "vof",
    "pty",
    "kk",
    "ab",
    "oy",
    "oyj",
    "as",
    "asa",
    "aps",
    "a/s",
    "pte",
    "sdn",
    "bhd",
    "group",
    "holding",
    "holdings",
];
/// Conjunctions between owners' names ("Smith & Sons" = "Smith and Sons").
const CONJUNCTIONS: &[&str] = &["and", "und", "et", "e", "y"];

/// Normalised company name: tokens joined by one space; empty when nothing is left.
pub fn key(name: &str) -> String {
    if let Some(root) = domain_root(name).filter(|_| looks_like_domain(name)) {
        return root;
    }
    let folded = fold_with(&name.replace('&', " and "), |c| {
        is_apostrophe(c) || c == '.' || c == '/'
    });
    let words: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    let mut toks: Vec<&str> = words
        .iter()
        .copied()
        .filter(|t| !CONJUNCTIONS.contains(t))
        .collect();
    // A name that is only a conjunction ("Y", a domain's root) keeps it rather than vanish.
    if toks.is_empty() {
        toks = words;
    }
    if toks.len() > 1 && toks[0] == "the" {
        toks.remove(0);
    }
    while toks.len() > 1 && LEGAL_FORMS.contains(toks.last().unwrap_or(&"")) {
        toks.pop();
    }
    toks.join(" ")
}

/// The key without spaces, for comparison with a domain ("acme widgets" ↔ `acmewidgets.com`).
pub fn compact(key: &str) -> String {
    key.replace(' ', "")
}

fn looks_like_domain(s: &str) -> bool {
    let s = s.trim();
    !s.contains(' ')
        && s.contains('.')
        && s.rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Second-level labels under which companies register ("acme.co.uk", "acme.com.br").
const SECOND_LEVEL: &[&str] = &[
    "co", "com", "org", "net", "gov", "ac", "edu", "gv", "or", "ne",
];

/// The registrable label of a domain or URL: `https://www.acme-corp.co.uk/x` → "acmecorp".
pub fn domain_root(domain: &str) -> Option<String> {
    let d = domain.trim().to_ascii_lowercase();
    let d = d.split("://").last().unwrap_or(&d);
    let host = d.split(['/', '?', '#', ':']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() < 2 {
        return None;
    }
    let mut i = labels.len() - 2;
    if i > 0 && SECOND_LEVEL.contains(&labels[i]) && labels[labels.len() - 1].len() == 2 {
        i -= 1;
    }
    let root: String = labels[i]
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    (!root.is_empty()).then_some(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conjunction_alone_is_still_a_name() {
        assert_eq!(key("Y.aa"), "y");
        assert_eq!(key("y"), "y");
        assert_eq!(key("Ernst & Young"), key("Ernst and Young"));
    }

    #[test]
    fn legal_forms_across_countries() {
        for name in [
            "Acme Inc",
            "ACME Corp.",
            "Acme, Inc.",
            "Acme GmbH",
            "Acme S.A.",
            "Acme S/A",
            "Acme S.p.A.",
            "Acme Ltda",
            "Acme B.V.",
            "Acme Pty Ltd",
            "Acme KK",
            "Acme AB",
            "Acme Oy",
            "Acme SARL",
            "Acme PLC",
            "The Acme Company",
            "Acme GmbH & Co. KG",
            "acme.com",
            "www.acme.co.uk",
        ] {
            assert_eq!(key(name), "acme", "{name}");
        }
    }

    #[test]
    fn conjunctions_fold_together() {
        assert_eq!(key("Smith & Sons"), key("Smith and Sons"));
        assert_eq!(key("Müller und Söhne"), key("Muller & Sohne"));
        assert_eq!(key("Dupont et Fils"), "dupont fils");
    }

    #[test]
    fn keeps_single_token_that_looks_like_a_form() {
        assert_eq!(key("Group"), "group");
        assert_eq!(key("The"), "the");
    }

    #[test]
    fn domain_roots() {
        assert_eq!(domain_root("acme.com").as_deref(), Some("acme"));
        assert_eq!(
            domain_root("https://www.acme-corp.co.uk/about").as_deref(),
            Some("acmecorp")
        );
        assert_eq!(
            domain_root("mail.empresa.com.br").as_deref(),
            Some("empresa")
        );
        assert_eq!(domain_root("localhost"), None);
        assert_eq!(compact("acme widgets"), "acmewidgets");
    }
}
