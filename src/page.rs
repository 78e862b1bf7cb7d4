//! Which CRM page is this? Pure URL parsing: the extension's contract with the CRM is the URL,
//! never the DOM, so this is the one place that knows the URL shapes (CRM-APIS A11, B10).

use crate::weburl::WebUrl;
use serde::{Deserialize, Serialize};

use crate::crm::{Crm, DataverseGuid, OrgHost, RecordType};
use crate::matching::Person;
use crate::profiles;
use crate::salesforce_id::SalesforceId;

/// A CRM page the extension acts on.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Page {
    /// One record's page, e.g. a Lightning record view or a Dynamics entity form.
    #[serde(rename_all = "camelCase")]
    Record {
        crm: Crm,
        /// The host the user sees (e.g. `acme.lightning.force.com`).
        page_host: String,
        /// The host that serves the REST / Web API for that org.
        api_host: String,
        record_type: RecordType,
        /// Salesforce: the 18-character id; Dynamics: a lower-case GUID without braces.
        record_id: String,
    },
    /// A list view of one object.
    #[serde(rename_all = "camelCase")]
    List {
        crm: Crm,
        page_host: String,
        api_host: String,
        record_type: RecordType,
    },
}

impl Page {
    pub fn crm(&self) -> Crm {
        match self {
            Page::Record { crm, .. } | Page::List { crm, .. } => *crm,
        }
    }

    pub fn api_host(&self) -> &str {
        match self {
            Page::Record { api_host, .. } | Page::List { api_host, .. } => api_host,
        }
    }
}

/// A member's page on the professional network: the panel logs items about that person.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NetworkPage {
    #[serde(rename_all = "camelCase")]
    NetworkProfile {
        /// The stored profile's key, as a capture of this page keys it.
        profile_id: String,
    },
}

/// Any page the extension acts on (`detectPage`): a CRM page or a network profile page.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnyPage {
    Crm(Page),
    Network(NetworkPage),
}

pub fn detect_any(url: &str) -> Option<AnyPage> {
    detect(url)
        .map(AnyPage::Crm)
        .or_else(|| detect_network_profile(url).map(AnyPage::Network))
}

const NETWORK_DOMAIN: &str = "linkedin.com";

/// A member's page on the network: `https://linkedin.com/in/<slug>…` or the same on one of its
/// subdomains (`www.`, country ones such as `br.`). Members' public profile URLs have this
/// shape, with a slug of letters, digits and hyphens (the network's help, "Manage your public
/// profile URL": www.linkedin.com/help/linkedin/answer/87); other network pages (feed,
/// companies) are about no one person.
struct MemberPage {
    host: String,
    slug: String,
}

fn member_page(url: &str) -> Option<MemberPage> {
    let parsed = WebUrl::parse(url.trim())?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let on_network = host == NETWORK_DOMAIN
        || host.strip_suffix(NETWORK_DOMAIN).is_some_and(|sub| {
            sub.ends_with('.') && crate::crm::org_host::is_dns_label(&sub[..sub.len() - 1])
        });
    let mut segments = parsed.path_segments()?.filter(|s| !s.is_empty());
    let slug = match (segments.next(), segments.next()) {
        (Some("in"), Some(slug)) => slug.to_string(),
        _ => return None,
    };
    (parsed.scheme() == "https" && on_network).then_some(MemberPage { host, slug })
}

/// A member page's URL as the extension links to it: on the network's own host, without
/// the query or fragment a page or a pasted link carried; `None` for any other URL, so a
/// profile link never leads off the network.
pub fn network_profile_url(url: &str) -> Option<String> {
    let page = member_page(url)?;
    Some(format!("https://{}/in/{}/", page.host, page.slug))
}

/// `https://[*.]linkedin.com/in/<slug>…` ([`member_page`]).
pub fn detect_network_profile(url: &str) -> Option<NetworkPage> {
    let person = Person {
        profile_url: Some(network_profile_url(url)?),
        ..Person::default()
    };
    Some(NetworkPage::NetworkProfile {
        profile_id: profiles::key(&person)?,
    })
}

