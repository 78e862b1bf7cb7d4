//! Blocking keys: a record is only scored against a profile sharing a key.
//!
//! Keys cover each way a true pair can still look alike: same e-mail, phone or
//! profile URL; given name (or its nickname group) + surname sound; surname
//! sound + first initial (unknown nicknames, typos in the given name); given
//! name + surname initial (typos that change the surname's sound); given
//! name + company (surname changed or mistyped); surname sound + city and
//! given-name sound + city (sparse data with name and place only: a missing or
//! replaced given name or surname, Febrl-style); surname alone for records
//! that have no given name.

use super::features::Features;
use super::hash::key;

const EMAIL: u8 = 1;
const PHONE: u8 = 2;
const URL: u8 = 3;
const GIVEN_SURNAME: u8 = 4;
const SURNAME_INITIAL: u8 = 5;
const GIVEN_COMPANY: u8 = 6;
const SURNAME_ONLY: u8 = 7;
const GIVEN_SURNAME_LETTER: u8 = 8;
const SURNAME_CITY: u8 = 9;
const GIVEN_CITY: u8 = 10;

/// Keys a record is filed under; profiles also try swapped given/surname.
/// Weak keys (letters and sounds only) have the low bit set, so a query can
/// skip their large buckets without storing a kind per key.
pub fn is_weak(k: u32) -> bool {
    k & 1 == 1
}

/// Keys are 32-bit: a collision only merges two buckets (a few extra
/// candidates), and 32-bit keys keep the persisted index small.
fn short(tag: u8, parts: &[&[u8]]) -> u32 {
    let h = key(tag, parts);
    (h ^ (h >> 32)) as u32
}

fn strong(tag: u8, parts: &[&[u8]]) -> u32 {
    short(tag, parts) & !1
}

fn weak(tag: u8, parts: &[&[u8]]) -> u32 {
    short(tag, parts) | 1
}

pub fn keys(f: &Features, swapped_too: bool) -> Vec<u32> {
    let mut out = Vec::with_capacity(12);
    if let Some(e) = &f.email {
        out.push(strong(EMAIL, &[e.local.as_bytes(), e.domain.as_bytes()]));
    }
    if let Some(p) = &f.phone {
        out.push(strong(PHONE, &[p.tail().as_bytes()]));
    }
    if let Some(u) = &f.url {
        out.push(strong(URL, &[u.as_bytes()]));
    }
    let given = given_tokens(f.name.first(), f.first_phon, &f.first_groups);
    name_keys(&given, f.name.first(), &surname_sounds(f), &mut out);
    if let Some(c) = f.company_or_domain() {
        for g in &given {
            out.push(strong(GIVEN_COMPANY, &[g, c.as_bytes()]));
        }
    }
    if let Some(city) = &f.city {
        place_keys(f, city.as_bytes(), &mut out);
    }
    // Leads with a surname only are filed by it; profiles always look there.
    if given.is_empty() || swapped_too {
        for sp in f.surname_phon.iter().filter(|p| **p != 0) {
            out.push(weak(SURNAME_ONLY, &[&sp.to_le_bytes()]));
        }
    }
    if swapped_too {
        swapped_keys(f, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Either name's sound with the city: rescues a pair whose other name is missing,
/// replaced or mistyped beyond its sound (weak: a common name in a big city is skipped).
fn place_keys(f: &Features, city: &[u8], out: &mut Vec<u32>) {
    for sp in f.surname_phon.iter().filter(|p| **p != 0) {
        out.push(weak(SURNAME_CITY, &[&sp.to_le_bytes(), city]));
    }
    if f.name.first().is_some() && f.first_phon != 0 {
        out.push(weak(GIVEN_CITY, &[&f.first_phon.to_le_bytes(), city]));
    }
}

/// Given-name tokens: the phonetic key and every nickname group.
fn given_tokens(first: Option<&str>, phon: u32, groups: &[u16]) -> Vec<[u8; 5]> {
    if first.is_none() {
        return Vec::new();
    }
    let mut out = vec![tag_u32(b'p', phon)];
    out.extend(groups.iter().map(|g| tag_u32(b'g', u32::from(*g))));
    out
}

fn tag_u32(tag: u8, v: u32) -> [u8; 5] {
    let b = v.to_le_bytes();
    [tag, b[0], b[1], b[2], b[3]]
}

/// Surname parts as (hashed phonetic key, first letter).
fn surname_sounds(f: &Features) -> Vec<(u32, u8)> {
    f.name
        .surnames
        .iter()
        .zip(&f.surname_phon)
        .map(|(s, p)| (*p, s.bytes().next().unwrap_or(0)))
        .collect()
}

fn name_keys(given: &[[u8; 5]], first: Option<&str>, surnames: &[(u32, u8)], out: &mut Vec<u32>) {
    let initial = first.and_then(|f| f.bytes().next());
    for &(sp, letter) in surnames.iter().filter(|p| p.0 != 0) {
        let sp = sp.to_le_bytes();
        for g in given {
            out.push(strong(GIVEN_SURNAME, &[g, &sp]));
            // Typos that change the surname's sound rarely change its first letter.
            out.push(weak(GIVEN_SURNAME_LETTER, &[g, &[letter]]));
        }
        if let Some(i) = initial {
            out.push(weak(SURNAME_INITIAL, &[&sp, &[i]]));
        }
    }
}

/// Keys as if the profile's given names and surnames were swapped.
fn swapped_keys(f: &Features, out: &mut Vec<u32>) {
    let (Some(sur), Some(_)) = (f.name.surnames.last(), f.name.first()) else {
        return;
    };
    let phon = super::hash::small(&super::phonetic::key(sur));
    let groups = super::nicknames::groups(sur);
    let given = given_tokens(Some(sur), phon, &groups);
    let first_letter = f.name.first().and_then(|g| g.bytes().next()).unwrap_or(0);
    name_keys(&given, Some(sur), &[(f.first_phon, first_letter)], out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::types::Person;

    fn feat(first: &str, last: &str) -> Features {
        Features::of(&Person {
            id: "x".into(),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            ..Person::default()
        })
    }

    fn shares(a: &[u32], b: &[u32]) -> bool {
        a.iter().any(|k| b.contains(k))
    }

    #[test]
    fn variants_share_a_key() {
        let rec = keys(&feat("Robert", "Müller"), false);
        assert!(shares(&keys(&feat("Bob", "Mueller"), true), &rec));
        assert!(shares(&keys(&feat("Robrt", "Muller"), true), &rec));
        assert!(shares(&keys(&feat("Müller", "Robert"), true), &rec));
        assert!(shares(&keys(&feat("Robert", "Mlüler"), true), &rec));
        assert!(!shares(&keys(&feat("Anna", "Schmidt"), true), &rec));
    }

    #[test]
    fn name_and_place_alone_share_a_key() {
        let at = |first: &str, last: &str, city: &str| {
            let mut f = feat(first, last);
            f.city = Some(city.into());
            f
        };
        let rec = keys(&at("Josephine", "Kilby", "success"), false);
        // Febrl 1 copies: given name dropped, surname replaced.
        assert!(shares(&keys(&at("", "Kilby", "success"), true), &rec));
        assert!(shares(
            &keys(&at("Josephine", "Fleet", "success"), true),
            &rec
        ));
    }
}
