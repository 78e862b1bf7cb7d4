//! Dataverse Web API behaviour through the whole router (CRM-APIS B).

mod common;

use common::{enc, Harness, DYN};
use serde_json::json;

const ADA: &str = "00000002-0000-4000-8000-000000000001";
const ACME: &str = "00000001-0000-4000-8000-000000000001";
const DEMO_USER: &str = "00000008-0000-4000-8000-000000000001";

#[test]
fn record_read_keeps_the_extension_contract() {
    let h = Harness::new();
    let r = h.dy(
        "GET",
        &format!("/contacts({ADA})?$select=fullname,jobtitle,emailaddress1,telephone1"),
        &[],
        None,
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.body["fullname"], "Ada Lovelace");
    assert_eq!(r.body["contactid"], ADA);
    assert!(r.body["telephone1"].is_null());
    let bad = h.dy("GET", &format!("/contacts({ADA})?$select=nope"), &[], None);
    assert_eq!(bad.status, 400);
    assert!(bad.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Could not find a property named 'nope'"));
}

#[test]
fn cookie_session_works_same_origin() {
    let h = Harness::new();
    let login = h.send(
        "GET",
        DYN,
        "/_login?user=demo@acme.onmicrosoft.com&password=demo&returnUrl=/main.aspx",
        &[],
        None,
    );
    let cookie = login.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("CrmOwinAuth="));
    let who = h.send(
        "GET",
        DYN,
        "/api/data/v9.0/WhoAmI",
        &[("cookie", &cookie)],
        None,
    );
    assert_eq!(who.body["UserId"], DEMO_USER);
    assert_eq!(
        h.send("GET", DYN, "/api/data/v9.2/WhoAmI", &[], None)
            .status,
        401
    );
}

#[test]
fn filters_page_with_absolute_next_links() {
    let h = Harness::new();
    let f = enc("startswith(emailaddress1,'a') or contains(fullname,'ü')");
    let first = h.dy(
        "GET",
        &format!("/contacts?$select=fullname&$filter={f}&$count=true&$orderby=fullname%20desc"),
        &[("prefer", "odata.maxpagesize=5")],
        None,
    );
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.headers["preference-applied"], "odata.maxpagesize=5");
    let total = first.body["@odata.count"].as_u64().unwrap();
    assert!(total > 5);
    let mut seen = first.body["value"].as_array().unwrap().len() as u64;
    let mut next = first.body["@odata.nextLink"].as_str().map(str::to_string);
    while let Some(link) = next {
        assert!(
            link.starts_with("https://acme.crm.dynamics.com/api/data/v9.2/contacts?"),
            "{link}"
        );
        let path = link.trim_start_matches("https://acme.crm.dynamics.com/api/data/v9.2");
        let page = h.dy("GET", path, &[("prefer", "odata.maxpagesize=5")], None);
        seen += page.body["value"].as_array().unwrap().len() as u64;
        next = page.body["@odata.nextLink"].as_str().map(str::to_string);
    }
    assert_eq!(seen, total);
    assert_eq!(h.dy("GET", "/contacts?$skip=5", &[], None).status, 400);
}

