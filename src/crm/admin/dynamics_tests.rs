use super::*;
use crate::crm::admin::OrgState;

const U1: &str = "00000008-0000-4000-8000-0000000000a1";
const U2: &str = "00000008-0000-4000-8000-0000000000a2";
const V1: &str = "0000000e-0000-4000-8000-0000000000b1";
const T1: &str = "0000000f-0000-4000-8000-0000000000c1";

fn host() -> OrgHost {
    OrgHost::dynamics("acme.crm.dynamics.com").unwrap()
}

fn guid(id: &str) -> DataverseGuid {
    DataverseGuid::parse(id).unwrap()
}

fn part(status: &str, body: &str) -> String {
    format!("--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 {status}\r\nContent-Type: application/json; odata.metadata=minimal\r\nOData-Version: 4.0\r\n\r\n{body}\r\n")
}

fn batch_answer(parts: &[String]) -> String {
    format!("{}--batchresponse_1--\r\n", parts.concat())
}

#[test]
fn the_seat_view_is_one_batch_of_three_reads() {
    let request = seat_view_request(&host(), &guid(U1));
    assert_eq!(request.method, "POST");
    assert!(request.url.ends_with("/api/data/v9.2/$batch"));
    let body = request.body.unwrap();
    assert_eq!(body.matches("HTTP/1.1\r\n").count(), 3);
    assert!(body.contains("GET https://acme.crm.dynamics.com/api/data/v9.2/environmentvariablevalues?$select=environmentvariablevalueid,value&$filter=schemaname%20eq%20%27new_crmsyncSettings%27 HTTP/1.1"));
    assert!(body
        .contains("systemusers(00000008-0000-4000-8000-0000000000a1)/teammembership_association"));
    // No raw space inside a request line.
    for line in body.lines().filter(|l| l.starts_with("GET ")) {
        assert_eq!(line.matches(' ').count(), 2, "{line}");
    }
}

#[test]
fn a_seat_holder_reads_the_settings_its_seat_and_the_ids_admins_need() {
    let doc = r#"{\"crmsync\":1,\"state\":\"disconnected\",\"settings\":{}}"#;
    let body = batch_answer(&[
        part(
            "200 OK",
            &format!(
                r#"{{"value":[{{"environmentvariablevalueid":"0000000e-0000-4000-8000-0000000000b1","value":"{doc}"}}]}}"#
            ),
        ),
        part(
            "200 OK",
            r#"{"value":[{"teamid":"0000000f-0000-4000-8000-0000000000c1"}]}"#,
        ),
        part(
            "200 OK",
            r#"{"value":[{"teamid":"0000000f-0000-4000-8000-0000000000c1"}]}"#,
        ),
    ]);
    let org = read_org(200, &body).unwrap();
    assert!(org.view.has_seat);
    assert_eq!(org.view.published.state, OrgState::Disconnected);
    assert_eq!(org.value_id, Some(guid(V1)));
    assert_eq!(org.team_id, Some(guid(T1)));
}

