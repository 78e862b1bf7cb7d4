//! A scripted Salesforce and a scripted Dataverse org for the admin page's tests: the admin
//! side's objects, users in pages, seats, an admin or a non-admin signed in (refused as each
//! CRM refuses, docs/crm-apis.md A15–A17, B13–B15), and one failure on a request whose URL
//! holds a given text.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashSet};

use serde_json::{json, Value};

use crate::crm::HttpRequest;
use crate::host::HttpAnswer;

pub const SF_ADMIN: &str = "005000000000001AAA";
pub const DY_ADMIN: &str = "00000008-0000-4000-8000-000000000001";
const DY_UNIT: &str = "0000000a-0000-4000-8000-000000000001";
const DY_VALUE: &str = "0000000e-0000-4000-8000-000000000001";
const DY_TEAM: &str = "0000000f-0000-4000-8000-000000000001";

fn answer(status: u16, body: Value) -> HttpAnswer {
    HttpAnswer::new(status, body.to_string())
}

fn query_of(url: &str) -> String {
    let q = url.split("q=").nth(1).unwrap_or_default();
    form_urlencoded::parse(format!("q={q}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Between the quotes after `field = '`.
fn quoted_after(text: &str, field: &str) -> Option<String> {
    let rest = text.split(&format!("{field} = '")).nth(1)?;
    Some(rest.split('\'').next()?.to_string())
}

/// One failure to answer: the next request whose URL holds `url_part` gets it.
pub struct Fault {
    pub url_part: &'static str,
    pub status: u16,
    pub body: Value,
    pub retry_after: Option<u32>,
}

pub fn sf_user(n: usize) -> String {
    let id = format!("005{n:012}AAA");
    if n == 1 {
        SF_ADMIN.to_string()
    } else {
        id
    }
}

pub fn dy_user(n: usize) -> String {
    format!("00000008-0000-4000-8000-{n:012}")
}

/// A Salesforce org: `users` active users (user 1 the admin), 400 a page.
pub struct Salesforce {
    pub users: usize,
    pub admin: Cell<bool>,
    pub made: RefCell<HashSet<&'static str>>,
    pub doc: RefCell<Option<String>>,
    pub seats: RefCell<BTreeSet<String>>,
    pub fault: RefCell<Option<Fault>>,
}

const SF_PAGE: usize = 400;

impl Salesforce {
    pub fn new(users: usize) -> Salesforce {
        Salesforce {
            users,
            admin: Cell::new(true),
            made: RefCell::default(),
            doc: RefCell::default(),
            seats: RefCell::default(),
            fault: RefCell::default(),
        }
    }

    fn user_page(&self, from: usize) -> HttpAnswer {
        let to = (from + SF_PAGE).min(self.users);
        let records: Vec<Value> = (from..to)
            .map(|i| json!({"Id": sf_user(i + 1), "Name": format!("User {:04}", i + 1), "Email": format!("user{}@acme.com", i + 1)}))
            .collect();
        let mut body =
            json!({"totalSize": self.users, "done": to == self.users, "records": records});
        if to < self.users {
            body["nextRecordsUrl"] = json!(format!("/services/data/v66.0/query/01gU-{to}"));
        }
        answer(200, body)
    }

    fn denied(&self, code: &str) -> (u16, Value) {
        (
            403,
            json!([{"errorCode": code, "message": "insufficient access rights"}]),
        )
    }

    fn create(&self, piece: &'static str) -> (u16, Value) {
        if !self.admin.get() {
            return self.denied("INSUFFICIENT_ACCESS");
        }
        if self.made.borrow_mut().insert(piece) {
            (201, json!({"id": "01I000000000001", "success": true}))
        } else {
            (
                400,
                json!([{"errorCode": "DUPLICATE_DEVELOPER_NAME", "message": "exists"}]),
            )
        }
    }

    fn records(records: Vec<Value>) -> (u16, Value) {
        (
            200,
            json!({"totalSize": records.len(), "done": true, "records": records}),
        )
    }

    fn query(&self, soql: &str) -> (u16, Value) {
        let made = |p| self.made.borrow().contains(p);
        if soql.contains("FROM crmsync_Settings__c") {
            if !made("object") || (!self.admin.get() && !self.seats.borrow().contains(SF_ADMIN)) {
                let type_error = json!([{"errorCode": "INVALID_TYPE", "message": "sObject type 'crmsync_Settings__c' is not supported."}]);
                return (400, type_error);
            }
            let doc = self.doc.borrow().clone();
            return Salesforce::records(
                doc.map(|d| json!({"Id": "a0N1", "Json__c": d}))
                    .into_iter()
                    .collect(),
            );
        }
        if soql.contains("FROM UserSetupEntityAccess") {
            let seated = self.admin.get() && self.seats.borrow().contains(SF_ADMIN);
            let rows = seated.then(|| json!({"DeveloperName": "crmsync_Seat"}));
            return Salesforce::records(rows.into_iter().collect());
        }
        if soql.contains("FROM OpportunityStage") {
            let stages = ["Prospecting", "Qualification", "Closed Won"]
                .iter()
                .enumerate()
                .map(|(i, s)| json!({"ApiName": s, "MasterLabel": s, "SortOrder": i + 1, "IsActive": true}))
                .collect();
            return Salesforce::records(stages);
        }
        if soql.contains("FROM PermissionSetAssignment") {
            if !self.admin.get() {
                let hidden = json!([{"errorCode": "INVALID_TYPE", "message": "sObject type 'PermissionSetAssignment' is not supported."}]);
                return (400, hidden);
            }
            let seats = self.seats.borrow();
            return match quoted_after(soql, "AssigneeId") {
                Some(user) => {
                    let rows = seats
                        .contains(&user)
                        .then(|| json!({"Id": format!("0Pa{user}")}));
                    Salesforce::records(rows.into_iter().collect())
                }
                None => {
                    Salesforce::records(seats.iter().map(|s| json!({"AssigneeId": s})).collect())
                }
            };
        }
        if soql.contains("FROM PermissionSet ") || soql.ends_with("FROM PermissionSet") {
            let rows = made("set").then(|| json!({"Id": "0PS1"}));
            return Salesforce::records(rows.into_iter().collect());
        }
        if soql.contains("FROM CustomPermission") {
            let rows = made("permission").then(|| json!({"Id": "0CP1"}));
            return Salesforce::records(rows.into_iter().collect());
        }
        (
            400,
            json!([{"errorCode": "MALFORMED_QUERY", "message": soql}]),
        )
    }

    fn composite(&self, body: &str) -> HttpAnswer {
        let body: Value = serde_json::from_str(body).unwrap();
        let mut user = None;
        let answers: Vec<Value> = body["compositeRequest"]
            .as_array()
            .unwrap()
            .iter()
            .map(|sub| {
                let reference = sub["referenceId"].as_str().unwrap();
                let url = sub["url"].as_str().unwrap();
                let method = sub["method"].as_str().unwrap();
                let (status, body) = match (method, reference) {
                    ("GET", "describe") => (
                        200,
                        json!({"fields": [
                            {"name": "Name", "type": "string", "label": "Name"},
                            {"name": "Amount", "type": "currency", "label": "Amount"},
                            {"name": "ExpectedRevenue", "type": "currency", "label": "Expected Amount"}]}),
                    ),
                    ("GET", _) => {
                        let soql = query_of(url);
                        user = quoted_after(&soql, "AssigneeId").or(user.clone());
                        self.query(&soql)
                    }
                    ("POST", "change") => {
                        if !self.admin.get() {
                            self.denied("INSUFFICIENT_ACCESS_OR_READONLY")
                        } else {
                            let assignee = sub["body"]["AssigneeId"].as_str().unwrap();
                            self.seats.borrow_mut().insert(assignee.to_string());
                            (201, json!({"id": "0Pa1"}))
                        }
                    }
                    ("DELETE", "change") => {
                        if !self.admin.get() {
                            self.denied("INSUFFICIENT_ACCESS_OR_READONLY")
                        } else {
                            if let Some(user) = &user {
                                self.seats.borrow_mut().remove(user);
                            }
                            (204, Value::Null)
                        }
                    }
                    ("POST", "admin") => {
                        if !self.admin.get() {
                            self.denied("INSUFFICIENT_ACCESS_OR_READONLY")
                        } else {
                            let assignee = sub["body"]["AssigneeId"].as_str().unwrap();
                            let new = self.seats.borrow_mut().insert(assignee.to_string());
                            if new {
                                (201, json!({"id": "0Pa1"}))
                            } else {
                                (400, json!([{"errorCode": "DUPLICATE_VALUE", "message": "dup"}]))
                            }
                        }
                    }
                    ("POST", piece) => {
                        let piece: &'static str = match piece {
                            "link" => "link",
                            "object" => "objectGrant",
                            "json" => "jsonGrant",
                            _ => "keyGrant",
                        };
                        match self.create(piece) {
                            (201, body) => (201, body),
                            (400, _) => (400, json!([{"errorCode": "DUPLICATE_VALUE", "message": "dup"}])),
                            other => other,
                        }
                    }
                    _ => (400, json!([])),
                };
                json!({"referenceId": reference, "httpStatusCode": status, "body": body})
            })
            .collect();
        answer(200, json!({"compositeResponse": answers}))
    }

    pub fn serve(&self, request: &HttpRequest) -> HttpAnswer {
        let url = request.url.as_str();
        if let Some(fault) = self.take_fault(url) {
            return fault;
        }
        let body = request.body.as_deref().unwrap_or_default();
        let (status, json) = match request.method.as_str() {
            _ if url.ends_with("/services/oauth2/userinfo") => (200, json!({"user_id": SF_ADMIN})),
            "POST" if url.ends_with("/composite") => return self.composite(body),
            "GET" if url.contains("/query/01gU-") => {
                let from = url.rsplit('-').next().unwrap().parse().unwrap();
                return self.user_page(from);
            }
            "GET" if url.contains("/query?q=") => {
                let soql = query_of(url);
                if soql.contains("FROM User ") {
                    return self.user_page(0);
                }
                self.query(&soql)
            }
            "POST" if url.ends_with("/tooling/sobjects/CustomObject") => self.create("object"),
            "POST" if url.ends_with("/tooling/sobjects/CustomField") => {
                self.create(if body.contains("Json__c") {
                    "json"
                } else {
                    "key"
                })
            }
            "POST" if url.ends_with("/tooling/sobjects/CustomPermission") => {
                self.create("permission")
            }
            "POST" if url.ends_with("/sobjects/PermissionSet") => self.create("set"),
            "PATCH" if url.ends_with("/sobjects/crmsync_Settings__c/Key__c/org") => {
                if !self.admin.get() {
                    self.denied("INSUFFICIENT_ACCESS_OR_READONLY")
                } else if !self.made.borrow().contains("object") {
                    (
                        404,
                        json!([{"errorCode": "NOT_FOUND", "message": "no such object"}]),
                    )
                } else {
                    let sent: Value = serde_json::from_str(body).unwrap();
                    let created = self.doc.borrow().is_none();
                    *self.doc.borrow_mut() = sent["Json__c"].as_str().map(String::from);
                    (
                        if created { 201 } else { 200 },
                        json!({"id": "a0N1", "created": created}),
                    )
                }
            }
            _ => (404, json!([{"errorCode": "NOT_FOUND", "message": url}])),
        };
        answer(status, json)
    }

    fn take_fault(&self, url: &str) -> Option<HttpAnswer> {
        take_fault(&self.fault, url)
    }
}

fn take_fault(fault: &RefCell<Option<Fault>>, url: &str) -> Option<HttpAnswer> {
    let hit = fault
        .borrow()
        .as_ref()
        .is_some_and(|f| url.contains(f.url_part));
    if !hit {
        return None;
    }
    let fault = fault.borrow_mut().take()?;
    Some(HttpAnswer {
        retry_after: fault.retry_after,
        ..HttpAnswer::new(fault.status, fault.body.to_string())
    })
}

/// A Dataverse org: `users` licensed users (user 1 the admin), 500 a page.
pub struct Dataverse {
    pub users: usize,
    /// Who is signed in (the admin: user 1).
    pub me: RefCell<String>,
    pub doc: RefCell<Option<String>>,
    pub team: Cell<bool>,
    pub seats: RefCell<BTreeSet<String>>,
    pub fault: RefCell<Option<Fault>>,
}

const DY_PAGE: usize = 500;
const DY_BASE: &str = "https://acme.crm.dynamics.com/api/data/v9.2";

impl Dataverse {
    pub fn new(users: usize) -> Dataverse {
        Dataverse {
            users,
            me: RefCell::new(DY_ADMIN.to_string()),
            doc: RefCell::default(),
            team: Cell::new(false),
            seats: RefCell::default(),
            fault: RefCell::default(),
        }
    }

    fn admin(&self) -> bool {
        *self.me.borrow() == DY_ADMIN
    }

    fn denied(&self, privilege: &str) -> (u16, Value) {
        let me = self.me.borrow();
        let message = format!("Principal user (Id={me}, type=8, roleCount=1, privilegeCount=500, accessMode=0), is missing {privilege} privilege (Id=1d2c0b8e-0000-0000-0000-000000000000) on OTC=9.");
        (
            403,
            json!({"error": {"code": "0x80040220", "message": message}}),
        )
    }

    fn users_page(&self, from: usize) -> (u16, Value) {
        let to = (from + DY_PAGE).min(self.users);
        let rows: Vec<Value> = (from..to)
            .map(|i| json!({"systemuserid": dy_user(i + 1), "fullname": format!("User {:04}", i + 1), "internalemailaddress": format!("user{}@acme.onmicrosoft.com", i + 1)}))
            .collect();
        let mut body = json!({"value": rows});
        if to < self.users {
            body["@odata.nextLink"] = json!(format!("{DY_BASE}/systemusers?$skiptoken={to}"));
        }
        (200, body)
    }

    fn read(&self, path: &str) -> (u16, Value) {
        let rows = |rows: Vec<Value>| (200, json!({"value": rows}));
        if path.starts_with("environmentvariablevalues?") {
            let doc = self.doc.borrow().clone();
            return rows(
                doc.map(|d| json!({"environmentvariablevalueid": DY_VALUE, "value": d}))
                    .into_iter()
                    .collect(),
            );
        }
        if path.starts_with("teams?") {
            return rows(
                self.team
                    .get()
                    .then(|| json!({"teamid": DY_TEAM}))
                    .into_iter()
                    .collect(),
            );
        }
        if path.starts_with("systemusers(") && path.contains("/teammembership_association") {
            let me = self.me.borrow();
            let mine = self.team.get() && self.seats.borrow().contains(&*me);
            return rows(
                mine.then(|| json!({"teamid": DY_TEAM}))
                    .into_iter()
                    .collect(),
            );
        }
        if path.contains("PicklistAttributeMetadata") {
            let options: Vec<Value> = ["Qualify", "Develop", "Propose", "Close"]
                .iter()
                .enumerate()
                .map(|(i, l)| json!({"Value": i, "Label": {"UserLocalizedLabel": {"Label": l}}}))
                .collect();
            return (
                200,
                json!({"LogicalName": "salesstagecode", "OptionSet": {"Options": options}}),
            );
        }
        if path.contains("MoneyAttributeMetadata") {
            let money = |name: &str, label: &str, base: bool| json!({"LogicalName": name, "DisplayName": {"UserLocalizedLabel": {"Label": label}}, "IsBaseCurrency": base});
            return rows(vec![
                money("estimatedvalue", "Est. Revenue", false),
                money("estimatedvalue_base", "Est. Revenue (Base)", true),
                money("actualvalue", "Actual Revenue", false),
            ]);
        }
        (
            404,
            json!({"error": {"code": "0x80060888", "message": path}}),
        )
    }

    fn batch(&self, body: &str) -> HttpAnswer {
        let parts: String = body
            .lines()
            .filter_map(|l| l.strip_prefix("GET "))
            .map(|l| {
                let path = l
                    .trim_end_matches(" HTTP/1.1")
                    .trim_start_matches(DY_BASE)
                    .trim_start_matches('/');
                let (status, json) = self.read(path);
                format!("--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 {status} OK\r\nContent-Type: application/json; odata.metadata=minimal\r\n\r\n{json}\r\n")
            })
            .collect();
        HttpAnswer::new(200, format!("{parts}--batchresponse_1--\r\n"))
    }

    pub fn serve(&self, request: &HttpRequest) -> HttpAnswer {
        let url = request.url.as_str();
        if let Some(fault) = take_fault(&self.fault, url) {
            return fault;
        }
        let path = url.trim_start_matches(DY_BASE).trim_start_matches('/');
        let body = request.body.as_deref().unwrap_or_default();
        let sent: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let team_members = format!("teams({DY_TEAM})/teammembership_association");
        let (status, json) = match request.method.as_str() {
            "GET" if path == "WhoAmI" => (
                200,
                json!({"UserId": *self.me.borrow(), "BusinessUnitId": DY_UNIT, "OrganizationId": "o"}),
            ),
            "POST" if path == "$batch" => return self.batch(body),
            "GET" if path.starts_with("systemusers?") => {
                let from = path
                    .split("$skiptoken=")
                    .nth(1)
                    .map_or(0, |n| n.parse().unwrap());
                self.users_page(from)
            }
            "GET" if path.starts_with(&team_members) => {
                let rows: Vec<Value> = self
                    .seats
                    .borrow()
                    .iter()
                    .map(|s| json!({"systemuserid": s}))
                    .collect();
                (200, json!({"value": rows}))
            }
            "POST" if path == "environmentvariabledefinitions" => {
                if !self.admin() {
                    self.denied("prvCreateEnvironmentVariableDefinition")
                } else {
                    let value =
                        &sent["environmentvariabledefinition_environmentvariablevalue"][0]["value"];
                    *self.doc.borrow_mut() = value.as_str().map(String::from);
                    (204, Value::Null)
                }
            }
            "POST" if path == "teams" => {
                if !self.admin() {
                    self.denied("prvCreateTeam")
                } else {
                    self.team.set(true);
                    (204, Value::Null)
                }
            }
            "POST" if path == format!("{team_members}/$ref") => {
                if !self.admin() {
                    return answer_of(self.denied("prvWriteTeam"));
                }
                let user = sent["@odata.id"].as_str().unwrap();
                let id = user
                    .split("systemusers(")
                    .nth(1)
                    .unwrap()
                    .trim_end_matches(')');
                let new = self.seats.borrow_mut().insert(id.to_string());
                if new {
                    (204, Value::Null)
                } else {
                    (
                        412,
                        json!({"error": {"code": "0x80040237", "message": "duplicate"}}),
                    )
                }
            }
            "DELETE" if path.starts_with(&format!("{team_members}(")) => {
                if !self.admin() {
                    return answer_of(self.denied("prvWriteTeam"));
                }
                let id = path.split('(').nth(2).unwrap().split(')').next().unwrap();
                self.seats.borrow_mut().remove(id);
                (204, Value::Null)
            }
            "PATCH" if path == format!("environmentvariablevalues({DY_VALUE})") => {
                if !self.admin() {
                    self.denied("prvWriteEnvironmentVariableValue")
                } else {
                    *self.doc.borrow_mut() = sent["value"].as_str().map(String::from);
                    (204, Value::Null)
                }
            }
            _ => (
                404,
                json!({"error": {"code": "0x80060888", "message": path}}),
            ),
        };
        answer(status, json)
    }
}

fn answer_of((status, json): (u16, Value)) -> HttpAnswer {
    answer(status, json)
}
