//! The admin side's Salesforce requests (crmsync::crm::admin) against the emulated org: the
//! preferences, seat-able users, connect as an admin (and again, changing nothing), the
//! non-admin's refusal, seats, and what a seat holder reads in one request.

mod common;

use common::Harness;
use crmsync::crm::admin::salesforce as sf;
use crmsync::crm::admin::salesforce_connect::{self as connect, STEPS};
use crmsync::crm::admin::{Choice, OrgState, Published, SeatView};
use crmsync::crm::salesforce::Session;
use crmsync::crm::CrmErrorKind;

const ADMIN_ID: &str = "0055g0000000001AAA";
const REP: &str = "rep@acme.com";

fn session(token: String) -> Session {
    Session {
        api_host: crmsync::crm::OrgHost::salesforce(common::SF).expect("the emulated org's host"),
        token,
    }
}

fn connect_org(h: &Harness, s: &Session, admin_id: &str) -> Result<(), crmsync::crm::CrmError> {
    for step in STEPS {
        let a = h.perform(&connect::request(s, step, admin_id));
        connect::read(step, a.status.as_u16(), &a.raw)?;
    }
    let first = Published {
        state: OrgState::Connected,
        settings: r#"{"neverLog":["ceo@acme.com"]}"#.into(),
        cleared: None,
    };
    let a = h.perform(&sf::publish_request(s, &first).unwrap());
    sf::read_publish(a.status.as_u16(), &a.raw)
}

fn seat_view(h: &Harness, s: &Session) -> SeatView {
    h.emu.request_log.clear();
    let a = h.perform(&sf::seat_view_request(s));
    assert_eq!(h.emu.request_log.entries().len(), 1, "one request");
    sf::read_seat_view(a.status.as_u16(), &a.raw).unwrap()
}

#[test]
fn preferences_are_the_orgs_stages_and_currency_fields() {
    let h = Harness::new();
    let s = session(h.sf_token.clone());
    let a = h.perform(&sf::preferences_request(&s));
    let prefs = sf::read_preferences(a.status.as_u16(), &a.raw).unwrap();
    let first = &prefs.stages.choices[0];
    assert!(matches!(first, Choice::Crm { value, order: 1, .. } if value == "Prospecting"));
    assert_eq!(prefs.stages.choices.last(), Some(&Choice::NotSure));
    assert!(prefs
        .currency_fields
        .choices
        .iter()
        .any(|c| matches!(c, Choice::Crm { value, .. } if value == "Amount")));
}

#[test]
fn seat_able_users_leave_out_inactive_and_automated_users() {
    let h = Harness::new();
    let s = session(h.sf_token.clone());
    let a = h.perform(&sf::users_request(&s));
    let page = sf::read_users(a.status.as_u16(), &a.raw).unwrap();
    let emails: Vec<&str> = page.users.iter().map(|u| u.email.as_str()).collect();
    assert!(emails.contains(&"demo@acme.com") && emails.contains(&REP));
    assert!(!emails.contains(&"former.employee@acme.com"));
    assert!(!emails.contains(&"integration@acme.com"));
    assert_eq!(page.next, None);
}

#[test]
fn a_thousand_users_come_in_pages() {
    let h = Harness::with_seed(emulator::state::seed::Seed::Perf);
    let s = session(h.sf_token.clone());
    let mut request = sf::users_request(&s);
    let mut count = 0;
    let mut pages = 0;
    loop {
        let mut request_small = request.clone();
        request_small
            .headers
            .push(("Sforce-Query-Options".into(), "batchSize=200".into()));
        let a = h.perform(&request_small);
        let page = sf::read_users(a.status.as_u16(), &a.raw).unwrap();
        count += page.users.len();
        pages += 1;
        match page.next {
            Some(next) => request = sf::next_page_request(&s, &next).unwrap(),
            None => break,
        }
    }
    assert_eq!(count, 1_000 + 5);
    assert!(pages >= 5);
}

