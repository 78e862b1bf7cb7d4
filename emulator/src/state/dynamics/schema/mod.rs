//! Dataverse tables the emulator serves (CRM-APIS B2, B6): attributes with types, entity set
//! names, and the navigation properties `@odata.bind` and `$expand` use. Custom attributes
//! created through `EntityDefinitions` join them at run time.

mod entity;
mod tables;

pub use entity::{attr_metadata, metadata_id, option_set, Attr, AttrType, EntityDef, NavProp};

/// Stored beside a lookup's `_x_value`: the logical name of the table it points to.
pub const LOOKUP_NAME: &str = "@Microsoft.Dynamics.CRM.lookuplogicalname";

/// Deep inserts a create may carry: `(table, collection navigation property, child table,
/// the child's lookup to the parent)` (B13).
pub const ONE_TO_MANY: &[(&str, &str, &str, &str)] = &[(
    "environmentvariabledefinition",
    "environmentvariabledefinition_environmentvariablevalue",
    "environmentvariablevalue",
    "EnvironmentVariableDefinitionId",
)];

/// Many-to-many relationships: `(navigation property, table, other table, stored in)`; each
/// side reaches the other by the same name (B14).
pub const MANY_TO_MANY: &[(&str, &str, &str, &str)] = &[(
    "teammembership_association",
    "team",
    "systemuser",
    "teammembership",
)];

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
