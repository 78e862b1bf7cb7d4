//! Page latency (`POST /_emulator/latency?ms=`): each page of query results waits that long,
//! in both CRMs, while other calls do not; a reset turns it off.

mod common;

use std::time::{Duration, Instant};

use common::{Answer, Harness, SF};
use serde_json::json;

const MS: u64 = 300;
const WAIT: Duration = Duration::from_millis(MS);

fn timed(call: impl FnOnce() -> Answer) -> (Answer, Duration) {
    let started = Instant::now();
    let answer = call();
    (answer, started.elapsed())
}

fn control(h: &Harness, path: &str) -> Answer {
    h.send("POST", SF, &format!("/_emulator/{path}"), &[], None)
}

#[test]
fn each_salesforce_query_page_waits() {
    let h = Harness::new();
    let set = control(&h, &format!("latency?ms={MS}"));
    assert_eq!(set.status, 200);
    assert_eq!(set.body, json!({"salesforceMs": MS, "dynamicsMs": MS}));

    let batch = [("sforce-query-options", "batchSize=200")];
    let (first, took) = timed(|| h.sf_with("GET", "/query?q=SELECT+Id+FROM+Contact", &batch, None));
    assert_eq!(first.status, 200);
    assert!(took >= WAIT, "first page after {took:?}");
    let next = first.body["nextRecordsUrl"].as_str().unwrap();
    let auth = format!("Bearer {}", h.sf_token);
    let (second, took) = timed(|| h.send("GET", SF, next, &[("authorization", &auth)], None));
    assert_eq!(second.body["done"], true);
    assert!(took >= WAIT, "next page after {took:?}");

    let (read, took) = timed(|| h.sf("GET", "/sobjects/Contact/0035g0000000001AAA", None));
    assert_eq!(read.status, 200);
    assert!(took < WAIT, "a record read waited {took:?}");
}

#[test]
fn each_dataverse_page_waits() {
    let h = Harness::new();
    control(&h, &format!("latency?ms={MS}&crm=dynamics"));

    let size = [("prefer", "odata.maxpagesize=100")];
    let (first, took) = timed(|| h.dy("GET", "/contacts?$select=fullname", &size, None));
    assert_eq!(first.status, 200);
    assert!(took >= WAIT, "first page after {took:?}");
    let link = first.body["@odata.nextLink"].as_str().unwrap();
    let path = link.trim_start_matches("https://acme.crm.dynamics.com/api/data/v9.2");
    let (second, took) = timed(|| h.dy("GET", path, &size, None));
    assert_eq!(second.status, 200);
    assert!(took >= WAIT, "next page after {took:?}");

    let id = first.body["value"][0]["contactid"]
        .as_str()
        .unwrap()
        .to_string();
    let (read, took) = timed(|| h.dy("GET", &format!("/contacts({id})"), &[], None));
    assert_eq!(read.status, 200);
    assert!(took < WAIT, "a record read waited {took:?}");
    let (count, took) = timed(|| h.dy("GET", "/contacts/$count", &[], None));
    assert_eq!(count.status, 200);
    assert!(took < WAIT, "$count waited {took:?}");
}

#[test]
fn latency_is_per_crm_and_a_reset_turns_it_off() {
    let h = Harness::new();
    let set = control(&h, "latency?ms=500&crm=dynamics");
    assert_eq!(set.body, json!({"salesforceMs": 0, "dynamicsMs": 500}));
    let (query, took) = timed(|| h.soql("SELECT Id FROM Contact LIMIT 1"));
    assert_eq!(query.status, 200);
    assert!(took < Duration::from_millis(500), "{took:?}");
    assert_eq!(control(&h, "latency?ms=1&crm=other").status, 400);

    control(&h, "latency?ms=500");
    control(&h, "reset?seed=none&crm=salesforce");
    let shown = h.send("GET", SF, "/_emulator/latency", &[], None);
    assert_eq!(shown.body, json!({"salesforceMs": 0, "dynamicsMs": 500}));
    control(&h, "reset?seed=none");
    let shown = h.send("GET", SF, "/_emulator/latency", &[], None);
    assert_eq!(shown.body, json!({"salesforceMs": 0, "dynamicsMs": 0}));
}
