//! The admin side in Dataverse (docs/org-admin.md): preferences from the opportunity's
//! metadata, users, and the published settings (an environment variable) and seats (a team).
//! `dynamics_connect` makes them. Facts: CRM-APIS B12–B15.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{
    document, not_an_object, read_document, Choice, CrmPreferences, OrgUser, PreferenceList,
    Published, SeatView, SeatsPage, UsersPage,
};
use crate::crm::batch::{self, read_multipart, Answer, Part};
use crate::crm::dynamics::{api_base, odata_headers, read_error};
use crate::crm::{CrmError, CrmErrorKind, DataverseGuid, HttpRequest, OrgHost};
use crate::escape::odata;

/// The environment variable holding the published settings; its schema name needs the
/// environment's publisher prefix (`new_` in the default publisher, B13).
pub const SETTINGS_VARIABLE: &str = "new_crmsyncSettings";
/// The environment variable type JSON (B13).
pub const JSON_TYPE: u32 = 100_000_003;
/// The team whose members hold a seat (B14).
pub const SEAT_TEAM: &str = "crmsync seats";

/// Users a page, well under the 5,000 maximum (B3): the admin page shows the first fast.
const USERS_PAGE: u32 = 500;

/// A query option value for a URL or a `$batch` request line (no raw spaces there).
fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

fn base(api_host: &OrgHost) -> String {
    api_base(api_host)
}

fn get(url: String, extra: &[(&str, &str)]) -> HttpRequest {
    let mut headers = odata_headers();
    headers.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    HttpRequest {
        method: "GET".into(),
        url,
        headers,
        body: None,
        with_cookies: true,
    }
}

pub(crate) fn write(method: &str, url: String, body: Option<Value>) -> HttpRequest {
    let mut headers = odata_headers();
    if body.is_some() {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    HttpRequest {
        method: method.into(),
        url,
        headers,
        body: body.map(|b| b.to_string()),
        with_cookies: true,
    }
}

fn read_json(answer: &Answer) -> Result<Value, CrmError> {
    if answer.status != 200 {
        return Err(read_error(answer.status, &answer.body, None));
    }
    serde_json::from_str(&answer.body)
        .map_err(|e| CrmError::unexpected(answer.status, &format!("invalid JSON: {e}")))
}

fn read_batch(status: u16, body: &str, parts: usize) -> Result<Vec<Answer>, CrmError> {
    if status != 200 {
        return Err(read_error(status, body, None));
    }
    let answers = read_multipart(body).map_err(|e| CrmError::unexpected(status, &e))?;
    if answers.len() != parts {
        return Err(CrmError::unexpected(
            status,
            "the batch answer misses parts",
        ));
    }
    Ok(answers)
}

fn rows(json: &Value) -> &[Value] {
    json.get("value")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn text<'a>(row: &'a Value, field: &str) -> &'a str {
    row.get(field).and_then(Value::as_str).unwrap_or_default()
}

