//! What the admin page says about the org's state and about a request that stopped (its
//! answer's `Problem`): the step, the CRM's own words, and what to do (ask the CRM admin for
//! a right or to allow the session, sign in, wait, connect again).

use serde::de::value::{Error, StrDeserializer};
use serde::Deserialize;

use crate::background::admin_page::view::AdminStep;
use crate::crm::admin::{self, OrgState};
use crate::crm::{Crm, CrmError, CrmErrorKind};
use crate::msg;
use crate::pages::{key, Code, Problem, Text};
use crate::panel_model::crm_key;

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
        AdminStep::ValidationField => msg!("adminStep_validationField"),
        AdminStep::ValidationGrant => msg!("adminStep_validationGrant"),
        AdminStep::ValidationViews => msg!("adminStep_validationViews"),
        AdminStep::ValidationPublish => msg!("adminStep_validationPublish"),
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

/// The right a step the CRM refused needs, from the CRM's own refusal: a non-admin's.
fn admin_needed(error: &CrmError) -> Option<String> {
    admin::salesforce::needs_admin(error)
        .map(str::to_string)
        .or_else(|| admin::dynamics::needs_admin(error))
}

/// Why it stopped, and what to do.
fn reason(problem: &Problem, crm: Crm) -> Text {
    let Some(error) = problem.crm.as_ref().filter(|_| problem.code == Code::Crm) else {
        return Text::from(problem.words());
    };
    // A refused session says what the CRM admin must allow (CRM-APIS A19), as in the panel,
    // not the CRM's words.
    if error.kind == CrmErrorKind::Blocked {
        return Text::from(problem.words());
    }
    if let Some(right) = admin_needed(error) {
        return with_crm_words(msg!("errorAdminNeeded", right.as_str()), &error.message);
    }
    match (error.code.as_str(), error.kind) {
        ("UNKNOWN_ORG", _) => msg!("adminUnknownOrg"),
        (_, CrmErrorKind::SessionExpired) => msg!("writeBackSignIn", key(crm_key(crm))),
        (_, CrmErrorKind::RateLimited | CrmErrorKind::Unavailable) => {
            with_crm_words(msg!("errorTryLater"), &error.message)
        }
        _ => msg!("crmSaid", crm_reason(error)),
    }
}

/// The CRM's own words, else its code.
fn crm_reason(error: &CrmError) -> &str {
    match (error.message.trim(), error.code.as_str()) {
        ("", "") => "?",
        ("", code) => code,
        (message, _) => message,
    }
}

/// The step a request stopped at, which the answer's detail names.
fn step_of(problem: &Problem) -> Option<AdminStep> {
    let detail = problem.detail.as_deref()?;
    AdminStep::deserialize(StrDeserializer::<Error>::new(detail)).ok()
}

/// "Stopped while creating the seat team: … What was done before stays: Connect again."
pub fn failure_text(problem: &Problem, crm: Crm) -> Text {
    let why = reason(problem, crm);
    match step_of(problem) {
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
