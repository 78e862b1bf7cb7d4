//! Every normaliser on arbitrary text: no panic, folding idempotent.
#![no_main]

use crmsync::matching::{company, email, geo, names, phone, phonetic, profile_url, text, title};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let folded = text::fold(s);
    assert_eq!(text::fold(&folded), folded);
    let key = company::key(s);
    assert_eq!(company::key(&key), key);
    let _ = names::parse(Some(s), None, Some(s));
    let _ = names::parse(None, None, Some(s));
    let _ = email::parse(s);
    let _ = phone::parse(s, Some("DE"));
    let _ = profile_url::key(s);
    let _ = title::tokens(s);
    let _ = geo::city_key(s);
    let _ = geo::country_code(s);
    let _ = phonetic::key(s);
});
