//! One table's description: its attributes and their types, navigation properties, and the
//! `EntityDefinitions` metadata that describes them.

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
    /// A picklist's options `(value, label)`, in the option set's order (B12).
    pub options: Vec<(i64, String)>,
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
        // A `_base` money column is its twin in the org's base currency (B12).
        "IsBaseCurrency": (a.ty == AttrType::Money).then(|| a.name.ends_with("_base")),
    })
}

/// `OptionSet` for `$expand=OptionSet` on a picklist's metadata (B12).
pub fn option_set(a: &Attr) -> Value {
    let options: Vec<Value> = a
        .options
        .iter()
        .map(|(value, text)| json!({"Value": value, "Label": label(text)}))
        .collect();
    json!({"Name": a.name, "IsGlobal": false, "OptionSetType": "Picklist", "Options": options})
}
