//! A seat holder's background (the core over the in-memory host) against the emulated orgs
//! after an admin connected them, published settings and gave seats: the requests each
//! sync spends picking up the org's settings, counted from the emulator's request log (the
//! figure in docs/org-admin.md), and the rules as the CRMs answer them.

mod common;

use std::rc::Rc;

use common::{Harness, DYN, SF};
use crmsync::background::handle::{handle, SenderInfo};
use crmsync::background::{outbox, Background};
use crmsync::crm::admin::dynamics::{self as dy};
use crmsync::crm::admin::dynamics_connect::{next_request, read_step, Admin};
use crmsync::crm::admin::salesforce as sf;
use crmsync::crm::admin::salesforce_connect::{self as connect, STEPS};
use crmsync::crm::admin::{OrgState, Published};
use crmsync::crm::salesforce::{Cookie, Session};
use crmsync::crm::{DataverseGuid, HttpRequest, OrgHost};
use crmsync::host::fake::{block_on, FakeHost};
use crmsync::host::HttpAnswer;
use crmsync::message::Request;
use crmsync::writeback::item::NewItem;
use crmsync::writeback::ItemKind;
use serde_json::{json, Value};

const SF_ADMIN_ID: &str = "0055g0000000001AAA";
const SF_REP_ID: &str = "0055g0000000005AAA";
const DY_ADMIN_ID: &str = "00000008-0000-4000-8000-000000000001";
const DY_REP_ID: &str = "00000008-0000-4000-8000-000000000005";
const UNIT: &str = "0000000a-0000-4000-8000-000000000001";

fn published(settings: Value) -> Published {
    Published {
        state: OrgState::Connected,
        settings: settings.to_string(),
        cleared: None,
    }
}

fn guid(id: &str) -> DataverseGuid {
    DataverseGuid::parse(id).expect("a GUID")
}

/// A seat holder's extension signed in as `user`: every request goes to the emulator with
/// that user's session (Salesforce's `sid` cookie, Dataverse's browser cookies).
fn seat_holder(h: &Rc<Harness>, crm: &str, user: &str) -> Rc<Background<FakeHost>> {
    let token = h.session_as(crm, Some(user));
    let serving = Rc::clone(h);
    let dyn_token = token.clone();
    let host = FakeHost::new(Rc::default(), move |request: &HttpRequest| {
        let answer = serving.perform_as(request, &dyn_token);
        // Every header, as the fetch port hands them over (names in lower case).
        let headers = answer
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.into())))
            .collect();
        Some(HttpAnswer {
            headers,
            ..HttpAnswer::new(answer.status.as_u16(), answer.raw)
        })
    });
    for domain in ["acme.lightning.force.com", SF] {
        let sid = Cookie {
            name: "sid".into(),
            value: token.clone(),
            domain: domain.into(),
            secure: true,
        };
        host.cookie_jar
            .borrow_mut()
            .push((domain.to_string(), None, sid));
    }
    Background::new(host)
}

fn ask(bg: &Rc<Background<FakeHost>>, request: Request, tab: &str) -> Value {
    block_on(handle(bg, request, SenderInfo::in_tab(tab))).unwrap()
}

/// Syncs the org of `page` to its end; the requests the sync sent, by path.
fn sync(h: &Harness, bg: &Rc<Background<FakeHost>>, page: &str) -> Vec<String> {
    h.emu.request_log.clear();
    ask(bg, Request::SyncNow { url: page.into() }, page);
    bg.host.run_until_stalled();
    let entries = h.emu.request_log.entries();
    entries.into_iter().map(|e| e.path).collect()
}

fn count(paths: &[String], end: &str) -> usize {
    paths.iter().filter(|p| p.ends_with(end)).count()
}

fn log_note(bg: &Rc<Background<FakeHost>>, page: &str) -> Value {
    let item = NewItem {
        kind: ItemKind::Note,
        subject: "Fair".into(),
        body: "Met at the fair".into(),
        occurred_at: "2026-12-01T09:30:00.000Z".into(),
        call: None,
        tags: vec![],
    };
    let request = Request::LogItem {
        url: page.into(),
        item,
        copy_to_crm: true,
    };
    ask(bg, request, page)["ok"].clone()
}

fn flush(bg: &Rc<Background<FakeHost>>) {
    block_on(bg.on_timer(outbox::TIMER)).unwrap();
}

fn first_id(h: &Harness, crm: &str, object: &str) -> String {
    let records = h.send(
        "GET",
        SF,
        &format!("/_emulator/records/{crm}/{object}"),
        &[],
        None,
    );
    records.body[0]["id"]
        .as_str()
        .expect("a record")
        .to_string()
}

