//! Dataverse tables the emulator serves (CRM-APIS B2, B6): attributes with types, entity set
//! names, and the navigation properties `@odata.bind` and `$expand` use. Custom attributes
//! created through `EntityDefinitions` join them at run time.

mod tables;

use serde_json::{json, Value};

/// Stored beside a lookup's `_x_value`: the logical name of the table it points to.
pub const LOOKUP_NAME: &str = "@Microsoft.Dynamics.CRM.lookuplogicalname";

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

#[derive(Debug, Clone)]
pub struct Schema {
    pub entities: Vec<EntityDef>,
}

impl Default for Schema {
    fn default() -> Self {
        Schema {
            entities: tables::standard(),
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
        let mut a = tables::attr(name, ty);
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
