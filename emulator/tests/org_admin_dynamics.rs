//! The admin side's Dataverse requests (crmsync::crm::admin) against the emulated org: the
//! preferences, seat-able users, connect as an admin (a second run writes nothing), the
//! non-admin's refusal, seats, and what a seat holder reads in one request.

mod common;

use common::{Harness, DYN};
use crmsync::crm::admin::dynamics::{self as dy, DynamicsOrg};
use crmsync::crm::admin::dynamics_connect::{next_request, read_step, Admin};
use crmsync::crm::admin::{Choice, OrgState, Published};
use crmsync::crm::{CrmErrorKind, DataverseGuid, OrgHost};

const ADMIN_ID: &str = "00000008-0000-4000-8000-000000000001";
const REP_ID: &str = "00000008-0000-4000-8000-000000000005";
const REP: &str = "rep@acme.onmicrosoft.com";
const UNIT: &str = "0000000a-0000-4000-8000-000000000001";

fn host() -> OrgHost {
    OrgHost::dynamics(DYN).expect("the emulated org's host")
}

fn guid(id: &str) -> DataverseGuid {
    DataverseGuid::parse(id).expect("a GUID")
}

fn first() -> Published {
    Published {
        state: OrgState::Connected,
        settings: r#"{"neverLog":["ceo@acme.com"]}"#.into(),
        cleared: None,
    }
}

fn read_org(h: &Harness, token: &str, user: &str) -> DynamicsOrg {
    h.emu.request_log.clear();
    let a = h.perform_as(&dy::seat_view_request(&host(), &guid(user)), token);
    assert_eq!(h.emu.request_log.entries().len(), 1, "one request");
    dy::read_org(a.status.as_u16(), &a.raw).unwrap()
}

/// Connect until nothing is missing; the number of writes it took.
fn connect(h: &Harness) -> usize {
    let admin = Admin {
        user_id: &guid(ADMIN_ID),
        business_unit_id: &guid(UNIT),
    };
    let mut writes = 0;
    loop {
        let org = read_org(h, &h.dyn_token, ADMIN_ID);
        let Some(request) = next_request(&host(), &org, &admin, &first()).unwrap() else {
            return writes;
        };
        let a = h.perform(&request);
        read_step(a.status.as_u16(), &a.raw).unwrap();
        writes += 1;
        assert!(writes <= 3, "connect ends");
    }
}

#[test]
fn preferences_are_the_sales_stages_and_the_money_columns() {
    let h = Harness::new();
    let a = h.perform(&dy::preferences_request(&host()));
    let prefs = dy::read_preferences(a.status.as_u16(), &a.raw).unwrap();
    assert!(matches!(&prefs.stages.choices[0], Choice::Crm { label, .. } if label == "Qualify"));
    assert_eq!(prefs.stages.choices.len(), 5);
    let money: Vec<String> = prefs
        .currency_fields
        .choices
        .iter()
        .filter_map(|c| match c {
            Choice::Crm { value, .. } => Some(value.clone()),
            Choice::NotSure => None,
        })
        .collect();
    assert_eq!(money, ["estimatedvalue", "actualvalue", "budgetamount"]);
}

#[test]
fn seat_able_users_leave_out_disabled_and_application_users() {
    let h = Harness::new();
    let a = h.perform(&dy::users_request(&host()));
    let page = dy::read_users(a.status.as_u16(), &a.raw).unwrap();
    let emails: Vec<&str> = page.users.iter().map(|u| u.email.as_str()).collect();
    assert!(emails.contains(&REP));
    assert!(!emails.contains(&"former.employee@acme.onmicrosoft.com"));
    assert!(!emails.contains(&"integration@acme.onmicrosoft.com"));
}

#[test]
fn a_thousand_users_come_in_pages() {
    let h = Harness::with_seed(emulator::state::seed::Seed::Perf);
    let mut request = dy::users_request(&host());
    let (mut count, mut pages) = (0, 0);
    loop {
        let a = h.perform(&request);
        let page = dy::read_users(a.status.as_u16(), &a.raw).unwrap();
        count += page.users.len();
        pages += 1;
        match page.next {
            Some(next) => request = dy::next_page_request(&host(), &next).unwrap(),
            None => break,
        }
    }
    assert_eq!(count, 1_000 + 5);
    assert_eq!(pages, 3);
}

