//! A CRM's answer to a sync page or the panel's record request, under any status: never a
//! panic, and a next page only on the same org.
#![no_main]

use crmsync::crm::{Crm, RecordType};
use crmsync::sync::{read, Cursor};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, &str)| {
    let (status, body) = input;
    for (crm, api_host) in [
        (Crm::Salesforce, "acme.my.salesforce.com"),
        (Crm::Dynamics, "acme.crm.dynamics.com"),
    ] {
        for record_type in RecordType::ALL {
            let cursor = Cursor {
                crm,
                api_host: api_host.into(),
                record_type,
                watermark: None,
                next: None,
            };
            if let Ok(page) = read(&cursor, status, body) {
                if let Some(next) = page.next {
                    assert_eq!(next.api_host, api_host);
                }
            }
        }
    }
});
