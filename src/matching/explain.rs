//! Why a candidate scored as it did: structured for the localised UI, plus an
//! English sentence for logs and the CLI.

use serde::{Deserialize, Serialize};

use super::types::{Field, Level};
use crate::case::capitalise;

/// One field's contribution.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FieldScore {
    pub field: Field,
    pub level: Level,
    /// log2(m/u): positive is evidence for the match, negative against.
    pub weight: f32,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchSource {
    Model,
    ManualLink,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub fields: Vec<FieldScore>,
    /// log2 prior odds for one record.
    pub prior: f32,
    /// Sum of field weights.
    pub total: f32,
    pub source: MatchSource,
}

/// The facts a sentence needs: fields that agreed (strongest first), differed, were missing.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFacts {
    pub agreed: Vec<Field>,
    pub differed: Vec<Field>,
    pub missing: Vec<Field>,
}

impl Explanation {
    pub fn key_facts(&self) -> KeyFacts {
        let mut agreed: Vec<&FieldScore> = self
            .fields
            .iter()
            .filter(|f| !matches!(f.level, Level::Disagree | Level::Missing) && f.weight > 0.0)
            .collect();
        crate::sort::by(&mut agreed, |a, b| b.weight.total_cmp(&a.weight));
        let pick = |lvl: Level| {
            self.fields
                .iter()
                .filter(|f| f.level == lvl)
                .map(|f| f.field)
                .collect()
        };
        KeyFacts {
            agreed: agreed.iter().map(|f| f.field).collect(),
            differed: pick(Level::Disagree),
            missing: pick(Level::Missing),
        }
    }

    pub fn level(&self, field: Field) -> Level {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map_or(Level::Missing, |f| f.level)
    }

    /// "Linked by hand. First name, last name and email agree; company differs."
    pub fn summary(&self) -> String {
        let facts = self.key_facts();
        let mut out = String::new();
        if self.source == MatchSource::ManualLink {
            out.push_str("Linked by hand. ");
        }
        if facts.agreed.is_empty() {
            out.push_str("No field agrees");
        } else {
            out.push_str(&capitalise(&list(&facts.agreed)));
            out.push_str(if facts.agreed.len() == 1 {
                " agrees"
            } else {
                " agree"
            });
        }
        if !facts.differed.is_empty() {
            out.push_str("; ");
            out.push_str(&list(&facts.differed));
            out.push_str(if facts.differed.len() == 1 {
                " differs"
            } else {
                " differ"
            });
        }
        out.push('.');
        out
    }

    /// Compact machine-readable form: "first_name=exact:+6.6 last_name=…".
    pub fn compact(&self) -> String {
        self.fields
            .iter()
            .filter(|f| f.level != Level::Missing)
            .map(|f| format!("{}={}:{:+.1}", f.field.name(), f.level.name(), f.weight))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn list(fields: &[Field]) -> String {
    let labels: Vec<&str> = fields.iter().map(|f| f.label()).collect();
    match labels.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs(field: Field, level: Level, weight: f32) -> FieldScore {
        FieldScore {
            field,
            level,
            weight,
        }
    }

    #[test]
    fn summary_reads_well() {
        let e = Explanation {
            fields: vec![
                fs(Field::FirstName, Level::Exact, 6.0),
                fs(Field::LastName, Level::Exact, 9.0),
                fs(Field::Email, Level::Exact, 16.0),
                fs(Field::Company, Level::Disagree, -2.0),
                fs(Field::Phone, Level::Missing, 0.0),
            ],
            prior: -13.0,
            total: 29.0,
            source: MatchSource::Model,
        };
        assert_eq!(
            e.summary(),
            "Email, last name and first name agree; company differs."
        );
        assert_eq!(e.key_facts().missing, vec![Field::Phone]);
        assert_eq!(e.level(Field::Company), Level::Disagree);
        assert!(e.compact().starts_with("first_name=exact:+6.0"));
    }

    #[test]
    fn empty_summary() {
        let e = Explanation {
            fields: vec![],
            prior: 0.0,
            total: 0.0,
            source: MatchSource::ManualLink,
        };
        assert_eq!(e.summary(), "Linked by hand. No field agrees.");
    }
}
