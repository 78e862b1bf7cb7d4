//! The one table of the CRM hosts crmsync works on: every Salesforce cloud and every
//! Dataverse region, with the suffix of the host the user sees and of the host that serves
//! the API, and the session proxies that rewrite them. `org_host.rs` reads hosts by it;
//! `cargo xtask build` writes the manifest's match patterns from it (no other host is ever
//! granted), and a test below fails when the committed `manifest.json` drifts from it.
//!
//! Plain data with no crate dependencies but `serde_json` (for the manifest), because xtask
//! includes this file as a module of its own (`xtask/src/manifest.rs`).

/// A Salesforce cloud: `{MyDomain}[--{Sandbox}][.{partition}]` + the UI suffix serves
/// Lightning, the same stem + the API suffix serves login and the REST API.
pub struct SalesforceCloud {
    pub name: &'static str,
    pub ui_suffix: &'static str,
    pub api_suffix: &'static str,
}

/// The suffixes are swapped and nothing else changes, in every cloud: forcedotcom/sfdx-core
/// `src/util/sfdcUrl.ts` (`toLightningDomain`) and its tests in `test/unit/util/sfdcUrl.test.ts`
/// map `org62.my.salesforce.com` → `org62.lightning.force.com`, `….my.salesforce.mil` →
/// `….lightning.crmforce.mil` and `foo.my.sfcrmproducts.cn` → `foo.lightning.sfcrmapps.cn`,
/// sandboxes included (CRM-APIS A11, A18).
pub const SALESFORCE_CLOUDS: [SalesforceCloud; 3] = [
    // Commercial, Hyperforce, Government Cloud and Government Cloud Plus orgs all use the
    // standard My Domain suffixes (Salesforce Help, "My Domain URL Formats").
    SalesforceCloud {
        name: "Salesforce",
        ui_suffix: ".lightning.force.com",
        api_suffix: ".my.salesforce.com",
    },
    // The `.mil` hosts of Government Cloud Plus – Defense (sfdx-core's "mil" cases; Salesforce
    // Inspector Reloaded's manifest grants `*.salesforce.mil` and `*.crmforce.mil`).
    SalesforceCloud {
        name: "Salesforce Government Cloud Plus – Defense",
        ui_suffix: ".lightning.crmforce.mil",
        api_suffix: ".my.salesforce.mil",
    },
    // Hyperforce on Alibaba Cloud, China (sfdx-core: "CN Specific domains for Alibaba Cloud").
    SalesforceCloud {
        name: "Salesforce on Alibaba Cloud (China)",
        ui_suffix: ".lightning.sfcrmapps.cn",
        api_suffix: ".my.sfcrmproducts.cn",
    },
];

/// The partition label some org kinds put between the org's name and the suffix
/// (`acme--uat.sandbox.my.salesforce.com`, `acme.scratch.my.salesforce.com`): Salesforce
/// Help, "Partitioned Domains" (one page per kind: sandbox, demo, Developer Edition
/// `develop`, free, patch, scratch, Trailhead Playground `trailblaze`), and sfdx-core's
/// `toLightningDomain` tests, which cover exactly these seven.
pub const SALESFORCE_PARTITIONS: [&str; 7] = [
    "sandbox",
    "develop",
    "scratch",
    "demo",
    "patch",
    "trailblaze",
    "free",
];

/// A Dataverse region: `{org}.{suffix}` serves the Unified Interface and the Web API, and so
/// does `{org}.api.{suffix}`.
pub struct DynamicsRegion {
    pub code: &'static str,
    pub suffix: &'static str,
}

const fn region(code: &'static str, suffix: &'static str) -> DynamicsRegion {
    DynamicsRegion { code, suffix }
}