#[test]
fn an_admin_connects_and_connecting_again_writes_nothing() {
    let h = Harness::new();
    assert_eq!(connect(&h), 3);
    assert_eq!(connect(&h), 0);
    let org = read_org(&h, &h.dyn_token, ADMIN_ID);
    assert!(org.view.has_seat);
    assert_eq!(org.view.published.state, OrgState::Connected);
    assert!(org.view.published.settings.contains("ceo@acme.com"));
}

#[test]
fn a_non_admin_cannot_connect_and_is_told_which_privilege_is_missing() {
    let h = Harness::new();
    let rep = h.session_as("dynamics", Some(REP));
    let org = read_org(&h, &rep, REP_ID);
    let admin = Admin {
        user_id: &guid(REP_ID),
        business_unit_id: &guid(UNIT),
    };
    let request = next_request(&host(), &org, &admin, &first())
        .unwrap()
        .unwrap();
    let a = h.perform_as(&request, &rep);
    let err = read_step(a.status.as_u16(), &a.raw).unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (403, "0x80040220"));
    assert_eq!(err.kind, CrmErrorKind::Forbidden);
    assert_eq!(
        dy::needs_admin(&err).as_deref(),
        Some("prvCreateEnvironmentVariableDefinition")
    );
}

#[test]
fn a_seat_lets_a_rep_read_its_seat_and_only_an_admin_changes_it() {
    let h = Harness::new();
    connect(&h);
    let rep = h.session_as("dynamics", Some(REP));
    let before = read_org(&h, &rep, REP_ID);
    assert!(!before.view.has_seat);
    assert_eq!(before.view.published.state, OrgState::Connected);
    let team = before.team_id.clone().unwrap();

    let a = h.perform_as(&dy::seat_request(&host(), &team, &guid(REP_ID), true), &rep);
    let err = dy::read_seat_change(true, a.status.as_u16(), &a.raw).unwrap_err();
    assert_eq!(dy::needs_admin(&err).as_deref(), Some("prvWriteTeam"));

    for _ in 0..2 {
        let a = h.perform(&dy::seat_request(&host(), &team, &guid(REP_ID), true));
        dy::read_seat_change(true, a.status.as_u16(), &a.raw).unwrap();
    }
    let a = h.perform(&dy::seats_request(&host(), &team));
    let seats = dy::read_seats(a.status.as_u16(), &a.raw).unwrap();
    assert_eq!(seats.user_ids.len(), 2, "the admin and the rep, once each");
    assert!(read_org(&h, &rep, REP_ID).view.has_seat);

    let value = before.value_id.unwrap();
    let off = Published {
        state: OrgState::Disconnected,
        settings: "{}".into(),
        cleared: None,
    };
    let a = h.perform_as(&dy::publish_request(&host(), &value, &off).unwrap(), &rep);
    assert_eq!(
        dy::read_write(a.status.as_u16(), &a.raw)
            .unwrap_err()
            .status,
        403
    );

    let a = h.perform(&dy::seat_request(&host(), &team, &guid(REP_ID), false));
    dy::read_seat_change(false, a.status.as_u16(), &a.raw).unwrap();
    assert!(!read_org(&h, &rep, REP_ID).view.has_seat);
}

#[test]
fn disconnecting_is_what_every_seat_holder_reads_next() {
    let h = Harness::new();
    connect(&h);
    let value = read_org(&h, &h.dyn_token, ADMIN_ID).value_id.unwrap();
    let off = Published {
        state: OrgState::Disconnected,
        settings: "{}".into(),
        cleared: None,
    };
    let a = h.perform(&dy::publish_request(&host(), &value, &off).unwrap());
    dy::read_write(a.status.as_u16(), &a.raw).unwrap();
    let org = read_org(&h, &h.dyn_token, ADMIN_ID);
    assert_eq!(org.view.published.state, OrgState::Disconnected);
}
