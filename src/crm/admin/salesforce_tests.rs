use super::*;
use crate::crm::admin::OrgState;

fn session() -> Session {
    Session {
        api_host: crate::crm::OrgHost::salesforce("acme.my.salesforce.com").unwrap(),
        token: "T".into(),
    }
}

fn sub(reference: &str, status: u16, body: &str) -> String {
    format!(
        r#"{{"referenceId":"{reference}","httpStatusCode":{status},"httpHeaders":{{}},"body":{body}}}"#
    )
}

fn composite_answer(parts: &[String]) -> String {
    format!(r#"{{"compositeResponse":[{}]}}"#, parts.join(","))
}

fn subrequests(request: &HttpRequest) -> Vec<Value> {
    let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    body["compositeRequest"].as_array().unwrap().clone()
}

#[test]
fn the_seat_view_is_one_composite_request_of_two_queries() {
    let request = seat_view_request(&session());
    assert_eq!(request.method, "POST");
    assert!(request.url.ends_with("/services/data/v66.0/composite"));
    let subs = subrequests(&request);
    assert_eq!(subs.len(), 2);
    let urls: Vec<&str> = subs.iter().map(|s| s["url"].as_str().unwrap()).collect();
    assert!(urls[0].contains("crmsync_Settings__c"));
    assert!(urls[1].contains("UserSetupEntityAccess"));
}

#[test]
fn a_seat_holder_reads_the_published_settings_and_its_seat() {
    let doc = r#"{\"crmsync\":1,\"state\":\"connected\",\"settings\":{\"x\":1}}"#;
    let body = composite_answer(&[
        sub(
            "settings",
            200,
            &format!(
                r#"{{"totalSize":1,"done":true,"records":[{{"Id":"a00","Json__c":"{doc}"}}]}}"#
            ),
        ),
        sub(
            "seat",
            200,
            r#"{"totalSize":1,"done":true,"records":[{"DeveloperName":"crmsync_Seat"}]}"#,
        ),
    ]);
    let view = read_seat_view(200, &body).unwrap();
    assert!(view.has_seat);
    assert_eq!(view.published.state, OrgState::Connected);
    assert_eq!(view.published.settings, r#"{"x":1}"#);
}

#[test]
fn a_user_without_a_seat_sees_nothing_published_rather_than_an_error() {
    let body = composite_answer(&[
        sub(
            "settings",
            400,
            r#"[{"errorCode":"INVALID_TYPE","message":"sObject type 'crmsync_Settings__c' is not supported."}]"#,
        ),
        sub("seat", 200, r#"{"totalSize":0,"done":true,"records":[]}"#),
    ]);
    let view = read_seat_view(200, &body).unwrap();
    assert!(!view.has_seat);
    assert_eq!(view.published.state, OrgState::NotConnected);
}

#[test]
fn an_expired_session_is_the_seat_views_error() {
    let body = r#"[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]"#;
    let err = read_seat_view(401, body).unwrap_err();
    assert_eq!(err.kind, CrmErrorKind::SessionExpired);
}

#[test]
fn preferences_are_the_active_stages_in_sort_order_and_the_currency_fields() {
    let request = preferences_request(&session());
    let subs = subrequests(&request);
    assert!(subs[0]["url"]
        .as_str()
        .unwrap()
        .contains("OpportunityStage"));
    assert!(subs[1]["url"]
        .as_str()
        .unwrap()
        .ends_with("/sobjects/Opportunity/describe"));
    let stages = r#"{"totalSize":2,"done":true,"records":[
        {"ApiName":"Closed Won","MasterLabel":"Closed Won","SortOrder":9,"IsActive":true},
        {"ApiName":"Prospecting","MasterLabel":"Prospecting","SortOrder":1,"IsActive":true}]}"#;
    let describe = r#"{"name":"Opportunity","fields":[
        {"name":"Name","label":"Name","type":"string"},
        {"name":"Amount","label":"Amount","type":"currency"},
        {"name":"ExpectedRevenue","label":"Expected Amount","type":"currency"}]}"#;
    let body = composite_answer(&[sub("stages", 200, stages), sub("describe", 200, describe)]);
    let prefs = read_preferences(200, &body).unwrap();
    let values: Vec<&str> = prefs
        .stages
        .choices
        .iter()
        .map(|c| match c {
            Choice::Crm { value, .. } => value.as_str(),
            Choice::NotSure => "?",
        })
        .collect();
    assert_eq!(values, ["Prospecting", "Closed Won", "?"]);
    assert_eq!(prefs.currency_fields.choices.len(), 3);
    assert!(
        matches!(&prefs.currency_fields.choices[0], Choice::Crm { value, .. } if value == "Amount")
    );
}

