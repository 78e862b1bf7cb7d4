//! Orgs and users whose API calls the product refuses although they are signed in: a Salesforce
//! org without API access, a profile without "API Enabled", API Access Control; a Dataverse
//! user who is not a member of the environment, or whose session the tenant's Conditional
//! Access no longer accepts. Set through the control API; the products' API entries answer
//! each in its own words (`salesforce::api`, `dynamics::webapi`).

use serde::{Deserialize, Serialize};

/// Why an API call is refused (CRM-APIS A19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Refusal {
    /// Salesforce: the org's edition has no API access (403 `API_DISABLED_FOR_ORG`).
    ApiDisabledForOrg,
    /// Salesforce: the user's profile lacks "API Enabled" (403 `API_CURRENTLY_DISABLED`).
    ApiDisabledForUser,
    /// Salesforce: API Access Control admits only approved connected apps, so a browser
    /// session is "not valid for use with the REST API" (401 `INVALID_SESSION_ID`).
    ApiAccessControl,
    /// Dataverse: the user is not a member of the environment: no licence or security role
    /// (403 `0x80072560`).
    NotMember,
    /// Dataverse: the tenant's Conditional Access wants a new sign-in (401 with a claims
    /// challenge, `error="insufficient_claims"`, in `WWW-Authenticate`).
    ConditionalAccess,
}

impl Refusal {
    pub fn crm_key(self) -> &'static str {
        match self {
            Refusal::ApiDisabledForOrg
            | Refusal::ApiDisabledForUser
            | Refusal::ApiAccessControl => "salesforce",
            Refusal::NotMember | Refusal::ConditionalAccess => "dynamics",
        }
    }
}

/// One refusal, for every user of its CRM or for one (`user`: a username, resolved to the
/// user's id when it is set).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefusalRule {
    pub refusal: Refusal,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(skip)]
    pub user_id: Option<String>,
}

impl RefusalRule {
    pub fn applies(&self, crm_key: &str, user_id: &str) -> bool {
        self.refusal.crm_key() == crm_key
            && self.user_id.as_deref().is_none_or(|only| only == user_id)
    }
}

/// The refusal a call of `user_id` to `crm_key` gets, if any (the first rule that applies).
pub fn find(rules: &[RefusalRule], crm_key: &str, user_id: &str) -> Option<Refusal> {
    rules
        .iter()
        .find(|r| r.applies(crm_key, user_id))
        .map(|r| r.refusal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_applies_to_its_crm_and_its_user() {
        let everyone = RefusalRule {
            refusal: Refusal::ApiDisabledForOrg,
            user: None,
            user_id: None,
        };
        let one = RefusalRule {
            refusal: Refusal::NotMember,
            user: Some("rep@acme.onmicrosoft.com".into()),
            user_id: Some("u-rep".into()),
        };
        let rules = [everyone, one];
        assert_eq!(
            find(&rules, "salesforce", "anyone"),
            Some(Refusal::ApiDisabledForOrg)
        );
        assert_eq!(find(&rules, "dynamics", "u-rep"), Some(Refusal::NotMember));
        assert_eq!(find(&rules, "dynamics", "u-admin"), None);
    }
}
