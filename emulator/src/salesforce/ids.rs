//! Salesforce ids: 3-character key prefix, 12 characters, then the 3-character case checksum
//! (CRM-APIS A10). Written independently of the extension's own id code so each checks the other.

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const CHECKSUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

pub fn key_prefix(object: &str) -> &'static str {
    match object {
        "Account" => "001",
        "Contact" => "003",
        "Opportunity" => "006",
        "Lead" => "00Q",
        "User" => "005",
        "Organization" => "00D",
        _ => "a00",
    }
}

/// The 15-character id for the `n`-th record of an object; the pod part `5g` is fixed.
pub fn id15(object: &str, n: u64) -> String {
    let mut digits = [b'0'; 10];
    let mut rest = n;
    for slot in digits.iter_mut().rev() {
        *slot = BASE62[(rest % 62) as usize];
        rest /= 62;
    }
    format!(
        "{}5g{}",
        key_prefix(object),
        String::from_utf8_lossy(&digits)
    )
}

pub fn id18(object: &str, n: u64) -> String {
    let id = id15(object, n);
    let suffix: String = id
        .as_bytes()
        .chunks(5)
        .map(|chunk| {
            let bits = chunk
                .iter()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_uppercase())
                .map(|(i, _)| 1usize << i)
                .sum::<usize>();
            CHECKSUM[bits] as char
        })
        .collect();
    id + &suffix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_prefix_length_and_checksum() {
        let id = id18("Contact", 1);
        assert_eq!(id.len(), 18);
        assert!(id.starts_with("0035g"));
        assert_ne!(id18("Contact", 1), id18("Contact", 2));
    }
}
