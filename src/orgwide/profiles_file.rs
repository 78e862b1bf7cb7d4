//! The profiles an org-wide run matches against: the network's `Connections.csv` of each
//! seat holder (the extension's import reads it the same way), or a people file in the
//! `crm-match` format (`id,first_name,last_name,…`). Several files may be given; a person in
//! two of them is kept once.

use std::collections::HashSet;

use crate::matching::csv_input::read_people;
use crate::matching::Person;
use crate::profiles::{connections_csv, SkipReason};

/// The people of one file, and how many of its rows were skipped.
pub fn read(bytes: &[u8]) -> Result<(Vec<Person>, usize), String> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let first_line = String::from_utf8_lossy(first_line).to_ascii_lowercase();
    if first_line
        .split(',')
        .any(|h| h.trim().trim_matches('"') == "last_name")
    {
        let people = read_people(bytes).map_err(|e| format!("line {}: {}", e.line, e.reason))?;
        return Ok((people, 0));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
    let parsed = connections_csv::parse(text);
    if parsed.profiles.is_empty() {
        if let Some(fatal) = parsed.skipped.iter().find(|s| {
            matches!(
                s.reason,
                SkipReason::Malformed { .. } | SkipReason::TooManyRows { .. }
            )
        }) {
            return Err(format!("line {}: {:?}", fatal.line, fatal.reason));
        }
    }
    let people = parsed.profiles.into_iter().map(|p| p.person).collect();
    Ok((people, parsed.skipped.len()))
}

/// All files' people, each id once (the first file that names it wins).
pub fn merge(files: Vec<Vec<Person>>) -> Vec<Person> {
    let mut seen = HashSet::new();
    files
        .into_iter()
        .flatten()
        .filter(|p| seen.insert(p.id.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connections_export_and_a_people_file_both_read() {
        let export = "Notes:\n\"When exporting your connection data, you may notice…\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nAda,Lovelace,https://www.linkedin.com/in/ada-lovelace,,Globex GmbH,CTO,12 Mar 2024\n,,,,,,\n";
        let (people, skipped) = read(export.as_bytes()).unwrap();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].company.as_deref(), Some("Globex GmbH"));
        assert_eq!(skipped, 1);
        let file = "\u{feff}id,first_name,last_name,company\np1,Grace,Hopper,Initech\n";
        let (people, _) = read(file.as_bytes()).unwrap();
        assert_eq!(people[0].id, "p1");
        assert!(read(b"nothing,to,see\n1,2,3\n").is_err());
        assert!(
            read(b"id,last_name\np1\n").is_err(),
            "a short row is a clear error"
        );
    }

    #[test]
    fn a_person_in_two_files_is_kept_once() {
        let p = |id: &str| Person {
            id: id.into(),
            ..Person::default()
        };
        let all = merge(vec![vec![p("a"), p("b")], vec![p("b"), p("c")]]);
        assert_eq!(
            all.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
    }
}
