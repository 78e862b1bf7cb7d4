//! What a content script reports: a page's URL and its structured data (JSON-LD, OpenGraph).
#![no_main]

use crmsync::page::detect_any;
use crmsync::profiles::capture::{from_page, PageData};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, Vec<String>)| {
    let (url, json_ld) = input;
    let _ = detect_any(url);
    let page = PageData {
        json_ld,
        ..PageData::default()
    };
    // The tab's URL keys the capture (the page's own data never does).
    if let Some(profile) = from_page(url, &page) {
        assert!(!profile.person.id.is_empty());
    }
});
