//! Saved accounts' won values (`crmsync::pipeline::won`) asked of the emulated orgs: the
//! core's own requests, read by the core, summed over each account's won opportunities only.

mod common;

use common::Harness;
use crmsync::crm::salesforce::Session;
use crmsync::crm::{Crm, OrgHost};
use crmsync::pipeline::won;
use crmsync::validation::target::Target;
use serde_json::json;
use std::collections::HashMap;

fn totals(h: &Harness, target: &Target, field: &str, accounts: &[String]) -> HashMap<String, f64> {
    let mut values = Vec::new();
    for first in won::requests(target, field, accounts) {
        let mut request = Some(first);
        while let Some(current) = request.take() {
            let answer = h.perform(&current);
            let (page, next) = won::read(target, field, answer.status.as_u16(), &answer.raw)
                .unwrap_or_else(|e| panic!("{}: {e:?}", current.url));
            values.extend(page);
            request = next;
        }
    }
    won::totals(values)
}

#[test]
fn salesforce_sums_won_opportunities_per_account() {
    let h = Harness::new();
    let account = h.soql("SELECT Id FROM Account ORDER BY Name LIMIT 1").body["records"][0]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    for (name, stage, amount) in [
        ("Won A", "Closed Won", 1000.25),
        ("Won B", "Closed Won", 500.0),
        ("Open", "Prospecting", 9e6),
    ] {
        let made = h.sf(
            "POST",
            "/sobjects/Opportunity",
            Some(json!({"Name": name, "StageName": stage, "CloseDate": "2026-11-30", "Amount": amount, "AccountId": account})),
        );
        assert_eq!(made.status.as_u16(), 201, "{}", made.raw);
    }
    let seeded = h.soql(&format!(
        "SELECT Amount FROM Opportunity WHERE IsWon = true AND AccountId = '{account}'"
    ));
    let seeded: f64 = seeded.body["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["Amount"].as_f64())
        .sum();
    let target = Target::Salesforce(Session {
        api_host: OrgHost::salesforce(common::SF).unwrap(),
        token: h.sf_token.clone(),
    });
    let got = totals(&h, &target, "Amount", std::slice::from_ref(&account));
    assert!(seeded >= 1500.25);
    assert_eq!(got.get(&account), Some(&seeded), "won only, open left out");
}

#[test]
fn dataverse_sums_won_opportunities_per_account_across_chunks() {
    let h = Harness::new();
    let accounts = h.dy("GET", "/accounts?$select=accountid&$top=1", &[], None);
    let last = accounts.body["value"][0]["accountid"]
        .as_str()
        .unwrap()
        .to_string();
    // Accounts the org does not have fill the first request, so the real one is in the second.
    let mut ids: Vec<String> = (0..70)
        .map(|i| format!("0000aaaa-0000-4000-8000-{i:012}"))
        .collect();
    ids.push(last.clone());
    for (state, value) in [(1, 4200.5), (1, 99.5), (0, 7e6)] {
        let made = h.dy(
            "POST",
            "/opportunities",
            &[],
            Some(json!({"name": "deal", "statecode": state, "actualvalue": value, "parentaccountid@odata.bind": format!("/accounts({last})")})),
        );
        assert_eq!(made.status.as_u16(), 204, "{}", made.raw);
    }
    let target = Target::Dynamics(OrgHost::checked(Crm::Dynamics, common::DYN).unwrap());
    let got = totals(&h, &target, "actualvalue", &ids);
    assert_eq!(got.get(&last), Some(&4300.0), "the open deal is left out");
}
