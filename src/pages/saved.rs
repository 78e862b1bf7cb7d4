//! The saved leads and accounts page, as data: per org, the leads (contacts of the seat
//! holder's opportunities in the pipeline) and the accounts, each with why it was saved, and
//! each account's won value.

use crate::background::saved::OrgSaved;
use crate::message::Request;
use crate::msg;
use crate::pages::{PageAction, Reply, Text};
use crate::pipeline::SaveReason;
use crate::validation::decide::Verdict;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Saved {
    orgs: Option<Vec<OrgSaved>>,
    status: Option<Text>,
}

/// "Renewal (Proposal)" for each reason, joined.
pub fn reasons_text(reasons: &[SaveReason]) -> Text {
    let parts = reasons.iter().map(|r| match r {
        SaveReason::Manual => msg!("savedByHand"),
        SaveReason::Opportunity { name, stage, .. } => match stage {
            Some(stage) => msg!("savedFromOpportunity", name.as_str(), stage.as_str()),
            None => msg!("savedFromOpportunityNoStage", name.as_str()),
        },
    });
    Text::joined("; ", parts.collect::<Vec<_>>())
}

/// The pipeline the lists come from: from the admin's stage on, or every open opportunity.
pub fn rule_text(org: &OrgSaved) -> Text {
    match &org.from_stage {
        Some(stage) => msg!("savedFromStage", stage.as_str()),
        None => msg!("savedAllOpen"),
    }
}

/// A won value as the page shows it (the CRM's currency is not synced: the number alone).
pub fn won_text(value: Option<f64>) -> Text {
    match value {
        Some(v) => msg!("savedWonValue", format!("{v:.2}")),
        None => "".into(),
    }
}

/// A saved lead's job-change status: whether its linked profile still shows the Account.
pub fn job_text(job: Option<&Verdict>) -> Text {
    match job {
        None => msg!("savedJobNoProfile"),
        Some(Verdict::AtCompany) => msg!("savedJobAtCompany"),
        Some(Verdict::Left { now_at }) => msg!("savedJobLeft", now_at.as_str()),
        Some(Verdict::Unknown) => msg!("savedJobUnknown"),
    }
}

impl Saved {
    pub fn start(&self) -> Vec<PageAction> {
        vec![PageAction::Send(Request::SavedLists)]
    }

    pub fn listed(&mut self, answer: Reply<Vec<OrgSaved>>) {
        match answer.ok {
            Some(orgs) => self.orgs = Some(orgs),
            None => {
                self.orgs.get_or_insert_with(Vec::new);
                self.status = Some(answer.failure());
            }
        }
    }

    pub fn orgs(&self) -> Option<&[OrgSaved]> {
        self.orgs.as_deref()
    }

    pub fn status(&self) -> Option<&Text> {
        self.status.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::english;

    #[test]
    fn reasons_name_the_opportunity_and_its_stage() {
        let reasons = [
            SaveReason::Manual,
            SaveReason::Opportunity {
                id: "o1".into(),
                name: "Renewal".into(),
                stage: Some("Proposal".into()),
            },
        ];
        assert_eq!(
            english(&reasons_text(&reasons)),
            "Saved by hand; Renewal (Proposal)"
        );
        assert_eq!(english(&won_text(Some(1500.0))), "Won: 1500.00");
        let left = Verdict::Left {
            now_at: "Globex".into(),
        };
        assert_eq!(english(&job_text(Some(&left))), "Job change: now at Globex");
        assert_eq!(english(&job_text(None)), "No linked profile");
    }
}
