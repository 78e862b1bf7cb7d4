//! Lower and upper case. Natively the standard library's; in wasm the browser's own
//! `String.prototype.toLowerCase` / `toUpperCase`, which apply the same Unicode default case
//! mapping (final sigma included), so the wasm carries no second copy of the case tables
//! (as `weburl.rs` does for URLs and `matching::text` for NFKD).

/// `s` in lower case.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        lower_unicode(s)
    }
}

/// One character in lower case, as `char::to_lowercase` gives it (alone, a `Σ` is `σ`).
pub fn lower_char(c: char) -> String {
    lower(c.encode_utf8(&mut [0; 4]))
}

/// `s` with its first character in upper case.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) if first.is_ascii() => first.to_ascii_uppercase().to_string() + chars.as_str(),
        Some(first) => upper_unicode(first.encode_utf8(&mut [0; 4])) + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn lower_unicode(s: &str) -> String {
    s.to_lowercase()
}

#[cfg(not(target_arch = "wasm32"))]
fn upper_unicode(s: &str) -> String {
    s.to_uppercase()
}

#[cfg(target_arch = "wasm32")]
fn lower_unicode(s: &str) -> String {
    js_sys::JsString::from(s).to_lower_case().into()
}

#[cfg(target_arch = "wasm32")]
fn upper_unicode(s: &str) -> String {
    js_sys::JsString::from(s).to_upper_case().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowers_as_the_standard_library_does() {
        for s in [
            "Ada LOVELACE",
            "ÉLODIE",
            "İstanbul",
            "ΟΔΥΣΣΕΥΣ",
            "Straße",
            "",
        ] {
            assert_eq!(lower(s), s.to_lowercase(), "{s}");
        }
        for c in ['Σ', 'İ', 'Ä', 'a', 'ẞ'] {
            assert_eq!(lower_char(c), c.to_lowercase().collect::<String>(), "{c}");
        }
    }

    #[test]
    fn capitalises_the_first_character_only() {
        assert_eq!(capitalise("email and name"), "Email and name");
        assert_eq!(capitalise("ßig"), "SSig");
        assert_eq!(capitalise("éCOLE"), "ÉCOLE");
        assert_eq!(capitalise(""), "");
    }
}
