//! The setup objects crmsync's admin side uses (CRM-APIS A14–A16): opportunity stages,
//! permission sets and their assignments, custom permissions and what grants them, object
//! and field permissions, and the running user's enabled custom permissions.

use super::field::{FieldType as T, *};
use super::object::ObjectDef;
use super::objects::object;

/// The non-admin refusal rules (`salesforce::api::access`) name these.
pub const ADMIN_ONLY: &[&str] = &[
    "PermissionSetAssignment",
    "SetupEntityAccess",
    "CustomPermission",
    "ObjectPermissions",
    "FieldPermissions",
];

/// Objects whose writes need an admin ("Customize Application", "Assign Permission Sets").
pub const SETUP_WRITES: &[&str] = &[
    "PermissionSet",
    "PermissionSetAssignment",
    "SetupEntityAccess",
    "ObjectPermissions",
    "FieldPermissions",
];

/// Pairs of fields no two records of the object share (`DUPLICATE_VALUE`).
pub const UNIQUE_PAIRS: &[(&str, &str, &str)] = &[
    ("PermissionSetAssignment", "AssigneeId", "PermissionSetId"),
    ("SetupEntityAccess", "ParentId", "SetupEntityId"),
    ("ObjectPermissions", "ParentId", "SobjectType"),
    ("FieldPermissions", "ParentId", "Field"),
];

fn parent() -> FieldDef {
    reference("ParentId", &["PermissionSet"], "Parent")
        .req()
        .create_only()
}

fn flag(name: &str) -> FieldDef {
    boolean(name, false)
}

pub fn setup_objects() -> Vec<ObjectDef> {
    let mut set_name = text("Name", 80).req();
    set_name.unique = true;
    let mut permission_name = text("DeveloperName", 80).read_only();
    permission_name.unique = true;
    vec![
        object(
            "OpportunityStage",
            "Opportunity Stages",
            "01J",
            false,
            vec![
                text("ApiName", 255).read_only(),
                text("MasterLabel", 255).read_only(),
                typed("SortOrder", T::Int).read_only(),
                boolean("IsActive", true).read_only(),
                boolean("IsClosed", false).read_only(),
                boolean("IsWon", false).read_only(),
                typed("DefaultProbability", T::Percent).read_only(),
                text("ForecastCategoryName", 255).read_only(),
            ],
        ),
        object(
            "PermissionSet",
            "Permission Sets",
            "0PS",
            false,
            vec![
                set_name,
                text("Label", 80).req(),
                typed("Description", T::Textarea),
                boolean("IsOwnedByProfile", false).read_only(),
            ],
        ),
        object(
            "PermissionSetAssignment",
            "Permission Set Assignments",
            "0Pa",
            false,
            vec![
                reference("AssigneeId", &["User"], "Assignee")
                    .req()
                    .create_only(),
                reference("PermissionSetId", &["PermissionSet"], "PermissionSet")
                    .req()
                    .create_only(),
            ],
        ),
        object(
            "CustomPermission",
            "Custom Permissions",
            "0CP",
            false,
            vec![
                permission_name,
                text("MasterLabel", 80).read_only(),
                typed("Description", T::Textarea).read_only(),
                boolean("IsLicensed", false).read_only(),
                text("NamespacePrefix", 15).read_only(),
            ],
        ),
        object(
            "SetupEntityAccess",
            "Setup Entity Access",
            "0J0",
            false,
            vec![
                parent(),
                reference("SetupEntityId", &["CustomPermission"], "SetupEntity")
                    .req()
                    .create_only(),
                picklist(
                    "SetupEntityType",
                    &["CustomPermission", "ApexClass", "ApexPage"],
                )
                .read_only(),
            ],
        ),
        object(
            "ObjectPermissions",
            "Object Permissions",
            "110",
            false,
            vec![
                parent(),
                text("SobjectType", 255).req().create_only(),
                flag("PermissionsRead"),
                flag("PermissionsCreate"),
                flag("PermissionsEdit"),
                flag("PermissionsDelete"),
                flag("PermissionsViewAllRecords"),
                flag("PermissionsModifyAllRecords"),
            ],
        ),
        object(
            "FieldPermissions",
            "Field Permissions",
            "01k",
            false,
            vec![
                parent(),
                text("SobjectType", 255).req().create_only(),
                text("Field", 255).req().create_only(),
                flag("PermissionsRead"),
                flag("PermissionsEdit"),
            ],
        ),
        // Rows are the org's custom permissions; a query answers only those the running
        // user holds (`salesforce::api::access`).
        object(
            "UserSetupEntityAccess",
            "User Setup Entity Access",
            "0US",
            false,
            vec![
                text("DeveloperName", 80).read_only(),
                text("NamespacePrefix", 15).read_only(),
                text("SetupEntityId", 18).read_only(),
                text("KeyPrefix", 15).read_only(),
                typed("LastCacheUpdate", T::DateTime).read_only(),
            ],
        ),
    ]
}
