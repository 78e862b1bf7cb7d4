//! Salesforce REST behaviour through the whole router (CRM-APIS A).

mod common;

use common::{Harness, SF};
use serde_json::{json, Value};

#[test]
fn versions_need_no_session_and_other_calls_carry_limit_info() {
    let h = Harness::new();
    let v = h.send("GET", SF, "/services/data/", &[], None);
    assert_eq!(v.status, 200);
    assert!(v
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["version"] == "66.0"));
    assert!(v.headers.get("sforce-limit-info").is_none());
    let r = h.sf("GET", "/limits", None);
    assert!(r.headers["sforce-limit-info"]
        .to_str()
        .unwrap()
        .starts_with("api-usage="));
}

#[test]
fn queries_page_with_next_records_url() {
    let h = Harness::new();
    let first = h.sf_with(
        "GET",
        "/query?q=SELECT+Id,Name+FROM+Contact",
        &[("sforce-query-options", "batchSize=200")],
        None,
    );
    assert_eq!(first.status, 200);
    let total = first.body["totalSize"].as_u64().unwrap();
    assert!(total > 200, "{total}");
    assert_eq!(first.body["done"], false);
    assert_eq!(first.body["records"].as_array().unwrap().len(), 200);
    let next = first.body["nextRecordsUrl"].as_str().unwrap();
    assert!(next.starts_with("/services/data/v66.0/query/01g"));
    let auth = format!("Bearer {}", h.sf_token);
    let second = h.send("GET", SF, next, &[("authorization", &auth)], None);
    assert_eq!(second.body["done"], true);
    assert_eq!(
        second.body["records"].as_array().unwrap().len() as u64,
        total - 200
    );
}

#[test]
fn relationship_fields_and_filters() {
    let h = Harness::new();
    let r = h.soql("SELECT Name, Account.Name, Account.Owner.Name FROM Contact WHERE Account.Name = 'acme corporation' ORDER BY LastName DESC LIMIT 1");
    assert_eq!(r.status, 200, "{}", r.body);
    let rec = &r.body["records"][0];
    assert_eq!(rec["Account"]["Name"], "Acme Corporation");
    assert_eq!(rec["Account"]["attributes"]["type"], "Account");
    assert_eq!(rec["Account"]["Owner"]["Name"], "Demo Seller");
}

#[test]
fn strict_parsing_errors() {
    let h = Harness::new();
    let bad =
        h.soql("SELECT Id FROM Contact WHERE LastName = 'a' AND FirstName = 'b' OR Email = null");
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body[0]["errorCode"], "MALFORMED_QUERY");
    let field = h.soql("SELECT Nope FROM Contact");
    assert_eq!(field.body[0]["errorCode"], "INVALID_FIELD");
    let typ = h.soql("SELECT Id FROM Nothing");
    assert_eq!(typ.body[0]["errorCode"], "INVALID_TYPE");
    let escape = h.soql(r"SELECT Id FROM Contact WHERE LastName = 'a\%'");
    assert_eq!(escape.body[0]["errorCode"], "MALFORMED_QUERY");
    let quoted_number = h.soql("SELECT Id FROM Opportunity WHERE Amount = '5'");
    assert_eq!(quoted_number.body[0]["errorCode"], "INVALID_FIELD");
}

#[test]
fn dates_in_and_not_in_and_count() {
    let h = Harness::new();
    let recent = h.soql("SELECT COUNT() FROM Contact WHERE CreatedDate = LAST_N_DAYS:7");
    let all = h.soql("SELECT COUNT() FROM Contact");
    let recent = recent.body["totalSize"].as_u64().unwrap();
    assert!(recent > 0 && recent < all.body["totalSize"].as_u64().unwrap());
    let stages = h.soql("SELECT Id FROM Opportunity WHERE StageName IN ('Closed Won', 'Closed Lost') AND CloseDate > 2026-01-01");
    assert_eq!(stages.status, 200, "{}", stages.body);
    let not_in =
        h.soql("SELECT Id FROM Opportunity WHERE StageName NOT IN ('Closed Won', 'Closed Lost')");
    assert!(
        not_in.body["totalSize"].as_u64().unwrap() > stages.body["totalSize"].as_u64().unwrap()
    );
}