/// `Label.UserLocalizedLabel.Label`: the label in the signed-in user's language (B12).
fn label(metadata: &Value, property: &str) -> String {
    metadata
        .pointer(&format!("/{property}/UserLocalizedLabel/Label"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The sales stage option set and the Money columns of `opportunity`, in one `$batch`.
pub fn preferences_request(api_host: &OrgHost) -> HttpRequest {
    let entity = "EntityDefinitions(LogicalName='opportunity')";
    let parts = [
        Part::get(format!("{entity}/Attributes(LogicalName='salesstagecode')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)")),
        Part::get(format!("{entity}/Attributes/Microsoft.Dynamics.CRM.MoneyAttributeMetadata?$select=LogicalName,DisplayName,IsBaseCurrency")),
    ];
    batch::request(api_host, "batch_crmsync_preferences", &parts)
}

pub fn read_preferences(status: u16, body: &str) -> Result<CrmPreferences, CrmError> {
    let answers = read_batch(status, body, 2)?;
    let stages = read_json(&answers[0])?;
    let money = read_json(&answers[1])?;
    let options = stages
        .pointer("/OptionSet/Options")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let stage_choices = options
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            Some(Choice::Crm {
                value: o.get("Value")?.as_i64()?.to_string(),
                label: label(o, "Label"),
                order: i as u32,
            })
        })
        .collect();
    // A money column has a `_base` twin in the org's base currency, derived from it.
    let currency = rows(&money)
        .iter()
        .filter(|a| a.get("IsBaseCurrency").and_then(Value::as_bool) != Some(true))
        .enumerate()
        .map(|(i, a)| Choice::Crm {
            value: text(a, "LogicalName").to_string(),
            label: label(a, "DisplayName"),
            order: i as u32,
        })
        .collect();
    Ok(CrmPreferences {
        stages: PreferenceList::from_crm(stage_choices),
        currency_fields: PreferenceList::from_crm(currency),
    })
}

/// Enabled, licensed, interactive people: access mode 0 is Read-Write, which leaves out
/// administrative, support, non-interactive and delegated-admin users; application users
/// carry an `applicationid` (B15).
pub fn users_request(api_host: &OrgHost) -> HttpRequest {
    let filter =
        "isdisabled eq false and islicensed eq true and accessmode eq 0 and applicationid eq null";
    let url = format!(
        "{}/systemusers?$select=systemuserid,fullname,internalemailaddress&$filter={}&$orderby={}",
        base(api_host),
        encode(filter),
        encode("fullname asc,systemuserid asc")
    );
    let page = format!("odata.maxpagesize={USERS_PAGE}");
    get(url, &[("Prefer", page.as_str())])
}

/// The page an `@odata.nextLink` names (absolute, B3), with the same page size. The session
/// cookie goes wherever the link points: only ever to the same org's Web API.
pub fn next_page_request(api_host: &OrgHost, next_link: &str) -> Result<HttpRequest, CrmError> {
    let same_org = format!("https://{api_host}/api/data/");
    if !next_link.starts_with(&same_org) {
        return Err(CrmError::unexpected(
            200,
            &format!("nextLink to another host: {next_link}"),
        ));
    }
    let page = format!("odata.maxpagesize={USERS_PAGE}");
    Ok(get(next_link.to_string(), &[("Prefer", page.as_str())]))
}

fn next_link(json: &Value) -> Option<String> {
    json.get("@odata.nextLink")
        .and_then(Value::as_str)
        .map(str::to_string)
}

pub fn read_users(status: u16, body: &str) -> Result<UsersPage, CrmError> {
    let json = read_json(&Answer {
        status,
        body: body.to_string(),
    })?;
    let users = rows(&json)
        .iter()
        .map(|r| OrgUser {
            id: text(r, "systemuserid").to_string(),
            name: text(r, "fullname").to_string(),
            email: text(r, "internalemailaddress").to_string(),
        })
        .filter(|u| !u.id.is_empty())
        .collect();
    Ok(UsersPage {
        users,
        next: next_link(&json),
    })
}

/// The seat team's members (B14).
pub fn seats_request(api_host: &OrgHost, team_id: &DataverseGuid) -> HttpRequest {
    let url = format!(
        "{}/teams({team_id})/teammembership_association?$select=systemuserid",
        base(api_host)
    );
    let page = format!("odata.maxpagesize={USERS_PAGE}");
    get(url, &[("Prefer", page.as_str())])
}

pub fn read_seats(status: u16, body: &str) -> Result<SeatsPage, CrmError> {
    let page = read_users(status, body)?;
    Ok(SeatsPage {
        user_ids: page.users.into_iter().map(|u| u.id).collect(),
        next: page.next,
    })
}

/// The org as crmsync left it in Dataverse: the published settings and my seat, with the
/// ids an admin's later writes need.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamicsOrg {
    pub view: SeatView,
    /// The environment variable value row, once connect made it.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub value_id: Option<DataverseGuid>,
    /// The seat team, once connect made it.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub team_id: Option<DataverseGuid>,
}

