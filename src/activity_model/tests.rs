use super::*;

/// A `getActivity` answer as the background sends it (extra item fields included).
const ANSWER: &str = r#"{
  "entries": [
    {"id": "b", "kind": "call", "subject": "", "body": "Left voicemail", "occurredAt": "2026-11-24T10:00:00Z",
     "call": {"durationSeconds": 65, "direction": "outbound", "outcome": "No answer"}, "tags": [],
     "createdAt": 1732440000000, "about": {"profileId": "url:in/ada"}, "copy": true, "state": "parked",
     "reason": null, "attempts": 3, "nextAttemptAt": 0, "uncertain": false, "progress": {},
     "error": {"kind": "rejected", "code": "FIELD_CUSTOM_VALIDATION_EXCEPTION", "message": "<img src=x onerror=alert(1)>", "status": 400, "retryAfter": null},
     "crmIds": [], "writtenAt": null},
    {"id": "a", "kind": "note", "subject": "Intro", "body": "Met", "occurredAt": "2026-11-24T09:00:00Z",
     "state": "local", "reason": "toggleOff", "error": null}
  ],
  "toggles": {"note": {"offered": true, "on": false, "reason": null},
              "call": {"offered": false, "on": false, "reason": "kindNotSynced"}},
  "outbox": {"waiting": 2, "needsSignIn": true, "pausedUntil": null}
}"#;

fn answer() -> ActivityModel {
    serde_json::from_str(ANSWER).unwrap()
}

#[test]
fn reads_the_get_activity_answer() {
    let model = answer();
    assert_eq!(model.entries.len(), 2);
    assert_eq!(model.entries[0].call.as_ref().unwrap().duration_seconds, 65);
    assert_eq!(model.entries[1].reason, Some(Reason::ToggleOff));
    assert_eq!(
        model.toggle(ItemKind::Call),
        Toggle {
            offered: false,
            on: false,
            reason: Some(Reason::KindNotSynced)
        }
    );
    assert!(model.toggle(ItemKind::Note).offered);
    assert_eq!(model.outbox.waiting, 2);
    assert!(model.outbox.needs_sign_in);
}

#[test]
fn kinds_the_background_left_out_offer_no_switch() {
    assert!(!answer().toggle(ItemKind::InMail).offered);
    assert_eq!(
        serde_json::from_str::<ActivityModel>("{}").unwrap(),
        ActivityModel::default()
    );
}

#[test]
fn sign_in_may_arrive_as_a_count() {
    let read = |json: &str| serde_json::from_str::<Outbox>(json).unwrap().needs_sign_in;
    assert!(read(r#"{"needsSignIn": 3}"#));
    assert!(!read(r#"{"needsSignIn": 0}"#));
    assert!(!read(r#"{"needsSignIn": null}"#));
    assert!(!read(r#"{}"#));
}

#[test]
fn chips_name_every_state() {
    let model = answer();
    let parked = Chip::of(&model.entries[0]);
    assert_eq!(parked, Chip::Rejected("<img src=x onerror=alert(1)>"));
    assert_eq!(parked.key(), "activityStateParkedWhy");
    assert!(parked.can_retry());
    let local = Chip::of(&model.entries[1]);
    assert_eq!(local, Chip::NotCopied(Some(Reason::ToggleOff)));
    assert_eq!(local.key(), "activityStateLocalWhy");
    assert!(!local.can_retry());
    let mut entry = model.entries[1].clone();
    for (state, key) in [
        (ItemState::Written, "activityStateWritten"),
        (ItemState::Queued, "activityStateQueued"),
        (ItemState::Unresolved, "activityStateUnresolved"),
        (ItemState::Discarded, "activityStateDiscarded"),
        (ItemState::Parked, "activityStateParked"),
    ] {
        entry.state = state;
        assert_eq!(Chip::of(&entry).key(), key, "{state:?}");
    }
}

#[test]
fn a_saved_item_goes_first_and_a_retried_one_stays_in_place() {
    let mut model = answer();
    let mut fresh = model.entries[1].clone();
    fresh.id = "c".into();
    model.upsert(fresh);
    let mut retried = model.entries[1].clone();
    retried.state = ItemState::Queued;
    model.upsert(retried);
    let ids: Vec<&str> = model.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["c", "b", "a"]);
    assert_eq!(model.entries[1].state, ItemState::Queued);
}

#[test]
fn entries_are_named_by_subject_then_tags_then_body() {
    let mut entry = answer().entries[1].clone();
    assert_eq!(entry_title(&entry), "Intro");
    entry.subject = " ".into();
    entry.body = "  First line\nsecond".into();
    assert_eq!(entry_title(&entry), "First line");
    entry.body = "é".repeat(100);
    assert_eq!(entry_title(&entry), format!("{}…", "é".repeat(80)));
    entry.tags = vec!["vip".into(), "fintech".into()];
    assert_eq!(entry_title(&entry), "vip, fintech");
}

#[test]
fn durations_read_as_minutes_and_seconds() {
    assert_eq!(duration_text(65), "1:05");
    assert_eq!(duration_text(0), "0:00");
}

#[test]
fn the_outbox_asks_to_sign_in_before_it_mentions_a_pause() {
    let mut outbox = answer().outbox;
    outbox.paused_until = Some(2_000.0);
    assert_eq!(outbox.notice(1_000.0), Some(Notice::SignIn(2)));
    outbox.needs_sign_in = false;
    assert_eq!(outbox.notice(1_000.0), Some(Notice::PausedUntil(2_000.0)));
    assert_eq!(
        outbox.notice(3_000.0),
        None,
        "a pause that is over is not news"
    );
}