#[test]
fn users_are_active_standard_users_paged_by_next_records_url() {
    let request = users_request(&session());
    assert!(request.url.contains("UserType+%3D+%27Standard%27"));
    assert!(request.url.contains("IsActive+%3D+true"));
    let body = r#"{"totalSize":2500,"done":false,"nextRecordsUrl":"/services/data/v66.0/query/01gX-2000",
        "records":[{"Id":"005A","Name":"Ada","Email":"ada@acme.com"}]}"#;
    let page = read_users(200, body).unwrap();
    assert_eq!(page.users[0].email, "ada@acme.com");
    let next = page.next.unwrap();
    assert_eq!(
        next_page_request(&session(), &next).unwrap().url,
        "https://acme.my.salesforce.com/services/data/v66.0/query/01gX-2000"
    );
}

#[test]
fn a_next_link_outside_the_orgs_api_gets_no_token() {
    for next in [
        "@evil.example/services/data/v66.0/query/x",
        "/services/data/v66.0/query/x@evil.example",
        "//evil.example/services/data/",
        "https://evil.example/services/data/v66.0/query/x",
    ] {
        assert!(next_page_request(&session(), next).is_err(), "{next}");
    }
}

#[test]
fn a_user_who_may_not_see_assignments_is_refused_as_a_non_admin() {
    let hidden = r#"[{"errorCode":"INVALID_TYPE","message":"sObject type 'PermissionSetAssignment' is not supported."}]"#;
    let err = read_seats(400, hidden).unwrap_err();
    assert_eq!(err.kind, CrmErrorKind::Forbidden);
    assert!(needs_admin(&err).is_some());
    let elsewhere = read_users(400, hidden).unwrap_err();
    assert_eq!(
        needs_admin(&elsewhere),
        None,
        "only the seats read means that"
    );
}

#[test]
fn seats_are_the_permission_sets_assignees() {
    let request = seats_request(&session());
    assert!(request.url.contains("PermissionSetAssignment"));
    let body = r#"{"totalSize":1,"done":true,"records":[{"AssigneeId":"005B"}]}"#;
    assert_eq!(read_seats(200, body).unwrap().user_ids, ["005B"]);
}

#[test]
fn publishing_upserts_the_one_settings_record_by_its_key() {
    let published = Published {
        state: OrgState::Connected,
        settings: r#"{"a":true}"#.into(),
        cleared: None,
    };
    let request = publish_request(&session(), &published).unwrap();
    assert_eq!(request.method, "PATCH");
    assert!(request
        .url
        .ends_with("/sobjects/crmsync_Settings__c/Key__c/org"));
    let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    let doc = read_document(body["Json__c"].as_str().unwrap()).unwrap();
    assert_eq!(doc, published);
    let bad = Published {
        state: OrgState::Connected,
        settings: "nope".into(),
        cleared: None,
    };
    assert_eq!(
        publish_request(&session(), &bad).unwrap_err().code,
        "SETTINGS_NOT_AN_OBJECT"
    );
    assert_eq!(read_publish(201, r#"{"id":"a00","created":true}"#), Ok(()));
}

#[test]
fn a_seat_change_is_done_when_it_already_was_as_asked() {
    let on = seat_request(&session(), "005B", true);
    let subs = subrequests(&on);
    assert_eq!(subs[1]["body"]["PermissionSetId"], "@{set.records[0].Id}");
    let found = sub(
        "set",
        200,
        r#"{"totalSize":1,"done":true,"records":[{"Id":"0PS"}]}"#,
    );
    let dup = sub(
        "change",
        400,
        r#"[{"errorCode":"DUPLICATE_VALUE","message":"Duplicate PermissionSetAssignment"}]"#,
    );
    assert_eq!(
        read_seat_change(true, 200, &composite_answer(&[found, dup])),
        Ok(())
    );
    let none = sub("set", 200, r#"{"totalSize":0,"done":true,"records":[]}"#);
    assert_eq!(
        read_seat_change(false, 200, &composite_answer(std::slice::from_ref(&none))),
        Ok(())
    );
    assert_eq!(
        read_seat_change(true, 200, &composite_answer(&[none]))
            .unwrap_err()
            .code,
        "NOT_CONNECTED"
    );
}

#[test]
fn a_refused_seat_change_names_the_right_to_ask_for() {
    let found = sub(
        "set",
        200,
        r#"{"totalSize":1,"done":true,"records":[{"Id":"0PS"}]}"#,
    );
    let denied = sub(
        "change",
        400,
        r#"[{"errorCode":"INSUFFICIENT_ACCESS_OR_READONLY","message":"insufficient access rights on cross-reference id"}]"#,
    );
    let err = read_seat_change(true, 200, &composite_answer(&[found, denied])).unwrap_err();
    assert_eq!(err.kind, CrmErrorKind::Forbidden);
    assert!(needs_admin(&err)
        .unwrap()
        .contains("Assign Permission Sets"));
}
