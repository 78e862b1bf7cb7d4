//! Whether two CRM records are one person (a Lead and a Contact, two Contacts):
//! they then share the person's probability instead of splitting it.

use super::compare::compare;
use super::features::Features;
use super::types::{Field, Level};

/// Strong, hard-to-share evidence only: the same e-mail address or profile URL, or
/// the same phone with the same surname. The same full name at the same company
/// is not enough: on the held-out set it joined namesakes (precision 0.966 → 0.964).
pub fn same_person(a: &Features, b: &Features) -> bool {
    let levels = compare(a, b).levels;
    let is = |field: Field, level: Level| levels[field as usize] == level;
    is(Field::Email, Level::Exact)
        || is(Field::ProfileUrl, Level::Exact)
        || (is(Field::Phone, Level::Exact) && is(Field::LastName, Level::Exact))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::types::Person;

    fn f(first: &str, last: &str, email: &str, company: &str) -> Features {
        Features::of(&Person {
            id: "x".into(),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            email: Some(email.into()),
            company: Some(company.into()),
            ..Person::default()
        })
    }

    #[test]
    fn a_lead_and_a_contact_of_one_person_are_one_person() {
        let contact = f("Robert", "Pennington", "rp@bluewater.com", "Bluewater Inc");
        assert!(!same_person(
            &contact,
            &f("Bob", "Pennington", "", "Bluewater")
        ));
        assert!(same_person(&contact, &f("", "", "RP@bluewater.com", "")));
        assert!(!same_person(
            &contact,
            &f("Anna", "Pennington", "ap@bluewater.com", "Bluewater")
        ));
        assert!(!same_person(
            &contact,
            &f("Robert", "Pennington", "", "Globex")
        ));
    }
}
