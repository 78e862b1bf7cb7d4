//! The core's deletions step against the emulated orgs: Salesforce's deleted resource (a
//! delete and a merge, in one composite call), its refusals, an emptied recycle bin sending
//! the core to a reconcile; Dataverse's change tracking (delta links set up by the id
//! listing, a delete through them, a merge as a change, refused options, expired tokens, a
//! table without tracking).

mod common;

use chrono::{Duration, Utc};
use common::{enc, Harness, DYN, SF};
use crmsync::crm::salesforce::Session;
use crmsync::crm::{Crm, OrgHost, RecordType};
use crmsync::sync::deletions::{self, Context, Found, Mark, Phase, Start};
use crmsync::sync::{self, Cursor};
use serde_json::json;

const SF_ADA: &str = "0035g0000000001AAA";
const SF_GRACE: &str = "0035g0000000002AAA";
const DYN_ADA: &str = "00000002-0000-4000-8000-000000000001";
const DYN_GRACE: &str = "00000002-0000-4000-8000-000000000002";

/// What a run of the step found, as the background would store it.
#[derive(Default)]
struct Run {
    removed: Vec<String>,
    listed: Vec<String>,
    mark: Option<Mark>,
    requests: u32,
    /// The sweep the step ended on, if it listed every id.
    sweep: Option<Phase>,
}

fn session(h: &Harness) -> Session {
    Session {
        api_host: OrgHost::salesforce(SF).unwrap(),
        token: h.sf_token.clone(),
    }
}

/// Asks every request of the step from `phase` until it is done.
fn drive(h: &Harness, crm: Crm, phase: Phase) -> Run {
    let host = OrgHost::of(crm, if crm == Crm::Salesforce { SF } else { DYN }).unwrap();
    let session = session(h);
    let mut run = Run::default();
    let mut phase = Some(phase);
    while let Some(current) = phase.take() {
        if matches!(current, Phase::Sweep { .. }) {
            run.sweep = Some(current);
            break;
        }
        let request = deletions::request(&current, &host, Some(&session))
            .unwrap()
            .expect("a request");
        let answer = h.perform(&request);
        run.requests += 1;
        let Found {
            removed,
            listed,
            next,
            mark,
        } = deletions::read(&current, &host, answer.status.as_u16(), &answer.raw)
            .unwrap_or_else(|e| panic!("{e:?}: {}", answer.raw));
        run.removed.extend(removed);
        run.listed.extend(listed.unwrap_or_default());
        run.mark = mark.or(run.mark.take());
        phase = next;
    }
    run
}

fn window(minutes_ago: i64) -> Phase {
    let minute = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:00Z").to_string();
    Phase::Deleted {
        start: minute(Utc::now() - Duration::minutes(minutes_ago)),
        end: minute(Utc::now()),
        reconcile_since: minute(Utc::now() - Duration::minutes(5)),
    }
}

#[test]
fn salesforce_reports_a_deleted_and_a_merged_contact_in_one_call() {
    let h = Harness::new();
    let task = h.sf(
        "POST",
        "/sobjects/Task",
        Some(json!({"Subject": "Call", "WhoId": SF_GRACE, "Status": "Completed"})),
    );
    assert_eq!(task.status, 201, "{}", task.raw);
    assert_eq!(
        h.sf("DELETE", &format!("/sobjects/Contact/{SF_ADA}"), None)
            .status,
        204
    );
    // Grace is a duplicate of a new contact: merged into it, as Salesforce's merge does.
    let master = h.sf(
        "POST",
        "/sobjects/Contact",
        Some(json!({"LastName": "Hopper", "FirstName": "Grace"})),
    );
    let master = master.body["id"].as_str().unwrap().to_string();
    let merged = h.send(
        "POST",
        SF,
        &format!(
            "/_emulator/merge?crm=salesforce&object=Contact&master={master}&merged={SF_GRACE}"
        ),
        &[],
        None,
    );
    assert_eq!(merged.status, 204, "{}", merged.raw);

    let run = drive(&h, Crm::Salesforce, window(10));
    assert_eq!(run.requests, 1, "one composite call for the four objects");
    assert!(
        run.removed.contains(&SF_ADA.to_string()),
        "{:?}",
        run.removed
    );
    assert!(run.removed.contains(&SF_GRACE.to_string()));
    // Ada's contact roles went with her; the survivor keeps Grace's task.
    let task_id = task.body["id"].as_str().unwrap();
    let who = h.soql(&format!("SELECT WhoId FROM Task WHERE Id = '{task_id}'"));
    assert_eq!(who.body["records"][0]["WhoId"], master.as_str());
    let kept = h.soql(&format!(
        "SELECT MasterRecordId FROM Contact WHERE Id = '{SF_GRACE}'"
    ));
    assert_eq!(kept.body["totalSize"], 0, "a merged record leaves queries");
    let all = h.sf(
        "GET",
        &format!(
            "/queryAll?q={}",
            enc(&format!(
                "SELECT MasterRecordId, IsDeleted FROM Contact WHERE Id = '{SF_GRACE}'"
            ))
        ),
        None,
    );
    assert_eq!(all.body["records"][0]["MasterRecordId"], master.as_str());
    assert!(run.mark.unwrap().checked_until.is_some());
}

