//! A persisted index comes back from browser storage: corrupt bytes must be rejected, not panic.
#![no_main]

use crmsync::matching::{MatchIndex, Person};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(index) = MatchIndex::from_bytes(data) {
        let p = Person {
            id: "p".into(),
            full_name: Some("Ann Lee".into()),
            ..Person::default()
        };
        let _ = index.query(&p);
    }
});
