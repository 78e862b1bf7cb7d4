//! "Connect org" in Dataverse: the settings variable and the seat team, made by an admin.
//! Team names are not unique in Dataverse, so connect does not rely on "already exists"
//! answers: it reads the org (`seat_view_request`), makes the next missing piece, and reads
//! again, until nothing is missing. Run on a connected org, it sends no write at all.

use serde_json::json;

use super::dynamics::{
    read_write, seat_request, write, DynamicsOrg, JSON_TYPE, SEAT_TEAM, SETTINGS_VARIABLE,
};
use super::{document, not_an_object, Published};
use crate::crm::dynamics::api_base;
use crate::crm::{CrmError, DataverseGuid, HttpRequest, OrgHost};

/// Who connects: the admin's ids from WhoAmI (B1).
pub struct Admin<'a> {
    pub user_id: &'a DataverseGuid,
    pub business_unit_id: &'a DataverseGuid,
}

/// Who connects, as WhoAmI answers (B1): what [`Admin`] borrows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    pub user_id: DataverseGuid,
    pub business_unit_id: DataverseGuid,
}

impl Me {
    pub fn admin(&self) -> Admin<'_> {
        Admin {
            user_id: &self.user_id,
            business_unit_id: &self.business_unit_id,
        }
    }
}

/// WhoAmI's `UserId` and `BusinessUnitId` (the request is `writeback::owner::request`).
pub fn read_me(status: u16, body: &str) -> Result<Me, CrmError> {
    if !(200..300).contains(&status) {
        return Err(crate::crm::dynamics::read_error(status, body, None));
    }
    let json: serde_json::Value = serde_json::from_str(body)
        .map_err(|e| CrmError::unexpected(status, &format!("invalid WhoAmI: {e}")))?;
    let id = |name: &str| json.get(name)?.as_str().and_then(DataverseGuid::parse);
    match (id("UserId"), id("BusinessUnitId")) {
        (Some(user_id), Some(business_unit_id)) => Ok(Me {
            user_id,
            business_unit_id,
        }),
        _ => Err(CrmError::unexpected(
            status,
            "WhoAmI without the user's ids",
        )),
    }
}

/// The piece connect makes next, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The settings variable and its value row.
    Variable,
    /// The seat team.
    Team,
    /// The connecting admin's own seat.
    AdminSeat,
}

/// What connect still misses, `None` when nothing.
pub fn next_step(org: &DynamicsOrg) -> Option<Step> {
    if org.value_id.is_none() {
        Some(Step::Variable)
    } else if org.team_id.is_none() {
        Some(Step::Team)
    } else if !org.view.has_seat {
        Some(Step::AdminSeat)
    } else {
        None
    }
}

/// The next write connect needs, or `None` when the org is connected and the admin holds a
/// seat. `first` is what the variable starts with when connect creates it.
pub fn next_request(
    api_host: &OrgHost,
    org: &DynamicsOrg,
    admin: &Admin<'_>,
    first: &Published,
) -> Result<Option<HttpRequest>, CrmError> {
    let base = api_base(api_host);
    if next_step(org) == Some(Step::Variable) {
        let doc = document(first).ok_or_else(not_an_object)?;
        // One deep insert: the definition and its value row together (B13).
        let body = json!({
            "schemaname": SETTINGS_VARIABLE, "displayname": "crmsync settings", "type": JSON_TYPE,
            "description": "Published by a crmsync admin; read by every seat holder's extension.",
            "environmentvariabledefinition_environmentvariablevalue": [
                {"schemaname": SETTINGS_VARIABLE, "value": doc}
            ]
        });
        let url = format!("{base}/environmentvariabledefinitions");
        return Ok(Some(write("POST", url, Some(body))));
    }
    let Some(team_id) = &org.team_id else {
        let body = json!({
            "name": SEAT_TEAM, "teamtype": 0,
            "description": "Members hold a crmsync seat.",
            "businessunitid@odata.bind": format!("/businessunits({})", admin.business_unit_id),
        });
        return Ok(Some(write("POST", format!("{base}/teams"), Some(body))));
    };
    if !org.view.has_seat {
        return Ok(Some(seat_request(api_host, team_id, admin.user_id, true)));
    }
    Ok(None)
}

