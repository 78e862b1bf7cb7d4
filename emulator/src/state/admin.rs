//! Who may do what in the orgs, as crmsync's admin side meets it (CRM-APIS A15–A17, B15):
//! each seeded user is an admin (System Administrator) or not, and in Salesforce a user's
//! permission sets grant custom permissions and read access to custom objects.

use serde_json::Value;

use super::db::{Crm, Db, Fields};

/// Stored on a user, never served: the user has the CRM's administrator rights.
pub const ADMIN_FLAG: &str = "Admin";

pub fn is_admin(db: &Db, crm: Crm, user_id: &str) -> bool {
    db.row(crm, user_id)
        .ok()
        .flatten()
        .and_then(|row| row.fields.get(ADMIN_FLAG).and_then(Value::as_bool))
        .unwrap_or(false)
}

fn text<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// The ids of the permission sets assigned to `user_id`.
fn permission_sets(db: &Db, user_id: &str) -> Vec<String> {
    db.list(Crm::Salesforce, "PermissionSetAssignment")
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, f)| text(f, "AssigneeId") == user_id)
        .map(|(_, f)| text(&f, "PermissionSetId").to_string())
        .collect()
}

/// The custom permission ids `user_id` holds through its permission sets.
pub fn custom_permissions(db: &Db, user_id: &str) -> Vec<String> {
    let sets = permission_sets(db, user_id);
    db.list(Crm::Salesforce, "SetupEntityAccess")
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, f)| sets.iter().any(|s| s == text(f, "ParentId")))
        .map(|(_, f)| text(&f, "SetupEntityId").to_string())
        .collect()
}

/// Whether `user_id` may read records of the custom object: an admin, or a permission set
/// of the user's grants Read on it (ObjectPermissions).
pub fn can_read_object(db: &Db, user_id: &str, object: &str) -> bool {
    if is_admin(db, Crm::Salesforce, user_id) {
        return true;
    }
    let sets = permission_sets(db, user_id);
    db.list(Crm::Salesforce, "ObjectPermissions")
        .unwrap_or_default()
        .iter()
        .any(|(_, f)| {
            sets.iter().any(|s| s == text(f, "ParentId"))
                && text(f, "SobjectType").eq_ignore_ascii_case(object)
                && f.get("PermissionsRead").and_then(Value::as_bool) == Some(true)
        })
}
