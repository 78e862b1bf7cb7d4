//! The panel's record from the synced copy, when the copy holds every field the panel shows:
//! a record view then costs the org no API call. Salesforce counts every call of the org
//! against one daily allowance (CRM-APIS A8), and a rep's record views are most of a seat's
//! calls; the record's own page beside the panel shows it live anyway, so the panel's few
//! fields may be as old as the last sync. Contacts and Leads qualify (their person fields are
//! synced for matching); Accounts and Opportunities show fields the sync does not read
//! (a phone, a close date), so their panel still reads the record.

use crate::crm::{dynamics, salesforce, Crm, RecordSummary};
use crate::sync::CrmRecord;

/// What the panel shows of `record`, from the copy alone; `None` when the copy lacks a field
/// the record read would show (the panel then reads it from the CRM).
pub fn summary(crm: Crm, record: &CrmRecord) -> Option<RecordSummary> {
    let person = record.person.as_ref()?;
    let labels = match crm {
        Crm::Salesforce => salesforce::shown_labels(record.record_type),
        Crm::Dynamics => dynamics::shown_labels(record.record_type),
    };
    let mut fields = Vec::new();
    for label in labels {
        let value = match label {
            "Title" => &person.title,
            "Email" => &person.email,
            "Phone" => &person.phone,
            "Company" => &person.company,
            _ => return None,
        };
        let value = value.as_deref().unwrap_or_default();
        if !value.is_empty() {
            fields.push((label.to_string(), value.to_string()));
        }
    }
    Some(RecordSummary {
        record_type: record.record_type,
        id: record.id.clone(),
        name: record.name.clone(),
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::RecordType;
    use crate::matching::{Company, Person};

    fn person(id: &str) -> Person {
        Person {
            id: id.into(),
            full_name: Some("Ada Lovelace".into()),
            title: Some("CTO".into()),
            email: Some("ada@example.com".into()),
            company: Some("Analytical Engines".into()),
            ..Person::default()
        }
    }

    /// The same fields, in the same order, as the record read shows (`read_record`).
    #[test]
    fn a_synced_contact_or_lead_shows_what_its_record_read_would() {
        let mut contact = CrmRecord::new(RecordType::Contact, "003A".into(), "Ada Lovelace".into());
        contact.person = Some(person("003A"));
        let read = salesforce::read_record(
            RecordType::Contact,
            200,
            r#"{"Id":"003A","Name":"Ada Lovelace","Title":"CTO","Email":"ada@example.com","Phone":null}"#,
        )
        .unwrap();
        assert_eq!(summary(Crm::Salesforce, &contact), Some(read));
        let mut lead = CrmRecord::new(RecordType::Lead, "g-1".into(), "Ada Lovelace".into());
        lead.person = Some(person("g-1"));
        let shown = summary(Crm::Dynamics, &lead).unwrap();
        let labels: Vec<&str> = shown.fields.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["Title", "Company", "Email"]);
    }

    #[test]
    fn accounts_and_opportunities_are_read_from_the_crm() {
        let mut account = CrmRecord::new(RecordType::Account, "001A".into(), "Acme".into());
        account.company = Some(Company {
            id: "001A".into(),
            name: Some("Acme".into()),
            domain: Some("acme.com".into()),
            city: None,
            country: None,
        });
        assert_eq!(summary(Crm::Salesforce, &account), None);
        let mut opportunity = CrmRecord::new(RecordType::Opportunity, "006A".into(), "Deal".into());
        opportunity.stage = Some("Prospecting".into());
        assert_eq!(summary(Crm::Dynamics, &opportunity), None);
    }
}
