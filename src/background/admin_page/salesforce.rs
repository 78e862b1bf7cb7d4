//! The admin page in Salesforce: the org read at once (settings, preferences, users, seats:
//! four requests side by side), connect's steps, the settings written, a seat changed.

use futures_util::future::join4;

use super::view::AdminStep;
use super::{all_pages, ask, at, Loaded, Stop};
use crate::crm::admin::salesforce as sf;
use crate::crm::admin::salesforce_connect::{self as connect, Step, STEPS};
use crate::crm::admin::Published;
use crate::crm::salesforce::Session;
use crate::crm::{Crm, CrmError};
use crate::host::Host;
use crate::salesforce_id::SalesforceId;
use crate::validation::salesforce as validation;
use crate::writeback::owner;

pub(super) async fn load<H: Host>(host: &H, session: &Session) -> Result<Loaded, Stop> {
    let next = |link: &str| sf::next_page_request(session, link);
    let (view, preferences, users, seats) = join4(
        ask(host, &sf::seat_view_request(session), sf::read_seat_view),
        ask(
            host,
            &sf::preferences_request(session),
            sf::read_preferences,
        ),
        all_pages(host, sf::users_request(session), &next, &|status, body| {
            sf::read_users(status, body).map(|p| (p.users, p.next))
        }),
        all_pages(host, sf::seats_request(session), &next, &|status, body| {
            sf::read_seats(status, body).map(|p| (p.user_ids, p.next))
        }),
    )
    .await;
    // A non-admin is refused the seats first (A15): that refusal is the one to show.
    let seats = seats.map_err(at(AdminStep::Seats))?;
    Ok(Loaded {
        published: view.map_err(at(AdminStep::ReadOrg))?.published,
        preferences: preferences.map_err(at(AdminStep::Preferences))?,
        users: users.map_err(at(AdminStep::Users))?,
        seats,
    })
}

async fn read<H: Host>(host: &H, session: &Session) -> Result<Published, Stop> {
    let view = ask(host, &sf::seat_view_request(session), sf::read_seat_view).await;
    Ok(view.map_err(at(AdminStep::ReadOrg))?.published)
}

async fn write<H: Host>(host: &H, session: &Session, published: &Published) -> Result<(), Stop> {
    let request = sf::publish_request(session, published)?;
    ask(host, &request, sf::read_publish)
        .await
        .map_err(at(AdminStep::Publish))
}

pub(super) async fn republish<H: Host>(
    host: &H,
    session: &Session,
    change: impl FnOnce(&Published) -> Result<Published, CrmError>,
) -> Result<Published, Stop> {
    let published = change(&read(host, session).await?)?;
    write(host, session, &published).await?;
    Ok(published)
}

fn step_of(step: Step) -> AdminStep {
    match step {
        Step::SettingsObject => AdminStep::SettingsObject,
        Step::JsonField | Step::KeyField => AdminStep::SettingsFields,
        Step::SeatPermission => AdminStep::SeatPermission,
        Step::SeatPermissionSet => AdminStep::SeatPermissionSet,
        Step::Grants => AdminStep::SeatGrants,
    }
}

/// Who is signed in (the admin gets a seat), each step (an existing object counts as
/// done), then the first settings over what was published before.
pub(super) async fn connect<H: Host>(
    host: &H,
    session: &Session,
    first: impl Fn(&Published) -> Result<Published, CrmError>,
) -> Result<(), Stop> {
    let me = owner::request(Crm::Salesforce, session.api_host.as_str(), Some(session))?;
    let me = ask(host, &me, |status, body| {
        owner::read(Crm::Salesforce, status, body, None)
    })
    .await
    .map_err(at(AdminStep::WhoAmI))?;
    for step in STEPS {
        let request = connect::request(session, step, &me);
        ask(host, &request, |status, body| {
            connect::read(step, status, body)
        })
        .await
        .map_err(at(step_of(step)))?;
        host.keep_alive().await;
    }
    republish(host, session, first).await.map(drop)
}

/// Data validation's setup: the checkbox, then its grant to the seat permission set (an
/// existing field or grant counts as done).
pub(super) async fn set_up_validation<H: Host>(host: &H, session: &Session) -> Result<(), Stop> {
    ask(
        host,
        &validation::field_request(session),
        validation::read_field,
    )
    .await
    .map_err(at(AdminStep::ValidationField))?;
    host.keep_alive().await;
    ask(
        host,
        &validation::grant_request(session),
        validation::read_grant,
    )
    .await
    .map_err(at(AdminStep::ValidationGrant))
}

pub(super) async fn seat<H: Host>(
    host: &H,
    session: &Session,
    user_id: &str,
    on: bool,
) -> Result<(), Stop> {
    let user = SalesforceId::parse(user_id).ok_or_else(|| super::not_a_user(user_id))?;
    let request = sf::seat_request(session, user.as_str(), on);
    ask(host, &request, |status, body| {
        sf::read_seat_change(on, status, body)
    })
    .await
    .map_err(at(AdminStep::SeatChange))
}
