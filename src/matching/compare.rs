//! Field-by-field comparison of two feature sets into Fellegi–Sunter levels.

use strsim::jaro_winkler;

use super::features::Features;
use super::types::{Field, Level, N_FIELDS};
use super::{phone, title};

/// Names closer than this (Jaro–Winkler) count as a typo of each other.
const NAME_JW: f64 = 0.9;
const COMPANY_JW: f64 = 0.92;

/// Levels per field, plus the value whose frequency sets `u` for exact agreement.
#[derive(Debug, Clone, Copy)]
pub struct Comparison<'a> {
    pub levels: [Level; N_FIELDS],
    pub tf_values: [Option<&'a str>; N_FIELDS],
}

/// Compares profile `a` with record `b`; symmetric in levels except for tf values.
pub fn compare<'a>(a: &Features, b: &'a Features) -> Comparison<'a> {
    let mut levels = [Level::Missing; N_FIELDS];
    let mut tf_values = [None; N_FIELDS];
    let (first, last, last_tf) = names(a, b);
    levels[Field::FirstName as usize] = first;
    if first == Level::Exact {
        tf_values[Field::FirstName as usize] = b.name.first();
    }
    levels[Field::LastName as usize] = last;
    tf_values[Field::LastName as usize] = last_tf;
    levels[Field::Email as usize] = email(a, b);
    levels[Field::Phone as usize] = both(&a.phone, &b.phone, |x, y| exact_if(phone::same(x, y)));
    levels[Field::ProfileUrl as usize] = both(&a.url, &b.url, |x, y| exact_if(x == y));
    levels[Field::Company as usize] = company_level(a, b);
    if levels[Field::Company as usize] == Level::Exact {
        tf_values[Field::Company as usize] = b.company.as_deref();
    }
    levels[Field::Title as usize] = title_level(&a.title, &b.title);
    levels[Field::City as usize] = both(&a.city, &b.city, |x, y| city_level(x, y));
    if levels[Field::City as usize] == Level::Exact {
        tf_values[Field::City as usize] = b.city.as_deref();
    }
    levels[Field::Country as usize] = both(&a.country, &b.country, |x, y| exact_if(x == y));
    Comparison { levels, tf_values }
}

/// Jaro–Winkler ≥ `min`, skipping the computation (the hot spot of scoring)
/// when too few letters are shared: JW ≤ 0.4 + 0.6·J and
/// J ≤ (c/|x| + c/|y| + 1)/3 for c shared letters.
fn close(x: &str, y: &str, min: f64) -> bool {
    if x.is_ascii() && y.is_ascii() {
        let mut counts = [0i16; 128];
        x.bytes().for_each(|b| counts[b as usize] += 1);
        let shared = y.bytes().filter(|&b| {
            counts[b as usize] -= 1;
            counts[b as usize] >= 0
        });
        let c = shared.count() as f64;
        let j_max = (c / x.len() as f64 + c / y.len() as f64 + 1.0) / 3.0;
        if 0.4 + 0.6 * j_max < min {
            return false;
        }
    }
    jaro_winkler(x, y) >= min
}

/// Place names are typed by hand as often as names ("mooroofbark" for "mooroolbark").
fn city_level(x: &str, y: &str) -> Level {
    if x == y {
        Level::Exact
    } else if x.len() > 3 && y.len() > 3 && close(x, y, NAME_JW) {
        Level::Fuzzy
    } else {
        Level::Disagree
    }
}

fn exact_if(same: bool) -> Level {
    if same {
        Level::Exact
    } else {
        Level::Disagree
    }
}

fn both<T>(a: &Option<T>, b: &Option<T>, f: impl Fn(&T, &T) -> Level) -> Level {
    match (a, b) {
        (Some(x), Some(y)) => f(x, y),
        _ => Level::Missing,
    }
}

/// Given-name and surname levels, trying swapped order when straight order fails.
fn names<'a>(a: &Features, b: &'a Features) -> (Level, Level, Option<&'a str>) {
    let first = given_level(
        &a.name.given,
        &a.first_groups,
        a.first_phon,
        &b.name.given,
        &b.first_groups,
        b.first_phon,
    );
    let (last, tf) = surname_level(
        &a.name.surnames,
        &a.surname_phon,
        &b.name.surnames,
        &b.surname_phon,
    );
    if first != Level::Disagree || last != Level::Disagree {
        return (first, last, tf);
    }
    // Swapped order ("Silva Maria"): a's given names against b's surnames and back.
    let b_sur_phon = b.surname_phon.first().copied().unwrap_or(0);
    let s_first = given_level(
        &a.name.given,
        &a.first_groups,
        a.first_phon,
        &b.name.surnames,
        &b.surname_groups,
        b_sur_phon,
    );
    let b_given_phon = &b.given_phon;
    let (s_last, s_tf) = surname_level(
        &a.name.surnames,
        &a.surname_phon,
        &b.name.given,
        b_given_phon,
    );
    if s_first != Level::Disagree && s_last != Level::Disagree {
        (s_first, s_last, s_tf)
    } else {
        (first, last, tf)
    }
}

