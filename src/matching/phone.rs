//! Phone numbers to E.164 ("+4930123456") using the record's country for
//! national formats, which drop the trunk prefix ("030 123456" in Germany).

use super::geo::calling_code;

/// A normalised number: E.164 when the country is known, else national digits.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Phone {
    pub digits: String,
    /// Whether `digits` starts with the country calling code.
    pub international: bool,
}

impl Phone {
    /// The last nine digits: a subscriber number comparable across formats.
    pub fn tail(&self) -> &str {
        &self.digits[self.digits.len().saturating_sub(9)..]
    }
}

/// Normalises `raw`; `country` is an ISO alpha-2 code used for national formats.
pub fn parse(raw: &str, country: Option<&str>) -> Option<Phone> {
    let raw = raw.split(['x', 'X', ';']).next().unwrap_or(raw).trim();
    let plus = raw.starts_with('+');
    let mut digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 || digits.len() > 17 {
        return None;
    }
    if plus {
        return Some(Phone {
            digits,
            international: true,
        });
    }
    for idd in ["00", "011"] {
        if digits.len() > 10 && digits.starts_with(idd) {
            return Some(Phone {
                digits: digits[idd.len()..].to_owned(),
                international: true,
            });
        }
    }
    let Some(cc) = country.and_then(calling_code) else {
        return Some(Phone {
            digits: digits.trim_start_matches('0').to_owned(),
            international: false,
        });
    };
    if cc == "1" && digits.len() == 11 && digits.starts_with('1') {
        return Some(Phone {
            digits,
            international: true,
        });
    }
    // Brazil's carrier-selection prefix "0 XX" precedes the area code (0 21 11 …).
    if cc == "55" && digits.len() == 13 && digits.starts_with('0') {
        digits.drain(..3);
    }
    Some(Phone {
        digits: format!("{cc}{}", digits.trim_start_matches('0')),
        international: true,
    })
}

/// Same number: equal E.164, or equal subscriber tails when one side lacks a country.
pub fn same(a: &Phone, b: &Phone) -> bool {
    if a.international && b.international {
        a.digits == b.digits
    } else {
        a.tail() == b.tail()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(raw: &str, c: Option<&str>) -> String {
        let p = parse(raw, c).unwrap();
        assert!(p.international);
        p.digits
    }

    #[test]
    fn national_formats_by_country() {
        assert_eq!(e164("(415) 555-0134", Some("US")), "14155550134");
        assert_eq!(e164("1-415-555-0134", Some("US")), "14155550134");
        assert_eq!(e164("06 12 34 56 78", Some("FR")), "33612345678");
        assert_eq!(e164("030 1234567", Some("DE")), "49301234567");
        assert_eq!(e164("(11) 98765-4321", Some("BR")), "5511987654321");
        assert_eq!(e164("+55 11 98765-4321", None), "5511987654321");
        assert_eq!(e164("0049 30 1234567", Some("FR")), "49301234567");
        assert_eq!(e164("011 33 6 12 34 56 78", Some("US")), "33612345678");
    }

    #[test]
    fn comparison_across_formats() {
        let a = parse("+33 6 12 34 56 78", None).unwrap();
        let b = parse("06.12.34.56.78", None).unwrap();
        assert!(same(&a, &b));
        assert!(same(&b, &a));
        let c = parse("06.12.34.56.79", None).unwrap();
        assert!(!same(&a, &c));
    }

    #[test]
    fn rejects_junk() {
        assert!(parse("n/a", None).is_none());
        assert!(parse("123", Some("US")).is_none());
    }
}