/// Detects a supported CRM page from its URL; `None` for anything else. The host decides the
/// CRM and the API host (the host table, `crm/host_table.rs`), the path which page it is.
pub fn detect(url: &str) -> Option<Page> {
    let url = WebUrl::parse(url)?;
    if url.scheme() != "https" {
        return None;
    }
    let page_host = url.host_str()?.to_ascii_lowercase();
    let (crm, api_host) = OrgHost::of_page(&page_host)?;
    let (record_type, record_id) = match crm {
        Crm::Salesforce => lightning_page(&url)?,
        Crm::Dynamics => unified_interface_page(&url)?,
    };
    let api_host = api_host.into();
    Some(match record_id {
        Some(record_id) => Page::Record {
            crm,
            page_host,
            api_host,
            record_type,
            record_id,
        },
        None => Page::List {
            crm,
            page_host,
            api_host,
            record_type,
        },
    })
}

/// The URL of a record's page in the CRM's UI, for "In CRM" links. `id` is the CRM's own
/// (from a sync or a write): it reaches the URL only if it is a record id of that CRM.
pub fn record_url(
    crm: Crm,
    api_host: &OrgHost,
    record_type: RecordType,
    id: &str,
) -> Option<String> {
    let object = match crm {
        Crm::Salesforce => record_type.salesforce_name(),
        Crm::Dynamics => record_type.dynamics_name(),
    };
    object_url(crm, api_host, object, id)
}

/// The UI page of any record: `object` is the sObject (`Task`) or Dataverse entity (`task`).
pub fn object_url(crm: Crm, api_host: &OrgHost, object: &str, id: &str) -> Option<String> {
    let safe_name = !object.is_empty()
        && object
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !safe_name {
        return None;
    }
    match crm {
        Crm::Salesforce => {
            let id = SalesforceId::parse(id)?;
            let ui_host = api_host.ui_host();
            (api_host.crm() == crm)
                .then(|| format!("https://{ui_host}/lightning/r/{object}/{id}/view"))
        }
        Crm::Dynamics => {
            let id = DataverseGuid::parse(id)?;
            let ui_host = api_host.ui_host();
            (api_host.crm() == crm).then(|| {
                format!("https://{ui_host}/main.aspx?pagetype=entityrecord&etn={object}&id={id}")
            })
        }
    }
}

/// A record (its type and 18-character id) or a list (no id) of Lightning, by path
/// (CRM-APIS A11, A18):
/// - `/lightning/r/{Object}/{Id}/view`, and `/lightning/r/{Id}/view`, where the object
///   follows from the id's key prefix (`RecordType::from_salesforce_key_prefix`);
/// - `/lightning/o/{Object}/list` (any `filterName`) and `/lightning/o/{Object}/home`;
/// - each of these inside an app, `/lightning/app/{AppId}/…`.
///
/// Console apps use the same paths for the focused tab (its workspace tab rides in `ws=`).
fn lightning_page(url: &WebUrl) -> Option<(RecordType, Option<String>)> {
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let route = match segments.as_slice() {
        ["lightning", "app", _app_id, route @ ..] => route,
        ["lightning", route @ ..] => route,
        _ => return None,
    };
    match route {
        ["r", object, id, "view"] => {
            let record_type = RecordType::from_salesforce(object)?;
            Some((
                record_type,
                Some(SalesforceId::parse(id)?.as_str().to_string()),
            ))
        }
        ["r", id, "view"] => {
            let id = SalesforceId::parse(id)?;
            let record_type = RecordType::from_salesforce_key_prefix(id.as_str())?;
            Some((record_type, Some(id.as_str().to_string())))
        }
        ["o", object, "list" | "home"] => Some((RecordType::from_salesforce(object)?, None)),
        _ => None,
    }
}

/// A record or a list of the Unified Interface (CRM-APIS B10, A18): `main.aspx` with
/// `pagetype=entityrecord&etn={entity}&id={guid}` or `pagetype=entitylist&etn={entity}`,
/// at the root (the app chosen by `appid` or `appname`, or none) or inside an app addressed
/// by its unique name, `/apps/uniquename/{app}/main.aspx`.
fn unified_interface_page(url: &WebUrl) -> Option<(RecordType, Option<String>)> {
    if !is_main_aspx(url.path()) {
        return None;
    }
    let query = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.into_owned())
    };
    let record_type = RecordType::from_dynamics(&query("etn")?)?;
    match query("pagetype")?.to_ascii_lowercase().as_str() {
        "entityrecord" => Some((record_type, Some(normalize_guid(&query("id")?)?))),
        "entitylist" => Some((record_type, None)),
        _ => None,
    }
}

