//! The sObjects the emulator knows, with the fields, types and picklists describe reports
//! (CRM-APIS A7, A9, A10). Custom fields added through the Tooling API join them at run time.

pub mod field;
mod object;
mod objects;
mod setup_objects;

use serde_json::Value;

use field::{boolean, name_field, text, typed, FieldType as T};
pub use field::{FieldDef, FieldType};
pub use object::ObjectDef;
use objects::standard_objects;
pub use objects::{CHILD_RELATIONSHIPS, LEAD_STATUSES, STAGES, TASK_STATUSES};
pub use setup_objects::{ADMIN_ONLY, SETUP_WRITES, UNIQUE_PAIRS};

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
        let mut objects = standard_objects();
        objects.extend(setup_objects::setup_objects());
        Schema { objects }
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

    /// A custom object from the Tooling API (A16): owned, with a text `Name`; false when
    /// the name is taken. Its key prefix is the next free `a0N`.
    pub fn add_object(&mut self, name: &str, label: &str, plural: &str) -> bool {
        if self.object(name).is_some() {
            return false;
        }
        let taken = self
            .objects
            .iter()
            .filter(|o| o.name.ends_with("__c"))
            .count();
        let prefix = format!("a0{}", char::from(b'0' + (taken % 10) as u8));
        let mut object = objects::object(name, plural, &prefix, true, vec![name_field(80)]);
        object.label = label.to_string();
        self.objects.push(object);
        true
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
    field.unique = metadata.get("unique").and_then(Value::as_bool) == Some(true);
    field.custom = true;
    Ok(field)
}

#[cfg(test)]
mod tests {
    use super::field::label_of;
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
