//! Typeahead search over profiles by name or company, for manual match correction: folded
//! with the matcher's own text normaliser, so "joao silva" finds "João da Silva".

use crate::matching::{text, Person};

/// Ids of up to `limit` profiles whose name or company words start with every query word;
/// name hits rank before company-only hits, then shorter names first.
pub fn search(profiles: &[Person], query: &str, limit: usize) -> Vec<String> {
    let words = text::tokens(query);
    if words.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u8, usize, &str)> = profiles
        .iter()
        .filter_map(|p| {
            let name = text::fold(&crate::profiles::display_name(p));
            let company = text::fold(p.company.as_deref().unwrap_or_default());
            let all_in = |hay: &str| all_words_start(&words, hay);
            let both = format!("{name} {company}");
            let rank = if all_in(&name) {
                0
            } else if all_in(&both) {
                1
            } else {
                return None;
            };
            Some((rank, name.len(), p.id.as_str()))
        })
        .collect();
    crate::sort::by(&mut hits, |a, b| a.cmp(b));
    hits.into_iter()
        .take(limit)
        .map(|(_, _, id)| id.to_string())
        .collect()
}

/// Whether every (folded) query word starts some word of the folded `hay`.
pub fn all_words_start(words: &[String], hay: &str) -> bool {
    words
        .iter()
        .all(|w| hay.split_whitespace().any(|h| h.starts_with(w.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: &str, full: &str, company: &str) -> Person {
        Person {
            id: id.into(),
            full_name: Some(full.into()),
            company: Some(company.into()),
            ..Person::default()
        }
    }

    #[test]
    fn finds_by_folded_prefixes_of_name_and_company() {
        let profiles = [
            p("1", "João da Silva", "Construtora São João"),
            p("2", "Joana Prado", "Acme"),
            p("3", "Ada Lovelace", "Joalheria X"),
        ];
        assert_eq!(search(&profiles, "joao silva", 10), vec!["1"]);
        assert_eq!(search(&profiles, "JO", 10), vec!["2", "1", "3"]);
        assert_eq!(search(&profiles, "ada acme", 10), Vec::<String>::new());
        assert_eq!(search(&profiles, "  ", 10), Vec::<String>::new());
    }
}
