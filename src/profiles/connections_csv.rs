//! The network's member data export, `Connections.csv`: a few `Notes:` lines, a blank line,
//! then the header `First Name,Last Name,URL,Email Address,Company,Position,Connected On`.
//! Columns are found by name, so a reordered or extended export still imports.

use super::csv_rows::{rows, Row};
use super::{finish, non_empty, too_many_rows, Origin, Parsed, Profile, SkipReason, Skipped};
use crate::matching::Person;

const FIRST_NAME: &str = "first name";
const LAST_NAME: &str = "last name";

struct Columns {
    first: usize,
    last: usize,
    url: Option<usize>,
    email: Option<usize>,
    company: Option<usize>,
    position: Option<usize>,
    connected_on: Option<usize>,
    count: usize,
}

impl Columns {
    /// The header row is the first with both name columns; everything above is notes.
    fn find(header: &[String]) -> Option<Columns> {
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        Some(Columns {
            first: find(FIRST_NAME)?,
            last: find(LAST_NAME)?,
            url: find("url").or_else(|| find("profile url")),
            email: find("email address").or_else(|| find("email")),
            company: find("company"),
            position: find("position"),
            connected_on: find("connected on"),
            count: header.len(),
        })
    }
}

pub fn parse(text: &str) -> Parsed {
    let read = rows(text, super::MAX_IMPORT_ROWS);
    if let Some(line) = read.over_limit {
        return too_many_rows(line);
    }
    let unclosed = read.unclosed_quotes.iter().map(|&line| Skipped {
        line,
        reason: SkipReason::UnclosedQuote,
    });
    let mut skipped: Vec<Skipped> = unclosed.collect();
    let rows = read.rows;
    let Some((header_at, columns)) = rows
        .iter()
        .enumerate()
        .find_map(|(i, row)| Columns::find(&row.fields).map(|c| (i, c)))
    else {
        let detail = "no header row with \"First Name\" and \"Last Name\"".to_string();
        skipped.insert(
            0,
            Skipped {
                line: 1,
                reason: SkipReason::Malformed { detail },
            },
        );
        return Parsed {
            profiles: Vec::new(),
            skipped,
        };
    };
    let mut profiles = Vec::new();
    for row in &rows[header_at + 1..] {
        if row.fields.len() != columns.count {
            let reason = SkipReason::FieldCount {
                expected: columns.count,
                found: row.fields.len(),
            };
            skipped.push(Skipped {
                line: row.line,
                reason,
            });
            continue;
        }
        profiles.push((row.line, profile(row, &columns)));
    }
    finish(profiles, skipped)
}

