//! The saved leads and accounts page's side of the background: for each synced org, the
//! seat holder's saved lists (`crate::pipeline`) with the org's own stage order, read from
//! the CRM when the page asks (the stages a seat holder may read: A14, B12).

use serde::{Deserialize, Serialize};

use super::outbox::remembered;
use super::panel::OrgSeen;
use super::validation::records_of;
use super::{links, session, settings, Background};
use crate::crm::admin::{dynamics as dy, salesforce as sf, CrmPreferences, PreferenceList};
use crate::crm::{Crm, CrmError, OrgHost};
use crate::host::{Host, HostError};
use crate::page::record_url;
use crate::pipeline::{saved_lists, ManualSaves, SavedAccount, SavedLead, StageRule};
use crate::settings::CrmChoice;
use crate::store::Meta;

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
    let choice = settings::for_org(bg, api_host)
        .await?
        .all
        .pipeline_stage
        .value;
    let mut saved = OrgSaved {
        api_host: api_host.to_string(),
        crm: org.crm,
        from_stage: None,
        leads: Vec::new(),
        accounts: Vec::new(),
        problem: None,
    };
    let preferences = match choice {
        CrmChoice::NotSure => None,
        CrmChoice::Named(_) => match stages(host, api_host, &org).await {
            Ok(preferences) => Some(preferences),
            Err(error) => {
                saved.problem = Some(error);
                return Ok(saved);
            }
        },
    };
    let stages = preferences.map_or(
        PreferenceList {
            choices: Vec::new(),
        },
        |p| p.stages,
    );
    let rule = StageRule::new(&choice, &stages);
    if let (CrmChoice::Named(value), StageRule::FromOrder { .. }) = (&choice, &rule) {
        saved.from_stage = stages.choices.iter().find_map(|c| match c {
            crate::crm::admin::Choice::Crm {
                value: v, label, ..
            } if v == value => Some(label.clone()),
            _ => None,
        });
    }
    let me: String = remembered(host, &Meta::Owner(api_host).key())
        .await
        .unwrap_or_default();
    let records = records_of(host, api_host).await?;
    let lists = saved_lists(&records, &me, &rule, &ManualSaves::default());
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
            url: url(crate::crm::RecordType::Account, &account.account_id),
            account,
        })
        .collect();
    Ok(saved)
}

/// The org's stages in its own order.
async fn stages<H: Host>(
    host: &H,
    api_host: &str,
    org: &OrgSeen,
) -> Result<CrmPreferences, CrmError> {
    match org.crm {
        Crm::Salesforce => {
            let session = session::salesforce(host, &org.page_host, api_host, None)
                .await
                .ok_or_else(crate::crm::salesforce::no_session)?;
            let answer = host.fetch(&sf::preferences_request(&session)).await;
            sf::read_preferences(answer.status, &answer.body)
        }
        Crm::Dynamics => {
            let org_host = OrgHost::checked(Crm::Dynamics, api_host)?;
            let answer = host.fetch(&dy::preferences_request(&org_host)).await;
            dy::read_preferences(answer.status, &answer.body)
        }
    }
}
