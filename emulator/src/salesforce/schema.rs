//! The sObjects the emulator knows, with the fields, types and picklists describe reports
//! (CRM-APIS A7, A9, A10). Custom fields added through the Tooling API join them at run time.

use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Id,
    String,
    Textarea,
    Email,
    Phone,
    Url,
    Picklist,
    Combobox,
    Reference,
    Boolean,
    Date,
    DateTime,
    Currency,
    Double,
    Percent,
    Int,
    Base64,
}

impl FieldType {
    pub fn api_name(self) -> &'static str {
        match self {
            FieldType::Id => "id",
            FieldType::String => "string",
            FieldType::Textarea => "textarea",
            FieldType::Email => "email",
            FieldType::Phone => "phone",
            FieldType::Url => "url",
            FieldType::Picklist => "picklist",
            FieldType::Combobox => "combobox",
            FieldType::Reference => "reference",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::DateTime => "datetime",
            FieldType::Currency => "currency",
            FieldType::Double => "double",
            FieldType::Percent => "percent",
            FieldType::Int => "int",
            FieldType::Base64 => "base64",
        }
    }

    /// Values compared and written as JSON strings.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            FieldType::Id
                | FieldType::String
                | FieldType::Textarea
                | FieldType::Email
                | FieldType::Phone
                | FieldType::Url
                | FieldType::Picklist
                | FieldType::Combobox
                | FieldType::Reference
                | FieldType::Base64
        )
    }

    pub fn is_number(self) -> bool {
        matches!(
            self,
            FieldType::Currency | FieldType::Double | FieldType::Percent | FieldType::Int
        )
    }

    fn soap_type(self) -> &'static str {
        match self {
            FieldType::Id | FieldType::Reference => "tns:ID",
            FieldType::Boolean => "xsd:boolean",
            FieldType::Date => "xsd:date",
            FieldType::DateTime => "xsd:dateTime",
            FieldType::Int => "xsd:int",
            FieldType::Currency | FieldType::Double | FieldType::Percent => "xsd:double",
            FieldType::Base64 => "xsd:base64Binary",
            _ => "xsd:string",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FieldDef {
    pub name: String,
    pub label: String,
    pub ty: FieldType,
    pub length: u32,
    pub nillable: bool,
    pub createable: bool,
    pub updateable: bool,
    pub defaulted: bool,
    pub custom: bool,
    pub external_id: bool,
    pub name_field: bool,
    pub reference_to: Vec<String>,
    pub relationship_name: Option<String>,
    pub picklist: Vec<String>,
    pub restricted: bool,
    pub default_value: Option<Value>,
}

impl FieldDef {
    fn new(name: &str, ty: FieldType, length: u32) -> FieldDef {
        FieldDef {
            name: name.to_string(),
            label: label_of(name),
            ty,
            length,
            nillable: true,
            createable: true,
            updateable: true,
            defaulted: false,
            custom: name.ends_with("__c"),
            external_id: false,
            name_field: false,
            reference_to: Vec::new(),
            relationship_name: None,
            picklist: Vec::new(),
            restricted: false,
            default_value: None,
        }
    }

    /// Must be given on create: not nillable, createable and without a default.
    pub fn required(&self) -> bool {
        !self.nillable && self.createable && !self.defaulted && self.ty != FieldType::Boolean
    }

    fn req(mut self) -> Self {
        self.nillable = false;
        self
    }

    fn read_only(mut self) -> Self {
        self.createable = false;
        self.updateable = false;
        self
    }

    fn create_only(mut self) -> Self {
        self.updateable = false;
        self
    }

    fn default(mut self, value: Value) -> Self {
        self.defaulted = true;
        self.default_value = Some(value);
        self
    }

    fn labelled(mut self, label: &str) -> Self {
        self.label = label.to_string();
        self
    }

    pub fn describe(&self) -> Value {
        let default = self.default_value.as_ref().and_then(Value::as_str);
        let picklist: Vec<Value> = self
            .picklist
            .iter()
            .map(|v| json!({"active": true, "defaultValue": Some(v.as_str()) == default, "label": v, "validFor": null, "value": v}))
            .collect();
        json!({
            "name": self.name, "label": self.label, "type": self.ty.api_name(),
            "length": self.length, "nillable": self.nillable, "createable": self.createable,
            "updateable": self.updateable, "defaultedOnCreate": self.defaulted,
            "defaultValue": if self.ty == FieldType::Boolean { self.default_value.clone() } else { None },
            "custom": self.custom, "externalId": self.external_id, "unique": false,
            "nameField": self.name_field, "idLookup": self.ty == FieldType::Id || self.external_id,
            "filterable": true, "sortable": self.ty != FieldType::Textarea, "calculated": false,
            "picklistValues": picklist, "restrictedPicklist": self.restricted,
            "referenceTo": self.reference_to, "relationshipName": self.relationship_name,
            "polymorphicForeignKey": self.reference_to.len() > 1,
            "soapType": self.ty.soap_type(),
        })
    }
}

/// `AccountId` → `Account ID`, `LastName` → `Last Name`.
fn label_of(name: &str) -> String {
    let base = name.strip_suffix("__c").unwrap_or(name);
    let mut out = String::new();
    for (i, c) in base.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push(c);
    }
    out.strip_suffix(" Id")
        .map(|s| format!("{s} ID"))
        .unwrap_or(out)
}

