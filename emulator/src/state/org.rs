//! The ids that name the two emulated orgs.

pub struct Org {
    /// 15 characters, the prefix of every `sid` (CRM-APIS A12).
    pub salesforce_org_id: String,
    pub dynamics_org_id: String,
    pub dynamics_business_unit: String,
    /// The Microsoft Entra tenant a Dataverse 401 names as its authority.
    pub dynamics_tenant_id: String,
}

impl Default for Org {
    fn default() -> Self {
        Org {
            salesforce_org_id: "00D5g000004XyZa".to_string(),
            dynamics_org_id: super::seed::guid(9, 1),
            dynamics_business_unit: super::seed::guid(10, 1),
            dynamics_tenant_id: super::seed::guid(11, 1),
        }
    }
}
