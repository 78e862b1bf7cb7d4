//! The standard tables: contacts, accounts, leads, opportunities, users, notes, activities,
//! activity parties and views (CRM-APIS B2, B6, B8).

use super::entity::{Attr, AttrType, EntityDef, NavProp};

pub fn attr(name: &str, ty: AttrType) -> Attr {
    let max_length = match ty {
        AttrType::String => 100,
        AttrType::Memo => 100_000,
        _ => 0,
    };
    Attr {
        name: name.to_string(),
        ty,
        options: Vec::new(),
        max_length,
        writable: true,
        custom: false,
        label: name.to_string(),
    }
}

fn options(mut a: Attr, list: &[(i64, &str)]) -> Attr {
    a.options = list.iter().map(|(v, l)| (*v, l.to_string())).collect();
    a
}

/// The opportunity's sales stages as Dynamics 365 Sales ships them (B12).
const SALES_STAGES: &[(i64, &str)] =
    &[(0, "Qualify"), (1, "Develop"), (2, "Propose"), (3, "Close")];

fn ro(mut a: Attr) -> Attr {
    a.writable = false;
    a
}

fn len(mut a: Attr, n: u32) -> Attr {
    a.max_length = n;
    a
}

use AttrType as A;

fn common(id: &str) -> Vec<Attr> {
    vec![
        ro(attr(id, A::Uniqueidentifier)),
        ro(attr("createdon", A::DateTime)),
        ro(attr("modifiedon", A::DateTime)),
        ro(attr("versionnumber", A::BigInt)),
        attr("statecode", A::State),
        attr("statuscode", A::Status),
        attr("ownerid", A::Lookup),
    ]
}

fn navs(list: &[(&str, &str, &str)]) -> Vec<NavProp> {
    list.iter()
        .map(|(name, attr, target)| NavProp {
            name: name.to_string(),
            attr: attr.to_string(),
            target: target.to_string(),
        })
        .collect()
}

struct Spec {
    logical: &'static str,
    set: &'static str,
    id: &'static str,
    name: &'static str,
    code: u32,
}

fn entity(spec: Spec, own: Vec<Attr>, nav_list: &[(&str, &str, &str)]) -> EntityDef {
    let mut attrs = common(spec.id);
    attrs.extend(own);
    let mut all_navs = navs(&[("ownerid", "ownerid", "systemuser")]);
    all_navs.extend(navs(nav_list));
    EntityDef {
        logical: spec.logical.into(),
        set: spec.set.into(),
        primary_id: spec.id.into(),
        primary_name: spec.name.into(),
        type_code: spec.code,
        is_activity: false,
        read_only: false,
        attrs,
        navs: all_navs,
        party_list: None,
    }
}

fn person() -> Vec<Attr> {
    vec![
        len(attr("firstname", A::String), 50),
        len(attr("lastname", A::String), 50),
        ro(len(attr("fullname", A::String), 160)),
        attr("jobtitle", A::String),
        attr("emailaddress1", A::String),
        len(attr("telephone1", A::String), 50),
        len(attr("mobilephone", A::String), 50),
        len(attr("address1_city", A::String), 80),
        len(attr("address1_country", A::String), 80),
        attr("description", A::Memo),
    ]
}

