//! What the admin page says about the org's state and about a request that stopped: the
//! step, the CRM's own words, and what to do (ask the CRM admin for a right, sign in, wait,
//! connect again).

use serde::Deserialize;

use crate::background::admin_page::view::AdminStep;
use crate::crm::admin::OrgState;
use crate::crm::{Crm, CrmErrorKind};
use crate::msg;
use crate::pages::{key, Problem, Reply, Text};
use crate::panel_model::crm_key;

/// An admin request's answer: `{ok}`, or the CRM's error with the step it stopped at and
/// the right a non-admin lacks, or a word or a refusal as every request may answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", bound = "T: Deserialize<'de>")]
pub struct AdminReply<T> {
    pub ok: Option<T>,
    pub error: Option<Problem>,
    pub step: Option<AdminStep>,
    pub admin_needed: Option<String>,
    pub refused: Option<String>,
}

impl<T> Default for AdminReply<T> {
    fn default() -> Self {
        AdminReply {
            ok: None,
            error: None,
            step: None,
            admin_needed: None,
            refused: None,
        }
    }
}

impl<T> crate::pages::Answer for AdminReply<T> {
    fn unreadable(why: String) -> Self {
        AdminReply {
            refused: Some(why),
            ..AdminReply::default()
        }
    }
}

impl<T> AdminReply<T> {
    /// The value, when the request did what it was asked.
    pub fn done(self) -> Result<T, AdminReply<()>> {
        match self.ok {
            Some(ok) if self.error.is_none() && self.refused.is_none() => Ok(ok),
            _ => Err(AdminReply {
                ok: None,
                error: self.error,
                step: self.step,
                admin_needed: self.admin_needed,
                refused: self.refused,
            }),
        }
    }
}

pub fn state_text(state: OrgState, crm: Crm) -> Text {
    match state {
        OrgState::NotConnected => msg!("adminStateNotConnected"),
        OrgState::Connected => msg!("adminStateConnected", key(crm_key(crm))),
        OrgState::Disconnected => msg!("adminStateDisconnected"),
    }
}

pub fn step_text(step: AdminStep) -> Text {
    match step {
        AdminStep::WhoAmI => msg!("adminStep_whoAmI"),
        AdminStep::ReadOrg => msg!("adminStep_readOrg"),
        AdminStep::Preferences => msg!("adminStep_preferences"),
        AdminStep::Users => msg!("adminStep_users"),
        AdminStep::Seats => msg!("adminStep_seats"),
        AdminStep::SettingsObject => msg!("adminStep_settingsObject"),
        AdminStep::SettingsFields => msg!("adminStep_settingsFields"),
        AdminStep::SeatPermission => msg!("adminStep_seatPermission"),
        AdminStep::SeatPermissionSet => msg!("adminStep_seatPermissionSet"),
        AdminStep::SeatGrants => msg!("adminStep_seatGrants"),
        AdminStep::SettingsVariable => msg!("adminStep_settingsVariable"),
        AdminStep::SeatTeam => msg!("adminStep_seatTeam"),
        AdminStep::AdminSeat => msg!("adminStep_adminSeat"),
        AdminStep::Publish => msg!("adminStep_publish"),
        AdminStep::SeatChange => msg!("adminStep_seatChange"),
    }
}

/// The steps only connect takes: running it again finishes what it started.
fn connect_step(step: AdminStep) -> bool {
    matches!(
        step,
        AdminStep::SettingsObject
            | AdminStep::SettingsFields
            | AdminStep::SeatPermission
            | AdminStep::SeatPermissionSet
            | AdminStep::SeatGrants
            | AdminStep::SettingsVariable
            | AdminStep::SeatTeam
            | AdminStep::AdminSeat
    )
}

/// "The CRM said: …" after advice, when the CRM gave words.
fn with_crm_words(advice: Text, message: &str) -> Text {
    if message.trim().is_empty() {
        advice
    } else {
        Text::joined(" ", [advice, msg!("crmSaid", message.trim())])
    }
}

/// Why it stopped, and what to do.
fn reason(reply: &AdminReply<()>, crm: Crm) -> Text {
    let crm_problem = match &reply.error {
        Some(Problem::Crm(e)) => e,
        Some(Problem::Word(word)) if word == "orgNotAllowed" => return msg!("failOrgNotAllowed"),
        Some(Problem::Word(word)) => return msg!("actionFailed", word.as_str()),
        None => {
            let refused = reply.refused.as_deref().unwrap_or_default();
            return Text::from(crate::answer::refusal_words(refused));
        }
    };
    if let Some(right) = &reply.admin_needed {
        return with_crm_words(
            msg!("errorAdminNeeded", right.as_str()),
            &crm_problem.message,
        );
    }
    match (crm_problem.code.as_str(), crm_problem.kind) {
        ("NOT_CONNECTED", _) => msg!("adminNotConnected"),
        ("UNKNOWN_ORG", _) => msg!("adminUnknownOrg"),
        ("SETTINGS_INVALID", _) => msg!("failSettingInvalid"),
        (_, Some(CrmErrorKind::SessionExpired)) => msg!("writeBackSignIn", key(crm_key(crm))),
        (_, Some(CrmErrorKind::RateLimited | CrmErrorKind::Unavailable)) => {
            with_crm_words(msg!("errorTryLater"), &crm_problem.message)
        }
        _ => msg!("crmSaid", reply_reason(reply).as_str()),
    }
}

fn reply_reason(reply: &AdminReply<()>) -> String {
    let as_reply: Reply<()> = Reply {
        ok: None,
        error: reply.error.clone(),
        refused: reply.refused.clone(),
    };
    let reason = as_reply.reason();
    if reason.is_empty() {
        "?".into()
    } else {
        reason
    }
}

/// "Stopped while creating the seat team: … What was done before stays: Connect again."
pub fn failure_text(reply: &AdminReply<()>, crm: Crm) -> Text {
    let why = reason(reply, crm);
    match reply.step {
        Some(step) => {
            let stopped = msg!("adminStopped", step_text(step), why);
            if connect_step(step) {
                Text::joined(" ", [stopped, msg!("adminConnectAgain")])
            } else {
                stopped
            }
        }
        None => why,
    }
}