#[test]
fn an_admin_connects_once_and_connecting_again_changes_nothing() {
    let h = Harness::new();
    let admin = session(h.sf_token.clone());
    connect_org(&h, &admin, ADMIN_ID).unwrap();
    let before = h.soql("SELECT Id FROM PermissionSetAssignment").body["totalSize"].clone();
    connect_org(&h, &admin, ADMIN_ID).unwrap();
    let after = h.soql("SELECT Id FROM PermissionSetAssignment").body["totalSize"].clone();
    assert_eq!(before, after);
    assert_eq!(h.soql("SELECT Id FROM PermissionSet").body["totalSize"], 1);
    let view = seat_view(&h, &admin);
    assert!(view.has_seat, "the connecting admin holds a seat");
    assert_eq!(view.published.state, OrgState::Connected);
    assert!(view.published.settings.contains("ceo@acme.com"));
}

#[test]
fn a_non_admin_cannot_connect_and_is_told_what_to_ask_for() {
    let h = Harness::new();
    let rep = session(h.session_as("salesforce", Some(REP)));
    let a = h.perform(&connect::request(&rep, STEPS[0], "x"));
    let err = connect::read(STEPS[0], a.status.as_u16(), &a.raw).unwrap_err();
    assert_eq!(err.status, 403);
    assert_eq!(err.kind, CrmErrorKind::Forbidden);
    assert!(sf::needs_admin(&err).is_some());
}

#[test]
fn a_seat_lets_a_rep_read_the_settings_and_taking_it_back_hides_them() {
    let h = Harness::new();
    let admin = session(h.sf_token.clone());
    connect_org(&h, &admin, ADMIN_ID).unwrap();
    let rep = session(h.session_as("salesforce", Some(REP)));
    let before = seat_view(&h, &rep);
    assert!(!before.has_seat);
    assert_eq!(before.published.state, OrgState::NotConnected);

    let rep_id = "0055g0000000005AAA";
    let a = h.perform(&sf::seat_request(&admin, rep_id, true));
    sf::read_seat_change(true, a.status.as_u16(), &a.raw).unwrap();
    let a = h.perform(&sf::seat_request(&admin, rep_id, true));
    sf::read_seat_change(true, a.status.as_u16(), &a.raw).unwrap();
    let a = h.perform(&sf::seats_request(&admin));
    let seats = sf::read_seats(a.status.as_u16(), &a.raw).unwrap();
    assert_eq!(seats.user_ids.iter().filter(|id| *id == rep_id).count(), 1);

    let seated = seat_view(&h, &rep);
    assert!(seated.has_seat);
    assert_eq!(seated.published.state, OrgState::Connected);

    // The rep may read, never change, the published settings nor anyone's seat.
    let off = Published {
        state: OrgState::Disconnected,
        settings: "{}".into(),
        cleared: None,
    };
    let a = h.perform(&sf::publish_request(&rep, &off).unwrap());
    let err = sf::read_publish(a.status.as_u16(), &a.raw).unwrap_err();
    assert_eq!(err.code, "INSUFFICIENT_ACCESS_OR_READONLY");
    let a = h.perform(&sf::seat_request(&rep, rep_id, false));
    assert!(sf::read_seat_change(false, a.status.as_u16(), &a.raw).is_err());

    let a = h.perform(&sf::seat_request(&admin, rep_id, false));
    sf::read_seat_change(false, a.status.as_u16(), &a.raw).unwrap();
    assert!(!seat_view(&h, &rep).has_seat);
}

#[test]
fn disconnecting_is_what_every_seat_holder_reads_next() {
    let h = Harness::new();
    let admin = session(h.sf_token.clone());
    connect_org(&h, &admin, ADMIN_ID).unwrap();
    let off = Published {
        state: OrgState::Disconnected,
        settings: "{}".into(),
        cleared: None,
    };
    let a = h.perform(&sf::publish_request(&admin, &off).unwrap());
    sf::read_publish(a.status.as_u16(), &a.raw).unwrap();
    assert_eq!(
        seat_view(&h, &admin).published.state,
        OrgState::Disconnected
    );
}
