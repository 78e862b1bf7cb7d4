//! The admin side in Salesforce (docs/org-admin.md): preferences from the org's metadata,
//! users, and the published settings and seats. The mechanism objects are made by
//! `salesforce_connect`. Facts: CRM-APIS A14–A17.

use serde::Deserialize;
use serde_json::{json, Value};

use super::composite::{answer, composite, json_request, read_composite, sub_path, sub_query};
use super::{
    document, not_an_object, read_document, Choice, CrmPreferences, OrgUser, PreferenceList,
    Published, SeatView, SeatsPage, UsersPage,
};
use crate::crm::salesforce::{authorized, base_url, query_url, read_error, Session};
use crate::crm::{CrmError, CrmErrorKind, HttpRequest};
use crate::escape::soql;

/// The custom object holding the published settings, one record keyed `org` (A16).
pub const SETTINGS_OBJECT: &str = "crmsync_Settings__c";
pub const JSON_FIELD: &str = "Json__c";
pub const KEY_FIELD: &str = "Key__c";
pub const ORG_KEY: &str = "org";
/// The permission set that is a seat, and the custom permission in it that lets any user
/// ask "do I hold a seat?" through `UserSetupEntityAccess` (A15).
pub const SEAT: &str = "crmsync_Seat";

/// OpportunityStage in the org's own order (A14).
const STAGES_SOQL: &str = "SELECT ApiName, MasterLabel, SortOrder, IsActive, IsClosed, IsWon, DefaultProbability FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder";

/// Active users with a full Salesforce licence: UserType 'Standard' leaves out portal,
/// guest, chatter-only and automated users (A14).
const USERS_SOQL: &str = "SELECT Id, Name, Email FROM User WHERE IsActive = true AND UserType = 'Standard' ORDER BY Name, Id";

fn text<'a>(record: &'a Value, field: &str) -> &'a str {
    record
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The stages (SOQL) and the Opportunity describe, in one composite request.
pub fn preferences_request(session: &Session) -> HttpRequest {
    composite(
        session,
        vec![
            sub_query("stages", STAGES_SOQL),
            json!({"method": "GET", "referenceId": "describe", "url": sub_path("sobjects/Opportunity/describe")}),
        ],
    )
}

pub fn read_preferences(status: u16, body: &str) -> Result<CrmPreferences, CrmError> {
    let answers = read_composite(status, body)?;
    let stages = answer(&answers, "stages")?;
    let describe = answer(&answers, "describe")?;
    for a in [stages, describe] {
        if !a.ok() {
            return Err(a.error());
        }
    }
    let stage_choices = stages
        .records()
        .iter()
        .filter(|r| r.get("IsActive").and_then(Value::as_bool) != Some(false))
        .map(|r| {
            let label = text(r, "MasterLabel");
            let value = Some(text(r, "ApiName")).filter(|v| !v.is_empty());
            Choice::Crm {
                value: value.unwrap_or(label).to_string(),
                label: label.to_string(),
                order: r.get("SortOrder").and_then(Value::as_u64).unwrap_or(0) as u32,
            }
        })
        .collect();
    let fields = describe
        .body
        .get("fields")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let currency = fields
        .iter()
        .filter(|f| text(f, "type") == "currency")
        .enumerate()
        .map(|(i, f)| Choice::Crm {
            value: text(f, "name").to_string(),
            label: text(f, "label").to_string(),
            order: i as u32,
        })
        .collect();
    Ok(CrmPreferences {
        stages: PreferenceList::from_crm(stage_choices),
        currency_fields: PreferenceList::from_crm(currency),
    })
}

/// The first page of the org's seat-able users (2,000 a page, A2).
pub fn users_request(session: &Session) -> HttpRequest {
    authorized(session, "GET", query_url(&session.api_host, USERS_SOQL))
}

