//! Property tests: no panic on arbitrary Unicode, idempotent normalisation,
//! symmetric comparisons, scores in [0, 1], safe decoding of untrusted bytes.
#![cfg(not(target_arch = "wasm32"))]

use crmsync::matching::compare::compare;
use crmsync::matching::features::Features;
use crmsync::matching::{company, email, geo, names, phone, phonetic, profile_url, text, title};
use crmsync::matching::{Field, MatchIndex, Overrides, Person};
use proptest::prelude::*;

/// Text mixing ASCII name material with arbitrary Unicode.
fn messy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Za-zÀ-ÿßøæłœ '.,&/@+()-]{0,30}",
        "(Dr\\.|Prof\\.)? ?[A-Z][a-zéèüöäãç]{1,8} (de |van der |dos )?[A-Z][a-zéüöä]{1,10}(-[A-Z][a-z]{2,6})?(, (MBA|PhD|Jr\\.))?",
    ]
}

fn opt() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(messy())
}

fn person() -> impl Strategy<Value = Person> {
    (
        messy(),
        opt(),
        opt(),
        opt(),
        opt(),
        opt(),
        opt(),
        opt(),
        opt(),
        opt(),
        opt(),
    )
        .prop_map(
            |(
                id,
                first_name,
                last_name,
                full_name,
                email,
                company,
                title,
                city,
                country,
                phone,
                profile_url,
            )| Person {
                id,
                first_name,
                last_name,
                full_name,
                email,
                company,
                title,
                city,
                country,
                phone,
                profile_url,
            },
        )
}

proptest! {
    #[test]
    fn normalisers_never_panic(s in messy()) {
        let _ = names::parse(Some(&s), Some(&s), Some(&s));
        let _ = names::parse(None, None, Some(&s));
        let _ = company::key(&s);
        let _ = company::domain_root(&s);
        let _ = email::parse(&s);
        let _ = phone::parse(&s, Some("BR"));
        let _ = profile_url::key(&s);
        let _ = title::tokens(&s);
        let _ = geo::city_key(&s);
        let _ = geo::country_code(&s);
        let _ = phonetic::key(&s);
    }

    #[test]
    fn normalisation_is_idempotent(s in messy()) {
        let f = text::fold(&s);
        prop_assert_eq!(text::fold(&f), f.clone());
        let k = company::key(&s);
        prop_assert_eq!(company::key(&k), k.clone());
        let c = geo::city_key(&s);
        prop_assert_eq!(geo::city_key(&c), c.clone());
        let t = title::tokens(&s);
        prop_assert_eq!(title::tokens(&t.join(" ")), t.clone());
    }

    #[test]
    fn comparisons_are_symmetric(a in person(), b in person()) {
        let (fa, fb) = (Features::of(&a), Features::of(&b));
        let (ab, ba) = (compare(&fa, &fb).levels, compare(&fb, &fa).levels);
        // Names may try swapped order, which is directional; every other field is symmetric.
        for f in Field::ALL.into_iter().filter(|f| !matches!(f, Field::FirstName | Field::LastName)) {
            prop_assert_eq!(ab[f as usize], ba[f as usize], "{:?}", f);
        }
        prop_assert_eq!(title::similarity(&fa.title, &fb.title), title::similarity(&fb.title, &fa.title));
    }

    #[test]
    fn scores_are_probabilities(records in proptest::collection::vec(person(), 0..8), p in person()) {
        let mut records = records;
        for (i, r) in records.iter_mut().enumerate() {
            r.id = format!("r{i}");
        }
        let index = MatchIndex::build(&records);
        for c in index.query(&p) {
            prop_assert!((0.0..=1.0).contains(&c.score), "{}", c.score);
            prop_assert!(c.weight.is_finite());
        }
        let d = index.best(&p, &Overrides::default());
        prop_assert!((0.0..=1.0).contains(&d.score));
        let back = MatchIndex::from_bytes(&index.to_bytes()).unwrap();
        prop_assert_eq!(back.query(&p), index.query(&p));
    }

    #[test]
    fn untrusted_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = MatchIndex::from_bytes(&bytes);
        let _ = crmsync::matching::csv_input::read_people(&bytes);
    }
}