fn connect_salesforce(h: &Harness, settings: Value) {
    let admin = Session {
        api_host: OrgHost::salesforce(SF).unwrap(),
        token: h.sf_token.clone(),
    };
    for step in STEPS {
        let a = h.perform(&connect::request(&admin, step, SF_ADMIN_ID));
        connect::read(step, a.status.as_u16(), &a.raw).unwrap();
    }
    let a = h.perform(&sf::publish_request(&admin, &published(settings)).unwrap());
    sf::read_publish(a.status.as_u16(), &a.raw).unwrap();
    let a = h.perform(&sf::seat_request(&admin, SF_REP_ID, true));
    sf::read_seat_change(true, a.status.as_u16(), &a.raw).unwrap();
}

#[test]
fn a_salesforce_seat_holder_picks_up_the_orgs_settings_in_one_request_per_sync() {
    let h = Rc::new(Harness::new());
    connect_salesforce(
        &h,
        json!({"autoSyncAll": false, "writeBackKinds": ["note"]}),
    );
    let rep = seat_holder(&h, "salesforce", "rep@acme.com");
    let contact = first_id(&h, "salesforce", "Contact");
    let page = format!("https://acme.lightning.force.com/lightning/r/Contact/{contact}/view");
    // The seat view first; an incremental sync (the second) also asks what was deleted, in
    // one composite at its end.
    for deletions in [0, 1] {
        let paths = sync(&h, &rep, &page);
        assert!(paths[0].ends_with("/composite"), "{paths:?}");
        assert_eq!(count(&paths, "/composite"), 1 + deletions, "{paths:?}");
    }
    let activity = ask(&rep, Request::GetActivity { url: page.clone() }, &page);
    let toggles = &activity["ok"]["toggles"];
    assert_eq!(toggles["note"]["offered"], true, "{toggles}");
    assert_eq!(
        toggles["call"]["reason"], "kindNotSynced",
        "the org's kinds"
    );
}

fn connect_dynamics(h: &Harness, settings: Value) -> DataverseGuid {
    let api_host = OrgHost::dynamics(DYN).unwrap();
    let admin = Admin {
        user_id: &guid(DY_ADMIN_ID),
        business_unit_id: &guid(UNIT),
    };
    loop {
        let a = h.perform(&dy::seat_view_request(&api_host, &guid(DY_ADMIN_ID)));
        let org = dy::read_org(a.status.as_u16(), &a.raw).unwrap();
        let Some(request) =
            next_request(&api_host, &org, &admin, &published(settings.clone())).unwrap()
        else {
            return org.team_id.expect("the seat team");
        };
        let a = h.perform(&request);
        read_step(a.status.as_u16(), &a.raw).unwrap();
    }
}

#[test]
fn a_dataverse_rep_without_a_seat_keeps_items_here_until_given_one_then_each_is_written_once() {
    let h = Rc::new(Harness::new());
    let team = connect_dynamics(&h, json!({"autoSyncAll": false}));
    let rep = seat_holder(&h, "dynamics", "rep@acme.onmicrosoft.com");
    let contact = first_id(&h, "dynamics", "contact");
    let page = format!("https://{DYN}/main.aspx?etn=contact&id={contact}&pagetype=entityrecord");
    let first = sync(&h, &rep, &page);
    assert_eq!(
        (count(&first, "/WhoAmI"), count(&first, "/$batch")),
        (1, 1),
        "my user id once, then one seat view: {first:?}"
    );
    let kept = log_note(&rep, &page);
    assert_eq!(kept["reason"], "userNotEnabled", "{kept}");
    h.emu.request_log.clear();
    flush(&rep);
    let posts = h.emu.request_log.entries();
    assert!(
        posts.iter().all(|e| e.method == "GET"),
        "nothing is written"
    );

    let api_host = OrgHost::dynamics(DYN).unwrap();
    let a = h.perform(&dy::seat_request(&api_host, &team, &guid(DY_REP_ID), true));
    dy::read_seat_change(true, a.status.as_u16(), &a.raw).unwrap();
    let again = sync(&h, &rep, &page);
    assert!(
        again[0].ends_with("/$batch"),
        "the seat view first: {again:?}"
    );
    assert_eq!(
        (count(&again, "/WhoAmI"), count(&again, "/$batch")),
        (0, 2),
        "one seat view per sync, and the deletions step's delta links: {again:?}"
    );
    flush(&rep);
    flush(&rep);
    let notes = h.send(
        "GET",
        SF,
        "/_emulator/records/dynamics/annotation",
        &[],
        None,
    );
    let id = kept["id"].as_str().unwrap();
    let written: Vec<&Value> = notes
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["id"] == id)
        .collect();
    assert_eq!(written.len(), 1, "written once");
}
