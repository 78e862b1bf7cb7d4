//! Custom objects and fields added through the Tooling API. Their definitions live in the
//! database (objects `__CustomObject`, `__CustomField`) so a `--data` file keeps them.

use serde_json::{json, Map, Value};

use super::schema::{custom_field, CustomField, Schema};
use crate::state::db::{Crm, Db};

const STORE: &str = "__CustomField";
const OBJECTS: &str = "__CustomObject";

/// The standard schema plus every stored custom object and field.
pub fn load_schema(db: &Db) -> Schema {
    let mut schema = Schema::default();
    let mut objects = db.list(Crm::Salesforce, OBJECTS).unwrap_or_default();
    objects.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, stored) in objects {
        let text = |k: &str| stored.get(k).and_then(Value::as_str).unwrap_or_default();
        schema.add_object(text("name"), text("label"), text("plural"));
    }
    for (_, stored) in db.list(Crm::Salesforce, STORE).unwrap_or_default() {
        let object = stored
            .get("object")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let name = stored
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if let Ok(field) = custom_field(name, stored.get("metadata").unwrap_or(&Value::Null)) {
            schema.add_custom(CustomField {
                object: object.to_string(),
                field,
            });
        }
    }
    schema
}

/// Stores a custom field's definition (its Tooling API `Metadata`) under `id`.
pub fn save(db: &Db, id: &str, object: &str, name: &str, metadata: Value) -> rusqlite::Result<()> {
    let mut stored = Map::new();
    stored.insert("object".into(), json!(object));
    stored.insert("name".into(), json!(name));
    stored.insert("metadata".into(), metadata);
    db.insert(Crm::Salesforce, STORE, id, &stored)
}

/// Stores a custom object's definition under `id`.
pub fn save_object(
    db: &Db,
    id: &str,
    name: &str,
    label: &str,
    plural: &str,
) -> rusqlite::Result<()> {
    let mut stored = Map::new();
    stored.insert("name".into(), json!(name));
    stored.insert("label".into(), json!(label));
    stored.insert("plural".into(), json!(plural));
    db.insert(Crm::Salesforce, OBJECTS, id, &stored)
}