/// Any 2xx made the piece; a refusal is the CRM's own (403 `0x80040220` for a non-admin).
pub fn read_step(status: u16, body: &str) -> Result<(), CrmError> {
    read_write(status, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::admin::{OrgState, SeatView};

    fn org(value: bool, team: bool, seat: bool) -> DynamicsOrg {
        DynamicsOrg {
            view: SeatView {
                published: Published {
                    state: if value {
                        OrgState::Connected
                    } else {
                        OrgState::NotConnected
                    },
                    settings: "{}".into(),
                    cleared: None,
                },
                has_seat: seat,
            },
            value_id: value.then(|| guid("0000000e-0000-4000-8000-0000000000b1")),
            team_id: team.then(|| guid("0000000f-0000-4000-8000-0000000000c1")),
        }
    }

    const ADMIN_ID: &str = "00000008-0000-4000-8000-0000000000a1";
    const UNIT_ID: &str = "0000000a-0000-4000-8000-0000000000d1";

    fn guid(id: &str) -> DataverseGuid {
        DataverseGuid::parse(id).unwrap()
    }

    fn next(o: &DynamicsOrg) -> Option<HttpRequest> {
        let first = Published {
            state: OrgState::Connected,
            settings: "{}".into(),
            cleared: None,
        };
        let (user_id, business_unit_id) = (guid(ADMIN_ID), guid(UNIT_ID));
        let admin = Admin {
            user_id: &user_id,
            business_unit_id: &business_unit_id,
        };
        let host = OrgHost::dynamics("acme.crm.dynamics.com").unwrap();
        next_request(&host, o, &admin, &first).unwrap()
    }

    #[test]
    fn connect_makes_the_variable_then_the_team_then_seats_the_admin() {
        let step = next(&org(false, false, false)).unwrap();
        assert!(step.url.ends_with("/environmentvariabledefinitions"));
        assert!(step.body.unwrap().contains("100000003"));
        let step = next(&org(true, false, false)).unwrap();
        assert!(step.url.ends_with("/teams"));
        assert!(step
            .body
            .unwrap()
            .contains("/businessunits(0000000a-0000-4000-8000-0000000000d1)"));
        let step = next(&org(true, true, false)).unwrap();
        assert!(step.url.ends_with(
            "/teams(0000000f-0000-4000-8000-0000000000c1)/teammembership_association/$ref"
        ));
    }

    #[test]
    fn whoami_gives_the_admins_user_and_business_unit() {
        let body = format!(
            r#"{{"UserId":"{ADMIN_ID}","BusinessUnitId":"{UNIT_ID}","OrganizationId":"x"}}"#
        );
        let me = read_me(200, &body).unwrap();
        assert_eq!(me.admin().business_unit_id, &guid(UNIT_ID));
        assert!(read_me(200, r#"{"UserId":"not a guid"}"#).is_err());
        assert_eq!(read_me(401, "{}").unwrap_err().status, 401);
    }

    #[test]
    fn connecting_a_connected_org_writes_nothing() {
        assert_eq!(next_step(&org(true, true, true)), None);
        assert_eq!(next_step(&org(true, false, false)), Some(Step::Team));
        assert_eq!(next(&org(true, true, true)), None);
    }

    #[test]
    fn a_non_admin_gets_the_missing_privilege_named() {
        let body = r#"{"error":{"code":"0x80040220","message":"Principal user (Id=u-2, type=8, roleCount=1, privilegeCount=500, accessMode=0), is missing prvCreateTeam privilege (Id=1d2c0b8e-0000-0000-0000-000000000000) on OTC=9 for entity 'team'."}}"#;
        let err = read_step(403, body).unwrap_err();
        assert_eq!(err.status, 403);
        assert_eq!(
            super::super::dynamics::needs_admin(&err).as_deref(),
            Some("prvCreateTeam")
        );
    }
}