/// Microsoft's own region table (Power Platform admin, "Datacenter regions",
/// MicrosoftDocs/power-platform `power-platform/admin/new-datacenter-regions.md`), with the
/// rows Learn added since our stored copy (NOR, SGP, KOR, SWE) and the DoD cloud, which the
/// Dataverse client's discovery list names (microsoft/PowerPlatform-DataverseServiceClient,
/// `ConnectControl/Model/OnlineDiscoveryServers.cs`). GCC is `crm9` and GCC High
/// `crm.microsoftdynamics.us` ("Dynamics 365 US Government", same repository). The table's
/// DEU row (`crm.microsoftdynamics.de`, the closed Microsoft Cloud Deutschland) is left out.
pub const DYNAMICS_REGIONS: [DynamicsRegion; 22] = [
    region("NAM", "crm.dynamics.com"),
    region("SAM", "crm2.dynamics.com"),
    region("CAN", "crm3.dynamics.com"),
    region("EUR", "crm4.dynamics.com"),
    region("APJ", "crm5.dynamics.com"),
    region("OCE", "crm6.dynamics.com"),
    region("JPN", "crm7.dynamics.com"),
    region("IND", "crm8.dynamics.com"),
    region("GCC", "crm9.dynamics.com"),
    region("GBR", "crm11.dynamics.com"),
    region("FRA", "crm12.dynamics.com"),
    region("ZAF", "crm14.dynamics.com"),
    region("UAE", "crm15.dynamics.com"),
    region("GER", "crm16.dynamics.com"),
    region("CHE", "crm17.dynamics.com"),
    region("NOR", "crm19.dynamics.com"),
    region("SGP", "crm20.dynamics.com"),
    region("KOR", "crm21.dynamics.com"),
    region("SWE", "crm22.dynamics.com"),
    region("GCC High", "crm.microsoftdynamics.us"),
    region("DoD", "crm.appsplatform.us"),
    region("CHN", "crm.dynamics.cn"),
];

/// Microsoft Defender for Cloud Apps session proxies append one of these to every host of a
/// protected app, and rewrite its links and cookies to match, so the whole session (the
/// app's own API calls included) goes through the proxy (MicrosoftDocs/CloudAppSecurityDocs,
/// `troubleshooting-proxy-url.md` and `proxy-intro-aad.md`; CRM-APIS A18).
pub const SESSION_PROXY_SUFFIXES: [&str; 3] = [".mcas.ms", ".mcas-gov.us", ".mcas-gov.ms"];

/// The network's member pages (the network-profile content script) and the pages the panel
/// frame may be shown in there.
pub const NETWORK_PROFILE_PAGES: [&str; 2] = [
    "https://www.linkedin.com/in/*",
    "https://*.linkedin.com/in/*",
];
pub const NETWORK_PANEL_PAGES: [&str; 2] =
    ["https://www.linkedin.com/*", "https://*.linkedin.com/*"];

/// Every UI host suffix, proxied ones last: where the CRM content script runs and the panel
/// may be framed.
pub fn crm_page_suffixes() -> Vec<String> {
    let direct = SALESFORCE_CLOUDS
        .iter()
        .map(|c| c.ui_suffix.to_string())
        .chain(DYNAMICS_REGIONS.iter().map(|r| format!(".{}", r.suffix)));
    with_proxies(direct.collect())
}

/// Every host suffix requests and cookie reads name: the UI hosts and the API hosts.
pub fn crm_host_suffixes() -> Vec<String> {
    let direct = SALESFORCE_CLOUDS
        .iter()
        .flat_map(|c| [c.api_suffix.to_string(), c.ui_suffix.to_string()])
        .chain(DYNAMICS_REGIONS.iter().map(|r| format!(".{}", r.suffix)));
    with_proxies(direct.collect())
}

fn with_proxies(direct: Vec<String>) -> Vec<String> {
    let proxied = SESSION_PROXY_SUFFIXES
        .iter()
        .flat_map(|proxy| direct.iter().map(move |host| format!("{host}{proxy}")));
    let proxied: Vec<String> = proxied.collect();
    direct.into_iter().chain(proxied).collect()
}

