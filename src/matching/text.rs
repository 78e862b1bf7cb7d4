//! Text folding: the first step of every normaliser.
//!
//! Folding maps text to lower-case ASCII-ish tokens so that "Émile  DURAND" and
//! "emile durand" compare equal. NFKD splits accents and ligatures off; a few
//! letters that NFKD keeps whole (ß, ø, æ, ł…) are spelled out the way people
//! type them without a special keyboard.

/// Unicode NFKD: ICU4X's tables natively; in wasm the browser's own `String.normalize`
/// (the same standard, and no second copy of its tables in the extension).
#[cfg(not(target_arch = "wasm32"))]
fn nfkd(s: &str) -> String {
    use icu_normalizer::DecomposingNormalizerBorrowed;
    const NFKD: DecomposingNormalizerBorrowed<'static> = DecomposingNormalizerBorrowed::new_nfkd();
    NFKD.normalize(s).into_owned()
}

#[cfg(target_arch = "wasm32")]
fn nfkd(s: &str) -> String {
    js_sys::JsString::from(s).normalize("NFKD").into()
}

/// Letters with no decomposition that users still write in ASCII.
fn spelled_out(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'ø' | 'Ø' => "o",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// Combining marks left by NFKD (the Latin, Greek and Cyrillic blocks we meet).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Apostrophes join ("O'Brien" → "obrien") instead of splitting.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | 'ʼ')
}

/// Folds `s`: NFKD, accents dropped, lower case, `joiners` deleted, every other
/// non-alphanumeric character a single space; the result is trimmed.
pub fn fold_with(s: &str, joiner: impl Fn(char) -> bool + Copy) -> String {
    let once = fold_pass(s, joiner);
    // Lower-casing can produce characters NFKD would change again (İ → i̇),
    // so a second pass makes folding idempotent.
    if once.is_ascii() {
        once
    } else {
        fold_pass(&once, joiner)
    }
}

fn fold_pass(s: &str, joiner: impl Fn(char) -> bool) -> String {
    let decomposed;
    let src: &str = if s.is_ascii() {
        s
    } else {
        decomposed = nfkd(s);
        &decomposed
    };
    let mut out = String::with_capacity(src.len());
    let mut pending_space = false;
    for c in src.chars() {
        if is_mark(c) || joiner(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            push_lower(&mut out, c);
        } else {
            pending_space = true;
        }
    }
    out
}

fn push_lower(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if let Some(s) = spelled_out(c) {
        out.push_str(s);
    } else {
        out.extend(crate::case::lower_char(c).chars().filter(|l| !is_mark(*l)));
    }
}

/// The default fold: apostrophes join, all other punctuation splits.
pub fn fold(s: &str) -> String {
    fold_with(s, is_apostrophe)
}

/// Folded whitespace-separated tokens.
pub fn tokens(s: &str) -> Vec<String> {
    fold(s)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Trimmed, or `None` when empty: every optional input field goes through this.
pub fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_space() {
        assert_eq!(fold("  Émile   DURAND "), "emile durand");
        assert_eq!(fold("João Conceição"), "joao conceicao");
    }

    #[test]
    fn spells_out_special_letters_and_ligatures() {
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Søren Ærø"), "soren aero");
        assert_eq!(fold("Łukasz"), "lukasz");
        assert_eq!(fold("ﬁnance Œuvre"), "finance oeuvre");
        assert_eq!(fold("Ĳssel"), "ijssel");
    }

    #[test]
    fn punctuation_splits_apostrophe_joins() {
        assert_eq!(fold("Smith-Jones, Ann."), "smith jones ann");
        assert_eq!(fold("O’Brien"), "obrien");
    }

    #[test]
    fn idempotent_on_examples() {
        for s in ["Ærø-Straße", "  x  ", "", "ǅemal"] {
            let once = fold(s);
            assert_eq!(fold(&once), once);
        }
    }

    #[test]
    fn non_empty_trims() {
        assert_eq!(non_empty(Some("  ")), None);
        assert_eq!(non_empty(Some(" a ")), Some("a"));
    }
}
