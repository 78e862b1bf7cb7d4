//! vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) address-book files: one profile per card. Lines
//! are unfolded, property groups (`item1.EMAIL`) and parameters ignored, text escapes decoded.

use super::{
    finish, non_empty, too_many_rows, Origin, Parsed, Profile, SkipReason, Skipped, MAX_IMPORT_ROWS,
};
use crate::matching::Person;

/// One unfolded content line and where it started.
struct ContentLine {
    line: usize,
    name: String,
    params: String,
    value: String,
}

pub fn parse(text: &str) -> Parsed {
    let mut profiles = Vec::new();
    let mut skipped = Vec::new();
    let mut card: Option<(usize, Person)> = None;
    for cl in content_lines(text) {
        match (cl.name.as_str(), card.as_mut()) {
            ("BEGIN", _) if cl.value.eq_ignore_ascii_case("VCARD") => {
                if profiles.len() + skipped.len() == MAX_IMPORT_ROWS {
                    return too_many_rows(cl.line);
                }
                if let Some((line, _)) = card.replace((cl.line, Person::default())) {
                    skipped.push(unterminated(line));
                }
            }
            ("END", Some(_)) if cl.value.eq_ignore_ascii_case("VCARD") => {
                let (line, person) = card.take().expect("card is open");
                let profile = Profile {
                    person,
                    origin: Origin::VCard,
                    connected_on: None,
                };
                profiles.push((line, profile));
            }
            (_, Some((_, person))) => apply(person, &cl),
            _ => {}
        }
    }
    if let Some((line, _)) = card {
        skipped.push(unterminated(line));
    }
    if profiles.is_empty() && skipped.is_empty() {
        let detail = "no BEGIN:VCARD found".to_string();
        skipped.push(Skipped {
            line: 1,
            reason: SkipReason::Malformed { detail },
        });
    }
    finish(profiles, skipped)
}

fn unterminated(line: usize) -> Skipped {
    let detail = "card without END:VCARD".to_string();
    Skipped {
        line,
        reason: SkipReason::Malformed { detail },
    }
}

fn apply(person: &mut Person, cl: &ContentLine) {
    let set = |slot: &mut Option<String>, value: &str| {
        if slot.is_none() {
            *slot = non_empty(value);
        }
    };
    match cl.name.as_str() {
        "FN" => set(&mut person.full_name, &unescape(&cl.value)),
        "N" => {
            let parts = components(&cl.value);
            set(
                &mut person.last_name,
                parts.first().map(String::as_str).unwrap_or_default(),
            );
            set(
                &mut person.first_name,
                parts.get(1).map(String::as_str).unwrap_or_default(),
            );
        }
        "EMAIL" => set(&mut person.email, &unescape(&cl.value)),
        "TEL" => set(&mut person.phone, cl.value.trim_start_matches("tel:")),
        "ORG" => set(
            &mut person.company,
            components(&cl.value)
                .first()
                .map(String::as_str)
                .unwrap_or_default(),
        ),
        "TITLE" => set(&mut person.title, &unescape(&cl.value)),
        "ADR" => {
            let parts = components(&cl.value);
            set(
                &mut person.city,
                parts.get(3).map(String::as_str).unwrap_or_default(),
            );
            set(
                &mut person.country,
                parts.get(6).map(String::as_str).unwrap_or_default(),
            );
        }
        "URL" | "X-SOCIALPROFILE" if is_profile_url(&cl.value, &cl.params) => {
            set(&mut person.profile_url, &unescape(&cl.value))
        }
        _ => {}
    }
}

/// Only the network's member URL identifies a profile; other URLs (company sites) do not.
fn is_profile_url(value: &str, params: &str) -> bool {
    let value = value.to_ascii_lowercase();
    value.contains("linkedin.com/in/") || params.to_ascii_lowercase().contains("linkedin")
}

/// Unfolds continuation lines (CRLF or LF followed by a space or tab) and splits each line
/// into group-less name, parameters and value, one line at a time (a file's worth of lines
/// is never held at once).
fn content_lines(text: &str) -> impl Iterator<Item = ContentLine> + '_ {
    let mut lines = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .lines()
        .enumerate()
        .peekable();
    std::iter::from_fn(move || loop {
        let (i, first) = lines.next()?;
        let mut unfolded = first.to_string();
        while let Some((_, more)) = lines.next_if(|(_, l)| l.starts_with([' ', '\t'])) {
            unfolded.push_str(&more[1..]);
        }
        if let Some(content_line) = split(i + 1, &unfolded) {
            return Some(content_line);
        }
    })
}

