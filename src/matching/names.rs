//! Person names: split into given names and surnames, without honorifics,
//! generational suffixes, credentials or particles.
//!
//! Accepts a split first/last pair, or a full name in "First Middle Last",
//! "Last, First" or "LAST First" (upper-case surname first, common in French
//! and German address books) form. Surnames keep every part of a compound
//! ("Müller-Lüdenscheidt", "Santos Oliveira") so that either part can match.

use super::text::{fold_with, is_apostrophe};

/// Honorifics and prefixes (EN, FR, DE, PT); dropped wherever they appear.
const PREFIXES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "dra",
    "prof",
    "professor",
    "sir",
    "dame",
    "mme",
    "mlle",
    "herr",
    "frau",
    "sr",
    "sra",
    "srta",
    "ing",
    "dipl",
    "eng",
    "rev",
    "hon",
];
/// Generational suffixes and credentials.
const SUFFIXES: &[&str] = &[
    "jr", "junior", "snr", "sr", "ii", "iii", "iv", "neto", "filho", "sobrinho", "mba", "phd",
    "cpa", "md", "msc", "bsc", "pmp", "cfa", "cfp", "dds", "esq", "jd", "llm", "mpa", "rn",
    "cissp", "dphil", "frcs", "ceng", "peng",
];
/// Surname particles: kept out of comparisons ("van der Berg" ≈ "Berg").
const PARTICLES: &[&str] = &[
    "de", "da", "do", "das", "dos", "di", "del", "della", "du", "des", "van", "von", "der", "den",
    "ter", "ten", "le", "la", "zu", "zum", "e", "y", "d", "l", "af", "av", "st", "saint", "san",
];

/// A parsed name; all parts folded.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NameParts {
    /// Given names, principal first; hyphenated given names are joined ("jeanpierre").
    pub given: Vec<String>,
    /// Surname parts without particles, plus particle-joined forms ("vanderberg").
    pub surnames: Vec<String>,
}

impl NameParts {
    pub fn first(&self) -> Option<&str> {
        self.given.first().map(String::as_str)
    }
    pub fn is_empty(&self) -> bool {
        self.given.is_empty() && self.surnames.is_empty()
    }
}

/// Parses a name from whichever fields are present; split fields win.
pub fn parse(first: Option<&str>, last: Option<&str>, full: Option<&str>) -> NameParts {
    let given = first.map(given_names).unwrap_or_default();
    let surnames = last
        .map(|l| surname_parts(&raw_words(l)))
        .unwrap_or_default();
    if surnames.is_empty() && last.is_none() && given.len() > 1 && full.is_none() {
        // Whole name typed into the first-name field.
        return parse_full(first.unwrap_or_default());
    }
    // The full name fills whichever split field is missing.
    let from_full = match full {
        Some(f) if given.is_empty() || surnames.is_empty() => parse_full(f),
        _ => NameParts::default(),
    };
    NameParts {
        given: if given.is_empty() {
            from_full.given
        } else {
            given
        },
        surnames: if surnames.is_empty() {
            from_full.surnames
        } else {
            surnames
        },
    }
}

/// Raw words with honorifics and credentials removed (case kept for the LAST heuristic).
fn raw_words(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '"'))
        .filter(|w| !w.is_empty())
        .filter(|w| {
            let f = fold_word(w);
            !f.is_empty() && !PREFIXES.contains(&f.as_str()) && !SUFFIXES.contains(&f.as_str())
        })
        .map(str::to_owned)
        .collect()
}

/// Folds one word, joining hyphens and apostrophes.
fn fold_word(w: &str) -> String {
    fold_with(w, |c| is_apostrophe(c) || c == '-' || c == '.')
}

fn given_names(s: &str) -> Vec<String> {
    raw_words(s)
        .iter()
        .map(|w| fold_word(w))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Surname parts: hyphens split, particles dropped but also glued to the next part.
fn surname_parts(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut glue = String::new();
    for w in words {
        for part in split_elision(w).split(['-', '‐', '–']) {
            let f = fold_with(part, is_apostrophe).replace(' ', "");
            if f.is_empty() {
                continue;
            }
            if PARTICLES.contains(&f.as_str()) {
                glue.push_str(&f);
                continue;
            }
            if !glue.is_empty() {
                out.push(format!("{glue}{f}"));
                glue.clear();
            }
            out.push(f);
        }
    }
    if out.is_empty() && !glue.is_empty() {
        out.push(glue);
    }
    out
}

/// "d'Almeida" → "d-Almeida" so the elided particle splits off; "O'Brien" stays.
fn split_elision(w: &str) -> String {
    let lower = crate::case::lower(w);
    for p in ["d'", "d’", "l'", "l’", "dell'", "dell’"] {
        if lower.starts_with(p) && w.len() > p.len() {
            return format!(
                "{}-{}",
                &w[..p.len() - p.chars().last().map_or(0, char::len_utf8)],
                &w[p.len()..]
            );
        }
    }
    w.to_owned()
}

fn parse_full(s: &str) -> NameParts {
    if let Some((last, first)) = s.split_once(',') {
        let given = given_names(first);
        if !given.is_empty() {
            return NameParts {
                given,
                surnames: surname_parts(&raw_words(last)),
            };
        }
    }
    let words = raw_words(s);
    if words.len() < 2 {
        return NameParts {
            given: words.iter().map(|w| fold_word(w)).collect(),
            surnames: vec![],
        };
    }
    // "DUPONT Jean", "DA SILVA Maria": leading upper-case words before mixed-case ones are the surname.
    let caps =
        |w: &String| w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase);
    // Initials ("S.") are upper case whatever the convention, so they do not count.
    let long = |w: &&String| w.chars().filter(|c| c.is_alphabetic()).count() > 1;
    let k = words.iter().take_while(|w| caps(w) && long(w)).count();
    let rest: Vec<&String> = words[k.min(words.len())..].iter().filter(long).collect();
    if k >= 1 && !rest.is_empty() && rest.iter().all(|w| !caps(w)) {
        return NameParts {
            given: words[k..].iter().map(|w| fold_word(w)).collect(),
            surnames: surname_parts(&words[..k]),
        };
    }
    let split = surname_start(&words);
    let given = words[..split]
        .iter()
        .map(|w| fold_word(w))
        .filter(|w| !w.is_empty())
        .collect();
    NameParts {
        given,
        surnames: surname_parts(&words[split..]),
    }
}

