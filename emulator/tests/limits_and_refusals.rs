//! The CRMs' own words for a bad query, a spent or throttled budget and a refused session
//! (CRM-APIS A2, A8, A19, B9).

mod common;

use common::{Harness, DYN, SF};
use serde_json::json;

fn message(answer: &common::Answer) -> String {
    answer.body[0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn query_errors_quote_the_query_with_a_caret() {
    let h = Harness::new();
    let field = h.soql("SELECT Id, Nope__c FROM Contact");
    assert_eq!(field.body[0]["errorCode"], "INVALID_FIELD");
    assert!(
        message(&field).starts_with(
            "\nSELECT Id, Nope__c FROM Contact\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nope__c' on entity 'Contact'."
        ),
        "{}",
        message(&field)
    );
    let syntax = h.soql("SELECT Id FROM Contact WHER Name = 'x'");
    assert_eq!(syntax.body[0]["errorCode"], "MALFORMED_QUERY");
    let lines: Vec<String> = message(&syntax).lines().map(String::from).collect();
    assert_eq!(lines[1], "SELECT Id FROM Contact WHER Name = 'x'");
    assert_eq!(lines[2], format!("{}^", " ".repeat(23)));
    assert_eq!(lines[3], "ERROR at Row:1:Column:24");
    assert_eq!(lines[4], "unexpected token: WHER");
    let object = h.soql("SELECT Id FROM Nothing__c");
    assert!(message(&object).contains("ERROR at Row:1:Column:16\nsObject type 'Nothing__c'"));
}

#[test]
fn limit_info_may_carry_a_connected_apps_quota_beside_the_orgs_usage() {
    let h = Harness::new();
    h.send(
        "POST",
        SF,
        "/_emulator/limits?salesforceUsed=99&salesforceAppQuota=250",
        &[],
        None,
    );
    let info = h.sf("GET", "/limits", None).headers["sforce-limit-info"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        info,
        "api-usage=100/15000; per-app-api-usage=100/250(appName=crmsync-emulator)"
    );
}

#[test]
fn salesforce_has_no_429_its_limits_are_403s_in_their_own_words() {
    let h = Harness::new();
    let fault = json!({"path": "/services/data/", "status": 429, "count": 1});
    h.send("POST", SF, "/_emulator/faults", &[], Some(fault));
    let concurrent = h.sf("GET", "/limits", None);
    assert_eq!(concurrent.status, 403);
    assert_eq!(concurrent.body[0]["errorCode"], "REQUEST_LIMIT_EXCEEDED");
    assert_eq!(
        message(&concurrent),
        "ConcurrentPerOrgLongTxn Limit exceeded."
    );
    assert!(!concurrent.headers.contains_key("retry-after"));
    h.send(
        "POST",
        SF,
        "/_emulator/limits?salesforceDaily=5&salesforceUsed=5",
        &[],
        None,
    );
    let spent = h.sf("GET", "/limits", None);
    assert_eq!(
        (spent.status.as_u16(), message(&spent).as_str()),
        (403, "TotalRequests Limit exceeded.")
    );
}

#[test]
fn dataverse_names_which_service_protection_limit_was_hit() {
    let h = Harness::new();
    let throttled = |limits: &str| {
        h.send(
            "POST",
            DYN,
            &format!("/_emulator/limits?{limits}"),
            &[],
            None,
        );
        assert_eq!(h.dy("GET", "/WhoAmI", &[], None).status, 200);
        let refused = h.dy("GET", "/WhoAmI", &[], None);
        assert_eq!(refused.status, 429);
        let wait: u64 = refused.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(wait >= 1);
        let error = &refused.body["error"];
        (
            error["code"].as_str().unwrap().to_string(),
            error["message"].as_str().unwrap().to_string(),
        )
    };
    let (code, words) = throttled("dynamicsPerWindow=1");
    assert_eq!(code, "0x80072322");
    assert_eq!(
        words,
        "Number of requests exceeded the limit of 1 over time window of 300 seconds."
    );
    let (code, words) = throttled("dynamicsPerWindow=6000&dynamicsExecutionMs=1");
    assert_eq!(code, "0x80072321");
    assert!(words.starts_with(
        "Combined execution time of incoming requests exceeded limit of 1 milliseconds"
    ));
    h.send(
        "POST",
        DYN,
        "/_emulator/limits?dynamicsExecutionMs=1200000&dynamicsConcurrent=0",
        &[],
        None,
    );
    let busy = h.dy("GET", "/WhoAmI", &[], None);
    assert_eq!(
        (busy.status.as_u16(), busy.body["error"]["code"].as_str()),
        (429, Some("0x80072326"))
    );
}

#[test]
fn a_dataverse_401_challenges_with_the_tenants_authority() {
    let h = Harness::new();
    let answer = h.send("GET", DYN, "/api/data/v9.2/WhoAmI", &[], None);
    assert_eq!(answer.status, 401);
    assert!(answer.raw.is_empty());
    let challenge = answer.headers["www-authenticate"].to_str().unwrap();
    assert!(challenge.starts_with("Bearer authorization_uri=https://login.microsoftonline.com/"));
    assert!(
        challenge.ends_with("resource_id=https://acme.crm.dynamics.com/"),
        "{challenge}"
    );
    let fault = json!({"path": "/api/data/", "status": 401, "count": 1});
    h.send("POST", DYN, "/_emulator/faults", &[], Some(fault));
    assert!(h
        .dy("GET", "/WhoAmI", &[], None)
        .headers
        .contains_key("www-authenticate"));
}

#[test]
fn refused_orgs_and_users_get_the_products_own_answers() {
    let h = Harness::new();
    let refuse = |body: serde_json::Value| {
        h.send("DELETE", SF, "/_emulator/refusals", &[], None);
        assert_eq!(
            h.send("POST", SF, "/_emulator/refusals", &[], Some(body))
                .status,
            204
        );
    };
    refuse(json!({"refusal": "apiDisabledForOrg"}));
    let org = h.sf("GET", "/limits", None);
    assert_eq!(
        (org.status.as_u16(), org.body[0]["errorCode"].as_str()),
        (403, Some("API_DISABLED_FOR_ORG"))
    );
    refuse(json!({"refusal": "apiDisabledForUser", "user": "rep@acme.com"}));
    assert_eq!(
        h.sf("GET", "/limits", None).status,
        200,
        "only the rep is refused"
    );
    let rep = h.session_as("salesforce", Some("rep@acme.com"));
    let auth = format!("Bearer {rep}");
    let refused = h.send(
        "GET",
        SF,
        "/services/data/v66.0/limits",
        &[("authorization", &auth)],
        None,
    );
    assert_eq!(refused.body[0]["errorCode"], "API_CURRENTLY_DISABLED");
    assert_eq!(message(&refused), "API is disabled for this User");
    refuse(json!({"refusal": "apiAccessControl"}));
    let control = h.sf("GET", "/limits", None);
    assert_eq!(control.status, 401);
    assert_eq!(
        message(&control),
        "This session is not valid for use with the REST API"
    );

    refuse(json!([{"refusal": "notMember"}]));
    let member = h.dy("GET", "/WhoAmI", &[], None);
    assert_eq!(
        (
            member.status.as_u16(),
            member.body["error"]["code"].as_str()
        ),
        (403, Some("0x80072560"))
    );
    refuse(json!({"refusal": "conditionalAccess"}));
    let access = h.dy("GET", "/WhoAmI", &[], None);
    assert_eq!(access.status, 401);
    assert!(access.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("error=\"insufficient_claims\""));
    h.send("POST", SF, "/_emulator/reset?seed=demo", &[], None);
    assert!(h
        .send("GET", SF, "/_emulator/refusals", &[], None)
        .body
        .as_array()
        .unwrap()
        .is_empty());
    let unknown = h.send(
        "POST",
        SF,
        "/_emulator/refusals",
        &[],
        Some(json!({"refusal": "notMember", "user": "nobody@x"})),
    );
    assert_eq!(unknown.status, 400);
}
