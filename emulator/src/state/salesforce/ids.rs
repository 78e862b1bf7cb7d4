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
        "OpportunityContactRole" => "00K",
        "Task" => "00T",
        "Event" => "00U",
        "Note" => "002",
        "ContentNote" => "069",
        "ContentDocumentLink" => "06A",
        "CustomField" => "00N",
        "QueryLocator" => "01g",
        "OpportunityStage" => "01J",
        "PermissionSet" => "0PS",
        "PermissionSetAssignment" => "0Pa",
        "CustomPermission" => "0CP",
        "SetupEntityAccess" => "0J0",
        _ => "a00",
    }
}

/// The 15-character id for the `n`-th record of an object; the pod part `5g` is fixed.
pub fn id15(object: &str, n: u64) -> String {
    with_prefix(key_prefix(object), n)
}

fn with_prefix(prefix: &str, n: u64) -> String {
    let mut digits = [b'0'; 10];
    let mut rest = n;
    for slot in digits.iter_mut().rev() {
        *slot = BASE62[(rest % 62) as usize];
        rest /= 62;
    }
    format!("{prefix}5g{}", String::from_utf8_lossy(&digits))
}

/// Adds the case checksum: per 5-character chunk, bit i set for an uppercase letter at i.
pub fn checksum(id15: &str) -> String {
    let suffix: String = id15
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
    format!("{id15}{suffix}")
}

pub fn id18(object: &str, n: u64) -> String {
    checksum(&id15(object, n))
}

/// A fresh id for a new record: seeded ids count from zero, new ones start high and random.
pub fn new_id(prefix: &str) -> String {
    let n = (1u64 << 58) | (rand::random::<u64>() >> 8);
    checksum(&with_prefix(prefix, n))
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

    #[test]
    fn checksum_matches_the_documented_example() {
        // CRM-APIS A10: 70130000001tcyI → …AAQ
        assert_eq!(checksum("70130000001tcyI"), "70130000001tcyIAAQ");
    }

    #[test]
    fn new_ids_are_unique_and_valid() {
        let a = new_id("003");
        assert_eq!(a.len(), 18);
        assert_eq!(checksum(&a[..15]), a);
        assert_ne!(a, new_id("003"));
    }
}