/// Index where the surname starts: at the first particle after the first word, else the last word.
fn surname_start(words: &[String]) -> usize {
    let is_particle =
        |w: &String| PARTICLES.contains(&fold_word(w).as_str()) || split_elision(w) != *w;
    words
        .iter()
        .skip(1)
        .position(is_particle)
        .map(|p| p + 1)
        .unwrap_or(words.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(s: &str) -> NameParts {
        parse(None, None, Some(s))
    }

    #[test]
    fn plain_and_comma_forms() {
        let n = full("Anna Schmidt");
        assert_eq!(
            (n.given, n.surnames),
            (vec!["anna".into()], vec!["schmidt".to_string()])
        );
        let n = full("Schmidt, Anna");
        assert_eq!(
            (n.given, n.surnames),
            (vec!["anna".into()], vec!["schmidt".to_string()])
        );
    }

    #[test]
    fn honorifics_suffixes_credentials_dropped() {
        let n = full("Dr. Robert J. Smith Jr., MBA, PhD");
        assert_eq!(n.given, vec!["robert", "j"]);
        assert_eq!(n.surnames, vec!["smith"]);
        let n = full("Prof. Hans Weber III");
        assert_eq!(n.surnames, vec!["weber"]);
    }

    #[test]
    fn particles_and_compounds() {
        let n = full("Maria Fernanda dos Santos Oliveira");
        assert_eq!(n.given, vec!["maria", "fernanda"]);
        assert_eq!(n.surnames, vec!["dossantos", "santos", "oliveira"]);
        let n = full("Ludwig van der Berg");
        assert!(n.surnames.contains(&"berg".to_string()));
        assert!(n.surnames.contains(&"vanderberg".to_string()));
        let n = parse(Some("Karl"), Some("Müller-Lüdenscheidt"), None);
        assert_eq!(n.surnames, vec!["muller", "ludenscheidt"]);
        let n = full("Paulo d'Almeida");
        assert!(n.surnames.contains(&"almeida".to_string()));
        let n = full("Sean O'Brien");
        assert_eq!(n.surnames, vec!["obrien"]);
    }

    #[test]
    fn upper_case_surname_first() {
        let n = full("DUPONT Jean-Pierre");
        assert_eq!(n.given, vec!["jeanpierre"]);
        assert_eq!(n.surnames, vec!["dupont"]);
        let n = full("YILMAZ Kerstin S.");
        assert_eq!(n.given, vec!["kerstin", "s"]);
        assert_eq!(n.surnames, vec!["yilmaz"]);
        let n = full("DA SILVA Maria Eduarda");
        assert_eq!(n.given, vec!["maria", "eduarda"]);
        assert_eq!(n.surnames, vec!["dasilva", "silva"]);
        let n = full("J. Smith");
        assert_eq!(
            (n.given, n.surnames),
            (vec!["j".to_string()], vec!["smith".to_string()])
        );
        let n = full("JEAN DUPONT");
        assert_eq!(n.given, vec!["jean"]);
        assert_eq!(n.surnames, vec!["dupont"]);
    }

    #[test]
    fn split_fields_and_whole_name_in_first() {
        let n = parse(Some("José"), Some("da Silva"), Some("ignored"));
        assert_eq!(n.given, vec!["jose"]);
        assert_eq!(n.surnames, vec!["dasilva", "silva"]);
        let n = parse(Some("Ana Lima"), None, None);
        assert_eq!(n.surnames, vec!["lima"]);
        let n = parse(Some("Ana"), None, Some("Ana Lima"));
        assert_eq!(
            (n.given, n.surnames),
            (vec!["ana".to_string()], vec!["lima".to_string()])
        );
        let n = parse(None, Some("Lima"), Some("Lima, Ana"));
        assert_eq!(
            (n.given, n.surnames),
            (vec!["ana".to_string()], vec!["lima".to_string()])
        );
    }
}
