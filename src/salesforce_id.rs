//! Salesforce record ids: 15 case-sensitive characters, or 18 with a case-folding checksum
//! (CRM-APIS A10). The API returns 18; URLs and users may give either.

const CHECKSUM_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

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
}