fn split(line: usize, raw: &str) -> Option<ContentLine> {
    let (head, value) = raw.split_once(':')?;
    let (name, params) = head.split_once(';').unwrap_or((head, ""));
    let name = name
        .rsplit('.')
        .next()
        .unwrap_or(name)
        .trim()
        .to_ascii_uppercase();
    Some(ContentLine {
        line,
        name,
        params: params.to_string(),
        value: value.to_string(),
    })
}

/// Structured values (N, ORG, ADR) are `;`-separated; `\;` is a literal semicolon.
fn components(value: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => parts.last_mut().unwrap().push(unescape_char(chars.next())),
            ';' => parts.push(String::new()),
            _ => parts.last_mut().unwrap().push(c),
        }
    }
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(unescape_char(chars.next()));
        } else {
            out.push(c);
        }
    }
    out
}

fn unescape_char(next: Option<char>) -> char {
    match next {
        Some('n' | 'N') => '\n',
        Some(other) => other,
        None => '\\',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARDS: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Weiß;Jürgen;;Dr.;\r\nFN:Dr. Jürgen Weiß\r\nORG:Müller & Söhne GmbH;Einkauf\r\nTITLE:Einkaufs\r\n leiter\r\nitem1.EMAIL;TYPE=INTERNET:j.weiss@mueller-soehne.de\r\nURL:https://www.mueller-soehne.de\r\nX-SOCIALPROFILE;TYPE=linkedin:https://de.linkedin.com/in/juergen-weiss\r\nADR;TYPE=WORK:;;Hauptstr. 1;München;;80331;Deutschland\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@acme.com\r\nTEL;VALUE=uri:tel:+44-20-7946-0000\r\nNOTE:Met at\\, the conference\\nBring slides\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:nobody\r\nEND:VCARD\r\n";

    #[test]
    fn reads_version_3_with_folding_groups_and_structured_values() {
        let parsed = parse(CARDS);
        let juergen = &parsed.profiles[0].person;
        assert_eq!(juergen.first_name.as_deref(), Some("Jürgen"));
        assert_eq!(juergen.last_name.as_deref(), Some("Weiß"));
        assert_eq!(juergen.company.as_deref(), Some("Müller & Söhne GmbH"));
        assert_eq!(juergen.title.as_deref(), Some("Einkaufsleiter"));
        assert_eq!(juergen.email.as_deref(), Some("j.weiss@mueller-soehne.de"));
        assert_eq!(
            juergen.profile_url.as_deref(),
            Some("https://de.linkedin.com/in/juergen-weiss")
        );
        assert_eq!(juergen.city.as_deref(), Some("München"));
        assert_eq!(juergen.country.as_deref(), Some("Deutschland"));
        assert_eq!(juergen.id, "url:in/juergen-weiss");
    }

    #[test]
    fn reads_version_4_and_skips_nameless_cards_with_their_line() {
        let parsed = parse(CARDS);
        let ada = &parsed.profiles[1].person;
        assert_eq!(ada.full_name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(ada.phone.as_deref(), Some("+44-20-7946-0000"));
        assert_eq!(
            parsed.skipped,
            vec![Skipped {
                line: 20,
                reason: SkipReason::NoName
            }]
        );
    }

    #[test]
    fn unterminated_cards_and_non_vcards_are_reported() {
        let parsed = parse("BEGIN:VCARD\nFN:A B\n");
        assert!(matches!(
            parsed.skipped[0].reason,
            SkipReason::Malformed { .. }
        ));
        let parsed = parse("hello");
        assert!(parsed.profiles.is_empty());
        assert_eq!(parsed.skipped.len(), 1);
    }

    #[test]
    fn a_file_of_more_cards_than_an_import_reads_is_refused_with_its_line() {
        let card = "BEGIN:VCARD\nFN:A B\nEND:VCARD\n";
        let parsed = parse(&card.repeat(MAX_IMPORT_ROWS + 1));
        assert!(parsed.profiles.is_empty());
        assert_eq!(
            parsed.skipped,
            vec![Skipped {
                line: 3 * MAX_IMPORT_ROWS + 1,
                reason: SkipReason::TooManyRows {
                    max: MAX_IMPORT_ROWS
                }
            }]
        );
    }
}
