//! Salesforce: each object's `sobjects/{Object}/deleted/?start=&end=` (CRM-APIS A20), the four
//! objects in one `/composite` call, which counts as one call against the org's allowance
//! (A6). Merged-away records are deleted records, so they are reported here too.

use serde_json::{json, Value};

use super::{
    reconcile, utc_minute, Context, Found, Mark, Phase, Start, CLOCK_MARGIN_MS,
    SALESFORCE_REACH_MS, SHORTEST_WINDOW_MS,
};
use crate::crm::admin::composite::{answer, composite, read_composite, sub_path};
use crate::crm::salesforce::Session;
use crate::crm::{CrmError, HttpRequest};
use crate::sync::{text, utc_literal, SYNC_ORDER};

/// The log holds no more than 15 days, or less since an admin emptied the recycle bin: the
/// answer to a window it cannot cover (A20).
const TOO_OLD: &str = "INVALID_REPLICATION_DATE";

pub(super) fn start(context: Context, mark: Option<&Mark>) -> Start {
    let since = utc_minute(context.now_ms - CLOCK_MARGIN_MS);
    // Only a well-formed time of our own goes into a request.
    let checked = mark
        .and_then(|m| m.checked_until.as_deref())
        .and_then(utc_literal);
    match checked {
        Some(checked) if checked < utc_minute(context.now_ms - SALESFORCE_REACH_MS) => {
            Start::Ask(reconcile(since))
        }
        Some(checked) if checked > utc_minute(context.now_ms - SHORTEST_WINDOW_MS) => {
            Start::Done(mark.cloned().unwrap_or_default())
        }
        Some(checked) => Start::Ask(Phase::Deleted {
            start: checked,
            end: utc_minute(context.now_ms),
            reconcile_since: since,
        }),
        // A new local copy holds nothing deleted before its sync began.
        None if context.first_sync && context.started_ms > 0.0 => Start::Done(Mark {
            checked_until: Some(utc_minute(context.started_ms - CLOCK_MARGIN_MS)),
            ..Mark::default()
        }),
        // A copy made before deletions were followed may hold any number of them.
        None => Start::Ask(reconcile(since)),
    }
}

/// `2026-11-24T08:00:00+00:00`, percent-encoded, as the resource's parameters are written.
fn parameter(time: &str) -> String {
    let offset = format!("{}+00:00", time.trim_end_matches('Z'));
    form_urlencoded::byte_serialize(offset.as_bytes()).collect()
}

pub(super) fn deleted_request(session: &Session, start: &str, end: &str) -> HttpRequest {
    let subrequests = SYNC_ORDER
        .iter()
        .map(|record_type| {
            let object = record_type.salesforce_name();
            let path = format!(
                "sobjects/{object}/deleted/?start={}&end={}",
                parameter(start),
                parameter(end)
            );
            json!({"method": "GET", "referenceId": object, "url": sub_path(&path)})
        })
        .collect();
    composite(session, subrequests)
}

pub(super) fn read_deleted(
    start: &str,
    end: &str,
    reconcile_since: &str,
    status: u16,
    body: &str,
) -> Result<Found, CrmError> {
    let answers = read_composite(status, body)?;
    let mut removed = Vec::new();
    let mut covered = end.to_string();
    for record_type in SYNC_ORDER {
        let sub = answer(&answers, record_type.salesforce_name())?;
        if !sub.ok() {
            if sub.error_code() == TOO_OLD {
                return Ok(Found::then(reconcile(reconcile_since.to_string())));
            }
            return Err(sub.error());
        }
        // `{deletedRecords: [{id, deletedDate}], earliestDateAvailable, latestDateCovered}`
        // (A20), read from the JSON as it is (a typed reader costs the wasm more).
        let body = &sub.body;
        let Some(records) = body.get("deletedRecords").and_then(Value::as_array) else {
            return Err(CrmError::unexpected(
                200,
                "deleted records without deletedRecords",
            ));
        };
        let earliest = text(body, "earliestDateAvailable").and_then(|t| utc_literal(&t));
        // Records may have left the log before it: what was deleted since `start` is unknown.
        if earliest.is_some_and(|earliest| earliest.as_str() > start) {
            return Ok(Found::then(reconcile(reconcile_since.to_string())));
        }
        // The next window starts where this one was surely complete.
        if let Some(latest) = text(body, "latestDateCovered").and_then(|t| utc_literal(&t)) {
            if latest < covered {
                covered = latest;
            }
        }
        removed.extend(records.iter().filter_map(|r| text(r, "id")));
    }
    Ok(Found {
        removed,
        mark: Some(Mark {
            checked_until: Some(covered),
            ..Mark::default()
        }),
        ..Found::default()
    })
}

/// The composite answer of an org that deleted nothing, for tests.
#[cfg(test)]
pub(crate) fn nothing_deleted() -> Value {
    let latest = "2099-01-01T00:00:00.000+0000";
    let subs: Vec<Value> = SYNC_ORDER
        .iter()
        .map(|t| {
            answer_of(
                t.salesforce_name(),
                &[],
                "2026-01-01T00:00:00.000+0000",
                latest,
            )
        })
        .collect();
    json!({ "compositeResponse": subs })
}