/// Activities share `activityid` and the regarding lookup, bound per activity name (B6).
fn activity(logical: &'static str, set: &'static str, code: u32, own: Vec<Attr>) -> EntityDef {
    let regarding: Vec<(String, String, String)> = ["contact", "account", "lead", "opportunity"]
        .iter()
        .map(|t| {
            (
                format!("regardingobjectid_{t}_{logical}"),
                "regardingobjectid".to_string(),
                t.to_string(),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str)> = regarding
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    let mut attrs = vec![
        len(attr("subject", A::String), 200),
        attr("description", A::Memo),
        attr("regardingobjectid", A::Lookup),
        ro(len(attr("activitytypecode", A::String), 64)),
        attr("scheduledend", A::DateTime),
        attr("actualend", A::DateTime),
        attr("actualdurationminutes", A::Integer),
        attr("prioritycode", A::Picklist),
    ];
    attrs.extend(own);
    let mut e = entity(
        Spec {
            logical,
            set,
            id: "activityid",
            name: "subject",
            code,
        },
        attrs,
        &refs,
    );
    e.is_activity = true;
    e
}

/// What a merge leaves on the subordinate: `merged` and the survivor in `masterid` (B19).
fn mergeable() -> [Attr; 2] {
    [
        ro(attr("merged", A::Boolean)),
        ro(attr("masterid", A::Lookup)),
    ]
}

pub fn standard() -> Vec<EntityDef> {
    let mut contact = person();
    contact.extend([
        attr("parentcustomerid", A::Lookup),
        len(attr("department", A::String), 100),
    ]);
    contact.extend(mergeable());
    let mut lead = person();
    lead.extend([
        attr("companyname", A::String),
        len(attr("subject", A::String), 300),
        attr("parentaccountid", A::Lookup),
        attr("parentcontactid", A::Lookup),
    ]);
    lead.extend(mergeable());
    let mut phonecall = activity(
        "phonecall",
        "phonecalls",
        4210,
        vec![
            len(attr("phonenumber", A::String), 200),
            attr("directioncode", A::Boolean),
        ],
    );
    phonecall.party_list = Some("phonecall_activity_parties".into());
    let mut pointer = activity("activitypointer", "activitypointers", 4200, Vec::new());
    pointer.read_only = true;
    let mut users = entity(
        Spec {
            logical: "systemuser",
            set: "systemusers",
            id: "systemuserid",
            name: "fullname",
            code: 8,
        },
        vec![
            ro(attr("fullname", A::String)),
            ro(attr("firstname", A::String)),
            ro(attr("lastname", A::String)),
            ro(attr("internalemailaddress", A::String)),
            ro(attr("domainname", A::String)),
            ro(attr("title", A::String)),
            ro(attr("isdisabled", A::Boolean)),
            // Access mode 0 Read-Write … 4 Non-interactive; application users carry an
            // application id (B15).
            ro(attr("accessmode", A::Picklist)),
            ro(attr("islicensed", A::Boolean)),
            ro(attr("applicationid", A::Uniqueidentifier)),
        ],
        &[],
    );
    users.read_only = true;
    let mut parties = EntityDef {
        logical: "activityparty".into(),
        set: "activityparties".into(),
        primary_id: "activitypartyid".into(),
        primary_name: "addressused".into(),
        type_code: 135,
        is_activity: false,
        read_only: true,
        attrs: vec![
            ro(attr("activitypartyid", A::Uniqueidentifier)),
            ro(attr("activityid", A::Lookup)),
            ro(attr("partyid", A::Lookup)),
            ro(attr("participationtypemask", A::Picklist)),
            ro(attr("addressused", A::String)),
        ],
        navs: Vec::new(),
        party_list: None,
    };
    parties.navs = navs(&[("activityid_phonecall", "activityid", "phonecall")]);
    let mut all = vec![
        entity(
            Spec {
                logical: "contact",
                set: "contacts",
                id: "contactid",
                name: "fullname",
                code: 2,
            },
            contact,
            &[
                ("parentcustomerid_account", "parentcustomerid", "account"),
                ("parentcustomerid_contact", "parentcustomerid", "contact"),
            ],
        ),
        entity(
            Spec {
                logical: "account",
                set: "accounts",
                id: "accountid",
                name: "name",
                code: 1,
            },
            vec![
                len(attr("name", A::String), 160),
                len(attr("websiteurl", A::String), 200),
                len(attr("telephone1", A::String), 50),
                len(attr("address1_city", A::String), 80),
                len(attr("address1_country", A::String), 80),
                attr("numberofemployees", A::Integer),
                attr("description", A::Memo),
                attr("primarycontactid", A::Lookup),
                ro(attr("merged", A::Boolean)),
                ro(attr("masterid", A::Lookup)),
            ],
            &[("primarycontactid", "primarycontactid", "contact")],
        ),
        entity(
            Spec {
                logical: "lead",
                set: "leads",
                id: "leadid",
                name: "fullname",
                code: 4,
            },
            lead,
            &[
                ("parentaccountid", "parentaccountid", "account"),
                ("parentcontactid", "parentcontactid", "contact"),
            ],
        ),
        entity(
            Spec {
                logical: "opportunity",
                set: "opportunities",
                id: "opportunityid",
                name: "name",
                code: 3,
            },
            vec![
                len(attr("name", A::String), 300),
                len(attr("stepname", A::String), 200),
                attr("estimatedclosedate", A::DateOnly),
                attr("estimatedvalue", A::Money),
                ro(attr("estimatedvalue_base", A::Money)),
                attr("actualvalue", A::Money),
                ro(attr("actualvalue_base", A::Money)),
                attr("budgetamount", A::Money),
                ro(attr("budgetamount_base", A::Money)),
                options(attr("salesstagecode", A::Picklist), SALES_STAGES),
                attr("closeprobability", A::Integer),
                attr("description", A::Memo),
                attr("parentaccountid", A::Lookup),
                attr("parentcontactid", A::Lookup),
                attr("customerid", A::Lookup),
            ],
            &[
                ("parentaccountid", "parentaccountid", "account"),
                ("parentcontactid", "parentcontactid", "contact"),
                ("customerid_account", "customerid", "account"),
                ("customerid_contact", "customerid", "contact"),
            ],
        ),
        users,
        entity(
            Spec {
                logical: "annotation",
                set: "annotations",
                id: "annotationid",
                name: "subject",
                code: 5,
            },
            vec![
                len(attr("subject", A::String), 500),
                attr("notetext", A::Memo),
                attr("objectid", A::Lookup),
                ro(len(attr("objecttypecode", A::String), 64)),
                attr("isdocument", A::Boolean),
                len(attr("filename", A::String), 255),
                len(attr("mimetype", A::String), 256),
                // Base64 file content: far longer than a text memo.
                len(attr("documentbody", A::Memo), 200_000_000),
            ],
            &[
                ("objectid_contact", "objectid", "contact"),
                ("objectid_account", "objectid", "account"),
                ("objectid_lead", "objectid", "lead"),
                ("objectid_opportunity", "objectid", "opportunity"),
            ],
        ),
        activity(
            "task",
            "tasks",
            4212,
            vec![attr("percentcomplete", A::Integer)],
        ),
        phonecall,
        pointer,
        parties,
        entity(
            Spec {
                logical: "savedquery",
                set: "savedqueries",
                id: "savedqueryid",
                name: "name",
                code: 1039,
            },
            vec![
                len(attr("name", A::String), 200),
                len(attr("returnedtypecode", A::String), 64),
                attr("querytype", A::Integer),
                attr("fetchxml", A::Memo),
                attr("layoutxml", A::Memo),
                attr("isdefault", A::Boolean),
                attr("description", A::Memo),
            ],
            &[],
        ),
    ];
    all.extend(admin_tables());
    all
}

/// What crmsync's admin side uses (B13, B14): environment variables, teams, business units.
fn admin_tables() -> Vec<EntityDef> {
    let spec = |logical, set, id, name, code| Spec {
        logical,
        set,
        id,
        name,
        code,
    };
    let mut units = entity(
        spec(
            "businessunit",
            "businessunits",
            "businessunitid",
            "name",
            10,
        ),
        vec![ro(attr("name", A::String))],
        &[],
    );
    units.read_only = true;
    vec![
        entity(
            spec(
                "environmentvariabledefinition",
                "environmentvariabledefinitions",
                "environmentvariabledefinitionid",
                "schemaname",
                380,
            ),
            vec![
                attr("schemaname", A::String),
                attr("displayname", A::String),
                attr("type", A::Picklist),
                attr("defaultvalue", A::Memo),
                attr("description", A::Memo),
            ],
            &[],
        ),
        entity(
            spec(
                "environmentvariablevalue",
                "environmentvariablevalues",
                "environmentvariablevalueid",
                "schemaname",
                381,
            ),
            vec![
                attr("schemaname", A::String),
                attr("value", A::Memo),
                attr("environmentvariabledefinitionid", A::Lookup),
            ],
            &[(
                "EnvironmentVariableDefinitionId",
                "environmentvariabledefinitionid",
                "environmentvariabledefinition",
            )],
        ),
        entity(
            spec("team", "teams", "teamid", "name", 9),
            vec![
                len(attr("name", A::String), 160),
                attr("teamtype", A::Picklist),
                attr("description", A::Memo),
                attr("businessunitid", A::Lookup),
            ],
            &[("businessunitid", "businessunitid", "businessunit")],
        ),
        units,
    ]
}