#[test]
fn salesforce_refuses_windows_it_cannot_answer() {
    let h = Harness::new();
    let now = Utc::now();
    let at = |t: chrono::DateTime<Utc>| enc(&t.format("%Y-%m-%dT%H:%M:00+00:00").to_string());
    let ask = |from, to| {
        h.sf(
            "GET",
            &format!(
                "/sobjects/Contact/deleted/?start={}&end={}",
                at(from),
                at(to)
            ),
            None,
        )
    };
    let short = ask(now - Duration::seconds(30), now);
    assert_eq!(
        (short.status.as_u16(), short.body[0]["errorCode"].as_str()),
        (400, Some("INVALID_REPLICATION_DATE"))
    );
    let old = ask(now - Duration::days(16), now);
    assert_eq!(old.body[0]["errorCode"], "INVALID_REPLICATION_DATE");
    let fine = ask(now - Duration::days(1), now);
    assert_eq!(fine.status, 200, "{}", fine.raw);
    assert!(
        fine.body["earliestDateAvailable"].as_str().unwrap()
            < fine.body["latestDateCovered"].as_str().unwrap()
    );
}

#[test]
fn an_emptied_recycle_bin_sends_the_core_to_a_reconcile_that_lists_every_id() {
    let h = Harness::new();
    assert_eq!(
        h.sf("DELETE", &format!("/sobjects/Contact/{SF_ADA}"), None)
            .status,
        204
    );
    let emptied = h.send(
        "POST",
        SF,
        "/_emulator/recyclebin/empty?crm=salesforce",
        &[],
        None,
    );
    assert_eq!(emptied.status, 200, "{}", emptied.raw);
    let run = drive(&h, Crm::Salesforce, window(10));
    assert!(
        run.sweep.is_some(),
        "the log no longer reaches back: every id is listed"
    );
    assert_eq!(
        run.requests,
        1 + 4,
        "the refused window, then one listing per object"
    );
    let contacts = h.soql("SELECT COUNT() FROM Contact").body["totalSize"]
        .as_u64()
        .unwrap();
    let leads = h
        .soql("SELECT COUNT() FROM Lead WHERE IsConverted = false")
        .body["totalSize"]
        .as_u64()
        .unwrap();
    assert!(run.listed.len() as u64 >= contacts + leads);
    assert!(
        !run.listed.contains(&SF_ADA.to_string()),
        "Ada is not listed: the sweep removes her"
    );
    assert!(run.listed.contains(&SF_GRACE.to_string()));
}

/// A new local copy's first step: every id listed, each object's delta link set up.
fn dataverse_links(h: &Harness) -> (Run, Vec<Option<String>>) {
    let context = Context {
        crm: Crm::Dynamics,
        now_ms: 0.0,
        started_ms: 0.0,
        first_sync: true,
    };
    let Start::Ask(phase) = deletions::start(context, None) else {
        panic!("a new local copy sets up its links")
    };
    let run = drive(h, Crm::Dynamics, phase);
    let Some(Phase::Sweep { ref links, .. }) = run.sweep else {
        panic!("the listing ends in a sweep")
    };
    let links = links.clone();
    (run, links)
}