/// An empty answer of one object, for tests (`deletedRecords` as the resource names them).
#[cfg(test)]
pub(crate) fn answer_of(object: &str, ids: &[&str], earliest: &str, latest: &str) -> Value {
    let records: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "deletedDate": latest}))
        .collect();
    json!({"httpStatusCode": 200, "referenceId": object, "httpHeaders": {}, "body": {
        "deletedRecords": records, "earliestDateAvailable": earliest, "latestDateCovered": latest}})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::{Crm, OrgHost};

    const NOW: f64 = 1_795_507_200_000.0; // 2026-11-24T08:00:00Z

    fn context(first_sync: bool) -> Context {
        Context {
            crm: Crm::Salesforce,
            now_ms: NOW,
            started_ms: NOW - 60_000.0,
            first_sync,
        }
    }

    fn checked(at: &str) -> Mark {
        Mark {
            checked_until: Some(at.into()),
            ..Mark::default()
        }
    }

    #[test]
    fn a_first_sync_counts_deletions_from_before_it_began_without_asking() {
        assert_eq!(
            start(context(true), None),
            Start::Done(checked("2026-11-24T07:54:00Z"))
        );
        // An older local copy never followed deletions: it is reconciled once.
        assert!(matches!(
            start(context(false), None),
            Start::Ask(Phase::Ids { object: 0, .. })
        ));
    }

    #[test]
    fn later_syncs_ask_the_window_since_the_last_check() {
        let Start::Ask(Phase::Deleted {
            start: from, end, ..
        }) = start(context(false), Some(&checked("2026-11-24T07:00:00Z")))
        else {
            panic!("a window is asked")
        };
        assert_eq!(
            (from.as_str(), end.as_str()),
            ("2026-11-24T07:00:00Z", "2026-11-24T08:00:00Z")
        );
        // Under two minutes: Salesforce refuses windows of a minute; the next sync asks.
        let recent = checked("2026-11-24T07:59:00Z");
        assert_eq!(start(context(false), Some(&recent)), Start::Done(recent));
        // Older than the log reaches: reconciled.
        assert!(matches!(
            start(context(false), Some(&checked("2026-11-01T00:00:00Z"))),
            Start::Ask(Phase::Ids { .. })
        ));
        // A stored value that is no time is never sent.
        assert!(matches!(
            start(context(false), Some(&checked("x' OR 1=1"))),
            Start::Ask(Phase::Ids { .. })
        ));
    }

    #[test]
    fn one_composite_call_asks_every_object() {
        let session = Session {
            api_host: OrgHost::salesforce("acme.my.salesforce.com").unwrap(),
            token: "T".into(),
        };
        let request = deleted_request(&session, "2026-11-24T07:00:00Z", "2026-11-24T08:00:00Z");
        assert_eq!(
            request.url,
            "https://acme.my.salesforce.com/services/data/v66.0/composite"
        );
        let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
        let urls: Vec<&str> = body["compositeRequest"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["url"].as_str().unwrap())
            .collect();
        assert_eq!(urls.len(), 4);
        assert_eq!(urls[1], "/services/data/v66.0/sobjects/Contact/deleted/?start=2026-11-24T07%3A00%3A00%2B00%3A00&end=2026-11-24T08%3A00%3A00%2B00%3A00");
    }

    fn composite_answer(subs: Vec<Value>) -> String {
        json!({ "compositeResponse": subs }).to_string()
    }

    #[test]
    fn deleted_ids_come_back_and_the_next_window_starts_where_this_one_is_complete() {
        let earliest = "2026-11-10T00:00:00.000+0000";
        let body = composite_answer(vec![
            answer_of("Account", &[], earliest, "2026-11-24T08:00:00.000+0000"),
            answer_of(
                "Contact",
                &["003A", "003B"],
                earliest,
                "2026-11-24T07:58:00.000+0000",
            ),
            answer_of("Lead", &["00QA"], earliest, "2026-11-24T08:00:00.000+0000"),
            answer_of("Opportunity", &[], earliest, "2026-11-24T08:00:00.000+0000"),
        ]);
        let found = read_deleted(
            "2026-11-24T07:00:00Z",
            "2026-11-24T08:00:00Z",
            "2026-11-24T07:55:00Z",
            200,
            &body,
        )
        .unwrap();
        assert_eq!(found.removed, vec!["003A", "003B", "00QA"]);
        assert_eq!(found.next, None);
        assert_eq!(found.mark, Some(checked("2026-11-24T07:58:00Z")));
    }

    #[test]
    fn a_log_that_no_longer_reaches_back_sends_the_sync_to_a_reconcile() {
        let purged = "2026-11-24T07:30:00.000+0000"; // after the window's start
        let body = composite_answer(
            ["Account", "Contact", "Lead", "Opportunity"]
                .iter()
                .map(|o| answer_of(o, &[], purged, "2026-11-24T08:00:00.000+0000"))
                .collect(),
        );
        let found = read_deleted(
            "2026-11-24T07:00:00Z",
            "2026-11-24T08:00:00Z",
            "S",
            200,
            &body,
        )
        .unwrap();
        assert!(matches!(found.next, Some(Phase::Ids { ref since, .. }) if since == "S"));
        let refused = composite_answer(vec![
            json!({"httpStatusCode": 400, "referenceId": "Account",
            "body": [{"errorCode": "INVALID_REPLICATION_DATE", "message": "startDate is before the earliest date available"}]}),
        ]);
        let found = read_deleted(
            "2026-11-01T00:00:00Z",
            "2026-11-24T08:00:00Z",
            "S",
            200,
            &refused,
        )
        .unwrap();
        assert!(matches!(found.next, Some(Phase::Ids { .. })));
        let expired =
            r#"[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]"#;
        let error = read_deleted("a", "b", "S", 401, expired).unwrap_err();
        assert_eq!(error.kind, crate::crm::CrmErrorKind::SessionExpired);
    }
}