/// ONE `$batch` of three reads: the variable's value, the seat team, and whether the
/// signed-in user (`my_user_id`, from WhoAmI) is in it (B6, B13, B14).
pub fn seat_view_request(api_host: &OrgHost, my_user_id: &DataverseGuid) -> HttpRequest {
    let team = encode(&format!("name eq {}", odata::quote(SEAT_TEAM)));
    let variable = encode(&format!(
        "schemaname eq {}",
        odata::quote(SETTINGS_VARIABLE)
    ));
    let parts = [
        Part::get(format!(
            "environmentvariablevalues?$select=environmentvariablevalueid,value&$filter={variable}"
        )),
        Part::get(format!("teams?$select=teamid&$filter={team}")),
        Part::get(format!(
            "systemusers({my_user_id})/teammembership_association?$select=teamid&$filter={team}"
        )),
    ];
    batch::request(api_host, "batch_crmsync_seat", &parts)
}

pub fn read_org(status: u16, body: &str) -> Result<DynamicsOrg, CrmError> {
    let answers = read_batch(status, body, 3)?;
    let value = read_json(&answers[0])?;
    let teams = read_json(&answers[1])?;
    let mine = read_json(&answers[2])?;
    let value_row = rows(&value).first();
    let published = match value_row {
        Some(row) => read_document(text(row, "value"))?,
        None => Published::not_connected(),
    };
    Ok(DynamicsOrg {
        view: SeatView {
            published,
            has_seat: !rows(&mine).is_empty(),
        },
        // Ids from the answer reach later URLs only as checked GUIDs.
        value_id: value_row
            .and_then(|r| DataverseGuid::parse(text(r, "environmentvariablevalueid"))),
        team_id: rows(&teams)
            .first()
            .and_then(|r| DataverseGuid::parse(text(r, "teamid"))),
    })
}

pub fn read_seat_view(status: u16, body: &str) -> Result<SeatView, CrmError> {
    read_org(status, body).map(|org| org.view)
}

/// Publishes (or disconnects) by updating the value row connect made.
pub fn publish_request(
    api_host: &OrgHost,
    value_id: &DataverseGuid,
    published: &Published,
) -> Result<HttpRequest, CrmError> {
    let doc = document(published).ok_or_else(not_an_object)?;
    let url = format!("{}/environmentvariablevalues({value_id})", base(api_host));
    let mut request = write("PATCH", url, Some(json!({"value": doc})));
    // An update only: a missing row is an error, never a stray new row (B5).
    request.headers.push(("If-Match".into(), "*".into()));
    Ok(request)
}

pub fn read_write(status: u16, body: &str) -> Result<(), CrmError> {
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(read_error(status, body, None))
    }
}

/// Adds (`on`) or removes a seat: associate or disassociate the user with the team (B14).
pub fn seat_request(
    api_host: &OrgHost,
    team_id: &DataverseGuid,
    user_id: &DataverseGuid,
    on: bool,
) -> HttpRequest {
    let members = format!(
        "{}/teams({team_id})/teammembership_association",
        base(api_host)
    );
    if on {
        let user = format!("{}/systemusers({user_id})", base(api_host));
        write(
            "POST",
            format!("{members}/$ref"),
            Some(json!({"@odata.id": user})),
        )
    } else {
        write("DELETE", format!("{members}({user_id})/$ref"), None)
    }
}

/// Dataverse's answer to a row that already exists (B9).
pub(super) const DUPLICATE_KEY: &str = "0x80040237";

/// The seat is as asked, whether this call changed it or it already was.
pub fn read_seat_change(on: bool, status: u16, body: &str) -> Result<(), CrmError> {
    match read_write(status, body) {
        Err(e) if on && e.code == DUPLICATE_KEY => Ok(()),
        Err(e) if !on && e.status == 404 => Ok(()),
        other => other,
    }
}

/// The privilege an admin step was refused for (`prvCreateTeam`, from the CRM's own
/// message, B15), for "ask your CRM admin for …"; `None` for any other failure.
pub fn needs_admin(error: &CrmError) -> Option<String> {
    if error.code != "0x80040220" && error.kind != CrmErrorKind::Forbidden {
        return None;
    }
    let privilege = error
        .message
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|word| word.starts_with("prv") && word.len() > 3);
    Some(privilege.unwrap_or("System Administrator").to_string())
}

#[cfg(test)]
#[path = "dynamics_tests.rs"]
mod tests;
