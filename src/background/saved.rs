//! The saved leads and accounts page's side of the background: for each synced org, the
//! seat holder's saved lists (`crate::pipeline`) with the org's own stage order, read from
//! the CRM when the page asks (the stages and currency fields a seat holder may read: A14,
//! B12), and each saved account's won value summed from the CRM (`crate::pipeline::won`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::outbox::remembered;
use super::panel::OrgSeen;
use super::validation::{linked_profiles, records_of};
use super::{links, session, settings, Background};
use crate::crm::admin::{dynamics as dy, salesforce as sf, Choice, CrmPreferences};
use crate::crm::{Crm, CrmError, OrgHost, RecordType};
use crate::host::{Host, HostError};
use crate::matching::Person;
use crate::page::record_url;
use crate::pipeline::{
    saved_lists, won, ManualSaves, Pipeline, SavedAccount, SavedLead, StageRule,
};
use crate::settings::CrmChoice;
use crate::store::Meta;
use crate::validation::target::Target;

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShownLead {
    #[serde(flatten)]
    pub lead: SavedLead,
    pub url: Option<String>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShownAccount {
    #[serde(flatten)]
    pub account: SavedAccount,
    pub url: Option<String>,
}

/// One org's saved lists, or why they could not be read.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgSaved {
    pub api_host: String,
    pub crm: Crm,
    /// The admin's stage (its label in the CRM), or `None` for "Not sure".
    pub from_stage: Option<String>,
    pub leads: Vec<ShownLead>,
    pub accounts: Vec<ShownAccount>,
    pub problem: Option<CrmError>,
}

pub async fn lists<H: Host>(bg: &Background<H>) -> Result<Vec<OrgSaved>, HostError> {
    let mut all = Vec::new();
    for api_host in links::synced_hosts(&bg.host).await? {
        if let Some(org) = remembered::<H, OrgSeen>(&bg.host, &Meta::Org(&api_host).key()).await {
            all.push(org_lists(bg, &api_host, org).await?);
        }
    }
    Ok(all)
}

async fn org_lists<H: Host>(
    bg: &Background<H>,
    api_host: &str,
    org: OrgSeen,
) -> Result<OrgSaved, HostError> {
    let host = &bg.host;
    let all = settings::for_org(bg, api_host).await?.all;
    let (stage, won_field) = (all.pipeline_stage.value, all.won_value_field.value);
    let mut saved = OrgSaved {
        api_host: api_host.to_string(),
        crm: org.crm,
        from_stage: None,
        leads: Vec::new(),
        accounts: Vec::new(),
        problem: None,
    };
    let target = match target(host, api_host, &org).await {
        Ok(target) => target,
        Err(error) => {
            saved.problem = Some(error);
            return Ok(saved);
        }
    };
    // One request answers both the stages and the currency fields; "Not sure" needs neither.
    let named = |c: &CrmChoice| matches!(c, CrmChoice::Named(_));
    let preferences = if named(&stage) || named(&won_field) {
        match preferences(host, &target).await {
            Ok(preferences) => preferences,
            Err(error) => {
                saved.problem = Some(error);
                return Ok(saved);
            }
        }
    } else {
        CrmPreferences::default()
    };
    let rule = StageRule::new(&stage, &preferences.stages);
    if let (CrmChoice::Named(value), StageRule::FromOrder { .. }) = (&stage, &rule) {
        saved.from_stage = preferences.stages.choices.iter().find_map(|c| match c {
            Choice::Crm {
                value: v, label, ..
            } if v == value => Some(label.clone()),
            _ => None,
        });
    }
    let me: String = remembered(host, &Meta::Owner(api_host).key())
        .await
        .unwrap_or_default();
    let manual: ManualSaves = remembered(host, &Meta::ManualSaves(api_host).key())
        .await
        .unwrap_or_default();
    let records = records_of(host, api_host).await?;
    let profiles = linked_profiles(host, api_host).await?;
    let linked: HashMap<&str, &Person> = profiles.iter().map(|(r, p)| (r.as_str(), p)).collect();
    let mut lists = saved_lists(&Pipeline {
        records: &records,
        me: &me,
        rule: &rule,
        manual: &manual,
        linked: &linked,
    });
    let field = won::field(org.crm, &won_field, &preferences.currency_fields);
    let account_ids: Vec<String> = lists
        .accounts
        .iter()
        .map(|a| a.account_id.clone())
        .collect();
    match won_totals(host, &target, &field, &account_ids).await {
        Ok(totals) => lists.set_won_values(&totals),
        Err(error) => saved.problem = Some(error),
    }
    let org_host = OrgHost::of(org.crm, api_host);
    let url = |t, id: &str| {
        org_host
            .as_ref()
            .and_then(|h| record_url(org.crm, h, t, id))
    };
    saved.leads = lists
        .leads
        .into_iter()
        .map(|lead| ShownLead {
            url: url(lead.record_type, &lead.record_id),
            lead,
        })
        .collect();
    saved.accounts = lists
        .accounts
        .into_iter()
        .map(|account| ShownAccount {
            url: url(RecordType::Account, &account.account_id),
            account,
        })
        .collect();
    Ok(saved)
}

/// The org to read from: Salesforce through the REST session, Dataverse with cookies.
async fn target<H: Host>(host: &H, api_host: &str, org: &OrgSeen) -> Result<Target, CrmError> {
    let session = match org.crm {
        Crm::Salesforce => session::salesforce(host, &org.page_host, api_host, None).await,
        Crm::Dynamics => None,
    };
    Target::new(org.crm, api_host, session)
}

/// The org's stages in its own order, and its opportunities' currency fields.
async fn preferences<H: Host>(host: &H, target: &Target) -> Result<CrmPreferences, CrmError> {
    match target {
        Target::Salesforce(session) => {
            let answer = host.fetch(&sf::preferences_request(session)).await;
            sf::read_preferences(answer.status, &answer.body)
        }
        Target::Dynamics(org_host) => {
            let answer = host.fetch(&dy::preferences_request(org_host)).await;
            dy::read_preferences(answer.status, &answer.body)
        }
    }
}

/// Each account's won value, all pages of all chunks read.
async fn won_totals<H: Host>(
    host: &H,
    target: &Target,
    field: &str,
    account_ids: &[String],
) -> Result<HashMap<String, f64>, CrmError> {
    let mut values = Vec::new();
    for first in won::requests(target, field, account_ids) {
        let mut request = Some(first);
        while let Some(current) = request.take() {
            let answer = host.fetch(&current).await;
            let (page, next) = won::read(target, field, answer.status, &answer.body)?;
            values.extend(page);
            request = next;
        }
    }
    Ok(won::totals(values))
}