#[test]
fn create_update_upsert_delete() {
    let h = Harness::new();
    let body = json!({"firstname": "Zoë", "lastname": "O'Neil", "parentcustomerid_account@odata.bind": format!("/accounts({ACME})")});
    let made = h.dy("POST", "/contacts", &[], Some(body));
    assert_eq!(made.status, 204);
    let url = made.headers["odata-entityid"].to_str().unwrap().to_string();
    let id = url
        .rsplit('(')
        .next()
        .unwrap()
        .trim_end_matches(')')
        .to_string();
    let read = h.dy(
        "GET",
        &format!("/contacts({id})?$select=fullname,_parentcustomerid_value"),
        &[("prefer", "odata.include-annotations=\"*\"")],
        None,
    );
    assert_eq!(read.body["fullname"], "Zoë O'Neil");
    assert_eq!(read.body["_parentcustomerid_value"], ACME);
    assert_eq!(
        read.body["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"],
        "account"
    );
    assert_eq!(
        read.body["_parentcustomerid_value@OData.Community.Display.V1.FormattedValue"],
        "Acme Corporation"
    );
    let etag = read.body["@odata.etag"].as_str().unwrap().to_string();
    let rep = h.dy(
        "POST",
        "/contacts?$select=fullname",
        &[("prefer", "return=representation")],
        Some(json!({"lastname": "Rep"})),
    );
    assert_eq!(rep.status, 201);
    assert_eq!(rep.body["fullname"], "Rep");
    assert_eq!(
        h.dy(
            "PATCH",
            &format!("/contacts({id})"),
            &[("if-match", &etag)],
            Some(json!({"jobtitle": "CTO"}))
        )
        .status,
        204
    );
    let stale = h.dy(
        "PATCH",
        &format!("/contacts({id})"),
        &[("if-match", &etag)],
        Some(json!({"jobtitle": "CEO"})),
    );
    assert_eq!(stale.status, 412);
    let fresh = "aaaaaaaa-0000-4000-8000-000000000001";
    assert_eq!(
        h.dy(
            "PATCH",
            &format!("/contacts({fresh})"),
            &[("if-match", "*")],
            Some(json!({"lastname": "x"}))
        )
        .status,
        404
    );
    assert_eq!(
        h.dy(
            "PATCH",
            &format!("/contacts({fresh})"),
            &[],
            Some(json!({"lastname": "Upserted"}))
        )
        .status,
        204
    );
    assert_eq!(
        h.dy(
            "GET",
            &format!("/contacts({fresh})?$select=lastname"),
            &[],
            None
        )
        .body["lastname"],
        "Upserted"
    );
    assert_eq!(
        h.dy(
            "PATCH",
            &format!("/contacts({fresh})"),
            &[("if-none-match", "*")],
            Some(json!({"lastname": "y"}))
        )
        .status,
        412
    );
    assert_eq!(
        h.dy("DELETE", &format!("/contacts({fresh})"), &[], None)
            .status,
        204
    );
    assert_eq!(
        h.dy("GET", &format!("/contacts({fresh})"), &[], None)
            .status,
        404
    );
    let unknown = h.dy(
        "POST",
        "/contacts",
        &[],
        Some(json!({"lastname": "x", "nickname": "y"})),
    );
    assert_eq!(unknown.status, 400);
    assert!(unknown.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("does not exist on type 'Microsoft.Dynamics.CRM.contact'"));
}

#[test]
fn activities_bind_with_activity_specific_names() {
    let h = Harness::new();
    let bare = h.dy("POST", "/tasks", &[], Some(json!({"subject": "x", "regardingobjectid_contact@odata.bind": format!("/contacts({ADA})")})));
    assert_eq!(bare.status, 400);
    let call = h.dy("POST", "/phonecalls", &[], Some(json!({
        "subject": "Intro", "phonenumber": "+49 30 1234", "directioncode": true,
        "regardingobjectid_contact_phonecall@odata.bind": format!("/contacts({ADA})"),
        "phonecall_activity_parties": [
            {"partyid_systemuser@odata.bind": format!("/systemusers({DEMO_USER})"), "participationtypemask": 1},
            {"partyid_contact@odata.bind": format!("/contacts({ADA})"), "participationtypemask": 2}
        ]
    })));
    assert_eq!(call.status, 204, "{}", call.body);
    let f = enc(&format!("_regardingobjectid_value eq {ADA}"));
    let acts = h.dy(
        "GET",
        &format!("/activitypointers?$select=subject,activitytypecode&$filter={f}"),
        &[],
        None,
    );
    let types: Vec<&str> = acts.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["activitytypecode"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"phonecall") && types.contains(&"task"),
        "{types:?}"
    );
    let parties = h.dy(
        "GET",
        "/activityparties?$select=participationtypemask",
        &[],
        None,
    );
    assert_eq!(parties.body["value"].as_array().unwrap().len(), 2);
    let note = h.dy("POST", "/annotations", &[], Some(json!({"subject": "Met", "notetext": "Hi", "objectid_contact@odata.bind": format!("/contacts({ADA})")})));
    assert_eq!(note.status, 204);
}

#[test]
fn expand_single_valued() {
    let h = Harness::new();
    let r = h.dy(
        "GET",
        "/opportunities?$select=name&$expand=parentaccountid($select=name)&$top=2",
        &[],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["value"].as_array().unwrap().len(), 2);
    assert_eq!(
        r.body["value"][0]["parentaccountid"]["name"],
        "Acme Corporation"
    );
}

