//! Org rules both CRMs enforce on writes, switchable through the control API: validation rules
//! ("Contact requires Email") and duplicate rules (same value in every listed field).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::state::db::{Crm, Db, Fields};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationRule {
    pub name: String,
    /// `salesforce` or `dynamics`.
    pub crm: String,
    pub object: String,
    /// The rule fires when this field is blank.
    pub field: String,
    pub message: String,
    #[serde(default)]
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateRule {
    pub name: String,
    pub crm: String,
    pub object: String,
    /// Two records are duplicates when all these fields are set and equal (case-insensitive).
    pub fields: Vec<String>,
    #[serde(default)]
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rules {
    #[serde(default)]
    pub validation: Vec<ValidationRule>,
    #[serde(default)]
    pub duplicate: Vec<DuplicateRule>,
}

impl Default for Rules {
    /// Built-in rules, all off until a test switches them on.
    fn default() -> Self {
        let validation = |crm: &str, object: &str, field: &str, name: &str| ValidationRule {
            name: name.into(),
            crm: crm.into(),
            object: object.into(),
            field: field.into(),
            message: "Contact requires an email address.".into(),
            active: false,
        };
        let duplicate = |crm: &str, object: &str, field: &str, name: &str| DuplicateRule {
            name: name.into(),
            crm: crm.into(),
            object: object.into(),
            fields: vec![field.into()],
            active: false,
        };
        Rules {
            validation: vec![
                validation("salesforce", "Contact", "Email", "Contact_requires_Email"),
                validation(
                    "dynamics",
                    "contact",
                    "emailaddress1",
                    "contact_requires_email",
                ),
            ],
            duplicate: vec![
                duplicate(
                    "salesforce",
                    "Contact",
                    "Email",
                    "Standard_Contact_Duplicate_Rule",
                ),
                duplicate(
                    "salesforce",
                    "Lead",
                    "Email",
                    "Standard_Lead_Duplicate_Rule",
                ),
                duplicate(
                    "dynamics",
                    "contact",
                    "emailaddress1",
                    "Contacts_with_the_same_email",
                ),
            ],
        }
    }
}

fn is_blank(fields: &Fields, name: &str) -> bool {
    match fields.get(name) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        _ => false,
    }
}

impl Rules {
    /// Turns a rule on or off by name; false when no rule has that name.
    pub fn set_active(&mut self, name: &str, active: bool) -> bool {
        let mut found = false;
        for r in self.validation.iter_mut().filter(|r| r.name == name) {
            r.active = active;
            found = true;
        }
        for r in self.duplicate.iter_mut().filter(|r| r.name == name) {
            r.active = active;
            found = true;
        }
        found
    }

    /// The first active validation rule the record breaks.
    pub fn violated(&self, crm: Crm, object: &str, fields: &Fields) -> Option<&ValidationRule> {
        self.validation.iter().find(|r| {
            r.active
                && r.crm == crm.key()
                && r.object.eq_ignore_ascii_case(object)
                && is_blank(fields, &r.field)
        })
    }

    /// The first active duplicate rule matched, with the ids of the existing duplicates.
    pub fn duplicates(
        &self,
        db: &Db,
        crm: Crm,
        object: &str,
        id: Option<&str>,
        fields: &Fields,
    ) -> Option<(&DuplicateRule, Vec<String>)> {
        for rule in self
            .duplicate
            .iter()
            .filter(|r| r.active && r.crm == crm.key() && r.object.eq_ignore_ascii_case(object))
        {
            if rule.fields.iter().any(|f| is_blank(fields, f)) {
                continue;
            }
            let same = |other: &Fields| {
                rule.fields.iter().all(|f| {
                    let a = fields.get(f).and_then(Value::as_str).map(str::to_lowercase);
                    let b = other.get(f).and_then(Value::as_str).map(str::to_lowercase);
                    a.is_some() && a == b
                })
            };
            let matches: Vec<String> = db
                .list(crm, object)
                .unwrap_or_default()
                .into_iter()
                .filter(|(other_id, other)| Some(other_id.as_str()) != id && same(other))
                .map(|(other_id, _)| other_id)
                .collect();
            if !matches.is_empty() {
                return Some((rule, matches));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn validation_rule_fires_only_when_active() {
        let mut rules = Rules::default();
        let fields = json!({"LastName": "x"}).as_object().unwrap().clone();
        assert!(rules
            .violated(Crm::Salesforce, "Contact", &fields)
            .is_none());
        assert!(rules.set_active("Contact_requires_Email", true));
        assert!(rules
            .violated(Crm::Salesforce, "contact", &fields)
            .is_some());
    }
}
