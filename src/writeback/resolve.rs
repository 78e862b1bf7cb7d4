//! Finding the CRM record an unresolved item is about: a name search over the synced records
//! of every org, folded with the matcher's own normaliser ("joao" finds "João").

use serde::{Deserialize, Serialize};

use crate::crm::RecordType;
use crate::linking::search::all_words_start;
use crate::matching::text;

/// A synced record as the search needs it (the `records` store has more; it is ignored).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordRef {
    pub api_host: String,
    pub id: String,
    pub record_type: RecordType,
    pub name: String,
}

/// Activities are written on people and companies, never on Opportunities.
pub fn resolvable(record_type: RecordType) -> bool {
    record_type != RecordType::Opportunity
}

/// The resolvable records with their names folded once, so each keystroke only compares.
pub struct RecordSearch {
    records: Vec<RecordRef>,
    folded: Vec<String>,
}

impl RecordSearch {
    pub fn new(records: Vec<RecordRef>) -> RecordSearch {
        let records: Vec<RecordRef> = records
            .into_iter()
            .filter(|r| resolvable(r.record_type))
            .collect();
        let folded = records.iter().map(|r| text::fold(&r.name)).collect();
        RecordSearch { records, folded }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Up to `limit` records whose name words start with every query word: names that start
    /// with the whole query first, then shorter names.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&RecordRef> {
        let words = text::tokens(query);
        if words.is_empty() {
            return Vec::new();
        }
        let whole = words.join(" ");
        let mut hits: Vec<(bool, usize, &str, usize)> = self
            .folded
            .iter()
            .enumerate()
            .filter(|(_, name)| all_words_start(&words, name))
            .map(|(i, name)| (!name.starts_with(&whole), name.len(), name.as_str(), i))
            .collect();
        crate::sort::by(&mut hits, |a, b| a.cmp(b));
        hits.into_iter()
            .take(limit)
            .map(|(.., i)| &self.records[i])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(host: &str, id: &str, record_type: RecordType, name: &str) -> RecordRef {
        RecordRef {
            api_host: host.into(),
            id: id.into(),
            record_type,
            name: name.into(),
        }
    }

    fn ids(found: Vec<&RecordRef>) -> Vec<&str> {
        found.into_iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn finds_folded_name_prefixes_across_orgs_best_first() {
        let search = RecordSearch::new(vec![
            r(
                "a.my.salesforce.com",
                "1",
                RecordType::Contact,
                "João da Silva",
            ),
            r(
                "b.crm.dynamics.com",
                "2",
                RecordType::Lead,
                "Silva, João Pedro",
            ),
            r(
                "a.my.salesforce.com",
                "3",
                RecordType::Account,
                "Joao Silva Ltda",
            ),
            r(
                "a.my.salesforce.com",
                "4",
                RecordType::Opportunity,
                "Joao deal",
            ),
        ]);
        assert_eq!(search.len(), 3);
        assert_eq!(ids(search.search("joao silva", 10)), ["3", "1", "2"]);
        assert_eq!(ids(search.search("SILVA", 1)), ["2"]);
        assert_eq!(ids(search.search("deal", 10)), Vec::<&str>::new());
        assert!(search.search(" ,. ", 10).is_empty());
    }
}