fn delta(links: &[Option<String>]) -> Phase {
    Phase::Delta {
        links: links.to_vec(),
        reconciled_at: Some(1),
    }
}

#[test]
fn dataverse_delta_links_report_a_delete_and_the_sync_sees_a_merge() {
    let h = Harness::new();
    let (run, links) = dataverse_links(&h);
    assert_eq!(run.requests, 4, "one listing page per object");
    assert!(run.listed.contains(&DYN_ADA.to_string()));
    assert!(
        links.iter().all(Option::is_some),
        "every table tracked: {links:?}"
    );

    assert_eq!(
        h.dy("DELETE", &format!("/contacts({DYN_ADA})"), &[], None)
            .status,
        204
    );
    let merge = json!({
        "Target": {"@odata.type": "Microsoft.Dynamics.CRM.contact", "contactid": "00000002-0000-4000-8000-000000000003"},
        "Subordinate": {"@odata.type": "Microsoft.Dynamics.CRM.contact", "contactid": DYN_GRACE},
        "PerformParentingChecks": false
    });
    let merged = h.dy("POST", "/Merge", &[], Some(merge));
    assert_eq!(merged.status, 204, "{}", merged.raw);

    let run = drive(&h, Crm::Dynamics, delta(&links));
    assert_eq!(run.requests, 1, "one $batch follows the four links");
    assert_eq!(
        run.removed,
        vec![DYN_ADA.to_string()],
        "a merge is no delete in Dataverse"
    );
    let mark = run.mark.unwrap();
    assert_ne!(mark.delta_links, links, "each link moved on");
    // The merged contact is a change the sync reads: deactivated, merged, and it leaves.
    let cursor = Cursor {
        crm: Crm::Dynamics,
        api_host: DYN.into(),
        record_type: RecordType::Contact,
        watermark: Some(
            (Utc::now() - Duration::minutes(5))
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        ),
        next: None,
    };
    let answer = h.perform(&sync::request(&cursor, None).unwrap());
    let page = sync::read(&cursor, answer.status.as_u16(), &answer.raw).unwrap();
    assert_eq!(page.removed, vec![DYN_GRACE.to_string()], "{}", answer.raw);
    // Nothing new since: the next links answer nothing.
    let again = drive(&h, Crm::Dynamics, delta(&mark.delta_links));
    assert!(again.removed.is_empty());
}

#[test]
fn dataverse_change_tracking_refuses_query_options_and_expired_tokens() {
    let h = Harness::new();
    let tracked = [("prefer", "odata.track-changes")];
    let filtered = h.dy(
        "GET",
        &format!(
            "/contacts?$select=contactid&$filter={}",
            enc("statecode eq 0")
        ),
        &tracked,
        None,
    );
    assert_eq!(filtered.status, 400);
    assert!(filtered.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("isn't supported when Change Tracking is enabled"));
    let (_, links) = dataverse_links(&h);
    let expire = h.send(
        "POST",
        DYN,
        "/_emulator/features?changeTrackingDays=0",
        &[],
        None,
    );
    assert_eq!(expire.status, 204);
    let run = drive(&h, Crm::Dynamics, delta(&links));
    assert!(
        run.sweep.is_some(),
        "an expired link sends the core to a reconcile"
    );
    assert_eq!(run.requests, 1 + 4);
}

#[test]
fn a_table_without_change_tracking_answers_no_link() {
    let h = Harness::new();
    let off = h.send(
        "POST",
        DYN,
        "/_emulator/features?changeTracking=false",
        &[],
        None,
    );
    assert_eq!(off.status, 204);
    let plain = h.dy(
        "GET",
        "/contacts?$select=contactid",
        &[("prefer", "odata.track-changes")],
        None,
    );
    assert_eq!(plain.status, 200);
    assert!(plain.body.get("@odata.deltaLink").is_none());
    let (_, links) = dataverse_links(&h);
    assert!(links.iter().all(Option::is_none), "{links:?}");
}
