//! The four views of data validation, as the extension shows them for either CRM: *All
//! Contacts Not at Company*, *My Contacts Not at Company*, *All Opportunities at Risk –
//! Contact Left* and *My Opportunities at Risk – Contact Left*. They read the flags the CRM
//! holds (as last synced), so they agree with the CRM's own views.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::Finding;
use crate::crm::RecordType;
use crate::sync::CrmRecord;

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ViewKind {
    AllContacts,
    MyContacts,
    AllOpportunities,
    MyOpportunities,
}

impl ViewKind {
    pub const ALL: [ViewKind; 4] = [
        ViewKind::AllContacts,
        ViewKind::MyContacts,
        ViewKind::AllOpportunities,
        ViewKind::MyOpportunities,
    ];

    fn mine(self) -> bool {
        matches!(self, ViewKind::MyContacts | ViewKind::MyOpportunities)
    }

    fn opportunities(self) -> bool {
        matches!(self, ViewKind::AllOpportunities | ViewKind::MyOpportunities)
    }
}

/// One row of a view: a flagged contact, or an open opportunity with flagged contacts.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewRow {
    pub record_type: RecordType,
    pub record_id: String,
    pub name: String,
    pub account_name: Option<String>,
    /// Contacts: what the profile says (when this browser knows the profile).
    pub finding: Option<Finding>,
    /// Opportunities: the flagged contacts on it, by name.
    pub contacts_left: Vec<String>,
}

/// The rows of one view, in name order. `me` is the user's CRM id.
pub fn view(kind: ViewKind, records: &[CrmRecord], findings: &[Finding], me: &str) -> Vec<ViewRow> {
    let names: HashMap<&str, &str> = records
        .iter()
        .map(|r| (r.id.as_str(), r.name.as_str()))
        .collect();
    let account_name = |r: &CrmRecord| {
        r.account_id
            .as_deref()
            .and_then(|a| names.get(a))
            .map(|n| n.to_string())
    };
    let owned = |r: &&CrmRecord| !kind.mine() || r.owner_id.as_deref() == Some(me);
    let flagged: HashSet<&str> = records
        .iter()
        .filter(|r| r.record_type == RecordType::Contact && r.not_at_company == Some(true))
        .map(|r| r.id.as_str())
        .collect();
    let mut rows: Vec<ViewRow> = if kind.opportunities() {
        records
            .iter()
            .filter(|r| r.record_type == RecordType::Opportunity && r.closed != Some(true))
            .filter(owned)
            .filter_map(|r| {
                let left: Vec<String> = r
                    .contact_ids
                    .iter()
                    .filter(|c| flagged.contains(c.as_str()))
                    .map(|c| names.get(c.as_str()).unwrap_or(&c.as_str()).to_string())
                    .collect();
                (!left.is_empty()).then(|| ViewRow {
                    record_type: RecordType::Opportunity,
                    record_id: r.id.clone(),
                    name: r.name.clone(),
                    account_name: account_name(r),
                    finding: None,
                    contacts_left: left,
                })
            })
            .collect()
    } else {
        let by_contact: HashMap<&str, &Finding> = findings
            .iter()
            .map(|f| (f.contact_id.as_str(), f))
            .collect();
        records
            .iter()
            .filter(|r| flagged.contains(r.id.as_str()))
            .filter(owned)
            .map(|r| ViewRow {
                record_type: RecordType::Contact,
                record_id: r.id.clone(),
                name: r.name.clone(),
                account_name: account_name(r),
                finding: by_contact.get(r.id.as_str()).map(|f| (*f).clone()),
                contacts_left: Vec::new(),
            })
            .collect()
    };
    crate::sort::by(&mut rows, |a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| a.record_id.cmp(&b.record_id))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(t: RecordType, id: &str, name: &str, owner: &str) -> CrmRecord {
        let mut r = CrmRecord::new(t, id.into(), name.into());
        r.owner_id = Some(owner.into());
        r
    }

    fn org() -> Vec<CrmRecord> {
        let mut ada = rec(RecordType::Contact, "003A", "Ada", "me");
        ada.not_at_company = Some(true);
        ada.account_id = Some("001A".into());
        let mut bob = rec(RecordType::Contact, "003B", "Bob", "other");
        bob.not_at_company = Some(true);
        let cy = rec(RecordType::Contact, "003C", "Cy", "me");
        let mut open = rec(RecordType::Opportunity, "006A", "Renewal", "other");
        open.contact_ids = vec!["003A".into(), "003C".into()];
        open.closed = Some(false);
        let mut won = rec(RecordType::Opportunity, "006B", "Won deal", "me");
        won.contact_ids = vec!["003A".into()];
        won.closed = Some(true);
        let mut mine = rec(RecordType::Opportunity, "006C", "Upsell", "me");
        mine.contact_ids = vec!["003B".into()];
        vec![
            rec(RecordType::Account, "001A", "Acme", "me"),
            ada,
            bob,
            cy,
            open,
            won,
            mine,
        ]
    }

    fn ids(rows: &[ViewRow]) -> Vec<&str> {
        rows.iter().map(|r| r.record_id.as_str()).collect()
    }

    #[test]
    fn the_four_views() {
        let records = org();
        assert_eq!(
            ids(&view(ViewKind::AllContacts, &records, &[], "me")),
            ["003A", "003B"]
        );
        assert_eq!(
            ids(&view(ViewKind::MyContacts, &records, &[], "me")),
            ["003A"]
        );
        let all = view(ViewKind::AllOpportunities, &records, &[], "me");
        assert_eq!(
            ids(&all),
            ["006A", "006C"],
            "closed opportunities are not at risk"
        );
        assert_eq!(all[0].contacts_left, ["Ada"]);
        assert_eq!(all[0].account_name, None);
        assert_eq!(
            ids(&view(ViewKind::MyOpportunities, &records, &[], "me")),
            ["006C"]
        );
    }

    #[test]
    fn a_contact_row_carries_what_the_profile_says() {
        let finding = Finding {
            contact_id: "003A".into(),
            profile_id: "p1".into(),
            now_at: "Globex".into(),
            suggested_account: None,
        };
        let rows = view(
            ViewKind::MyContacts,
            &org(),
            std::slice::from_ref(&finding),
            "me",
        );
        assert_eq!(rows[0].finding.as_ref(), Some(&finding));
        assert_eq!(rows[0].account_name.as_deref(), Some("Acme"));
    }
}
