use super::*;

/// (page host, its API host), one row per host family of the table.
const PAGE_TO_API: [(&str, &str); 21] = [
    // Production and sandbox My Domains (CRM-APIS A11; sfdx-core `sfdcUrl.test.ts`).
    ("acme.lightning.force.com", "acme.my.salesforce.com"),
    (
        "acme--uat.sandbox.lightning.force.com",
        "acme--uat.sandbox.my.salesforce.com",
    ),
    // Partitioned domains of the other org kinds (Salesforce Help "Partitioned Domains";
    // sfdx-core `toLightningDomain` tests use these seven labels).
    (
        "acme-dev-ed.develop.lightning.force.com",
        "acme-dev-ed.develop.my.salesforce.com",
    ),
    (
        "org62.scratch.lightning.force.com",
        "org62.scratch.my.salesforce.com",
    ),
    (
        "org62.demo.lightning.force.com",
        "org62.demo.my.salesforce.com",
    ),
    (
        "org62.patch.lightning.force.com",
        "org62.patch.my.salesforce.com",
    ),
    (
        "org62.trailblaze.lightning.force.com",
        "org62.trailblaze.my.salesforce.com",
    ),
    (
        "org62.free.lightning.force.com",
        "org62.free.my.salesforce.com",
    ),
    // Government Cloud Plus – Defense (sfdx-core: "works for mil (prod)" and "(sandbox)").
    (
        "some-instance.lightning.crmforce.mil",
        "some-instance.my.salesforce.mil",
    ),
    (
        "some-instance--sboxname.sandbox.lightning.crmforce.mil",
        "some-instance--sboxname.sandbox.my.salesforce.mil",
    ),
    // Hyperforce on Alibaba Cloud (sfdx-core's China cases).
    ("foo.lightning.sfcrmapps.cn", "foo.my.sfcrmproducts.cn"),
    (
        "foo--sbox1.sandbox.lightning.sfcrmapps.cn",
        "foo--sbox1.sandbox.my.sfcrmproducts.cn",
    ),
    // Defender for Cloud Apps proxies: the proxied page's API is proxied too (CRM-APIS A18;
    // Salesforce Inspector Reloaded matches `*.lightning.force.com.mcas.ms`).
    (
        "acme.lightning.force.com.mcas.ms",
        "acme.my.salesforce.com.mcas.ms",
    ),
    (
        "acme.lightning.crmforce.mil.mcas-gov.us",
        "acme.my.salesforce.mil.mcas-gov.us",
    ),
    // Dataverse: the page's host serves the Web API (CRM-APIS B10, B11), in every region of
    // Microsoft's table and the US government and China clouds.
    ("contoso.crm.dynamics.com", "contoso.crm.dynamics.com"),
    ("contoso.crm22.dynamics.com", "contoso.crm22.dynamics.com"),
    ("contoso.crm9.dynamics.com", "contoso.crm9.dynamics.com"),
    (
        "contoso.crm.microsoftdynamics.us",
        "contoso.crm.microsoftdynamics.us",
    ),
    ("contoso.crm.appsplatform.us", "contoso.crm.appsplatform.us"),
    ("contoso.crm.dynamics.cn", "contoso.crm.dynamics.cn"),
    (
        "contoso.crm4.dynamics.com.mcas.ms",
        "contoso.crm4.dynamics.com.mcas.ms",
    ),
];

#[test]
fn every_host_family_maps_its_page_host_to_its_api_host_and_back() {
    for (page, api) in PAGE_TO_API {
        let (crm, host) = OrgHost::of_page(page).expect(page);
        assert_eq!(host.as_str(), api, "{page}");
        assert_eq!(host.ui_host(), page, "{api}");
        assert_eq!(host.crm(), crm, "{api}");
        assert_eq!(OrgHost::of(crm, api), Some(host), "{api}");
        let expected = if page.contains("dynamics") || page.contains("appsplatform") {
            Crm::Dynamics
        } else {
            Crm::Salesforce
        };
        assert_eq!(crm, expected, "{page}");
    }
}

#[test]
fn every_region_of_the_table_is_an_org_host() {
    for region in DYNAMICS_REGIONS {
        for host in [
            format!("contoso.{}", region.suffix),
            format!("contoso.api.{}", region.suffix),
            format!("contoso.{}.mcas-gov.ms", region.suffix),
        ] {
            assert!(
                OrgHost::dynamics(&host).is_some(),
                "{}: {host}",
                region.code
            );
        }
    }
}

#[test]
fn the_web_api_host_leads_back_to_the_org_pages() {
    let api = OrgHost::dynamics("acme.api.crm12.dynamics.com").unwrap();
    assert_eq!(api.ui_host(), "acme.crm12.dynamics.com");
    assert_eq!(api.crm(), Crm::Dynamics);
}

#[test]
fn upper_case_hosts_are_read_in_lower_case() {
    let host = OrgHost::salesforce("ACME.My.Salesforce.com").unwrap();
    assert_eq!(host.as_str(), "acme.my.salesforce.com");
    let (_, host) = OrgHost::of_page("Contoso.CRM4.Dynamics.com").unwrap();
    assert_eq!(host.as_str(), "contoso.crm4.dynamics.com");
}

#[test]
fn hosts_that_only_end_like_an_org_are_refused() {
    for host in [
        "evil.example/x?.my.salesforce.com",
        "evil.example#.my.salesforce.com",
        "user@evil.example.my.salesforce.com",
        "a.b.c.my.salesforce.com",
        // Only the table's partitions stand between the name and the suffix.
        "acme.evil.my.salesforce.com",
        ".my.salesforce.com",
        "my.salesforce.com",
        "acme.my.salesforce.com.evil.example",
        "acme.my.salesforce.com.mcas.ms.evil.example",
        "acme.lightning.force.com",
        "acme.my.salesforce.com:8443",
        "",
    ] {
        assert_eq!(OrgHost::salesforce(host), None, "{host}");
        assert_eq!(OrgHost::of(Crm::Salesforce, host), None, "{host}");
    }
    for host in [
        "evil.example/x?.crm.dynamics.com",
        "www.dynamics.com",
        "acme.crmx.dynamics.com",
        "a.b.crm.dynamics.com",
        "acme.my.salesforce.com",
        // In none of Microsoft's lists (crm10, crm13), and the table's closed German cloud,
        // left out (CRM-APIS A18).
        "acme.crm10.dynamics.com",
        "acme.crm13.dynamics.com",
        "acme.crm.microsoftdynamics.de",
        "acme.xcrm.dynamics.com",
        "acme.crm.dynamics.com.evil.example",
    ] {
        assert_eq!(OrgHost::dynamics(host), None, "{host}");
    }
}

#[test]
fn api_and_unknown_hosts_are_not_pages() {
    for host in [
        "acme.my.salesforce.com",
        "acme.my.salesforce.mil",
        "acme.vf.force.com",
        "lightning.force.com",
        "example.org",
        "acme.crm.dynamics.com.cas.ms",
    ] {
        assert_eq!(OrgHost::of_page(host), None, "{host}");
    }
}

#[test]
fn a_stored_host_is_checked_when_read() {
    let ok: OrgHost = serde_json::from_str(r#""acme.crm.dynamics.com""#).unwrap();
    assert_eq!(
        serde_json::to_string(&ok).unwrap(),
        r#""acme.crm.dynamics.com""#
    );
    assert!(serde_json::from_str::<OrgHost>(r#""evil.example/x?.my.salesforce.com""#).is_err());
}
