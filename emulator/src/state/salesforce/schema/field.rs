//! Field definitions as describe reports them (CRM-APIS A7), and the small builders the
//! standard objects are declared with.

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
    /// No two records may hold the same value (custom fields marked unique).
    pub unique: bool,
    pub name_field: bool,
    pub reference_to: Vec<String>,
    pub relationship_name: Option<String>,
    pub picklist: Vec<String>,
    pub restricted: bool,
    pub default_value: Option<Value>,
}

impl FieldDef {
    pub fn new(name: &str, ty: FieldType, length: u32) -> FieldDef {
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
            unique: false,
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

    pub fn req(mut self) -> Self {
        self.nillable = false;
        self
    }

    pub fn read_only(mut self) -> Self {
        self.createable = false;
        self.updateable = false;
        self
    }

    pub fn create_only(mut self) -> Self {
        self.updateable = false;
        self
    }

    pub fn default(mut self, value: Value) -> Self {
        self.defaulted = true;
        self.default_value = Some(value);
        self
    }

    pub fn labelled(mut self, label: &str) -> Self {
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
            "custom": self.custom, "externalId": self.external_id, "unique": self.unique,
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
pub fn label_of(name: &str) -> String {
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

pub use self::FieldType as T;

pub fn text(name: &str, len: u32) -> FieldDef {
    FieldDef::new(name, T::String, len)
}
pub fn typed(name: &str, ty: FieldType) -> FieldDef {
    let len = match ty {
        T::Email | T::Url => 255,
        T::Phone => 40,
        T::Textarea => 32000,
        T::Id | T::Reference => 18,
        _ => 0,
    };
    FieldDef::new(name, ty, len)
}
pub fn reference(name: &str, to: &[&str], relationship: &str) -> FieldDef {
    let mut f = typed(name, T::Reference);
    f.reference_to = to.iter().map(|s| s.to_string()).collect();
    f.relationship_name = Some(relationship.to_string());
    f
}
pub fn picklist(name: &str, values: &[&str]) -> FieldDef {
    let mut f = FieldDef::new(name, T::Picklist, 255);
    f.picklist = values.iter().map(|s| s.to_string()).collect();
    f
}
pub fn restricted(mut f: FieldDef, default: &str) -> FieldDef {
    f.restricted = true;
    f.default(Value::String(default.to_string()))
}
pub fn boolean(name: &str, default: bool) -> FieldDef {
    typed(name, T::Boolean).default(Value::Bool(default))
}
pub fn name_of_person() -> FieldDef {
    let mut f = text("Name", 121).labelled("Full Name").read_only();
    f.name_field = true;
    f
}
pub fn name_field(len: u32) -> FieldDef {
    let mut f = text("Name", len).req();
    f.name_field = true;
    f
}

/// Fields every object has; `owned` adds OwnerId.
pub fn system_fields(owned: bool) -> Vec<FieldDef> {
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
