//! Which CRM page is this? Pure URL parsing: the extension's contract with the CRM is the URL,
//! never the DOM, so this is the one place that knows the URL shapes (CRM-APIS A11, B10).

use crate::weburl::WebUrl;
use serde::{Deserialize, Serialize};

use crate::crm::org_host::{is_dynamics_host, MY_DOMAIN_SUFFIX};
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

/// Detects a supported CRM page from its URL; `None` for anything else.
pub fn detect(url: &str) -> Option<Page> {
    let url = WebUrl::parse(url)?;
    if url.scheme() != "https" {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    if let Some(api_host) = salesforce_api_host(&host) {
        return detect_lightning(&url, host, api_host);
    }
    if is_dynamics_host(&host) {
        return detect_dynamics(&url, host);
    }
    None
}

const LIGHTNING_SUFFIX: &str = ".lightning.force.com";

/// Maps a Lightning UI host to its My Domain API host. The Lightning host does not serve the
/// REST API (CRM-APIS A12.5), so requests must go to `*.my.salesforce.com`. Sandboxes and
/// Developer Edition keep their middle labels: `acme--uat.sandbox.lightning.force.com` →
/// `acme--uat.sandbox.my.salesforce.com`.
pub fn salesforce_api_host(ui_host: &str) -> Option<String> {
    let stem = ui_host.strip_suffix(LIGHTNING_SUFFIX)?;
    let api_host = OrgHost::salesforce(&format!("{stem}{MY_DOMAIN_SUFFIX}"))?;
    Some(api_host.into())
}

/// The Lightning UI host of a My Domain API host (the inverse of [`salesforce_api_host`]).
pub fn lightning_host(api_host: &OrgHost) -> Option<String> {
    let stem = api_host.as_str().strip_suffix(MY_DOMAIN_SUFFIX)?;
    Some(format!("{stem}{LIGHTNING_SUFFIX}"))
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
            Some(format!(
                "https://{}/lightning/r/{object}/{id}/view",
                lightning_host(api_host)?
            ))
        }
        Crm::Dynamics => {
            let id = DataverseGuid::parse(id)?;
            is_dynamics_host(api_host.as_str()).then(|| {
                format!("https://{api_host}/main.aspx?pagetype=entityrecord&etn={object}&id={id}")
            })
        }
    }
}

fn detect_lightning(url: &WebUrl, page_host: String, api_host: String) -> Option<Page> {
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["lightning", "r", object, id, "view"] => {
            let record_type = RecordType::from_salesforce(object)?;
            let record_id = SalesforceId::parse(id)?.as_str().to_string();
            Some(Page::Record {
                crm: Crm::Salesforce,
                page_host,
                api_host,
                record_type,
                record_id,
            })
        }
        ["lightning", "o", object, "list" | "home"] => Some(Page::List {
            crm: Crm::Salesforce,
            page_host,
            api_host,
            record_type: RecordType::from_salesforce(object)?,
        }),
        _ => None,
    }
}

fn detect_dynamics(url: &WebUrl, host: String) -> Option<Page> {
    if !url.path().eq_ignore_ascii_case("/main.aspx") {
        return None;
    }
    let query = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.into_owned())
    };
    let record_type = RecordType::from_dynamics(&query("etn")?)?;
    let page_host = host.clone();
    match query("pagetype")?.to_ascii_lowercase().as_str() {
        "entityrecord" => Some(Page::Record {
            crm: Crm::Dynamics,
            page_host,
            api_host: host,
            record_type,
            record_id: normalize_guid(&query("id")?)?,
        }),
        "entitylist" => Some(Page::List {
            crm: Crm::Dynamics,
            page_host,
            api_host: host,
            record_type,
        }),
        _ => None,
    }
}

/// Dynamics writes ids as `{GUID}` or plain, in either case; the API wants plain lower case.
pub fn normalize_guid(raw: &str) -> Option<String> {
    DataverseGuid::parse(raw).map(|guid| guid.as_str().to_string())
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
