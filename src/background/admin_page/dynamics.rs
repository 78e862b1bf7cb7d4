//! The admin page in Dataverse: the org read (WhoAmI, then the settings variable and seat
//! team in one `$batch`, then the team's members) beside the preferences and the users;
//! connect piece by piece (it reads, writes the next missing piece, reads again), the
//! settings written, a seat changed.

use futures_util::future::join3;

use super::view::AdminStep;
use super::{all_pages, ask, at, Loaded, Stop};
use crate::crm::admin::dynamics::{self as dy, DynamicsOrg};
use crate::crm::admin::dynamics_connect::{self as connect, Me, Step};
use crate::crm::admin::Published;
use crate::crm::{Crm, CrmError, DataverseGuid, OrgHost};
use crate::host::Host;
use crate::validation::dynamics as validation;
use crate::writeback::owner;

/// Connect makes at most three pieces; one more read shows nothing is missing.
const MAX_CONNECT_ROUNDS: usize = 4;

async fn me<H: Host>(host: &H, org: &OrgHost) -> Result<Me, Stop> {
    let request = owner::request(Crm::Dynamics, org.as_str(), None)?;
    ask(host, &request, connect::read_me)
        .await
        .map_err(at(AdminStep::WhoAmI))
}

/// The org's settings variable, seat team and the signed-in user's seat.
async fn read<H: Host>(host: &H, org: &OrgHost, me: &Me) -> Result<DynamicsOrg, Stop> {
    ask(host, &dy::seat_view_request(org, &me.user_id), dy::read_org)
        .await
        .map_err(at(AdminStep::ReadOrg))
}

async fn read_with_seats<H: Host>(
    host: &H,
    org: &OrgHost,
) -> Result<(DynamicsOrg, Vec<String>), Stop> {
    let found = read(host, org, &me(host, org).await?).await?;
    let Some(team) = &found.team_id else {
        return Ok((found, Vec::new()));
    };
    let seats = all_pages(
        host,
        dy::seats_request(org, team),
        &|link| dy::next_page_request(org, link),
        &|status, body| dy::read_seats(status, body).map(|p| (p.user_ids, p.next)),
    )
    .await
    .map_err(at(AdminStep::Seats))?;
    Ok((found, seats))
}

pub(super) async fn load<H: Host>(host: &H, org: &OrgHost) -> Result<Loaded, Stop> {
    let next = |link: &str| dy::next_page_request(org, link);
    let read = |status, body: &str| dy::read_users(status, body).map(|p| (p.users, p.next));
    let users = all_pages(host, dy::users_request(org), &next, &read);
    let preferences_request = dy::preferences_request(org);
    let preferences = ask(host, &preferences_request, dy::read_preferences);
    let (found, preferences, users) = join3(read_with_seats(host, org), preferences, users).await;
    let (found, seats) = found?;
    Ok(Loaded {
        published: found.view.published,
        preferences: preferences.map_err(at(AdminStep::Preferences))?,
        users: users.map_err(at(AdminStep::Users))?,
        seats,
    })
}

async fn write<H: Host>(
    host: &H,
    org: &OrgHost,
    value_id: &DataverseGuid,
    published: &Published,
) -> Result<(), Stop> {
    let request = dy::publish_request(org, value_id, published)?;
    ask(host, &request, dy::read_write)
        .await
        .map_err(at(AdminStep::Publish))
}

pub(super) async fn republish<H: Host>(
    host: &H,
    org: &OrgHost,
    change: impl FnOnce(&Published) -> Result<Published, CrmError>,
) -> Result<Published, Stop> {
    let found = read(host, org, &me(host, org).await?).await?;
    let published = change(&found.view.published)?;
    // Without the value row the org was never connected: `change` refused it above.
    let value_id = found.value_id.ok_or_else(super::not_connected)?;
    write(host, org, &value_id, &published).await?;
    Ok(published)
}

fn step_of(step: Step) -> AdminStep {
    match step {
        Step::Variable => AdminStep::SettingsVariable,
        Step::Team => AdminStep::SeatTeam,
        Step::AdminSeat => AdminStep::AdminSeat,
    }
}

/// Each missing piece in turn (a connected org gets no write), then the first settings
/// unless the variable was just made with them.
pub(super) async fn connect<H: Host>(
    host: &H,
    org: &OrgHost,
    first: impl Fn(&Published) -> Result<Published, CrmError>,
) -> Result<(), Stop> {
    let me = me(host, org).await?;
    let mut found = read(host, org, &me).await?;
    let wanted = first(&found.view.published)?;
    for _ in 0..MAX_CONNECT_ROUNDS {
        let Some(step) = connect::next_step(&found) else {
            return match found.value_id {
                Some(value_id) if found.view.published != wanted => {
                    write(host, org, &value_id, &wanted).await
                }
                _ => Ok(()),
            };
        };
        if let Some(request) = connect::next_request(org, &found, &me.admin(), &wanted)? {
            ask(host, &request, connect::read_step)
                .await
                .map_err(at(step_of(step)))?;
        }
        host.keep_alive().await;
        found = read(host, org, &me).await?;
    }
    Err(CrmError::unexpected(200, "connect did not finish: the org keeps changing").into())
}

pub(super) async fn seat<H: Host>(
    host: &H,
    org: &OrgHost,
    user_id: &str,
    on: bool,
) -> Result<(), Stop> {
    let user = DataverseGuid::parse(user_id).ok_or_else(|| super::not_a_user(user_id))?;
    let found = read(host, org, &me(host, org).await?).await?;
    let team = found.team_id.ok_or_else(super::not_connected)?;
    let request = dy::seat_request(org, &team, &user, on);
    ask(host, &request, |status, body| {
        dy::read_seat_change(on, status, body)
    })
    .await
    .map_err(at(AdminStep::SeatChange))
}

/// Data validation's setup: the Boolean column, the views not made yet (names are not
/// unique in Dataverse, so they are looked for first), then publishing both.
pub(super) async fn set_up_validation<H: Host>(host: &H, org: &OrgHost) -> Result<(), Stop> {
    let write = |status: u16, body: &str| dy::read_write(status, body);
    ask(
        host,
        &validation::column_request(org),
        validation::read_column,
    )
    .await
    .map_err(at(AdminStep::ValidationField))?;
    let missing = ask(
        host,
        &validation::views_request(org),
        validation::read_views,
    )
    .await
    .map_err(at(AdminStep::ValidationViews))?;
    for kind in missing {
        host.keep_alive().await;
        ask(host, &validation::view_request(org, kind), write)
            .await
            .map_err(at(AdminStep::ValidationViews))?;
    }
    ask(host, &validation::publish_request(org), write)
        .await
        .map_err(at(AdminStep::ValidationPublish))
}
