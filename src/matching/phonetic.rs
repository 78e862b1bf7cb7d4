//! A small phonetic key for names in English, French, German and Portuguese.
//!
//! Soundex is English-only and Beider–Morse needs large rule tables (too big
//! for the wasm bundle), so this key applies a handful of cross-language
//! spelling rules (ph→f, sch/ch→s, qu→k, soft c, lh/nh, final devoicing;
//! g stays hard because German and French disagree on it)
//! and keeps the consonant skeleton: "Mueller"/"Müller", "Schmidt"/"Schmitt",
//! "Philippe"/"Filipe" and "Gonçalves"/"Goncalvez" share a key.

use super::text::fold;

const MAX_LEN: usize = 6;

/// Phonetic key of one name (folded internally); empty for non-letters.
pub fn key(name: &str) -> String {
    let folded = fold(name);
    let letters: Vec<u8> = folded.bytes().filter(u8::is_ascii_lowercase).collect();
    let sounds = rewrite(&letters);
    skeleton(&sounds)
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// Maps spelling to sounds; vowels are kept for now (the first one counts).
fn rewrite(w: &[u8]) -> Vec<u8> {
    let at = |i: usize| w.get(i).copied().unwrap_or(0);
    let mut out = Vec::with_capacity(w.len());
    let mut i = 0;
    while i < w.len() {
        let (c, n, n2) = (w[i], at(i + 1), at(i + 2));
        let (sound, used): (&[u8], usize) = match c {
            b's' if n == b'c' && n2 == b'h' => (b"s", 3),
            b'c' if n == b'h' && n2 == b'r' => (b"k", 2),
            b'c' if n == b'h' => (b"s", 2),
            b'c' if n == b'k' => (b"k", 2),
            b'c' if matches!(n, b'e' | b'i' | b'y') => (b"s", 1),
            b'c' | b'q' | b'k' => (b"k", if n == b'u' && c == b'q' { 2 } else { 1 }),
            b'p' if n == b'h' => (b"f", 2),
            b't' if n == b'h' => (b"t", 2),
            b't' | b'd' if n == b'z' || n == b's' && c == b't' => (b"s", 2),
            b'd' if n == b't' => (b"t", 2),
            b'd' if n == 0 => (b"t", 1),
            b'g' if n == b'u' && matches!(n2, b'e' | b'i') => (b"g", 2),
            b'g' if n == b'n' => (b"n", 2),
            b'l' | b'n' if n == b'h' => (if c == b'l' { b"l" } else { b"n" }, 2),
            b'z' => (b"s", 1),
            b'x' => (b"ks", 1),
            b'w' | b'v' => (b"f", 1),
            b'h' => (b"", 1),
            b'y' => (b"i", 1),
            _ => (std::slice::from_ref(&w[i]), 1),
        };
        out.extend_from_slice(sound);
        i += used;
    }
    out
}

/// First sound, then consonants with runs collapsed and a final silent s dropped.
fn skeleton(sounds: &[u8]) -> String {
    let Some(&first) = sounds.first() else {
        return String::new();
    };
    let mut out = String::with_capacity(MAX_LEN);
    out.push(if is_vowel(first) { 'a' } else { first as char });
    let mut last = first;
    for &c in &sounds[1..] {
        if !is_vowel(c) && c != last {
            out.push(c as char);
        }
        last = c;
    }
    if out.len() > 2 && out.ends_with('s') {
        out.pop();
    }
    out.truncate(MAX_LEN);
    out
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn spelling_variants_share_a_key() {
        for (a, b) in [
            ("Müller", "Mueller"),
            ("Schmidt", "Schmitt"),
            ("Philippe", "Filipe"),
            ("Gonçalves", "Goncalvez"),
            ("Catherine", "Katherine"),
            ("Meyer", "Maier"),
            ("Jacques", "Jack"),
            ("Bernd", "Bernt"),
            ("Krüger", "Krügger"),
        ] {
            assert_eq!(key(a), key(b), "{a} vs {b}");
        }
    }

    #[test]
    fn different_names_differ() {
        assert_ne!(key("Silva"), key("Souza"));
        assert_ne!(key("Martin"), key("Morgan"));
    }

    #[test]
    fn empty_and_symbols() {
        assert_eq!(key(""), "");
        assert_eq!(key("— 42"), "");
    }
}
