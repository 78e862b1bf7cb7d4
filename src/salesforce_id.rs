//! Salesforce record ids: 15 case-sensitive characters, or 18 with a case-folding checksum
//! (CRM-APIS A10). The API returns 18; URLs and users may give either.

const CHECKSUM_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// A checked Salesforce record id, always in its 18-character form: only [`SalesforceId::parse`]
/// makes one, so a URL built from it holds 18 letters and digits and nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SalesforceId(String);

impl SalesforceId {
    /// The id in `text` (15 or 18 characters), or `None` when it is not an id.
    pub fn parse(text: &str) -> Option<SalesforceId> {
        to_18(text).map(SalesforceId)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SalesforceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Returns the 18-character form of a 15- or 18-character id, or `None` if it is not an id.
/// An 18-character id whose checksum does not match its first 15 characters is rejected.
pub fn to_18(id: &str) -> Option<String> {
    if !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    match id.len() {
        15 => Some(format!("{id}{}", checksum(id))),
        18 => (checksum(&id[..15]) == id[15..].to_ascii_uppercase()).then(|| id.to_string()),
        _ => None,
    }
}

/// The three checksum characters: for each 5-character chunk, bit i is set when character i
/// is an upper-case letter.
fn checksum(id15: &str) -> String {
    id15.as_bytes()
        .chunks(5)
        .map(|chunk| {
            let bits = chunk
                .iter()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_uppercase())
                .fold(0usize, |acc, (i, _)| acc | (1 << i));
            CHECKSUM_ALPHABET[bits] as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example_widens_to_aaq() {
        assert_eq!(
            to_18("70130000001tcyI").as_deref(),
            Some("70130000001tcyIAAQ")
        );
    }

    #[test]
    fn eighteen_character_ids_are_checked() {
        assert!(to_18("70130000001tcyIAAQ").is_some());
        assert!(to_18("70130000001tcyiAAQ").is_none());
    }

    #[test]
    fn non_ids_are_rejected() {
        for bad in ["", "003", "0035g00000ABCD!", "0035g00000ABCDeAAHX"] {
            assert_eq!(to_18(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_path_or_query_is_never_an_id() {
        for bad in [
            "003xx/../../query?q=x",
            "0035g00000ABCDe/",
            "0035g00000ABCDe%2F",
            "0035g00000ABCDeAAP?x",
        ] {
            assert_eq!(SalesforceId::parse(bad), None, "{bad}");
        }
        let id = SalesforceId::parse("70130000001tcyI").unwrap();
        assert_eq!(id.as_str(), "70130000001tcyIAAQ");
    }
}
