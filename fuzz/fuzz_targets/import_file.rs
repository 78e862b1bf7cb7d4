//! A profile file (Connections.csv or vCard) as the import reads it: never a panic; skips
//! name lines in order.
#![no_main]

use crmsync::message::ImportFormat;
use crmsync::profiles::api::parse_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for format in [ImportFormat::ConnectionsCsv, ImportFormat::VCard] {
        let parsed = parse_file(format, text);
        assert!(parsed.skipped.windows(2).all(|w| w[0].line <= w[1].line));
    }
});
