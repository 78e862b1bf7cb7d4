//! Custom columns created through `EntityDefinitions` (CRM-APIS B7). They live in the
//! database (entity `__Attribute`) so a `--data` file keeps them.

use serde_json::{json, Map, Value};

use super::schema::{AttrType, Schema};
use crate::state::db::{Crm, Db};

const STORE: &str = "__Attribute";

/// The standard schema plus every stored custom column.
pub fn load_schema(db: &Db) -> Schema {
    let mut schema = Schema::default();
    for (_, f) in db.list(Crm::Dynamics, STORE).unwrap_or_default() {
        let text = |k: &str| {
            f.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let ty = if text("type") == "String" {
            AttrType::String
        } else {
            AttrType::Boolean
        };
        schema.add_attr(&text("entity"), &text("name"), ty, &text("schemaName"));
    }
    schema
}

/// Stores a custom column of `entity` under `id` (its metadata id).
pub fn save(
    db: &Db,
    id: &str,
    entity: &str,
    name: &str,
    ty: AttrType,
    schema_name: &str,
) -> rusqlite::Result<()> {
    let mut stored = Map::new();
    stored.insert("entity".into(), json!(entity));
    stored.insert("name".into(), json!(name));
    stored.insert("schemaName".into(), json!(schema_name));
    stored.insert(
        "type".into(),
        json!(if ty == AttrType::String {
            "String"
        } else {
            "Boolean"
        }),
    );
    db.insert(Crm::Dynamics, STORE, id, &stored)
}
