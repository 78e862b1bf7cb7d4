//! A message to the background from either sender: refused, or one its sender may send that
//! reads back the same.
#![no_main]

use crmsync::message::{parse, Sender};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|json: &str| {
    for sender in [Sender::ContentScript, Sender::ExtensionPage] {
        if let Ok(request) = parse(json, sender) {
            assert!(request.allowed_from(sender));
            let again = serde_json::to_string(&request).unwrap();
            assert_eq!(parse(&again, sender), Ok(request));
        }
    }
});
