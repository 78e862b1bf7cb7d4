//! Dataverse tables the emulator serves (CRM-APIS B2, B6): attributes with types, entity set
//! names, and the navigation properties `@odata.bind` and `$expand` use. Custom attributes
//! created through `EntityDefinitions` join them at run time.

use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    Uniqueidentifier,
    String,
    Memo,
    Integer,
    Money,
    Decimal,
    Boolean,
    DateTime,
    DateOnly,
    Lookup,
    Picklist,
    State,
    Status,
    BigInt,
}

impl AttrType {
    pub fn metadata_name(self) -> (&'static str, &'static str) {
        match self {
            AttrType::Uniqueidentifier => ("Uniqueidentifier", "UniqueidentifierType"),
            AttrType::String => ("String", "StringType"),
            AttrType::Memo => ("Memo", "MemoType"),
            AttrType::Integer => ("Integer", "IntegerType"),
            AttrType::Money => ("Money", "MoneyType"),
            AttrType::Decimal => ("Decimal", "DecimalType"),
            AttrType::Boolean => ("Boolean", "BooleanType"),
            AttrType::DateTime | AttrType::DateOnly => ("DateTime", "DateTimeType"),
            AttrType::Lookup => ("Lookup", "LookupType"),
            AttrType::Picklist => ("Picklist", "PicklistType"),
            AttrType::State => ("State", "StateType"),
            AttrType::Status => ("Status", "StatusType"),
            AttrType::BigInt => ("BigInt", "BigIntType"),
        }
    }

    pub fn is_text(self) -> bool {
        matches!(self, AttrType::String | AttrType::Memo)
    }

    pub fn is_number(self) -> bool {
        matches!(
            self,
            AttrType::Integer
                | AttrType::Money
                | AttrType::Decimal
                | AttrType::Picklist
                | AttrType::State
                | AttrType::Status
                | AttrType::BigInt
        )
    }
}

#[derive(Debug, Clone)]
pub struct Attr {
    pub name: String,
    pub ty: AttrType,
    pub max_length: u32,
    pub writable: bool,
    pub custom: bool,
    pub label: String,
}