fn given_level(a: &[String], ag: &[u16], ap: u32, b: &[String], bg: &[u16], bp: u32) -> Level {
    let (Some(x), Some(y)) = (a.first(), b.first()) else {
        return Level::Missing;
    };
    if x == y {
        return Level::Exact;
    }
    if gendered_pair(x, y) {
        return Level::Disagree;
    }
    if ag.iter().any(|g| bg.contains(g)) {
        return Level::Nickname;
    }
    let initial_of = |i: &str, full: &str| i.len() == 1 && full.len() > 1 && full.starts_with(i);
    if initial_of(x, y) || initial_of(y, x) {
        return Level::Initial;
    }
    let typo = x.len() > 2 && y.len() > 2 && close(x, y, NAME_JW);
    let sounds = ap != 0 && ap == bp && x.len() > 1 && y.len() > 1;
    // Someone known by a middle name ("J. Robert Smith" ↔ "Robert Smith").
    let middle = a.iter().skip(1).any(|m| m == y && m.len() > 1)
        || b.iter().skip(1).any(|m| m == x && m.len() > 1);
    if typo || sounds || middle {
        Level::Fuzzy
    } else {
        Level::Disagree
    }
}

/// Daniel / Daniela, Christian / Christiane, Mario / Maria: a typo this neat is
/// rare, a sister, wife or colleague with the other form of the name is not.
fn gendered_pair(x: &str, y: &str) -> bool {
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    if short.len() < 3 {
        return false;
    }
    let suffix = long.strip_prefix(short);
    if matches!(suffix, Some("a" | "e" | "ne")) {
        return true;
    }
    let (sx, sy) = (x.as_bytes(), y.as_bytes());
    sx.len() == sy.len()
        && sx[..sx.len() - 1] == sy[..sy.len() - 1]
        && matches!(
            (sx[sx.len() - 1], sy[sy.len() - 1]),
            (b'o', b'a') | (b'a', b'o')
        )
}

fn surname_level<'a>(
    a: &[String],
    ap: &[u32],
    b: &'a [String],
    bp: &[u32],
) -> (Level, Option<&'a str>) {
    if a.is_empty() || b.is_empty() {
        return (Level::Missing, None);
    }
    if let Some(common) = b.iter().find(|s| a.contains(s)) {
        return (Level::Exact, Some(common.as_str()));
    }
    let sounds = ap.iter().any(|p| *p != 0 && bp.contains(p));
    let typo = a.iter().any(|x| {
        b.iter()
            .any(|y| x.len() > 3 && y.len() > 3 && close(x, y, NAME_JW))
    });
    if sounds || typo {
        (Level::Fuzzy, None)
    } else {
        (Level::Disagree, None)
    }
}

fn email(a: &Features, b: &Features) -> Level {
    both(&a.email, &b.email, |x, y| {
        if x.local == y.local && x.domain == y.domain {
            Level::Exact
        } else if x.local == y.local && x.local.len() > 3 {
            Level::Fuzzy
        } else if x.company_root.is_some() != y.company_root.is_some() {
            // A personal and a work address: different kinds, so no evidence.
            Level::Missing
        } else {
            Level::Disagree
        }
    })
}

/// Company keys, or one side's company against the other's employer e-mail domain.
fn company_level(a: &Features, b: &Features) -> Level {
    match (&a.company, &b.company) {
        (Some(x), Some(y)) if x == y => Level::Exact,
        (Some(x), Some(y)) => {
            let related = a.company_compact == b.company_compact
                || same_first_word(x, y)
                || domain_is(a, b)
                || domain_is(b, a)
                || close(x, y, COMPANY_JW);
            if related {
                Level::Fuzzy
            } else {
                Level::Disagree
            }
        }
        (Some(_), None) if domain_is(b, a) => Level::Fuzzy,
        (None, Some(_)) if domain_is(a, b) => Level::Fuzzy,
        _ => Level::Missing,
    }
}