#[derive(Debug, Clone)]
pub struct ObjectDef {
    pub name: String,
    pub label: String,
    pub label_plural: String,
    pub prefix: String,
    pub fields: Vec<FieldDef>,
}

impl ObjectDef {
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The reference field whose relationship is `name` (`Account` → `AccountId`).
    pub fn relationship(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| {
            f.relationship_name
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case(name))
        })
    }

    pub fn name_field(&self) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name_field)
    }
}

use FieldType as T;

fn text(name: &str, len: u32) -> FieldDef {
    FieldDef::new(name, T::String, len)
}
fn typed(name: &str, ty: FieldType) -> FieldDef {
    let len = match ty {
        T::Email | T::Url => 255,
        T::Phone => 40,
        T::Textarea => 32000,
        T::Id | T::Reference => 18,
        _ => 0,
    };
    FieldDef::new(name, ty, len)
}
fn reference(name: &str, to: &[&str], relationship: &str) -> FieldDef {
    let mut f = typed(name, T::Reference);
    f.reference_to = to.iter().map(|s| s.to_string()).collect();
    f.relationship_name = Some(relationship.to_string());
    f
}
fn picklist(name: &str, values: &[&str]) -> FieldDef {
    let mut f = FieldDef::new(name, T::Picklist, 255);
    f.picklist = values.iter().map(|s| s.to_string()).collect();
    f
}
fn restricted(mut f: FieldDef, default: &str) -> FieldDef {
    f.restricted = true;
    f.default(Value::String(default.to_string()))
}
fn boolean(name: &str, default: bool) -> FieldDef {
    typed(name, T::Boolean).default(Value::Bool(default))
}
fn name_of_person() -> FieldDef {
    let mut f = text("Name", 121).labelled("Full Name").read_only();
    f.name_field = true;
    f
}
fn name_field(len: u32) -> FieldDef {
    let mut f = text("Name", len).req();
    f.name_field = true;
    f
}

/// Fields every object has; `owned` adds OwnerId.
fn system_fields(owned: bool) -> Vec<FieldDef> {
    let mut fields = vec![
        typed("Id", T::Id).read_only(),
        boolean("IsDeleted", false).read_only(),
        typed("CreatedDate", T::DateTime).read_only(),
        reference("CreatedById", &["User"], "CreatedBy").read_only(),
        typed("LastModifiedDate", T::DateTime).read_only(),
        reference("LastModifiedById", &["User"], "LastModifiedBy").read_only(),
        typed("SystemModstamp", T::DateTime).read_only(),
    ];
    if owned {
        let mut owner = reference("OwnerId", &["User"], "Owner").req();
        owner.defaulted = true;
        fields.push(owner);
    }
    fields
}

pub const STAGES: &[&str] = &[
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
];
pub const TASK_STATUSES: &[&str] = &[
    "Not Started",
    "In Progress",
    "Completed",
    "Waiting on someone else",
    "Deferred",
];
pub const LEAD_STATUSES: &[&str] = &[
    "Open - Not Contacted",
    "Working - Contacted",
    "Closed - Converted",
    "Closed - Not Converted",
];
const LEAD_SOURCES: &[&str] = &[
    "Web",
    "Phone Inquiry",
    "Partner Referral",
    "Purchased List",
    "Other",
];
const WHO: &[&str] = &["Contact", "Lead"];
const WHAT: &[&str] = &["Account", "Opportunity"];