#[test]
fn metadata_boolean_column_and_publish() {
    let h = Harness::new();
    let body = json!({
        "@odata.type": "Microsoft.Dynamics.CRM.BooleanAttributeMetadata", "AttributeType": "Boolean",
        "AttributeTypeName": {"Value": "BooleanType"}, "SchemaName": "new_Synced", "DefaultValue": false,
        "OptionSet": {"TrueOption": {"Value": 1}, "FalseOption": {"Value": 0}, "OptionSetType": "Boolean"},
        "RequiredLevel": {"Value": "None"}
    });
    let made = h.dy(
        "POST",
        "/EntityDefinitions(LogicalName='contact')/Attributes",
        &[("mscrm.solutionuniquename", "crmsync")],
        Some(body.clone()),
    );
    assert_eq!(made.status, 204, "{}", made.body);
    assert!(made.headers.contains_key("odata-entityid"));
    assert_eq!(
        h.dy(
            "POST",
            "/EntityDefinitions(LogicalName='contact')/Attributes",
            &[],
            Some(body)
        )
        .status,
        400
    );
    let publish = h.dy("POST", "/PublishXml", &[], Some(json!({"ParameterXml": "<importexportxml><entities><entity>contact</entity></entities></importexportxml>"})));
    assert_eq!(publish.status, 204);
    let f = enc("LogicalName eq 'new_synced'");
    let attrs = h.dy("GET", &format!("/EntityDefinitions(LogicalName='contact')/Attributes?$filter={f}&$select=LogicalName,AttributeType"), &[], None);
    assert_eq!(attrs.body["value"][0]["AttributeType"], "Boolean");
    assert_eq!(
        h.dy(
            "PATCH",
            &format!("/contacts({ADA})"),
            &[],
            Some(json!({"new_synced": true}))
        )
        .status,
        204
    );
    let f = enc("new_synced eq true");
    assert_eq!(
        h.dy(
            "GET",
            &format!("/contacts?$select=fullname&$filter={f}"),
            &[],
            None
        )
        .body["value"][0]["fullname"],
        "Ada Lovelace"
    );
    let entity = h.dy(
        "GET",
        "/EntityDefinitions(LogicalName='contact')?$select=EntitySetName,PrimaryIdAttribute",
        &[],
        None,
    );
    assert_eq!(entity.body["EntitySetName"], "contacts");
}

#[test]
fn saved_queries_must_be_public_views() {
    let h = Harness::new();
    let view = |querytype: i64| {
        json!({"name": "Synced contacts", "returnedtypecode": "contact", "querytype": querytype,
        "fetchxml": "<fetch><entity name='contact'><attribute name='fullname'/></entity></fetch>",
        "layoutxml": "<grid name='resultset' object='2' jump='fullname' select='1' icon='1' preview='1'><row name='result' id='contactid'><cell name='fullname' width='200'/></row></grid>"})
    };
    assert_eq!(
        h.dy("POST", "/savedqueries", &[], Some(view(0))).status,
        204
    );
    assert_eq!(
        h.dy("POST", "/savedqueries", &[], Some(view(1))).status,
        400
    );
}

#[test]
fn rules_throttling_and_faults() {
    let h = Harness::new();
    h.send(
        "POST",
        DYN,
        "/_emulator/rules/Contacts_with_the_same_email?active=true",
        &[],
        None,
    );
    let dup = json!({"lastname": "Lovelace", "emailaddress1": "ada.lovelace@acme.com"});
    assert_eq!(
        h.dy("POST", "/contacts", &[], Some(dup.clone())).status,
        204
    );
    let detected = h.dy(
        "POST",
        "/contacts",
        &[("mscrm.suppressduplicatedetection", "false")],
        Some(dup),
    );
    assert_eq!(detected.status, 412);
    h.send(
        "POST",
        DYN,
        "/_emulator/limits?dynamicsPerWindow=1",
        &[],
        None,
    );
    assert_eq!(h.dy("GET", "/WhoAmI", &[], None).status, 200);
    let throttled = h.dy("GET", "/WhoAmI", &[], None);
    assert_eq!(throttled.status, 429);
    assert!(throttled.headers.contains_key("retry-after"));
    h.send(
        "POST",
        DYN,
        "/_emulator/limits?dynamicsPerWindow=6000",
        &[],
        None,
    );
    let fault = json!({"path": "/api/data/v9.2/accounts", "status": 503, "count": 1});
    assert_eq!(
        h.send("POST", DYN, "/_emulator/faults", &[], Some(fault))
            .status,
        204
    );
    let failed = h.dy("GET", "/accounts?$top=1", &[], None);
    assert_eq!(failed.status, 503);
    assert_eq!(failed.body["error"]["code"], "0x80040216");
    assert_eq!(h.dy("GET", "/accounts?$top=1", &[], None).status, 200);
    // An org that sends the session to its sign-in page answers 302 with a Location.
    let login = "https://acme.crm.dynamics.com/_login";
    let fault = json!({"path": "/api/data/v9.2/accounts", "redirect": login, "count": 1});
    h.send("POST", DYN, "/_emulator/faults", &[], Some(fault));
    let redirected = h.dy("GET", "/accounts?$top=1", &[], None);
    assert_eq!(redirected.status, 302);
    assert_eq!(redirected.headers["location"], login);
    let log = h.send("GET", DYN, "/_emulator/requests", &[], None);
    let calls = log.body.as_array().unwrap();
    assert!(calls
        .iter()
        .any(|c| c["status"] == 503 && c["path"].as_str().unwrap().contains("/accounts")));
    assert!(calls
        .iter()
        .all(|c| !c["path"].as_str().unwrap().starts_with("/_emulator/")));
}
