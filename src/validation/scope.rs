//! Which contacts data validation checks (the seeds' three rules): contacts owned by a sync
//! user, contacts of accounts a sync user owns, and contacts on opportunities a sync user
//! owns. Other contacts are never flagged or cleared.

use std::collections::HashSet;

use crate::crm::RecordType;
use crate::sync::CrmRecord;

/// The ids of the contacts in scope among `records`, for the CRM user ids in `sync_users`.
pub fn in_scope<'a>(records: &'a [CrmRecord], sync_users: &[String]) -> HashSet<&'a str> {
    let is_sync_user = |owner: &Option<String>| {
        owner
            .as_deref()
            .is_some_and(|o| sync_users.iter().any(|u| same_user(u, o)))
    };
    let owned = |t: RecordType| {
        records
            .iter()
            .filter(move |r| r.record_type == t && is_sync_user(&r.owner_id))
    };
    let accounts: HashSet<&str> = owned(RecordType::Account).map(|r| r.id.as_str()).collect();
    let on_opportunities: HashSet<&str> = owned(RecordType::Opportunity)
        .flat_map(|r| r.contact_ids.iter().map(String::as_str))
        .collect();
    records
        .iter()
        .filter(|r| r.record_type == RecordType::Contact)
        .filter(|r| {
            is_sync_user(&r.owner_id)
                || r.account_id
                    .as_deref()
                    .is_some_and(|a| accounts.contains(a))
                || on_opportunities.contains(r.id.as_str())
        })
        .map(|r| r.id.as_str())
        .collect()
}

/// User ids compare as the CRMs give them, except that a Dataverse GUID may differ in case
/// and a Salesforce id may come in its 15- or 18-character form (A10; the 15-character form
/// is case-sensitive, so it is compared exactly).
fn same_user(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    a == b
        || (a.contains('-') && a.eq_ignore_ascii_case(b))
        || (short.len() == 15 && long.len() == 18 && long.starts_with(short))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(t: RecordType, id: &str, owner: &str, account: Option<&str>) -> CrmRecord {
        let mut r = CrmRecord::new(t, id.into(), id.into());
        r.owner_id = Some(owner.into());
        r.account_id = account.map(String::from);
        r
    }

    #[test]
    fn the_three_rules_and_nothing_else() {
        let mut opp = rec(RecordType::Opportunity, "006A", "me", Some("001X"));
        opp.contact_ids = vec!["003C".into()];
        let mut theirs = rec(RecordType::Opportunity, "006B", "other", None);
        theirs.contact_ids = vec!["003E".into()];
        let records = vec![
            rec(RecordType::Account, "001M", "me", None),
            rec(RecordType::Account, "001X", "other", None),
            rec(RecordType::Contact, "003A", "me", Some("001X")),
            rec(RecordType::Contact, "003B", "other", Some("001M")),
            rec(RecordType::Contact, "003C", "other", Some("001X")),
            rec(RecordType::Contact, "003D", "other", Some("001X")),
            rec(RecordType::Contact, "003E", "other", None),
            rec(RecordType::Lead, "00QA", "me", None),
            opp,
            theirs,
        ];
        let mut scope: Vec<&str> = in_scope(&records, &["me".into()]).into_iter().collect();
        scope.sort();
        assert_eq!(scope, vec!["003A", "003B", "003C"]);
        assert!(in_scope(&records, &[]).is_empty());
    }

    #[test]
    fn user_ids_compare_across_case_and_salesforce_id_lengths() {
        assert!(same_user("005000000000001AAA", "005000000000001"));
        assert!(same_user(
            "ABCDEF00-0000-0000-0000-000000000001",
            "abcdef00-0000-0000-0000-000000000001"
        ));
        assert!(!same_user("005000000000001AAA", "005000000000002"));
        assert!(!same_user("005Ab0000000001", "005ab0000000001"));
    }
}