impl Attr {
    /// The name a row stores and the API returns: lookups read back as `_x_value` (B2).
    pub fn key(&self) -> String {
        if self.ty == AttrType::Lookup {
            format!("_{}_value", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// `parentcustomerid_account` sets lookup `parentcustomerid` to an `account`.
#[derive(Debug, Clone)]
pub struct NavProp {
    pub name: String,
    pub attr: String,
    pub target: String,
}

#[derive(Debug, Clone)]
pub struct EntityDef {
    pub logical: String,
    pub set: String,
    pub primary_id: String,
    pub primary_name: String,
    pub type_code: u32,
    pub is_activity: bool,
    pub read_only: bool,
    pub attrs: Vec<Attr>,
    pub navs: Vec<NavProp>,
    /// Collection navigation properties accepted in deep inserts (`phonecall_activity_parties`).
    pub party_list: Option<String>,
}

impl EntityDef {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs
            .iter()
            .find(|a| a.name == name || a.key() == name)
    }

    pub fn nav(&self, name: &str) -> Option<&NavProp> {
        self.navs.iter().find(|n| n.name == name)
    }

    pub fn metadata(&self) -> Value {
        json!({
            "@odata.type": "#Microsoft.Dynamics.CRM.EntityMetadata",
            "LogicalName": self.logical, "SchemaName": schema_name(&self.logical),
            "EntitySetName": self.set, "LogicalCollectionName": self.set,
            "PrimaryIdAttribute": self.primary_id, "PrimaryNameAttribute": self.primary_name,
            "ObjectTypeCode": self.type_code, "IsActivity": self.is_activity,
            "IsCustomEntity": false, "MetadataId": metadata_id(&self.logical, ""),
            "DisplayName": label(&schema_name(&self.logical)),
        })
    }
}

pub fn schema_name(logical: &str) -> String {
    let mut chars = logical.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

pub fn label(text: &str) -> Value {
    let l = json!({"Label": text, "LanguageCode": 1033});
    json!({"LocalizedLabels": [l.clone()], "UserLocalizedLabel": l})
}

/// Stable metadata ids: a hash of the names, shaped as a GUID.
pub fn metadata_id(entity: &str, attr: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in entity.bytes().chain([b'/']).chain(attr.bytes()) {
        h = (h ^ b as u64).wrapping_mul(0x100000001b3);
    }
    let h2 = h.rotate_left(29) ^ 0x9e3779b97f4a7c15;
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        h2 & 0xfff,
        h2 >> 16
    )
}

pub fn attr_metadata(entity: &str, a: &Attr) -> Value {
    let (ty, type_name) = a.ty.metadata_name();
    let odata_type = format!("#Microsoft.Dynamics.CRM.{ty}AttributeMetadata");
    json!({
        "@odata.type": odata_type, "LogicalName": a.name, "SchemaName": if a.custom { a.label.clone() } else { schema_name(&a.name) },
        "AttributeType": ty, "AttributeTypeName": {"Value": type_name},
        "MetadataId": metadata_id(entity, &a.name), "EntityLogicalName": entity,
        "IsCustomAttribute": a.custom, "IsValidForCreate": a.writable, "IsValidForUpdate": a.writable,
        "IsValidForRead": true, "RequiredLevel": {"Value": "None"}, "DisplayName": label(&a.label),
        "MaxLength": if a.ty.is_text() { Some(a.max_length) } else { None },
    })
}

fn attr(name: &str, ty: AttrType) -> Attr {
    let max_length = match ty {
        AttrType::String => 100,
        AttrType::Memo => 100_000,
        _ => 0,
    };
    Attr {
        name: name.to_string(),
        ty,
        max_length,
        writable: true,
        custom: false,
        label: name.to_string(),
    }
}

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

fn standard() -> Vec<EntityDef> {
    let mut contact = person();
    contact.extend([
        attr("parentcustomerid", A::Lookup),
        len(attr("department", A::String), 100),
    ]);
    let mut lead = person();
    lead.extend([
        attr("companyname", A::String),
        len(attr("subject", A::String), 300),
        attr("parentaccountid", A::Lookup),
        attr("parentcontactid", A::Lookup),
    ]);
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
    vec![
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
                attr("documentbody", A::Memo),
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
    ]
}

#[derive(Debug, Clone)]
pub struct Schema {
    pub entities: Vec<EntityDef>,
}

impl Default for Schema {
    fn default() -> Self {
        Schema {
            entities: standard(),
        }
    }
}

impl Schema {
    pub fn by_set(&self, set: &str) -> Option<&EntityDef> {
        self.entities.iter().find(|e| e.set == set)
    }

    pub fn by_logical(&self, logical: &str) -> Option<&EntityDef> {
        self.entities.iter().find(|e| e.logical == logical)
    }

    /// Adds a custom attribute; false when the entity is unknown or the name is taken.
    pub fn add_attr(&mut self, entity: &str, name: &str, ty: AttrType, schema_name: &str) -> bool {
        let Some(e) = self.entities.iter_mut().find(|e| e.logical == entity) else {
            return false;
        };
        if e.attr(name).is_some() {
            return false;
        }
        let mut a = attr(name, ty);
        a.custom = true;
        a.label = schema_name.to_string();
        e.attrs.push(a);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_navigation_names_carry_the_activity() {
        let s = Schema::default();
        let call = s.by_set("phonecalls").unwrap();
        assert!(call.nav("regardingobjectid_contact_phonecall").is_some());
        assert!(call.nav("regardingobjectid_contact").is_none());
        assert_eq!(call.primary_id, "activityid");
    }

    #[test]
    fn lookups_read_back_as_value_properties() {
        let s = Schema::default();
        let contact = s.by_logical("contact").unwrap();
        assert_eq!(
            contact.attr("parentcustomerid").unwrap().key(),
            "_parentcustomerid_value"
        );
        assert!(contact.attr("_parentcustomerid_value").is_some());
    }

    #[test]
    fn metadata_ids_are_stable_guids() {
        let id = metadata_id("contact", "new_synced");
        assert_eq!(id.len(), 36);
        assert_eq!(id, metadata_id("contact", "new_synced"));
    }
}