fn profile(row: &Row, c: &Columns) -> Profile {
    let get = |i: Option<usize>| i.and_then(|i| row.fields.get(i)).and_then(|v| non_empty(v));
    Profile {
        person: Person {
            first_name: get(Some(c.first)),
            last_name: get(Some(c.last)),
            profile_url: get(c.url),
            email: get(c.email),
            company: get(c.company),
            title: get(c.position),
            ..Person::default()
        },
        origin: Origin::ConnectionsExport,
        connected_on: get(c.connected_on),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = "\u{feff}Notes:\r\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\r\n\r\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\r\nJoão,da Silva,https://www.linkedin.com/in/joao-da-silva,,\"Construtora São João Ltda\",\"Diretor Comercial, Vendas\",12 Mar 2024\r\nAda,Lovelace,https://www.linkedin.com/in/ada,ada@acme.com,Acme,CTO,01 Jan 2020\r\n,,,,,,\r\nbroken,row\r\nAda,Lovelace,https://uk.linkedin.com/in/ada/,ada@acme.com,Acme,CTO,01 Jan 2020\r\n";

    #[test]
    fn reads_the_real_export_layout() {
        let parsed = parse(EXPORT);
        assert_eq!(parsed.profiles.len(), 2);
        let joao = &parsed.profiles[0];
        assert_eq!(joao.person.id, "url:in/joao-da-silva");
        assert_eq!(
            joao.person.company.as_deref(),
            Some("Construtora São João Ltda")
        );
        assert_eq!(
            joao.person.title.as_deref(),
            Some("Diretor Comercial, Vendas")
        );
        assert_eq!(joao.person.email, None);
        assert_eq!(joao.connected_on.as_deref(), Some("12 Mar 2024"));
    }

    #[test]
    fn every_skip_has_its_line_and_reason() {
        let parsed = parse(EXPORT);
        let reasons: Vec<(usize, SkipReason)> = parsed
            .skipped
            .into_iter()
            .map(|s| (s.line, s.reason))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (7, SkipReason::NoName),
                (
                    8,
                    SkipReason::FieldCount {
                        expected: 7,
                        found: 2
                    }
                ),
                (9, SkipReason::Duplicate { first_line: 6 }),
            ]
        );
    }

    #[test]
    fn reordered_columns_and_unix_newlines_import() {
        let parsed = parse("Company,Last Name,First Name\nAcme,Hopper,Grace\n");
        assert_eq!(
            parsed.profiles[0].person.first_name.as_deref(),
            Some("Grace")
        );
        assert_eq!(parsed.profiles[0].person.company.as_deref(), Some("Acme"));
    }

    #[test]
    fn a_file_without_the_header_is_refused_whole() {
        let parsed = parse("name,email\nAda,ada@acme.com\n");
        assert!(parsed.profiles.is_empty());
        assert!(matches!(
            parsed.skipped[0].reason,
            SkipReason::Malformed { .. }
        ));
    }

    fn names(parsed: &Parsed) -> Vec<(String, Option<String>)> {
        parsed
            .profiles
            .iter()
            .map(|p| (p.person.id.clone(), p.person.last_name.clone()))
            .collect()
    }

    const HEADER: &str = "First Name,Last Name,URL";

    #[test]
    fn a_file_saved_without_a_last_line_end_imports_its_last_row() {
        let parsed = parse(&format!(
            "{HEADER}\r\nAda,Lovelace,https://www.linkedin.com/in/ada"
        ));
        assert_eq!(
            names(&parsed),
            [("url:in/ada".to_string(), Some("Lovelace".to_string()))]
        );
        assert!(parsed.skipped.is_empty());
    }

    #[test]
    fn a_header_without_a_line_end_is_an_empty_import() {
        let parsed = parse(HEADER);
        assert!(parsed.profiles.is_empty());
        assert!(parsed.skipped.is_empty());
    }

    #[test]
    fn an_unclosed_quote_skips_its_row_and_the_rows_after_it_import() {
        // The quote opened on line 2 never closes: read as CSV, it swallows every later row
        // into Ada's last name.
        let text = format!(
            "{HEADER}\nAda,\"Lovelace,https://www.linkedin.com/in/ada\nGrace,Hopper,https://www.linkedin.com/in/grace\n"
        );
        let parsed = parse(&text);
        assert_eq!(
            names(&parsed),
            [("url:in/grace".to_string(), Some("Hopper".to_string()))]
        );
        assert_eq!(
            parsed.skipped,
            vec![Skipped {
                line: 2,
                reason: SkipReason::UnclosedQuote
            }]
        );
    }

    #[test]
    fn a_file_of_more_rows_than_an_import_reads_is_refused_with_its_line() {
        let text = format!(
            "{HEADER}\n{}",
            "Ada,Lovelace,\n".repeat(super::super::MAX_IMPORT_ROWS)
        );
        let parsed = parse(&text);
        assert!(parsed.profiles.is_empty());
        assert_eq!(
            parsed.skipped,
            vec![Skipped {
                line: super::super::MAX_IMPORT_ROWS + 1,
                reason: SkipReason::TooManyRows {
                    max: super::super::MAX_IMPORT_ROWS
                }
            }]
        );
    }
}
