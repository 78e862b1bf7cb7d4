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

/// The next write connect needs, or `None` when the org is connected and the admin holds a
/// seat. `first` is what the variable starts with when connect creates it.
pub fn next_request(
    api_host: &OrgHost,
    org: &DynamicsOrg,
    admin: &Admin<'_>,
    first: &Published,
) -> Result<Option<HttpRequest>, CrmError> {
    let base = api_base(api_host);
    if org.value_id.is_none() {
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
    fn connecting_a_connected_org_writes_nothing() {
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