fn object(name: &str, plural: &str, prefix: &str, owned: bool, own: Vec<FieldDef>) -> ObjectDef {
    let mut fields = system_fields(owned);
    fields.extend(own);
    ObjectDef {
        name: name.to_string(),
        label: label_of(name),
        label_plural: plural.to_string(),
        prefix: prefix.to_string(),
        fields,
    }
}

fn person_fields() -> Vec<FieldDef> {
    vec![
        picklist("Salutation", &["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]),
        text("FirstName", 40),
        text("LastName", 80).req(),
        name_of_person(),
        typed("Email", T::Email),
        typed("Phone", T::Phone),
        typed("MobilePhone", T::Phone),
        text("Title", 128),
        picklist("LeadSource", LEAD_SOURCES),
        typed("Description", T::Textarea),
    ]
}

fn standard_objects() -> Vec<ObjectDef> {
    let mut contact = person_fields();
    contact.extend([
        reference("AccountId", &["Account"], "Account"),
        text("Department", 80),
        text("MailingCity", 40),
        text("MailingCountry", 80),
    ]);
    let mut lead = person_fields();
    lead.extend([
        text("Company", 255).req(),
        restricted(picklist("Status", LEAD_STATUSES), "Open - Not Contacted").req(),
        text("City", 40),
        text("Country", 80),
        text("Industry", 40),
        boolean("IsConverted", false).read_only(),
        reference("ConvertedContactId", &["Contact"], "ConvertedContact").read_only(),
        reference("ConvertedAccountId", &["Account"], "ConvertedAccount").read_only(),
    ]);
    let activity_links = || {
        vec![
            reference("WhoId", WHO, "Who"),
            reference("WhatId", WHAT, "What"),
            reference("AccountId", &["Account"], "Account").read_only(),
            typed("Description", T::Textarea),
        ]
    };
    let mut task = vec![
        FieldDef::new("Subject", T::Combobox, 255),
        restricted(picklist("Status", TASK_STATUSES), "Not Started").req(),
        restricted(picklist("Priority", &["High", "Normal", "Low"]), "Normal").req(),
        typed("ActivityDate", T::Date).labelled("Due Date Only"),
        picklist("Type", &["Call", "Email", "Meeting", "Other"]),
        // Set on create only (A9).
        restricted(
            picklist(
                "TaskSubtype",
                &["Task", "Email", "ListEmail", "Cadence", "Call"],
            ),
            "Task",
        )
        .create_only(),
        typed("CallDurationInSeconds", T::Int),
        picklist("CallType", &["Inbound", "Internal", "Outbound"]),
        text("CallDisposition", 255),
        text("CallObject", 255),
        boolean("IsClosed", false).read_only(),
    ];
    task.extend(activity_links());
    let mut event = vec![
        FieldDef::new("Subject", T::Combobox, 255),
        typed("StartDateTime", T::DateTime),
        typed("EndDateTime", T::DateTime),
        typed("ActivityDateTime", T::DateTime),
        typed("ActivityDate", T::Date),
        typed("DurationInMinutes", T::Int),
        boolean("IsAllDayEvent", false),
        text("Location", 255),
    ];
    event.extend(activity_links());
    vec![
        object(
            "User",
            "Users",
            "005",
            false,
            vec![
                text("Username", 80).read_only(),
                text("FirstName", 40).read_only(),
                text("LastName", 80).read_only(),
                name_of_person(),
                typed("Email", T::Email).read_only(),
                text("Alias", 8).read_only(),
                text("Title", 80).read_only(),
                boolean("IsActive", true).read_only(),
                text("TimeZoneSidKey", 40).read_only(),
                text("LanguageLocaleKey", 40).read_only(),
            ],
        ),
        object(
            "Account",
            "Accounts",
            "001",
            true,
            vec![
                name_field(255).labelled("Account Name"),
                typed("Phone", T::Phone),
                typed("Website", T::Url),
                picklist(
                    "Industry",
                    &[
                        "Technology",
                        "Manufacturing",
                        "Finance",
                        "Construction",
                        "Retail",
                        "Energy",
                        "Healthcare",
                        "Media",
                    ],
                ),
                picklist(
                    "Type",
                    &[
                        "Prospect",
                        "Customer - Direct",
                        "Customer - Channel",
                        "Partner",
                        "Other",
                    ],
                ),
                text("BillingCity", 40),
                text("BillingCountry", 80),
                typed("NumberOfEmployees", T::Int),
                typed("Description", T::Textarea),
            ],
        ),
        object("Contact", "Contacts", "003", true, contact),
        object("Lead", "Leads", "00Q", true, lead),
        object(
            "Opportunity",
            "Opportunities",
            "006",
            true,
            vec![
                name_field(120),
                restricted(picklist("StageName", STAGES), "Prospecting")
                    .req()
                    .labelled("Stage"),
                typed("CloseDate", T::Date).req(),
                reference("AccountId", &["Account"], "Account"),
                typed("Amount", T::Currency),
                typed("Probability", T::Percent),
                picklist("Type", &["New Business", "Existing Business"]),
                picklist("LeadSource", LEAD_SOURCES),
                text("NextStep", 255),
                boolean("IsClosed", false).read_only(),
                boolean("IsWon", false).read_only(),
                typed("Description", T::Textarea),
            ],
        )
        .with_required_defaults_cleared(),
        object(
            "OpportunityContactRole",
            "Opportunity Contact Roles",
            "00K",
            false,
            vec![
                reference("OpportunityId", &["Opportunity"], "Opportunity")
                    .req()
                    .create_only(),
                reference("ContactId", &["Contact"], "Contact").req(),
                picklist(
                    "Role",
                    &[
                        "Business User",
                        "Decision Maker",
                        "Economic Buyer",
                        "Economic Decision Maker",
                        "Evaluator",
                        "Executive Sponsor",
                        "Influencer",
                        "Technical Buyer",
                        "Other",
                    ],
                ),
                boolean("IsPrimary", false),
            ],
        ),
        object("Task", "Tasks", "00T", true, task),
        object("Event", "Events", "00U", true, event),
        object(
            "Note",
            "Notes",
            "002",
            true,
            vec![
                reference(
                    "ParentId",
                    &["Account", "Contact", "Lead", "Opportunity"],
                    "Parent",
                )
                .req(),
                text("Title", 80).req(),
                FieldDef::new("Body", T::Textarea, 32000),
                boolean("IsPrivate", false),
            ],
        ),
        object(
            "ContentNote",
            "Notes",
            "069",
            true,
            vec![
                text("Title", 255).req(),
                FieldDef::new("Content", T::Base64, 0),
                text("TextPreview", 255).read_only(),
                text("FileType", 20).read_only(),
            ],
        ),
        object(
            "ContentDocumentLink",
            "Content Document Links",
            "06A",
            false,
            vec![
                reference("ContentDocumentId", &["ContentDocument"], "ContentDocument")
                    .req()
                    .create_only(),
                reference(
                    "LinkedEntityId",
                    &["Account", "Contact", "Lead", "Opportunity", "User"],
                    "LinkedEntity",
                )
                .req()
                .create_only(),
                restricted(picklist("ShareType", &["V", "C", "I"]), "V"),
                restricted(
                    picklist("Visibility", &["AllUsers", "InternalUsers", "SharedUsers"]),
                    "AllUsers",
                ),
            ],
        ),
    ]
}

impl ObjectDef {
    /// StageName has a default for describe but is still required on create (A10).
    fn with_required_defaults_cleared(mut self) -> Self {
        if let Some(stage) = self.fields.iter_mut().find(|f| f.name == "StageName") {
            stage.defaulted = false;
            stage.default_value = None;
        }
        self
    }
}

/// Child relationship names for describe and the Lightning related lists.
pub const CHILD_RELATIONSHIPS: &[(&str, &str, &str)] = &[
    ("Contact", "AccountId", "Contacts"),
    ("Opportunity", "AccountId", "Opportunities"),
    (
        "OpportunityContactRole",
        "OpportunityId",
        "OpportunityContactRoles",
    ),
    (
        "OpportunityContactRole",
        "ContactId",
        "OpportunityContactRoles",
    ),
    ("Task", "WhoId", "Tasks"),
    ("Task", "WhatId", "Tasks"),
    ("Event", "WhoId", "Events"),
    ("Event", "WhatId", "Events"),
    ("Note", "ParentId", "Notes"),
    (
        "ContentDocumentLink",
        "LinkedEntityId",
        "ContentDocumentLinks",
    ),
];

/// A custom field added through the Tooling API (kept in the database so `--data` keeps it).
#[derive(Debug, Clone)]
pub struct CustomField {
    pub object: String,
    pub field: FieldDef,
}

#[derive(Debug, Clone)]
pub struct Schema {
    pub objects: Vec<ObjectDef>,
}

impl Default for Schema {
    fn default() -> Self {
        Schema {
            objects: standard_objects(),
        }
    }
}

impl Schema {
    pub fn object(&self, name: &str) -> Option<&ObjectDef> {
        self.objects
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(name))
    }

    /// The object an id belongs to, by key prefix (`ContentDocument` ids are ContentNotes).
    pub fn object_of_id(&self, id: &str) -> Option<&ObjectDef> {
        let prefix = id.get(..3)?;
        self.objects.iter().find(|o| o.prefix == prefix)
    }

    pub fn add_custom(&mut self, custom: CustomField) -> bool {
        let Some(object) = self
            .objects
            .iter_mut()
            .find(|o| o.name.eq_ignore_ascii_case(&custom.object))
        else {
            return false;
        };
        if object.field(&custom.field.name).is_some() {
            return false;
        }
        object.fields.push(custom.field);
        true
    }
}

/// A custom field from a Tooling API `Metadata` body (type names as in the Metadata API).
pub fn custom_field(name: &str, metadata: &Value) -> Result<FieldDef, String> {
    let kind = metadata.get("type").and_then(Value::as_str).unwrap_or("");
    let length = metadata
        .get("length")
        .and_then(Value::as_u64)
        .unwrap_or(255) as u32;
    let mut field = match kind {
        "Checkbox" => {
            let on = metadata.get("defaultValue").and_then(Value::as_str) == Some("true")
                || metadata.get("defaultValue").and_then(Value::as_bool) == Some(true);
            boolean(name, on)
        }
        "Text" => text(name, length),
        "TextArea" => FieldDef::new(name, T::Textarea, 255),
        "LongTextArea" => FieldDef::new(name, T::Textarea, length.max(256)),
        "Number" => typed(name, T::Double),
        "Currency" => typed(name, T::Currency),
        "Percent" => typed(name, T::Percent),
        "Date" => typed(name, T::Date),
        "DateTime" => typed(name, T::DateTime),
        "Email" => typed(name, T::Email),
        "Phone" => typed(name, T::Phone),
        "Url" => typed(name, T::Url),
        "Picklist" => {
            let values: Vec<String> = metadata
                .pointer("/valueSet/valueSetDefinition/value")
                .and_then(Value::as_array)
                .map(|vs| {
                    vs.iter()
                        .filter_map(|v| v.get("fullName").and_then(Value::as_str))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let mut f = FieldDef::new(name, T::Picklist, 255);
            f.picklist = values;
            f
        }
        other => return Err(format!("Unsupported custom field type: '{other}'")),
    };
    if let Some(label) = metadata.get("label").and_then(Value::as_str) {
        field.label = label.to_string();
    }
    field.external_id = metadata.get("externalId").and_then(Value::as_bool) == Some(true);
    field.custom = true;
    Ok(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_like_salesforce() {
        assert_eq!(label_of("AccountId"), "Account ID");
        assert_eq!(label_of("LastName"), "Last Name");
        assert_eq!(label_of("Synced__c"), "Synced");
    }

    #[test]
    fn required_fields_match_the_reference() {
        let schema = Schema::default();
        let required = |o: &str| -> Vec<String> {
            let obj = schema.object(o).unwrap();
            obj.fields
                .iter()
                .filter(|f| f.required())
                .map(|f| f.name.clone())
                .collect()
        };
        assert_eq!(required("Contact"), ["LastName"]);
        assert_eq!(required("Lead"), ["LastName", "Company"]);
        assert_eq!(required("Opportunity"), ["Name", "StageName", "CloseDate"]);
        assert_eq!(required("Account"), ["Name"]);
    }

    #[test]
    fn task_subtype_is_create_only() {
        let schema = Schema::default();
        let f = schema.object("task").unwrap().field("tasksubtype").unwrap();
        assert!(f.createable && !f.updateable);
    }
}