/// The page a `nextRecordsUrl` names (users or seats alike): a path of the org's own REST
/// API (A2). Anything else is refused, as the token goes wherever the URL points
/// (`@evil.example/…` after the host would name another host).
pub fn next_page_request(session: &Session, next: &str) -> Result<HttpRequest, CrmError> {
    let own_api = next.starts_with("/services/data/") && !next.contains(['@', '\\']);
    if !own_api {
        return Err(CrmError::unexpected(
            200,
            &format!("nextRecordsUrl outside the org's API: {next}"),
        ));
    }
    Ok(authorized(
        session,
        "GET",
        format!("https://{}{next}", session.api_host),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueryPage {
    records: Vec<Value>,
    next_records_url: Option<String>,
}

fn read_query(status: u16, body: &str) -> Result<QueryPage, CrmError> {
    if status != 200 {
        return Err(read_error(status, body));
    }
    serde_json::from_str(body)
        .map_err(|e| CrmError::unexpected(status, &format!("invalid query answer: {e}")))
}

pub fn read_users(status: u16, body: &str) -> Result<UsersPage, CrmError> {
    let page = read_query(status, body)?;
    let users = page
        .records
        .iter()
        .map(|r| OrgUser {
            id: text(r, "Id").to_string(),
            name: text(r, "Name").to_string(),
            email: text(r, "Email").to_string(),
        })
        .filter(|u| !u.id.is_empty())
        .collect();
    Ok(UsersPage {
        users,
        next: page.next_records_url,
    })
}

/// Who holds a seat: the permission set's assignments (readable by admins only, A15).
pub fn seats_request(session: &Session) -> HttpRequest {
    let soql = format!(
        "SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.Name = {}",
        soql::quote(SEAT)
    );
    authorized(session, "GET", query_url(&session.api_host, &soql))
}

/// A user who may not see assignments gets `INVALID_TYPE` for the object, as for one that
/// does not exist (A15, A17): for the admin page that is a refusal, an admin's to lift.
pub fn read_seats(status: u16, body: &str) -> Result<SeatsPage, CrmError> {
    let page = read_query(status, body).map_err(|mut error| {
        if error.code == "INVALID_TYPE" {
            error.kind = CrmErrorKind::Forbidden;
        }
        error
    })?;
    Ok(SeatsPage {
        user_ids: page
            .records
            .iter()
            .map(|r| text(r, "AssigneeId").to_string())
            .filter(|id| !id.is_empty())
            .collect(),
        next: page.next_records_url,
    })
}

fn settings_soql() -> String {
    format!(
        "SELECT Id, {JSON_FIELD} FROM {SETTINGS_OBJECT} WHERE {KEY_FIELD} = {}",
        soql::quote(ORG_KEY)
    )
}

fn my_seat_soql() -> String {
    format!(
        "SELECT DeveloperName FROM UserSetupEntityAccess WHERE DeveloperName = {}",
        soql::quote(SEAT)
    )
}

/// The published settings and "do I hold a seat?", in ONE request: a composite of two
/// queries, each answered on its own (A6, A15).
pub fn seat_view_request(session: &Session) -> HttpRequest {
    composite(
        session,
        vec![
            sub_query("settings", &settings_soql()),
            sub_query("seat", &my_seat_soql()),
        ],
    )
}

/// A user who may not read the settings object (no seat, or the org was never connected)
/// gets `INVALID_TYPE` for it (A16): that is "nothing published" for them, not a failure.
pub fn read_seat_view(status: u16, body: &str) -> Result<SeatView, CrmError> {
    let answers = read_composite(status, body)?;
    let settings = answer(&answers, "settings")?;
    let seat = answer(&answers, "seat")?;
    if !seat.ok() {
        return Err(seat.error());
    }
    let has_seat = seat
        .records()
        .iter()
        .any(|r| text(r, "DeveloperName") == SEAT);
    let published = if settings.ok() {
        match settings.records().first() {
            Some(record) => read_document(text(record, JSON_FIELD))?,
            None => Published::not_connected(),
        }
    } else if settings.error_code() == "INVALID_TYPE" {
        Published::not_connected()
    } else {
        return Err(settings.error());
    };
    Ok(SeatView {
        published,
        has_seat,
    })
}

/// Publishes (or disconnects: `state` Disconnected) by upserting the one settings record
/// on its external id (A5), so no record id is needed and a second publish overwrites.
pub fn publish_request(session: &Session, published: &Published) -> Result<HttpRequest, CrmError> {
    let doc = document(published).ok_or_else(not_an_object)?;
    let url = format!(
        "{}/sobjects/{SETTINGS_OBJECT}/{KEY_FIELD}/{ORG_KEY}",
        base_url(&session.api_host)
    );
    Ok(json_request(
        session,
        "PATCH",
        url,
        json!({"Name": "crmsync", JSON_FIELD: doc}),
    ))
}

/// 201 created or 200 updated (A5).
pub fn read_publish(status: u16, body: &str) -> Result<(), CrmError> {
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(read_error(status, body))
    }
}

/// Gives (`on`) or takes back a seat in one composite: find the permission set (or the
/// user's assignment), then create (or delete) the assignment through the found id (A6, A15).
pub fn seat_request(session: &Session, user_id: &str, on: bool) -> HttpRequest {
    let user = soql::quote(user_id);
    let seat = soql::quote(SEAT);
    let subrequests = if on {
        vec![
            sub_query(
                "set",
                &format!("SELECT Id FROM PermissionSet WHERE Name = {seat}"),
            ),
            json!({"method": "POST", "referenceId": "change", "url": sub_path("sobjects/PermissionSetAssignment"),
                   "body": {"AssigneeId": user_id, "PermissionSetId": "@{set.records[0].Id}"}}),
        ]
    } else {
        vec![
            sub_query("set", &format!("SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = {user} AND PermissionSet.Name = {seat}")),
            json!({"method": "DELETE", "referenceId": "change",
                   "url": sub_path("sobjects/PermissionSetAssignment/@{set.records[0].Id}")}),
        ]
    };
    composite(session, subrequests)
}

/// The seat is as asked, whether this call changed it or it already was.
pub fn read_seat_change(on: bool, status: u16, body: &str) -> Result<(), CrmError> {
    let answers = read_composite(status, body)?;
    let found = answer(&answers, "set")?;
    if !found.ok() {
        return Err(found.error());
    }
    if found.records().is_empty() {
        return if on {
            Err(CrmError::new(
                CrmErrorKind::NotFound,
                404,
                super::NOT_CONNECTED,
                "The org is not connected: the crmsync seat permission set is missing.",
            ))
        } else {
            Ok(()) // no assignment: the user holds no seat already
        };
    }
    let change = answer(&answers, "change")?;
    if change.ok() || (on && change.error_code() == "DUPLICATE_VALUE") {
        Ok(())
    } else {
        Err(change.error())
    }
}

/// The Salesforce right an admin step was refused for, for "ask your CRM admin for …"
/// (A17); `None` for any other failure.
pub fn needs_admin(error: &CrmError) -> Option<&'static str> {
    let refused = match error.code.as_str() {
        "INSUFFICIENT_ACCESS" | "INSUFFICIENT_ACCESS_OR_READONLY" => true,
        // Setup objects hidden from the user (`read_seats`).
        "INVALID_TYPE" => error.kind == CrmErrorKind::Forbidden,
        _ => false,
    };
    refused.then_some("Customize Application, Assign Permission Sets")
}

#[cfg(test)]
#[path = "salesforce_tests.rs"]
mod tests;
