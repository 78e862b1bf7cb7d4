//! The contacts a query job reads: the SOQL asked, and each CSV row as a person with the
//! Account it is at and the flag it holds.

use crate::matching::{Company, Person};
use crate::salesforce_id::SalesforceId;

/// Child-to-parent fields are allowed in a bulk query (A21); the order is the columns'.
pub fn soql(flag_field: &str) -> String {
    let mut fields: Vec<&str> = COLUMNS[..COLUMNS.len() - 1].to_vec();
    fields.push(flag_field);
    format!("SELECT {} FROM Contact", fields.join(", "))
}

/// One contact of the org.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactRow {
    pub person: Person,
    /// The contact's Account (name and website), when it has one.
    pub account: Option<Company>,
    pub flagged: bool,
}

/// A result set whose columns are not the ones asked for, or a row that is not CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSet(pub String);

/// The columns asked for and read, in order; the empty last one is the flag field.
const COLUMNS: [&str; 13] = [
    "Id",
    "FirstName",
    "LastName",
    "Name",
    "Email",
    "Title",
    "Phone",
    "MailingCity",
    "MailingCountry",
    "AccountId",
    "Account.Name",
    "Account.Website",
    "",
];

/// The rows of one result set (its own header first). Rows without a valid Id are skipped:
/// nothing could be written back to them.
pub fn read_set(csv_text: &str, flag_field: &str) -> Result<Vec<ContactRow>, BadSet> {
    let mut reader = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| BadSet(format!("the result set's header: {e}")))?
        .clone();
    let positions: Vec<usize> = COLUMNS
        .iter()
        .map(|c| if c.is_empty() { flag_field } else { c })
        .map(|c| {
            header
                .iter()
                .position(|h| h.eq_ignore_ascii_case(c))
                .ok_or_else(|| BadSet(format!("the result set has no column {c}")))
        })
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (n, row) in reader.records().enumerate() {
        let row = row.map_err(|e| BadSet(format!("result row {}: {e}", n + 1)))?;
        let cell = |i: usize| {
            row.get(positions[i])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let Some(id) = cell(0).and_then(|id| SalesforceId::parse(&id)) else {
            continue;
        };
        let id = id.as_str().to_string();
        let account = cell(9).map(|account_id| Company {
            id: account_id,
            name: cell(10),
            domain: cell(11),
            city: None,
            country: None,
        });
        out.push(ContactRow {
            person: Person {
                id,
                first_name: cell(1),
                last_name: cell(2),
                full_name: cell(3),
                email: cell(4),
                company: account.as_ref().and_then(|a| a.name.clone()),
                title: cell(5),
                city: cell(7),
                country: cell(8),
                phone: cell(6),
                profile_url: None,
            },
            account,
            flagged: cell(12).is_some_and(|v| v.eq_ignore_ascii_case("true")),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "\"Id\",\"FirstName\",\"LastName\",\"Name\",\"Email\",\"Title\",\"Phone\",\"MailingCity\",\"MailingCountry\",\"AccountId\",\"Account.Name\",\"Account.Website\",\"F__c\"\n";

    #[test]
    fn rows_become_people_at_their_accounts() {
        let text = format!(
            "{HEADER}\"0035g0000000001AAA\",\"Ada\",\"Lovelace\",\"Ada Lovelace\",\"ada@acme.com\",\"CTO\",\"\",\"London\",\"UK\",\"0015g0000000001AAA\",\"Acme, Inc.\",\"acme.com\",\"true\"\n\"0035g0000000002AAA\",\"\",\"Solo\",\"Solo\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"false\"\n\"not-an-id\",\"X\",\"Y\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\n"
        );
        let rows = read_set(&text, "F__c").unwrap();
        assert_eq!(rows.len(), 2, "a row without a record id is skipped");
        assert_eq!(rows[0].person.company.as_deref(), Some("Acme, Inc."));
        assert_eq!(
            rows[0].account.as_ref().unwrap().domain.as_deref(),
            Some("acme.com")
        );
        assert!(rows[0].flagged);
        assert_eq!(rows[1].account, None);
        assert_eq!(rows[1].person.first_name, None);
        assert!(!rows[1].flagged);
    }

    #[test]
    fn a_set_without_the_asked_columns_is_refused() {
        let err = read_set("\"Id\",\"Name\"\n\"003\",\"x\"\n", "F__c").unwrap_err();
        assert!(err.0.contains("FirstName"), "{err:?}");
        assert!(read_set("", "F__c").unwrap_err().0.contains("no column"));
    }
}
