//! Text for a CSV cell that a spreadsheet shows as text, never runs as a formula (CSV or
//! formula injection). Every CSV crmsync writes passes each cell through [`defused`].
//!
//! OWASP's CSV Injection page (owasp.org/www-community/attacks/CSV_Injection) lists what a
//! cell must not begin with: `=`, `+`, `-`, `@`, tab (0x09), carriage return (0x0D) and line
//! feed (0x0A); its remedy is a leading single quote, each field wrapped in double quotes
//! with inner quotes doubled (so a `;`-separated locale cannot start a new cell mid-field).
//! Here the look-alikes count too: spreadsheets skip blanks and invisible marks before a
//! formula, and fold full-width and small forms (`＝`, `﹦`) to ASCII, so those start one as
//! well.

use std::borrow::Cow;

/// `cell` with a leading `'` when a spreadsheet could read it as a formula; otherwise as it
/// is. Nothing else changes, so the text is all there (after that one quote).
pub fn defused(cell: &str) -> Cow<'_, str> {
    let first = cell.chars().next();
    let first_seen = cell.chars().find(|&c| !is_blank(c));
    if first.is_some_and(starts_formula) || first_seen.is_some_and(starts_formula) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// OWASP's list, with the Unicode forms that fold to it or look like it.
fn starts_formula(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '\n'
            // full-width, small, superscript and subscript equals and plus
            | '＝' | '﹦' | '⁼' | '₌' | '＋' | '﹢' | '⁺' | '₊'
            // minus signs and dashes
            | '－' | '﹣' | '−' | '⁻' | '₋' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '﹘'
            // full-width and small commercial at
            | '＠' | '﹫'
    )
}

/// White space (including NBSP and the ideographic space) and the invisible format marks
/// (zero-width space and joiners, direction marks, word joiner, BOM, soft hyphen).
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owasps_characters_are_defused() {
        for danger in ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "\nx"] {
            assert_eq!(defused(danger), format!("'{danger}"), "{danger:?}");
        }
    }

    #[test]
    fn blanks_and_invisible_marks_before_a_formula_do_not_hide_it() {
        for lead in [
            " ",
            "\u{a0}",
            "\u{200b}",
            "\u{feff}",
            "\u{3000}",
            "\u{2060}",
            "  \u{200e}",
        ] {
            let cell = format!("{lead}=HYPERLINK(\"https://x.test\")");
            assert_eq!(defused(&cell), format!("'{cell}"), "{lead:?}");
        }
    }

    #[test]
    fn look_alikes_of_the_formula_characters_are_defused() {
        for danger in [
            "＝1+2",
            "﹦1",
            "＋1",
            "－1",
            "−1",
            "＠SUM(A1)",
            "﹫x",
            "⁼1",
            "–x",
        ] {
            assert_eq!(defused(danger), format!("'{danger}"), "{danger:?}");
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in [
            "Ada Lovelace",
            "a=b",
            "x-1",
            "e-mail@acme.test",
            "",
            " ",
            "'quoted",
            "1+1",
        ] {
            assert_eq!(defused(text), text, "{text:?}");
        }
    }
}
