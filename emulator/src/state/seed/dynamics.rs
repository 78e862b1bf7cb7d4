//! The demo org as Dataverse rows.

use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::demo::{generated_person, guid, Kind, Org, ADMIN, DEMO_PASSWORD, EXTRA_USERS, USERS};
use crate::state::admin::ADMIN_FLAG;
use crate::state::db::{Crm, Db, Fields};
use crate::state::dynamics::schema::LOOKUP_NAME;

const STEPS: [&str; 4] = ["1-Qualify", "2-Develop", "3-Propose", "4-Close"];

fn fields(value: Value) -> Fields {
    match value {
        Value::Object(map) => map,
        _ => Fields::new(),
    }
}

fn stamp(days_ago: i64) -> String {
    (Utc::now() - Duration::days(days_ago)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn audit(r: &mut Fields, days_ago: i64, owner: usize) {
    r.insert("createdon".into(), json!(stamp(days_ago)));
    r.insert("modifiedon".into(), json!(stamp(days_ago)));
    r.insert("versionnumber".into(), json!(1_000_001));
    r.insert("statecode".into(), json!(0));
    r.insert("statuscode".into(), json!(1));
    lookup(
        r,
        "ownerid",
        "systemuser",
        &guid(8, (owner % USERS.len()) as u64 + 1),
    );
}

fn lookup(r: &mut Fields, attr: &str, target: &str, id: &str) {
    r.insert(format!("_{attr}_value"), json!(id));
    r.insert(format!("_{attr}_value{LOOKUP_NAME}"), json!(target));
}

fn user(login: &str, first: &str, last: &str, title: &str) -> Fields {
    let email = format!("{login}@acme.onmicrosoft.com");
    let mut r = fields(json!({
        "fullname": format!("{first} {last}").trim().to_string(), "firstname": first, "lastname": last,
        "internalemailaddress": email, "domainname": email, "title": title,
        "isdisabled": false, "islicensed": true, "accessmode": 0, "applicationid": null,
        "Password": DEMO_PASSWORD, ADMIN_FLAG: false,
    }));
    audit(&mut r, 400, 0);
    r
}

pub fn users(db: &Db) -> rusqlite::Result<()> {
    // The root business unit (the org's `dynamics_business_unit`), which teams belong to.
    let mut unit = fields(json!({"name": "acme"}));
    audit(&mut unit, 400, 0);
    db.insert(Crm::Dynamics, "businessunit", &guid(10, 1), &unit)?;
    for (i, u) in USERS.iter().enumerate() {
        let mut r = user(u.login, u.first, u.last, u.title);
        r.insert(ADMIN_FLAG.into(), json!(i == ADMIN));
        db.insert(Crm::Dynamics, "systemuser", &guid(8, i as u64 + 1), &r)?;
    }
    for (i, extra) in EXTRA_USERS.iter().enumerate() {
        let u = &extra.user;
        let n = (USERS.len() + i) as u64 + 1;
        let mut r = user(u.login, u.first, u.last, u.title);
        match extra.kind {
            Kind::Rep => {}
            Kind::Inactive => {
                r.insert("isdisabled".into(), json!(true));
            }
            // An application user: non-interactive, unlicensed, tied to an app id (B15).
            Kind::Integration => {
                r.insert("accessmode".into(), json!(4));
                r.insert("islicensed".into(), json!(false));
                r.insert("applicationid".into(), json!(guid(0xa99, n)));
            }
        }
        db.insert(Crm::Dynamics, "systemuser", &guid(8, n), &r)?;
    }
    Ok(())
}

/// `count` more licensed users who are not admins (the admin page's seat list at scale).
pub fn generated_users(db: &Db, count: u64) -> rusqlite::Result<()> {
    for n in 0..count {
        let (first, last, _) = generated_person(n + 2_000_000);
        let r = user(
            &format!("user{n:04}"),
            &first,
            &last,
            "Sales Representative",
        );
        db.insert(Crm::Dynamics, "systemuser", &guid(8, 1000 + n), &r)?;
    }
    Ok(())
}

pub fn org(db: &Db, org: &Org) -> rusqlite::Result<()> {
    for (i, a) in org.accounts.iter().enumerate() {
        let mut r = fields(
            json!({"name": a.name, "websiteurl": format!("https://www.{}", a.domain), "address1_city": a.city, "address1_country": a.country}),
        );
        audit(&mut r, 200 - i as i64, a.owner);
        db.insert(Crm::Dynamics, "account", &guid(1, i as u64 + 1), &r)?;
    }
    for (i, p) in org.people.iter().enumerate() {
        let mut r = fields(json!({
            "firstname": p.first, "lastname": p.last, "fullname": format!("{} {}", p.first, p.last),
            "jobtitle": p.title, "emailaddress1": p.email,
            "address1_city": org.accounts[p.account].city, "address1_country": org.accounts[p.account].country,
        }));
        lookup(
            &mut r,
            "parentcustomerid",
            "account",
            &guid(1, p.account as u64 + 1),
        );
        audit(&mut r, p.days_ago, org.accounts[p.account].owner);
        db.insert(Crm::Dynamics, "contact", &guid(2, i as u64 + 1), &r)?;
    }
    for (i, l) in org.leads.iter().enumerate() {
        let mut r = fields(json!({
            "firstname": l.first, "lastname": l.last, "fullname": format!("{} {}", l.first, l.last),
            "companyname": l.company, "jobtitle": l.title, "emailaddress1": l.email, "address1_country": l.country,
        }));
        audit(&mut r, (i % 60) as i64, i);
        db.insert(Crm::Dynamics, "lead", &guid(4, i as u64 + 1), &r)?;
    }
    for (i, o) in org.opportunities.iter().enumerate() {
        let mut r = fields(
            json!({"name": o.name, "stepname": STEPS[(o.stage * 4 / 10).min(3)], "estimatedclosedate": o.close, "estimatedvalue": o.amount}),
        );
        lookup(
            &mut r,
            "parentaccountid",
            "account",
            &guid(1, o.account as u64 + 1),
        );
        if let Some((person, _, _)) = o.roles.first() {
            lookup(
                &mut r,
                "parentcontactid",
                "contact",
                &guid(2, *person as u64 + 1),
            );
        }
        audit(&mut r, (i % 90) as i64, org.accounts[o.account].owner);
        db.insert(Crm::Dynamics, "opportunity", &guid(3, i as u64 + 1), &r)?;
    }
    for i in 0..20u64 {
        let mut r = fields(
            json!({"subject": "Intro call", "activitytypecode": "task", "scheduledend": stamp(i as i64)}),
        );
        lookup(&mut r, "regardingobjectid", "contact", &guid(2, i + 1));
        audit(&mut r, i as i64, 0);
        r.insert("statecode".into(), json!(1));
        r.insert("statuscode".into(), json!(5));
        db.insert(Crm::Dynamics, "task", &guid(0x10d4, i + 1), &r)?;
    }
    Ok(())
}

pub fn generated(db: &Db, count: u64) -> rusqlite::Result<()> {
    let start = db.count(Crm::Dynamics, "contact")? + 1_000_000;
    let when = stamp(1);
    for n in start..start + count {
        let (first, last, email) = generated_person(n);
        let mut r = fields(
            json!({"firstname": first, "lastname": last, "fullname": format!("{first} {last}"), "emailaddress1": email, "jobtitle": "Engineer"}),
        );
        r.insert("createdon".into(), json!(when));
        r.insert("modifiedon".into(), json!(when));
        r.insert("versionnumber".into(), json!(1_000_001));
        db.insert(Crm::Dynamics, "contact", &guid(2, n), &r)?;
    }
    Ok(())
}
