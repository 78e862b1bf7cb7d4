//! The data validation page, as data: for each org a pass has run in, the four views with
//! their counts, each flagged contact with what their profile says and the fixes on offer
//! (move to the matching Account, open the profile, dismiss), and the flags the CRM refused
//! with its words. The background decides the views; this model only shows and asks.

use crate::background::validation_report::{FlagFix, OrgReport, ShownRow};
use crate::crm::RecordType;
use crate::message::Request;
use crate::msg;
use crate::pages::{PageAction, Problem, Reply, Text};
use crate::validation::ViewKind;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validation {
    reports: Option<Vec<OrgReport>>,
    status: Option<(Text, bool)>,
    /// The contact whose fix is out (one at a time).
    fixing: Option<String>,
}

/// One view as shown: its title with the count, and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewShown<'a> {
    pub kind: ViewKind,
    pub title: Text,
    pub rows: &'a [ShownRow],
}

pub fn view_title(kind: ViewKind, count: usize) -> Text {
    match kind {
        ViewKind::AllContacts => msg!("validationAllContacts", count),
        ViewKind::MyContacts => msg!("validationMyContacts", count),
        ViewKind::AllOpportunities => msg!("validationAllOpportunities", count),
        ViewKind::MyOpportunities => msg!("validationMyOpportunities", count),
    }
}

/// What a row says under its name: "Now at Globex (Account: Acme)" for a contact, the
/// contacts who left for an opportunity.
pub fn row_details(row: &ShownRow) -> Text {
    let account = row
        .row
        .account_name
        .clone()
        .map(|a| msg!("validationAccount", a));
    match row.row.record_type {
        RecordType::Opportunity => Text::joined(
            " · ",
            [
                msg!("validationContactsLeft", row.row.contacts_left.join(", ")),
                account.unwrap_or_else(|| "".into()),
            ],
        ),
        _ => Text::joined(
            " · ",
            [
                row.row
                    .finding
                    .as_ref()
                    .map_or_else(|| "".into(), |f| msg!("validationNowAt", f.now_at.as_str())),
                account.unwrap_or_else(|| "".into()),
            ],
        ),
    }
}

impl Validation {
    pub fn start(&self) -> Vec<PageAction> {
        vec![PageAction::Send(Request::ValidationViews)]
    }

    pub fn listed(&mut self, answer: Reply<Vec<OrgReport>>) {
        match answer.ok {
            Some(reports) => self.reports = Some(reports),
            None => {
                self.reports.get_or_insert_with(Vec::new);
                self.status = Some((answer.failure(), true));
            }
        }
    }

    /// Asks the background for a fix of `contact_id`'s flag in `api_host`.
    pub fn fix(&mut self, api_host: &str, contact_id: &str, fix: FlagFix) -> Vec<PageAction> {
        if self.fixing.is_some() {
            return Vec::new();
        }
        self.fixing = Some(contact_id.to_string());
        self.status = Some((msg!("writeBackWorking"), false));
        vec![PageAction::Send(Request::FixFlag {
            api_host: api_host.to_string(),
            contact_id: contact_id.to_string(),
            fix,
        })]
    }

    /// The answer to a fix: the views as they are now.
    pub fn fixed(&mut self, answer: Reply<Vec<OrgReport>>) {
        self.fixing = None;
        match answer.ok {
            Some(reports) => {
                self.reports = Some(reports);
                self.status = Some((msg!("validationFixed"), false));
            }
            None => self.status = Some((answer.failure(), true)),
        }
    }

    pub fn reports(&self) -> Option<&[OrgReport]> {
        self.reports.as_deref()
    }

    pub fn busy(&self) -> bool {
        self.fixing.is_some()
    }

    pub fn status(&self) -> Option<&(Text, bool)> {
        self.status.as_ref()
    }
}

/// An org's four views, in the seeds' order.
pub fn views(report: &OrgReport) -> Vec<ViewShown<'_>> {
    report
        .views
        .iter()
        .map(|v| ViewShown {
            kind: v.kind,
            title: view_title(v.kind, v.rows.len()),
            rows: &v.rows,
        })
        .collect()
}

/// Why the org's last pass stopped, if it did.
pub fn problem(report: &OrgReport) -> Option<Text> {
    let error = report.problem.clone()?;
    Some(Text::from(Problem::from(error).words()))
}

/// A refused flag: the contact and the CRM's own words.
pub fn refusal(name: &str, message: &str) -> Text {
    msg!("validationRefused", name, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::background::validation_report::ShownView;
    use crate::crm::Crm;
    use crate::pages::english;
    use crate::validation::{Finding, ViewRow};

    fn report() -> OrgReport {
        let row = ShownRow {
            row: ViewRow {
                record_type: RecordType::Contact,
                record_id: "c1".into(),
                name: "Ada Lovelace".into(),
                account_name: Some("Acme".into()),
                finding: Some(Finding {
                    contact_id: "c1".into(),
                    profile_id: "p1".into(),
                    now_at: "Globex".into(),
                    suggested_account: Some("a2".into()),
                }),
                contacts_left: vec![],
            },
            url: Some("https://acme.crm.dynamics.com/main.aspx".into()),
            profile_url: None,
            suggested_account_name: Some("Globex GmbH".into()),
        };
        OrgReport {
            api_host: "acme.crm.dynamics.com".into(),
            crm: Crm::Dynamics,
            checked_at: Some(1.0),
            problem: None,
            views: ViewKind::ALL
                .into_iter()
                .map(|kind| ShownView {
                    kind,
                    rows: if kind == ViewKind::AllContacts {
                        vec![row.clone()]
                    } else {
                        vec![]
                    },
                })
                .collect(),
            refused: vec![],
        }
    }

    #[test]
    fn views_show_their_counts_and_what_the_profile_says() {
        let r = report();
        let shown = views(&r);
        assert_eq!(english(&shown[0].title), "All Contacts Not at Company (1)");
        assert_eq!(
            english(&shown[3].title),
            "My Opportunities at Risk – Contact Left (0)"
        );
        assert_eq!(
            english(&row_details(&shown[0].rows[0])),
            "Now at Globex · Account: Acme"
        );
    }

    #[test]
    fn one_fix_at_a_time_and_its_answer_replaces_the_views() {
        let mut page = Validation::default();
        page.listed(Reply::ok(vec![report()]));
        let sent = page.fix("acme.crm.dynamics.com", "c1", FlagFix::Dismiss);
        assert!(matches!(
            &sent[0],
            PageAction::Send(Request::FixFlag {
                fix: FlagFix::Dismiss,
                ..
            })
        ));
        assert!(page
            .fix("acme.crm.dynamics.com", "c1", FlagFix::Dismiss)
            .is_empty());
        page.fixed(Reply::ok(vec![]));
        assert!(!page.busy());
        assert_eq!(page.reports().unwrap().len(), 0);
        assert_eq!(
            english(&page.status().unwrap().0),
            "Done. The CRM's flag follows."
        );
    }
}
