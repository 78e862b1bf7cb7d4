//! How an org words a query's error: the message starts with a newline, the line of the query
//! the error is on (a window of it when the line is long), a caret under the offending place,
//! then `ERROR at Row:R:Column:C` and the reason. Public clients' fixtures and logs show it,
//! e.g. a client's test fixture quoting
//! `"\nSELECT Id,Invalid__x FROM Contact LIMIT 1\n          ^\nERROR at Row:1:Column:11\nNo such column 'Invalid__x' on entity 'Contact'. …"`
//! and Ampersand's Salesforce troubleshooting guide
//! (https://docs.withampersand.com/troubleshooting-guides/salesforce, a window of a long
//! field list with the caret under `example_field__c`). CRM-APIS A2.

/// Lines longer than this are shown as a window around the error.
const WIDE: usize = 100;
/// How much of a long line the window shows before the error.
const BEFORE: usize = 40;

/// The error `detail` at character offset `at` of `query`, worded as an org words it.
pub fn quoted(query: &str, at: usize, detail: &str) -> String {
    let chars: Vec<char> = query.chars().collect();
    let at = at.min(chars.len());
    let line_start = chars[..at]
        .iter()
        .rposition(|c| *c == '\n')
        .map_or(0, |i| i + 1);
    let line_end = chars[at..]
        .iter()
        .position(|c| *c == '\n')
        .map_or(chars.len(), |i| at + i);
    let row = chars[..line_start].iter().filter(|c| **c == '\n').count() + 1;
    let column = at - line_start + 1;
    let (from, to) = if line_end - line_start > WIDE {
        let from = at.saturating_sub(BEFORE).max(line_start);
        (from, (from + WIDE).min(line_end))
    } else {
        (line_start, line_end)
    };
    let fragment: String = chars[from..to].iter().collect();
    let caret = " ".repeat(at - from);
    format!("\n{fragment}\n{caret}^\nERROR at Row:{row}:Column:{column}\n{detail}")
}

/// The character offset of the first use of the name `word` in `query` outside string
/// literals, compared without case as SOQL names are: where an org's caret points for an
/// unknown field or object.
pub fn find_name(query: &str, word: &str) -> Option<usize> {
    let chars: Vec<char> = query.chars().collect();
    let wanted: Vec<char> = word.chars().collect();
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let mut quoted = false;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if quoted => i += 1,
            '\'' => quoted = !quoted,
            _ if !quoted && (i == 0 || !is_name(chars[i - 1])) => {
                let end = i + wanted.len();
                let same = end <= chars.len()
                    && chars[i..end]
                        .iter()
                        .zip(&wanted)
                        .all(|(a, b)| a.eq_ignore_ascii_case(b));
                if same && chars.get(end).is_none_or(|c| !is_name(*c)) {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Our parser's messages end in ` at column N` (1-based): the reason without it, and the
/// offset it names.
pub fn split_column(message: &str) -> (&str, Option<usize>) {
    match message.rsplit_once(" at column ") {
        Some((detail, n)) => match n.parse::<usize>() {
            Ok(n) if n > 0 => (detail, Some(n - 1)),
            _ => (message, None),
        },
        None => (message, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_and_a_caret_under_the_error_come_first() {
        let query = "SELECT Id,Invalid__x FROM Contact LIMIT 1";
        let at = find_name(query, "invalid__X").unwrap();
        assert_eq!(
            quoted(query, at, "No such column 'Invalid__x' on entity 'Contact'."),
            "\nSELECT Id,Invalid__x FROM Contact LIMIT 1\n          ^\nERROR at Row:1:Column:11\nNo such column 'Invalid__x' on entity 'Contact'."
        );
    }

    #[test]
    fn long_lines_are_a_window_and_later_rows_are_counted() {
        let fields: Vec<String> = (0..40).map(|n| format!("Field{n}__c")).collect();
        let query = format!("SELECT Id,\n{} FROM Contact", fields.join(", "));
        let at = find_name(&query, "Field30__c").unwrap();
        let message = quoted(&query, at, "No such column");
        let lines: Vec<&str> = message.lines().collect();
        assert_eq!(lines[0], "");
        assert!(lines[1].len() <= WIDE && lines[1].contains("Field30__c"));
        assert_eq!(
            lines[2].len() - 1,
            lines[1].find("Field30__c").unwrap(),
            "{message}"
        );
        assert!(lines[3].starts_with("ERROR at Row:2:Column:"));
    }

    #[test]
    fn names_are_found_outside_literals_and_whole() {
        let query = "SELECT Name FROM Contact WHERE LastName = 'Name' AND Names__c = 1";
        assert_eq!(find_name(query, "name"), Some(7));
        assert_eq!(find_name(query, "Names"), None);
        assert_eq!(
            find_name("SELECT Id FROM Contact WHERE Title = 'Nope'", "Nope"),
            None
        );
        assert_eq!(
            split_column("unexpected token: WHER at column 24"),
            ("unexpected token: WHER", Some(23))
        );
        assert_eq!(
            split_column("unexpected end of query"),
            ("unexpected end of query", None)
        );
    }
}
