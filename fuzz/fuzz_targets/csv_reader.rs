//! The CSV reader must return people or a `line: reason` error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(people) = crmsync::matching::csv_input::read_people(data) {
        let ids: std::collections::HashSet<&str> = people.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.len(), people.len(), "ids must be unique");
    }
});
