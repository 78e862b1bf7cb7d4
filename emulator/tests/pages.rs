//! The contract the extension and its end-to-end tests rely on: logins, `sid` cookies,
//! CRM-like pages with their CSP, and the control API's record listing.

mod common;

use common::{Harness, DYN, SF};

const UI: &str = "acme.lightning.force.com";

fn cookie(a: &common::Answer) -> String {
    a.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn salesforce_login_sets_two_sids_of_one_org() {
    let h = Harness::new();
    let login = h.send("GET", SF, "/login.jsp?un=demo@acme.com&pw=demo&startURL=/lightning/r/Opportunity/0065g0000000001AAA/view", &[], None);
    assert_eq!(login.status, 302);
    let api_sid = cookie(&login);
    assert!(login.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("HttpOnly"));
    let next = login.headers["location"].to_str().unwrap().to_string();
    assert!(next.starts_with("https://acme.lightning.force.com/secur/frontdoor.jsp?"));
    let front = h.send(
        "GET",
        UI,
        next.trim_start_matches("https://acme.lightning.force.com"),
        &[],
        None,
    );
    let ui_sid = cookie(&front);
    let org = |s: &str| {
        s.trim_start_matches("sid=")
            .split('!')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(org(&api_sid), org(&ui_sid));
    assert_ne!(api_sid, ui_sid);
    let page_path = front.headers["location"].to_str().unwrap().to_string();
    let page = h.send("GET", UI, &page_path, &[("cookie", &ui_sid)], None);
    assert_eq!(page.status, 200);
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'"));
    let rest_with_ui = h.send(
        "GET",
        SF,
        "/services/data/v66.0/limits",
        &[(
            "authorization",
            &format!("Bearer {}", ui_sid.trim_start_matches("sid=")),
        )],
        None,
    );
    assert_eq!(rest_with_ui.status, 401);
    let rest_with_api = h.send(
        "GET",
        SF,
        "/services/data/v66.0/limits",
        &[(
            "authorization",
            &format!("Bearer {}", api_sid.trim_start_matches("sid=")),
        )],
        None,
    );
    assert_eq!(rest_with_api.status, 200);
}

#[test]
fn sandbox_hosts_work_the_same() {
    let h = Harness::new();
    let login = h.send(
        "GET",
        "acme--uat.sandbox.my.salesforce.com",
        "/login.jsp?un=demo@acme.com&pw=demo",
        &[],
        None,
    );
    assert!(login.headers["location"]
        .to_str()
        .unwrap()
        .starts_with("https://acme--uat.sandbox.lightning.force.com/secur/frontdoor.jsp"));
}

#[test]
fn pages_need_a_session_and_render_records() {
    let h = Harness::new();
    let anonymous = h.send(
        "GET",
        UI,
        "/lightning/r/Contact/0035g0000000001AAA/view",
        &[],
        None,
    );
    assert_eq!(anonymous.status, 302);
    let token = h.emu.org.salesforce_org_id.clone() + "!ui";
    h.emu.sessions.issue(
        token.clone(),
        emulator::state::sessions::SessionKind::SalesforceUi,
        "0055g0000000001AAA",
    );
    let sid = format!("sid={token}");
    for path in [
        "/lightning/r/Contact/0035g0000000001AAA/view",
        "/lightning/r/Lead/00Q5g0000000001AAA/view",
        "/lightning/r/Account/0015g0000000001AAA/view",
        "/lightning/o/Contact/list",
        "/lightning/o/Opportunity/list",
    ] {
        assert_eq!(
            h.send("GET", UI, path, &[("cookie", &sid)], None).status,
            200,
            "{path}"
        );
    }
    let opp = h.send(
        "GET",
        UI,
        "/lightning/r/Opportunity/0065g0000000001AAA/view",
        &[("cookie", &sid)],
        None,
    );
    assert!(
        opp.raw.contains("Contact Roles (2)")
            && opp.raw.contains("Ada Lovelace")
            && opp.raw.contains("Decision Maker")
    );
    let account = h.send(
        "GET",
        UI,
        "/lightning/r/Account/0015g0000000002AAA/view",
        &[("cookie", &sid)],
        None,
    );
    assert!(account.raw.contains("Jürgen Weiß"));
    let dyn_login = h.send(
        "GET",
        DYN,
        "/_login?user=demo@acme.onmicrosoft.com&password=demo&returnUrl=/main.aspx",
        &[],
        None,
    );
    let crm = cookie(&dyn_login);
    let record = h.send("GET", DYN, "/main.aspx?appid=x&pagetype=entityrecord&etn=contact&id=00000002-0000-4000-8000-000000000001", &[("cookie", &crm)], None);
    assert_eq!(record.status, 200);
    assert!(record.headers.contains_key("content-security-policy"));
}

#[test]
fn records_listing_keeps_its_shape() {
    let h = Harness::new();
    let list = h.send(
        "GET",
        SF,
        "/_emulator/records/salesforce/contact",
        &[],
        None,
    );
    let first = &list.body[0];
    assert_eq!(first["id"], "0035g0000000001AAA");
    assert_eq!(first["fields"]["Name"], "Ada Lovelace");
    let users = h.send("GET", SF, "/_emulator/records/salesforce/User", &[], None);
    assert!(users
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["fields"].get("Password").is_none()));
    assert!(list
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["fields"]["LastName"] == "Weiß"));
}