/// `/main.aspx` or `/apps/uniquename/{app}/main.aspx`; the server reads these in any case.
fn is_main_aspx(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is = |segment: &str, name: &str| segment.eq_ignore_ascii_case(name);
    match segments.as_slice() {
        [page] => is(page, "main.aspx"),
        [apps, by, _app, page] => is(apps, "apps") && is(by, "uniquename") && is(page, "main.aspx"),
        _ => false,
    }
}

/// Dynamics writes ids as `{GUID}` or plain, in either case; the API wants plain lower case.
pub fn normalize_guid(raw: &str) -> Option<String> {
    DataverseGuid::parse(raw).map(|guid| guid.as_str().to_string())
}

/// The record id a list view's row names, in the form records are stored under (Salesforce:
/// 18 characters; Dynamics: a lower-case GUID without braces), or `None` when it names no
/// record. Rows give ids as the page writes them: Lightning's `data-row-key-value` (its
/// column header row carries `HEADER` there, lightning-base-components datatable
/// `templates/table/table.html`), a Unified Interface row's record link's `id=`, braced, in
/// either case, and percent-encoded as `%7B…%7D` (EasyRepro builds such links,
/// `Api/Pages/Lookup.cs`; CRM-APIS B10).
pub fn list_record_id(crm: Crm, raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    match crm {
        Crm::Salesforce => SalesforceId::parse(decoded.trim()).map(|id| id.as_str().to_string()),
        Crm::Dynamics => normalize_guid(&decoded),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SF_ID: &str = "0035g00000ABCDeAAP";

    fn record(url: &str) -> (Crm, String, String, RecordType, String) {
        match detect(url).expect(url) {
            Page::Record {
                crm,
                page_host,
                api_host,
                record_type,
                record_id,
            } => (crm, page_host, api_host, record_type, record_id),
            other => panic!("not a record page: {other:?}"),
        }
    }

    #[test]
    fn lightning_record_page_maps_to_my_domain_api_host() {
        let (crm, page_host, api_host, kind, id) = record(&format!(
            "https://acme.lightning.force.com/lightning/r/Contact/{SF_ID}/view"
        ));
        assert_eq!(crm, Crm::Salesforce);
        assert_eq!(page_host, "acme.lightning.force.com");
        assert_eq!(api_host, "acme.my.salesforce.com");
        assert_eq!(kind, RecordType::Contact);
        assert_eq!(id, SF_ID);
    }

    #[test]
    fn sandbox_and_developer_hosts_keep_their_middle_labels() {
        let (_, _, api, _, _) = record(&format!(
            "https://acme--uat.sandbox.lightning.force.com/lightning/r/Lead/{SF_ID}/view?ws=1"
        ));
        assert_eq!(api, "acme--uat.sandbox.my.salesforce.com");
        let (_, _, api, _, _) = record(&format!(
            "https://acme-dev-ed.develop.lightning.force.com/lightning/r/Account/{SF_ID}/view"
        ));
        assert_eq!(api, "acme-dev-ed.develop.my.salesforce.com");
    }

    #[test]
    fn fifteen_character_ids_are_widened_to_eighteen() {
        let (_, _, _, _, id) =
            record("https://acme.lightning.force.com/lightning/r/Opportunity/70130000001tcyI/view");
        assert_eq!(id, "70130000001tcyIAAQ");
    }

    #[test]
    fn salesforce_pages_that_are_not_supported_records_are_ignored() {
        for url in [
            "https://acme.lightning.force.com/lightning/page/home",
            "https://acme.lightning.force.com/lightning/r/Case/5005g00000ABCDeAAH/view",
            "https://acme.lightning.force.com/lightning/r/Contact/not-an-id/view",
            "https://acme.my.salesforce.com/lightning/r/Contact/0035g00000ABCDeAAP/view",
            "http://acme.lightning.force.com/lightning/r/Contact/0035g00000ABCDeAAP/view",
            "https://evil.com/acme.lightning.force.com/lightning/r/Contact/0035g00000ABCDeAAP/view",
            "https://lightning.force.com/lightning/r/Contact/0035g00000ABCDeAAP/view",
        ] {
            assert_eq!(detect(url), None, "{url}");
        }
    }

    #[test]
    fn lightning_list_views_are_detected() {
        let page =
            detect("https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Recent");
        assert!(matches!(
            page,
            Some(Page::List {
                record_type: RecordType::Lead,
                ..
            })
        ));
    }

    /// The record type and id of a record page, `None` for any other page.
    fn record_of(url: &str) -> Option<(RecordType, String)> {
        match detect(url)? {
            Page::Record {
                record_type,
                record_id,
                ..
            } => Some((record_type, record_id)),
            Page::List { .. } => None,
        }
    }

    fn list_of(url: &str) -> Option<RecordType> {
        match detect(url)? {
            Page::List { record_type, .. } => Some(record_type),
            Page::Record { .. } => None,
        }
    }

    #[test]
    fn lightning_records_without_the_object_name_take_it_from_the_key_prefix() {
        // Lightning lands on `/lightning/r/{Id}/view` after a Save and from bare record links
        // (CRM-APIS A18); the key prefixes are CRM-APIS A10's.
        let host = "https://acme.lightning.force.com/lightning/r";
        for (id, kind) in [
            ("0035g00000ABCDeAAP", RecordType::Contact),
            ("00Q5g00000ABCDeEAP", RecordType::Lead),
            ("0015g00000ABCDeAAP", RecordType::Account),
            ("0065g00000ABCDeAAP", RecordType::Opportunity),
        ] {
            let url = format!("{host}/{id}/view");
            assert_eq!(record_of(&url), Some((kind, id.to_string())), "{url}");
        }
        // A 15-character id is widened, as in the long form.
        assert_eq!(
            record_of(&format!("{host}/0035g00000ABCDe/view")),
            Some((RecordType::Contact, "0035g00000ABCDeAAP".to_string()))
        );
        // Prefixes are case-sensitive (`00q` is OpportunityTeamMember); Case is not supported.
        for id in ["00q5g00000ABCDeAAP", "5005g00000ABCDeAAH", "not-an-id"] {
            assert_eq!(detect(&format!("{host}/{id}/view")), None, "{id}");
        }
    }

    #[test]
    fn records_and_lists_opened_inside_an_app() {
        // `/lightning/app/{AppDefinition.DurableId}/…` + the usual route, as Lightning shows a
        // record opened from within an app (CRM-APIS A18).
        let app = "https://acme.lightning.force.com/lightning/app/06m5g000003LaxBAAS";
        assert_eq!(
            record_of(&format!("{app}/r/Contact/{SF_ID}/view")),
            Some((RecordType::Contact, SF_ID.to_string()))
        );
        assert_eq!(
            record_of(&format!("{app}/r/{SF_ID}/view")),
            Some((RecordType::Contact, SF_ID.to_string()))
        );
        assert_eq!(
            list_of(&format!("{app}/o/Account/list?filterName=__Recent")),
            Some(RecordType::Account)
        );
        assert_eq!(detect(app), None);
        assert_eq!(detect(&format!("{app}/page/home")), None);
    }

    #[test]
    fn a_console_tab_is_the_record_its_url_shows() {
        // A console subtab's URL carries its workspace tab in `ws=`; the path is the focused tab.
        let url = format!(
            "https://acme.lightning.force.com/lightning/r/Contact/{SF_ID}/view?ws=%2Flightning%2Fr%2FAccount%2F0015g00000ABCDeAAP%2Fview"
        );
        assert_eq!(
            record_of(&url),
            Some((RecordType::Contact, SF_ID.to_string()))
        );
    }

    #[test]
    fn lightning_list_views_keep_their_object_whatever_the_filter() {
        // Real orgs' list URLs (kimngan1011/lesson-test `tests/utils/url.ts`): a built-in filter
        // (`__Recent`) or a list view id (`00B…`).
        for query in ["", "?filterName=__Recent", "?filterName=00BGA00000FKpcg2AD"] {
            let url = format!("https://acme.lightning.force.com/lightning/o/Contact/list{query}");
            assert_eq!(list_of(&url), Some(RecordType::Contact), "{url}");
        }
        assert_eq!(
            list_of("https://acme.lightning.force.com/lightning/o/Opportunity/home"),
            Some(RecordType::Opportunity)
        );
    }

    #[test]
    fn every_salesforce_cloud_and_proxy_is_detected_with_its_api_host() {
        // Hosts: sfdx-core `sfdcUrl.test.ts` (mil, China) and Defender for Cloud Apps' suffix
        // (CRM-APIS A18); the API host rule is the host table's.
        for (page_host, api_host) in [
            ("acme.lightning.crmforce.mil", "acme.my.salesforce.mil"),
            ("acme.lightning.sfcrmapps.cn", "acme.my.sfcrmproducts.cn"),
            (
                "acme.scratch.lightning.force.com",
                "acme.scratch.my.salesforce.com",
            ),
            (
                "acme.trailblaze.lightning.force.com",
                "acme.trailblaze.my.salesforce.com",
            ),
            (
                "acme.lightning.force.com.mcas.ms",
                "acme.my.salesforce.com.mcas.ms",
            ),
        ] {
            let url = format!("https://{page_host}/lightning/r/Lead/{SF_ID}/view");
            let (crm, page, api, kind, _) = record(&url);
            assert_eq!(
                (crm, page.as_str(), api.as_str()),
                (Crm::Salesforce, page_host, api_host)
            );
            assert_eq!(kind, RecordType::Lead);
        }
    }

    #[test]
    fn every_dataverse_cloud_and_proxy_is_detected_on_its_own_host() {
        // GCC `crm9`, GCC High, DoD and China from Microsoft's tables (CRM-APIS B10), a newer
        // region (`crm22`), and a proxied host (CRM-APIS A18).
        for host in [
            "contoso.crm9.dynamics.com",
            "contoso.crm22.dynamics.com",
            "contoso.crm.microsoftdynamics.us",
            "contoso.crm.appsplatform.us",
            "contoso.crm.dynamics.cn",
            "contoso.crm.dynamics.com.mcas.ms",
            "contoso.crm9.dynamics.com.mcas-gov.us",
        ] {
            let url =
                format!("https://{host}/main.aspx?pagetype=entityrecord&etn=contact&id={GUID}");
            let (crm, page, api, kind, id) = record(&url);
            assert_eq!(
                (crm, page.as_str(), api.as_str()),
                (Crm::Dynamics, host, host)
            );
            assert_eq!((kind, id.as_str()), (RecordType::Contact, GUID));
        }
    }

    const GUID: &str = "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b";

    #[test]
    fn dynamics_apps_addressed_by_unique_name() {
        // The maker portal gives an app's URL as `/Apps/uniquename/{app}` with `main.aspx?…`
        // after it (CRM-APIS A18).
        let app = "https://contoso.crm4.dynamics.com/Apps/uniquename/msdynce_saleshub";
        assert_eq!(
            record_of(&format!(
                "{app}/main.aspx?pagetype=entityrecord&etn=lead&id={GUID}"
            )),
            Some((RecordType::Lead, GUID.to_string()))
        );
        assert_eq!(
            list_of(&format!(
                "{app}/main.aspx?pagetype=entitylist&etn=contact&viewid=2"
            )),
            Some(RecordType::Contact)
        );
        let lower = "https://contoso.crm4.dynamics.com/apps/uniquename/x/main.aspx?etn=account";
        assert_eq!(
            record_of(&format!("{lower}&pagetype=entityrecord&id={GUID}")),
            Some((RecordType::Account, GUID.to_string()))
        );
        for path in [
            "/Apps/uniquename/msdynce_saleshub",
            "/apps/msdynce_saleshub/main.aspx",
            "/apps/uniquename/a/b/main.aspx",
            "/apps/uniquename/x/other.aspx",
        ] {
            let url = format!(
                "https://contoso.crm4.dynamics.com{path}?pagetype=entityrecord&etn=lead&id={GUID}"
            );
            assert_eq!(detect(&url), None, "{path}");
        }
    }

    #[test]
    fn dynamics_record_ids_are_normalised_in_every_spelling() {
        // Unified Interface links write the GUID plain or braced, in either case, the braces
        // also percent-encoded (CRM-APIS B10).
        let upper = GUID.to_ascii_uppercase();
        for id in [
            GUID.to_string(),
            upper.clone(),
            format!("{{{upper}}}"),
            format!("%7B{GUID}%7D"),
            format!("%7b{upper}%7d"),
        ] {
            let url = format!(
                "https://contoso.crm.dynamics.com/main.aspx?appid=0a0b1c2d-0000-4e5f-8a9b-0c1d2e3f4a5b&pagetype=entityrecord&etn=contact&id={id}"
            );
            assert_eq!(
                record_of(&url),
                Some((RecordType::Contact, GUID.to_string())),
                "{id}"
            );
        }
    }

    #[test]
    fn dynamics_record_page_with_braced_upper_case_guid() {
        let (crm, page_host, api_host, kind, id) = record(
            "https://acme.crm.dynamics.com/main.aspx?appid=0a0b&pagetype=entityrecord&etn=contact&id=%7B5A1B2C3D-0000-4E5F-8A9B-0C1D2E3F4A5B%7D",
        );
        assert_eq!(crm, Crm::Dynamics);
        assert_eq!(page_host, "acme.crm.dynamics.com");
        assert_eq!(api_host, "acme.crm.dynamics.com");
        assert_eq!(kind, RecordType::Contact);
        assert_eq!(id, "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b");
    }

    #[test]
    fn list_rows_name_records_in_every_spelling_and_nothing_else() {
        let guid = "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b";
        let upper = guid.to_ascii_uppercase();
        for raw in [
            guid.to_string(),
            upper.clone(),
            format!("{{{upper}}}"),
            format!("%7B{upper}%7D"),
            format!("%7b{guid}%7d"),
        ] {
            assert_eq!(
                list_record_id(Crm::Dynamics, &raw).as_deref(),
                Some(guid),
                "{raw}"
            );
        }
        // Lightning's rows carry 18-character ids; a 15-character one is the same record.
        assert_eq!(
            list_record_id(Crm::Salesforce, "0035g00000ABCDe").as_deref(),
            Some(SF_ID)
        );
        assert_eq!(
            list_record_id(Crm::Salesforce, SF_ID).as_deref(),
            Some(SF_ID)
        );
        for not_a_record in ["HEADER", "", "row-3", "%E0%A4%A", "0035g00000ABCDeAAA"] {
            assert_eq!(
                list_record_id(Crm::Salesforce, not_a_record),
                None,
                "{not_a_record}"
            );
        }
        for not_a_record in ["HEADER", SF_ID, "{5a1b2c3d}", "%7B%7D"] {
            assert_eq!(
                list_record_id(Crm::Dynamics, not_a_record),
                None,
                "{not_a_record}"
            );
        }
    }

    #[test]
    fn dynamics_regional_hosts_are_recognised() {
        for region in ["crm", "crm2", "crm4", "crm11", "crm12"] {
            let url = format!(
                "https://contoso.{region}.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id=5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b"
            );
            let (_, host, _, kind, _) = record(&url);
            assert_eq!(host, format!("contoso.{region}.dynamics.com"));
            assert_eq!(kind, RecordType::Account);
        }
    }

    #[test]
    fn dynamics_pages_that_are_not_supported_records_are_ignored() {
        for url in [
            "https://www.dynamics.com/main.aspx?pagetype=entityrecord&etn=contact&id=5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b",
            "https://acme.crmx.dynamics.com/main.aspx?pagetype=entityrecord&etn=contact&id=5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b",
            "https://acme.crm.dynamics.com/main.aspx?pagetype=dashboard",
            "https://acme.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=incident&id=5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b",
            "https://acme.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=contact&id=nope",
            "https://acme.crm.dynamics.com/other.aspx?pagetype=entityrecord&etn=contact&id=5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b",
        ] {
            assert_eq!(detect(url), None, "{url}");
        }
    }

    #[test]
    fn dynamics_list_page() {
        let page = detect(
            "https://acme.crm4.dynamics.com/main.aspx?appid=1&pagetype=entitylist&etn=lead&viewid=2",
        );
        assert!(matches!(
            page,
            Some(Page::List {
                crm: Crm::Dynamics,
                record_type: RecordType::Lead,
                ..
            })
        ));
    }

    #[test]
    fn record_urls_round_trip_through_detection() {
        let sandbox = OrgHost::salesforce("acme--uat.sandbox.my.salesforce.com").unwrap();
        let sf = record_url(Crm::Salesforce, &sandbox, RecordType::Lead, SF_ID).unwrap();
        assert_eq!(
            sf,
            format!("https://acme--uat.sandbox.lightning.force.com/lightning/r/Lead/{SF_ID}/view")
        );
        assert!(matches!(
            detect(&sf),
            Some(Page::Record {
                record_type: RecordType::Lead,
                ..
            })
        ));
        let guid = "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b";
        let emea = OrgHost::dynamics("acme.crm4.dynamics.com").unwrap();
        let dyn_url = record_url(Crm::Dynamics, &emea, RecordType::Contact, guid).unwrap();
        assert!(matches!(
            detect(&dyn_url),
            Some(Page::Record {
                record_type: RecordType::Contact,
                ..
            })
        ));
        let dynamics = OrgHost::dynamics("acme.crm.dynamics.com").unwrap();
        for id in ["x\"><script>", "003xx/../../query?q=x"] {
            assert_eq!(
                record_url(Crm::Dynamics, &dynamics, RecordType::Contact, id),
                None
            );
            assert_eq!(
                record_url(Crm::Salesforce, &sandbox, RecordType::Lead, id),
                None
            );
        }
        // An org host of the other CRM makes no link.
        assert_eq!(
            record_url(Crm::Salesforce, &dynamics, RecordType::Lead, SF_ID),
            None
        );
    }

    #[test]
    fn network_profile_pages_are_keyed_like_their_capture() {
        let page = "https://br.linkedin.com/in/Joao-da-Silva/?trk=x";
        let Some(AnyPage::Network(NetworkPage::NetworkProfile { profile_id })) = detect_any(page)
        else {
            panic!("{page}");
        };
        assert_eq!(profile_id, "url:in/joao-da-silva");
        let json = serde_json::to_value(detect_any(page)).unwrap();
        assert_eq!(json["kind"], "networkProfile");
        assert_eq!(json["profileId"], "url:in/joao-da-silva");
    }

    #[test]
    fn other_network_pages_are_not_profiles() {
        for url in [
            "https://www.linkedin.com/feed/",
            "https://www.linkedin.com/in/",
            "https://www.linkedin.com/company/acme",
            "http://www.linkedin.com/in/ada",
            "https://evillinkedin.com/in/ada",
            "https://linkedin.com.evil.example/in/ada",
        ] {
            assert_eq!(detect_network_profile(url), None, "{url}");
        }
        assert!(detect_network_profile("https://linkedin.com/in/ada").is_some());
    }

    #[test]
    fn profile_links_stay_on_the_network() {
        assert_eq!(
            network_profile_url("https://br.linkedin.com/in/joao-da-silva?trk=x#top").as_deref(),
            Some("https://br.linkedin.com/in/joao-da-silva/")
        );
        for url in [
            "https://evil.example/in/ada",
            "https://linkedin.com.evil.example/in/ada",
            "https://evillinkedin.com/in/ada",
            "http://www.linkedin.com/in/ada",
            "https://www.linkedin.com/company/acme",
            "javascript:alert(1)//linkedin.com/in/ada",
        ] {
            assert_eq!(network_profile_url(url), None, "{url}");
        }
    }

    #[test]
    fn crm_pages_keep_their_kind_through_detect_any() {
        let url = format!("https://acme.lightning.force.com/lightning/r/Contact/{SF_ID}/view");
        let json = serde_json::to_value(detect_any(&url)).unwrap();
        assert_eq!(json["kind"], "record");
    }

    #[test]
    fn unrelated_and_malformed_urls_are_ignored() {
        for url in ["https://example.org/", "not a url", "", "about:blank"] {
            assert_eq!(detect(url), None, "{url}");
            assert_eq!(detect_any(url), None, "{url}");
        }
    }
}