#[test]
fn an_org_never_connected_reads_as_not_connected_without_a_seat() {
    let empty = part("200 OK", r#"{"value":[]}"#);
    let body = batch_answer(&[empty.clone(), empty.clone(), empty]);
    let view = read_seat_view(200, &body).unwrap();
    assert_eq!(view.published.state, OrgState::NotConnected);
    assert!(!view.has_seat);
}

#[test]
fn a_failed_part_is_the_crms_error() {
    let denied = part(
        "403 Forbidden",
        r#"{"error":{"code":"0x80040220","message":"Principal user is missing prvReadTeam privilege"}}"#,
    );
    let empty = part("200 OK", r#"{"value":[]}"#);
    let body = batch_answer(&[empty.clone(), denied, empty]);
    let err = read_seat_view(200, &body).unwrap_err();
    assert_eq!(err.kind, CrmErrorKind::Forbidden);
    assert_eq!(needs_admin(&err).as_deref(), Some("prvReadTeam"));
    assert!(read_seat_view(200, "not multipart").is_err());
}

#[test]
fn preferences_are_the_sales_stages_in_option_order_and_the_money_columns() {
    let body = preferences_request(&host()).body.unwrap();
    assert!(body.contains(
        "Attributes(LogicalName='salesstagecode')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata"
    ));
    assert!(body.contains("Attributes/Microsoft.Dynamics.CRM.MoneyAttributeMetadata"));
    let label =
        |t: &str| format!(r#"{{"UserLocalizedLabel":{{"Label":"{t}","LanguageCode":1033}}}}"#);
    let stages = format!(
        r#"{{"LogicalName":"salesstagecode","OptionSet":{{"Options":[{{"Value":0,"Label":{}}},{{"Value":1,"Label":{}}}]}}}}"#,
        label("Qualify"),
        label("Develop")
    );
    let money = format!(
        r#"{{"value":[{{"LogicalName":"estimatedvalue","DisplayName":{},"IsBaseCurrency":false}},{{"LogicalName":"estimatedvalue_base","DisplayName":{},"IsBaseCurrency":true}}]}}"#,
        label("Est. Revenue"),
        label("Est. Revenue (Base)")
    );
    let answer = batch_answer(&[part("200 OK", &stages), part("200 OK", &money)]);
    let prefs = read_preferences(200, &answer).unwrap();
    assert_eq!(
        prefs.stages.choices[0],
        Choice::Crm {
            value: "0".into(),
            label: "Qualify".into(),
            order: 0
        }
    );
    assert_eq!(prefs.stages.choices.len(), 3);
    assert_eq!(
        prefs.currency_fields.choices.len(),
        2,
        "base column left out"
    );
}

#[test]
fn users_are_enabled_licensed_interactive_people_in_pages() {
    let request = users_request(&host());
    assert!(request.url.contains("accessmode%20eq%200"));
    assert!(request.url.contains("applicationid%20eq%20null"));
    assert!(request
        .headers
        .contains(&("Prefer".into(), "odata.maxpagesize=500".into())));
    let body = r#"{"value":[{"systemuserid":"00000008-0000-4000-8000-0000000000a1","fullname":"Ada","internalemailaddress":"ada@acme.com"}],
        "@odata.nextLink":"https://acme.crm.dynamics.com/api/data/v9.2/systemusers?$skiptoken=x"}"#;
    let page = read_users(200, body).unwrap();
    assert_eq!(page.users.len(), 1);
    let next = next_page_request(&host(), &page.next.unwrap()).unwrap();
    assert!(next.url.ends_with("$skiptoken=x"));
    let elsewhere = "https://evil.example/api/data/v9.2/systemusers?$skiptoken=x";
    assert!(
        next_page_request(&host(), elsewhere).is_err(),
        "no cookie elsewhere"
    );
    let seats = r#"{"value":[{"systemuserid":"00000008-0000-4000-8000-0000000000a2"}]}"#;
    assert_eq!(
        read_seats(200, seats).unwrap().user_ids,
        ["00000008-0000-4000-8000-0000000000a2"]
    );
}

#[test]
fn publishing_updates_the_value_row_only() {
    let published = Published {
        state: OrgState::Connected,
        settings: r#"{"a":1}"#.into(),
        cleared: None,
    };
    let request = publish_request(&host(), &guid(V1), &published).unwrap();
    assert_eq!(request.method, "PATCH");
    assert!(request
        .url
        .ends_with("/environmentvariablevalues(0000000e-0000-4000-8000-0000000000b1)"));
    assert!(request.headers.contains(&("If-Match".into(), "*".into())));
    let bad = Published {
        state: OrgState::Connected,
        settings: "1".into(),
        cleared: None,
    };
    assert!(publish_request(&host(), &guid(V1), &bad).is_err());
}

#[test]
fn seats_are_team_membership_references() {
    let on = seat_request(&host(), &guid(T1), &guid(U2), true);
    assert_eq!(on.method, "POST");
    assert!(on
        .url
        .ends_with("/teams(0000000f-0000-4000-8000-0000000000c1)/teammembership_association/$ref"));
    assert!(on
        .body
        .unwrap()
        .contains("/systemusers(00000008-0000-4000-8000-0000000000a2)"));
    let off = seat_request(&host(), &guid(T1), &guid(U2), false);
    assert_eq!(off.method, "DELETE");
    assert!(off
        .url
        .ends_with("/teams(0000000f-0000-4000-8000-0000000000c1)/teammembership_association(00000008-0000-4000-8000-0000000000a2)/$ref"));
    let dup = r#"{"error":{"code":"0x80040237","message":"Cannot insert duplicate key."}}"#;
    assert_eq!(read_seat_change(true, 400, dup), Ok(()));
    assert_eq!(read_seat_change(false, 204, ""), Ok(()));
}
