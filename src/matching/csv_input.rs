//! Reading people from CSV bytes (native only: the browser gets JSON).
//!
//! Pure: the caller reads the file. Errors carry the 1-based line so the CLI
//! can print `file:line: reason`.

use std::collections::HashSet;

use super::types::Person;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.line, self.reason)
    }
}

const COLUMNS: [&str; 11] = [
    "id",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "company",
    "title",
    "city",
    "country",
    "phone",
    "profile_url",
];

fn err(line: u64, reason: impl Into<String>) -> InputError {
    InputError {
        line,
        reason: reason.into(),
    }
}

/// Parses a header-first CSV of people; column order and unknown columns do not matter.
pub fn read_people(data: &[u8]) -> Result<Vec<Person>, InputError> {
    let data = data.strip_prefix("\u{feff}".as_bytes()).unwrap_or(data);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(data);
    let header = rdr.byte_headers().map_err(|e| csv_err(&e, 1))?.clone();
    let slots = column_slots(&header)?;
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_err(&e, 0)),
        }
        let line = rec.position().map_or(0, |p| p.line());
        let p = person(&rec, &slots, line)?;
        if !seen.insert(p.id.clone()) {
            return Err(err(line, format!("duplicate id {:?}", p.id)));
        }
        out.push(p);
    }
    Ok(out)
}

fn csv_err(e: &csv::Error, fallback: u64) -> InputError {
    let line = e.position().map_or(fallback, |p| p.line());
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_owned(),
        _ => e.to_string(),
    };
    err(line, reason)
}

/// For each known column, its position in the header.
fn column_slots(header: &csv::ByteRecord) -> Result<[Option<usize>; 11], InputError> {
    let mut slots = [None; 11];
    for (i, raw) in header.iter().enumerate() {
        let name = std::str::from_utf8(raw).map_err(|_| err(1, "invalid UTF-8 in header"))?;
        let name = name.trim().to_ascii_lowercase();
        if let Some(c) = COLUMNS.iter().position(|c| *c == name) {
            if slots[c].is_some() {
                return Err(err(1, format!("column {name:?} appears twice")));
            }
            slots[c] = Some(i);
        }
    }
    if slots[0].is_none() {
        return Err(err(1, "missing required column \"id\""));
    }
    Ok(slots)
}

fn person(
    rec: &csv::ByteRecord,
    slots: &[Option<usize>; 11],
    line: u64,
) -> Result<Person, InputError> {
    let mut vals: [Option<String>; 11] = Default::default();
    for (c, slot) in slots.iter().enumerate() {
        let Some(i) = slot else { continue };
        let raw = rec.get(*i).unwrap_or_default();
        let s = std::str::from_utf8(raw)
            .map_err(|_| err(line, format!("invalid UTF-8 in column {:?}", COLUMNS[c])))?;
        let s = s.trim();
        vals[c] = (!s.is_empty()).then(|| s.to_owned());
    }
    let [id, first_name, last_name, full_name, email, company, title, city, country, phone, profile_url] =
        vals;
    let id = id.ok_or_else(|| err(line, "empty id"))?;
    Ok(Person {
        id,
        first_name,
        last_name,
        full_name,
        email,
        company,
        title,
        city,
        country,
        phone,
        profile_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_column_order_unknown_columns_crlf() {
        let data = b"email,notes,ID,full_name\r\na@b.com,x,1,Ann Lee\r\n,,2,\r\n";
        let people = read_people(data).unwrap();
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].id, "1");
        assert_eq!(people[0].full_name.as_deref(), Some("Ann Lee"));
        assert_eq!(people[1].email, None);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(read_people(b"name\nx\n").unwrap_err().line, 1);
        let e = read_people(b"id,email\n1,a\n1,b\n").unwrap_err();
        assert_eq!((e.line, e.reason.contains("duplicate")), (3, true));
        let e = read_people(b"id,email\n1,a\n2\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = read_people(b"id,email\n1,a\n,b\n").unwrap_err();
        assert_eq!((e.line, e.reason.as_str()), (3, "empty id"));
        let e = read_people(b"id,email\n1,\xff\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn header_only_is_empty() {
        assert!(read_people(b"id\n").unwrap().is_empty());
        assert!(read_people(b"").is_err());
    }
}