/// "acme" vs "acme widgets": one key is the start of the other, on a word boundary.
fn same_first_word(x: &str, y: &str) -> bool {
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    short.len() > 2 && long.starts_with(short) && long.as_bytes().get(short.len()) == Some(&b' ')
}

/// Whether `f`'s employer e-mail domain names `other`'s company.
fn domain_is(f: &Features, other: &Features) -> bool {
    let root = f.email.as_ref().and_then(|e| e.company_root.as_deref());
    root.is_some() && root == other.company_compact.as_deref()
}

fn title_level(a: &[String], b: &[String]) -> Level {
    if a.is_empty() || b.is_empty() {
        return Level::Missing;
    }
    match title::similarity(a, b) {
        s if s >= 0.999 => Level::Exact,
        s if s >= 0.5 => Level::Fuzzy,
        _ => Level::Disagree,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::types::Person;

    fn f(first: &str, last: &str) -> Features {
        Features::of(&Person {
            id: "x".into(),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            ..Person::default()
        })
    }

    fn name_levels(a: &Features, b: &Features) -> (Level, Level) {
        let c = compare(a, b);
        (c.levels[0], c.levels[1])
    }

    #[test]
    fn name_levels_cover_variants() {
        assert_eq!(
            name_levels(&f("Bob", "Smith"), &f("Robert", "Smith")),
            (Level::Nickname, Level::Exact)
        );
        assert_eq!(
            name_levels(&f("J.", "Smith"), &f("John", "Smith")),
            (Level::Initial, Level::Exact)
        );
        assert_eq!(
            name_levels(&f("Jonh", "Smiht"), &f("John", "Smith")),
            (Level::Fuzzy, Level::Fuzzy)
        );
        assert_eq!(
            name_levels(&f("Smith", "John"), &f("John", "Smith")),
            (Level::Exact, Level::Exact)
        );
        assert_eq!(
            name_levels(&f("Anna", "Meyer"), &f("Paul", "Braun")),
            (Level::Disagree, Level::Disagree)
        );
    }

    #[test]
    fn company_against_domain() {
        let mut a = f("A", "B");
        a.company = Some("acme".into());
        a.company_compact = Some("acme".into());
        let mut b = f("A", "B");
        b.email = crate::matching::email::parse("x@acme.com");
        assert_eq!(
            compare(&a, &b).levels[Field::Company as usize],
            Level::Fuzzy
        );
        b.company = Some("globex".into());
        b.company_compact = Some("globex".into());
        assert_eq!(
            compare(&a, &b).levels[Field::Company as usize],
            Level::Fuzzy
        );
        b.email = None;
        assert_eq!(
            compare(&a, &b).levels[Field::Company as usize],
            Level::Disagree
        );
    }

    #[test]
    fn prefilter_agrees_with_jaro_winkler() {
        let words = [
            "martha",
            "marhta",
            "dixon",
            "dicksonx",
            "smith",
            "smiht",
            "schmidt",
            "schmitt",
            "a",
            "ab",
            "muller",
            "miller",
            "lefebvre",
            "lefevre",
            "acme widgets",
            "acme",
        ];
        for x in words {
            for y in words {
                for min in [0.8, 0.9, 0.92] {
                    assert_eq!(close(x, y, min), jaro_winkler(x, y) >= min, "{x} {y} {min}");
                }
            }
        }
    }

    #[test]
    fn the_other_gender_of_a_name_is_another_person() {
        for (a, b) in [
            ("Daniel", "Daniela"),
            ("Christian", "Christiane"),
            ("Mario", "Maria"),
            ("Jean", "Jeanne"),
        ] {
            assert_eq!(
                name_levels(&f(a, "Weber"), &f(b, "Weber")).0,
                Level::Disagree,
                "{a} {b}"
            );
        }
        assert_eq!(
            name_levels(&f("Danile", "Weber"), &f("Daniel", "Weber")).0,
            Level::Fuzzy
        );
    }

    #[test]
    fn a_mistyped_city_is_close_not_different() {
        assert_eq!(city_level("mooroofbark", "mooroolbark"), Level::Fuzzy);
        assert_eq!(city_level("burn side", "burnside"), Level::Fuzzy);
        assert_eq!(city_level("perth", "sydney"), Level::Disagree);
    }

    #[test]
    fn levels_are_symmetric() {
        let a = f("Maria", "da Silva Santos");
        let b = f("Mariá", "Santos");
        assert_eq!(compare(&a, &b).levels, compare(&b, &a).levels);
    }
}