#[cfg(not(target_arch = "wasm32"))]
pub use manifest::write_manifest;

#[cfg(not(target_arch = "wasm32"))]
mod manifest {
    use serde_json::{json, Value};

    use super::*;

    const CRM_SCRIPT: &str = "content/crm-page.js";
    const NETWORK_SCRIPT: &str = "content/network-profile.js";
    const PANEL: &str = "panel.html";

    /// `.lightning.force.com` → `https://*.lightning.force.com/*`.
    fn match_pattern(suffix: &str) -> String {
        format!("https://*{suffix}/*")
    }

    /// Writes the manifest's host permissions, content-script matches and panel matches from
    /// the table. Errors when the manifest lacks an entry the table fills.
    pub fn write_manifest(manifest: &mut Value) -> Result<(), String> {
        let pages: Vec<String> = crm_page_suffixes()
            .iter()
            .map(|s| match_pattern(s))
            .collect();
        let hosts: Vec<String> = crm_host_suffixes()
            .iter()
            .map(|s| match_pattern(s))
            .collect();
        manifest["host_permissions"] = json!(hosts);
        *entry(manifest, "content_scripts", "js", CRM_SCRIPT)? = json!(pages);
        *entry(manifest, "content_scripts", "js", NETWORK_SCRIPT)? = json!(NETWORK_PROFILE_PAGES);
        let panel_pages: Vec<String> = pages
            .into_iter()
            .chain(NETWORK_PANEL_PAGES.map(String::from))
            .collect();
        *entry(manifest, "web_accessible_resources", "resources", PANEL)? = json!(panel_pages);
        Ok(())
    }

    /// The `matches` of the item of `list` whose `files` names `file`.
    fn entry<'m>(
        manifest: &'m mut Value,
        list: &str,
        files: &str,
        file: &str,
    ) -> Result<&'m mut Value, String> {
        let names = |item: &Value| {
            item[files]
                .as_array()
                .is_some_and(|fs| fs.iter().any(|f| f == file))
        };
        manifest[list]
            .as_array_mut()
            .and_then(|items| items.iter_mut().find(|item| names(item)))
            .map(|item| &mut item["matches"])
            .ok_or_else(|| format!("manifest.json: no {list} entry with {file}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_manifest_grants_exactly_the_table() {
        let committed: serde_json::Value =
            serde_json::from_str(include_str!("../../manifest.json")).unwrap();
        let mut generated = committed.clone();
        write_manifest(&mut generated).unwrap();
        assert!(
            committed == generated,
            "manifest.json drifted from src/crm/host_table.rs: run `cargo xtask manifest`"
        );
    }

    #[test]
    fn every_region_and_cloud_is_granted_directly_and_behind_each_proxy() {
        let hosts = crm_host_suffixes();
        let per_proxy = SALESFORCE_CLOUDS.len() * 2 + DYNAMICS_REGIONS.len();
        assert_eq!(hosts.len(), per_proxy * (1 + SESSION_PROXY_SUFFIXES.len()));
        for needed in [
            ".my.salesforce.com",
            ".lightning.crmforce.mil",
            ".my.sfcrmproducts.cn",
            ".crm22.dynamics.com",
            ".crm.appsplatform.us",
            ".crm.dynamics.com.mcas.ms",
            ".lightning.force.com.mcas-gov.us",
        ] {
            assert!(hosts.iter().any(|h| h == needed), "{needed}");
        }
        // The content script and panel go only where the user sees a CRM, never the API hosts.
        assert!(!crm_page_suffixes().iter().any(|h| h.contains(".my.")));
    }

    #[test]
    fn a_manifest_without_the_crm_script_is_an_error() {
        let mut manifest =
            serde_json::json!({"content_scripts": [], "web_accessible_resources": []});
        assert!(write_manifest(&mut manifest).is_err());
    }
}