#[test]
fn crud_uses_the_real_status_codes() {
    let h = Harness::new();
    let c = h.sf(
        "POST",
        "/sobjects/Contact/",
        Some(json!({"FirstName": "Zoë", "LastName": "Ødegård"})),
    );
    assert_eq!(c.status, 201);
    assert_eq!(c.body["success"], true);
    let id = c.body["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 18);
    assert!(id.starts_with("003"));
    let u = h.sf(
        "PATCH",
        &format!("/sobjects/Contact/{id}"),
        Some(json!({"Title": "CEO"})),
    );
    assert_eq!(u.status, 204);
    let r = h.sf(
        "GET",
        &format!("/sobjects/Contact/{id}?fields=Name,Title"),
        None,
    );
    assert_eq!(r.body["Name"], "Zoë Ødegård");
    assert_eq!(r.body["Title"], "CEO");
    let by15 = h.sf(
        "GET",
        &format!("/sobjects/Contact/{}?fields=Name", &id[..15]),
        None,
    );
    assert_eq!(by15.status, 200);
    assert_eq!(
        h.sf("DELETE", &format!("/sobjects/Contact/{id}"), None)
            .status,
        204
    );
    let gone = h.sf("GET", &format!("/sobjects/Contact/{id}"), None);
    assert_eq!(gone.status, 404);
    assert_eq!(gone.body[0]["errorCode"], "ENTITY_IS_DELETED");
    let all = h.soql(&format!(
        "SELECT Id, IsDeleted FROM Contact WHERE Id = '{id}'"
    ));
    assert_eq!(all.body["totalSize"], 0);
    let q = url::form_urlencoded::byte_serialize(
        format!("SELECT Id, IsDeleted FROM Contact WHERE Id = '{id}'").as_bytes(),
    )
    .collect::<String>();
    let bin = h.sf("GET", &format!("/queryAll?q={q}"), None);
    assert_eq!(bin.body["records"][0]["IsDeleted"], true);
}

#[test]
fn write_errors_match_the_reference() {
    let h = Harness::new();
    let missing = h.sf("POST", "/sobjects/Contact", Some(json!({"FirstName": "x"})));
    assert_eq!(missing.status, 400);
    assert_eq!(missing.body[0]["errorCode"], "REQUIRED_FIELD_MISSING");
    assert_eq!(missing.body[0]["fields"], json!(["LastName"]));
    let with_id = h.sf(
        "POST",
        "/sobjects/Contact",
        Some(json!({"Id": "0035g0000000001AAA", "LastName": "x"})),
    );
    assert_eq!(with_id.body[0]["errorCode"], "INVALID_FIELD");
    let task = h.sf(
        "POST",
        "/sobjects/Task",
        Some(json!({"Subject": "Call", "TaskSubtype": "Call", "WhoId": "0035g0000000001AAA"})),
    );
    assert_eq!(task.status, 201, "{}", task.body);
    let id = task.body["id"].as_str().unwrap();
    let subtype = h.sf(
        "PATCH",
        &format!("/sobjects/Task/{id}"),
        Some(json!({"TaskSubtype": "Email"})),
    );
    assert_eq!(
        subtype.body[0]["errorCode"],
        "INVALID_FIELD_FOR_INSERT_UPDATE"
    );
    let read = h.sf(
        "GET",
        &format!("/sobjects/Task/{id}?fields=Status,AccountId"),
        None,
    );
    assert_eq!(read.body["Status"], "Not Started");
    assert_eq!(read.body["AccountId"], "0015g0000000001AAA");
    let wrong = h.sf(
        "POST",
        "/sobjects/Task",
        Some(json!({"Subject": "x", "WhoId": "0015g0000000001AAA"})),
    );
    assert_eq!(wrong.body[0]["errorCode"], "FIELD_INTEGRITY_EXCEPTION");
}

#[test]
fn rules_answer_with_their_codes() {
    let h = Harness::new();
    let on = h.send(
        "POST",
        SF,
        "/_emulator/rules/Contact_requires_Email?active=true",
        &[],
        None,
    );
    assert_eq!(on.status, 204);
    let v = h.sf(
        "POST",
        "/sobjects/Contact",
        Some(json!({"LastName": "NoMail"})),
    );
    assert_eq!(v.body[0]["errorCode"], "FIELD_CUSTOM_VALIDATION_EXCEPTION");
    assert_eq!(v.body[0]["message"], "Contact requires an email address.");
    h.send(
        "POST",
        SF,
        "/_emulator/rules/Standard_Contact_Duplicate_Rule?active=true",
        &[],
        None,
    );
    let dup = h.sf(
        "POST",
        "/sobjects/Contact",
        Some(json!({"LastName": "Lovelace", "Email": "ADA.lovelace@acme.com"})),
    );
    assert_eq!(dup.body[0]["errorCode"], "DUPLICATES_DETECTED");
    assert_eq!(
        dup.body[0]["duplicateResult"]["matchResults"][0]["matchRecords"][0]["record"]["Id"],
        "0035g0000000001AAA"
    );
    let allowed = h.sf_with(
        "POST",
        "/sobjects/Contact",
        &[("sforce-duplicate-rule-header", "allowSave=true")],
        Some(json!({"LastName": "Lovelace", "Email": "ada.lovelace@acme.com"})),
    );
    assert_eq!(allowed.status, 201);
}

#[test]
fn custom_fields_upsert_and_describe() {
    let h = Harness::new();
    let made = h.sf("POST", "/tooling/sobjects/CustomField", Some(json!({"FullName": "Contact.Ext_Id__c", "Metadata": {"label": "Ext Id", "type": "Text", "length": 40, "externalId": true}})));
    assert_eq!(made.status, 201, "{}", made.body);
    let describe = h.sf("GET", "/sobjects/Contact/describe", None);
    let fields = describe.body["fields"].as_array().unwrap();
    assert!(fields
        .iter()
        .any(|f| f["name"] == "Ext_Id__c" && f["externalId"] == true && f["custom"] == true));
    let created = h.sf(
        "PATCH",
        "/sobjects/Contact/Ext_Id__c/abc-1",
        Some(json!({"LastName": "Upserted"})),
    );
    assert_eq!(created.status, 201);
    assert_eq!(created.body["created"], true);
    let updated = h.sf(
        "PATCH",
        "/sobjects/Contact/Ext_Id__c/abc-1",
        Some(json!({"Title": "Boss"})),
    );
    assert_eq!(updated.status, 200);
    assert_eq!(updated.body["created"], false);
    assert_eq!(updated.body["id"], created.body["id"]);
    let q = h.soql("SELECT Name, Ext_Id__c FROM Contact WHERE Ext_Id__c = 'abc-1'");
    assert_eq!(q.body["records"][0]["Ext_Id__c"], "abc-1");
    let unknown = h.sf(
        "PATCH",
        "/sobjects/Contact/Email/x@y.z",
        Some(json!({"LastName": "x"})),
    );
    assert_eq!(unknown.status, 404);
}

#[test]
fn describe_lists_picklists() {
    let h = Harness::new();
    let values = |object: &str, field: &str| -> Vec<String> {
        let d = h.sf("GET", &format!("/sobjects/{object}/describe"), None);
        let f = d.body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == field)
            .cloned()
            .unwrap();
        f["picklistValues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["value"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(values("Opportunity", "StageName").contains(&"Closed Won".to_string()));
    assert!(values("Task", "Status").contains(&"Completed".to_string()));
    assert!(values("Task", "TaskSubtype").contains(&"Call".to_string()));
    assert!(values("Lead", "Status").contains(&"Open - Not Contacted".to_string()));
    let d = h.sf("GET", "/sobjects/Account/describe", None);
    assert_eq!(d.body["keyPrefix"], "001");
    assert!(d.body["childRelationships"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["relationshipName"] == "Contacts"));
}

#[test]
fn composite_references_and_all_or_none() {
    let h = Harness::new();
    let ok = h.sf("POST", "/composite", Some(json!({"allOrNone": true, "compositeRequest": [
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Account", "referenceId": "acct", "body": {"Name": "Fjällräven AB"}},
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Contact", "referenceId": "c", "body": {"LastName": "Åberg", "AccountId": "@{acct.id}"}},
        {"method": "GET", "url": "/services/data/v66.0/sobjects/Contact/@{c.id}?fields=Name,AccountId", "referenceId": "read"}
    ]})));
    let items = ok.body["compositeResponse"].as_array().unwrap();
    assert_eq!(items[0]["httpStatusCode"], 201);
    assert_eq!(items[1]["httpStatusCode"], 201, "{}", items[1]);
    assert_eq!(items[2]["body"]["AccountId"], items[0]["body"]["id"]);
    let before = h.soql("SELECT COUNT() FROM Account").body["totalSize"].clone();
    let failed = h.sf("POST", "/composite", Some(json!({"allOrNone": true, "compositeRequest": [
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Account", "referenceId": "a1", "body": {"Name": "Rolled Back"}},
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Contact", "referenceId": "c1", "body": {"FirstName": "no last name"}},
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Account", "referenceId": "a2", "body": {"Name": "Never"}}
    ]})));
    let items = failed.body["compositeResponse"].as_array().unwrap();
    assert_eq!(items[0]["body"][0]["errorCode"], "PROCESSING_HALTED");
    assert_eq!(items[1]["body"][0]["errorCode"], "REQUIRED_FIELD_MISSING");
    assert_eq!(items[2]["body"][0]["errorCode"], "PROCESSING_HALTED");
    assert_eq!(
        h.soql("SELECT COUNT() FROM Account").body["totalSize"],
        before
    );
    let too_many: Vec<Value> = (0..26).map(|i| json!({"method": "GET", "url": "/services/data/v66.0/limits", "referenceId": format!("r{i}")})).collect();
    let r = h.sf(
        "POST",
        "/composite",
        Some(json!({"compositeRequest": too_many})),
    );
    assert_eq!(r.status, 400);
}

#[test]
fn collections_create_update_delete() {
    let h = Harness::new();
    let made = h.sf(
        "POST",
        "/composite/sobjects",
        Some(json!({"allOrNone": false, "records": [
            {"attributes": {"type": "Task"}, "Subject": "One", "WhoId": "0035g0000000001AAA"},
            {"attributes": {"type": "Task"}, "Subject": "Two", "Status": "Nope"}
        ]})),
    );
    let items = made.body.as_array().unwrap();
    assert_eq!(items[0]["success"], true);
    assert_eq!(items[1]["success"], false);
    assert_eq!(
        items[1]["errors"][0]["statusCode"],
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    );
    let id = items[0]["id"].as_str().unwrap();
    let upd = h.sf(
        "PATCH",
        "/composite/sobjects",
        Some(
            json!({"records": [{"attributes": {"type": "Task"}, "Id": id, "Status": "Completed"}]}),
        ),
    );
    assert_eq!(upd.body[0]["success"], true);
    let rolled = h.sf(
        "POST",
        "/composite/sobjects",
        Some(json!({"allOrNone": true, "records": [
            {"attributes": {"type": "Contact"}, "LastName": "Fine"},
            {"attributes": {"type": "Contact"}}
        ]})),
    );
    assert_eq!(
        rolled.body[0]["errors"][0]["statusCode"],
        "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    );
    assert_eq!(
        h.soql("SELECT COUNT() FROM Contact WHERE LastName = 'Fine'")
            .body["totalSize"],
        0
    );
    let del = h.sf("DELETE", &format!("/composite/sobjects?ids={id}"), None);
    assert_eq!(del.body[0]["success"], true);
    let too_many: Vec<Value> = (0..201)
        .map(|_| json!({"attributes": {"type": "Contact"}, "LastName": "x"}))
        .collect();
    assert_eq!(
        h.sf(
            "POST",
            "/composite/sobjects",
            Some(json!({"records": too_many}))
        )
        .status,
        400
    );
}

#[test]
fn content_note_and_link() {
    let h = Harness::new();
    let note = h.sf(
        "POST",
        "/sobjects/ContentNote",
        Some(json!({"Title": "Met at fair", "Content": "PHA+SGVsbG8gJmFtcDsgd2VsY29tZTwvcD4="})),
    );
    assert_eq!(note.status, 201, "{}", note.body);
    let doc = note.body["id"].as_str().unwrap();
    assert!(doc.starts_with("069"));
    let link = h.sf("POST", "/sobjects/ContentDocumentLink", Some(json!({"ContentDocumentId": doc, "LinkedEntityId": "0035g0000000001AAA", "ShareType": "V", "Visibility": "AllUsers"})));
    assert_eq!(link.status, 201, "{}", link.body);
    let read = h.sf(
        "GET",
        &format!("/sobjects/ContentNote/{doc}?fields=TextPreview"),
        None,
    );
    assert_eq!(read.body["TextPreview"], "Hello & welcome");
}

#[test]
fn search_and_parameterized_search() {
    let h = Harness::new();
    let q = common::enc(
        r"FIND {Weiß OR Lovelace} IN NAME FIELDS RETURNING Contact(Id, Name WHERE Email != null), Lead(Id)",
    );
    let r = h.sf("GET", &format!("/search?q={q}"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body["searchRecords"].as_array().unwrap().is_empty());
    let p = h.sf(
        "GET",
        "/parameterizedSearch/?q=Lovelace&sobject=Contact&Contact.fields=Id,Name",
        None,
    );
    assert_eq!(p.body["searchRecords"][0]["Name"], "Ada Lovelace");
    let bad = h.sf(
        "GET",
        &format!("/search?q={}", common::enc("FIND {O'Brien}")),
        None,
    );
    assert_eq!(bad.body[0]["errorCode"], "MALFORMED_SEARCH");
}

#[test]
fn sessions_and_limits() {
    let h = Harness::new();
    let ui = h.emu.org.salesforce_org_id.clone() + "!lightning";
    h.emu.sessions.issue(
        ui.clone(),
        emulator::state::sessions::SessionKind::SalesforceUi,
        "0055g0000000001AAA",
    );
    let r = h.send(
        "GET",
        SF,
        "/services/data/v66.0/limits",
        &[("authorization", &format!("Bearer {ui}"))],
        None,
    );
    assert_eq!(r.status, 401);
    assert_eq!(
        r.body[0]["message"],
        "This session is not valid for use with the REST API"
    );
    let me = h.send(
        "GET",
        SF,
        "/services/oauth2/userinfo",
        &[("authorization", &format!("Bearer {}", h.sf_token))],
        None,
    );
    assert_eq!(me.body["preferred_username"], "demo@acme.com");
    h.send(
        "POST",
        SF,
        "/_emulator/limits?salesforceDaily=3&salesforceUsed=3",
        &[],
        None,
    );
    let over = h.sf("GET", "/limits", None);
    assert_eq!(over.status, 403);
    assert_eq!(over.body[0]["errorCode"], "REQUEST_LIMIT_EXCEEDED");
    h.send("POST", SF, "/_emulator/sessions/expire", &[], None);
    assert_eq!(h.sf("GET", "/sobjects", None).status, 401);
}

#[test]
fn parent_to_child_subqueries() {
    let h = Harness::new();
    let r = h.soql("SELECT Name, (SELECT Contact.Name, Role, IsPrimary FROM OpportunityContactRoles ORDER BY IsPrimary DESC) FROM Opportunity WHERE Name = 'Acme Platform Renewal'");
    assert_eq!(r.status, 200, "{}", r.body);
    let roles = &r.body["records"][0]["OpportunityContactRoles"];
    assert_eq!(roles["totalSize"], 2);
    assert_eq!(roles["records"][0]["Contact"]["Name"], "Ada Lovelace");
    assert_eq!(roles["records"][0]["Role"], "Decision Maker");
    let none = h.soql("SELECT Name, (SELECT Id FROM Contacts) FROM Account WHERE Name = 'Nobody'");
    assert_eq!(none.body["totalSize"], 0);
    let bad = h.soql("SELECT Name, (SELECT Id FROM Nothings) FROM Account");
    assert_eq!(bad.body[0]["errorCode"], "INVALID_TYPE");
    let bad_field = h.soql("SELECT Name, (SELECT Nope FROM Contacts) FROM Account");
    assert_eq!(bad_field.body[0]["errorCode"], "INVALID_FIELD");
    let link = h.soql("SELECT Id FROM ContentDocumentLink");
    assert_eq!(link.body[0]["errorCode"], "MALFORMED_QUERY");
    let bad_id = h.soql("SELECT Id FROM Contact WHERE Id = 'not-an-id'");
    assert_eq!(bad_id.body[0]["errorCode"], "INVALID_QUERY_FILTER_OPERATOR");
}

#[test]
fn deleting_an_account_cascades() {
    let h = Harness::new();
    assert_eq!(
        h.sf("DELETE", "/sobjects/Account/0015g0000000001AAA", None)
            .status,
        204
    );
    let left = h.soql("SELECT COUNT() FROM Contact WHERE AccountId = '0015g0000000001AAA'");
    assert_eq!(left.body["totalSize"], 0);
    let roles = h.soql(
        "SELECT COUNT() FROM OpportunityContactRole WHERE OpportunityId = '0065g0000000001AAA'",
    );
    assert_eq!(roles.body["totalSize"], 0);
}

#[test]
fn events_notes_and_session_lifetime() {
    let h = Harness::new();
    let event = h.sf("POST", "/sobjects/Event", Some(json!({"Subject": "Meeting", "StartDateTime": "2026-06-01T09:00:00Z", "DurationInMinutes": 45, "WhoId": "0035g0000000003AAA"})));
    assert_eq!(event.status, 201, "{}", event.body);
    let id = event.body["id"].as_str().unwrap();
    let read = h.sf(
        "GET",
        &format!("/sobjects/Event/{id}?fields=EndDateTime,AccountId"),
        None,
    );
    assert_eq!(read.body["EndDateTime"], "2026-06-01T09:45:00.000+0000");
    assert_eq!(read.body["AccountId"], "0015g0000000002AAA");
    let no_end = h.sf(
        "POST",
        "/sobjects/Event",
        Some(json!({"Subject": "x", "StartDateTime": "2026-06-01T09:00:00Z"})),
    );
    assert_eq!(no_end.body[0]["errorCode"], "REQUIRED_FIELD_MISSING");
    let note = h.sf(
        "POST",
        "/sobjects/Note",
        Some(json!({"Title": "Met", "Body": "Notes…", "ParentId": "0035g0000000003AAA"})),
    );
    assert_eq!(note.status, 201);
    h.send("POST", SF, "/_emulator/sessions/ttl?seconds=0", &[], None);
    let short = h.send("POST", SF, "/_emulator/sessions?crm=salesforce", &[], None);
    let token = short.body["token"].as_str().unwrap();
    let expired = h.send(
        "GET",
        SF,
        "/services/data/v66.0/limits",
        &[("authorization", &format!("Bearer {token}"))],
        None,
    );
    assert_eq!(expired.status, 401);
    assert_eq!(expired.body[0]["errorCode"], "INVALID_SESSION_ID");
    assert_eq!(
        h.sf("GET", "/limits", None).status,
        200,
        "earlier sessions keep their lifetime"
    );
}
