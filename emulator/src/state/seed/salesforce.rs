//! The demo org as Salesforce records.

use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::demo::{generated_person, Kind, Org, ADMIN, DEMO_PASSWORD, EXTRA_USERS, USERS};
use crate::state::admin::ADMIN_FLAG;
use crate::state::db::{Crm, Db, Fields};
use crate::state::salesforce::ids::id18;
use crate::state::salesforce::schema::{LEAD_STATUSES, STAGES};

fn fields(value: Value) -> Fields {
    match value {
        Value::Object(map) => map,
        _ => Fields::new(),
    }
}

fn stamp(days_ago: i64) -> String {
    (Utc::now() - Duration::days(days_ago))
        .to_rfc3339_opts(SecondsFormat::Millis, true)
        .replace('Z', "+0000")
}

/// Audit fields every record carries.
fn audit(record: &mut Fields, days_ago: i64, owner: &str) {
    let when = Value::String(stamp(days_ago));
    for k in ["CreatedDate", "LastModifiedDate", "SystemModstamp"] {
        record.insert(k.into(), when.clone());
    }
    record.insert("CreatedById".into(), json!(id18("User", 1)));
    record.insert("LastModifiedById".into(), json!(id18("User", 1)));
    record.insert("OwnerId".into(), json!(owner));
}

fn user(login: &str, first: &str, last: &str, title: &str) -> Fields {
    let mut record = fields(json!({
        "Username": format!("{login}@acme.com"), "FirstName": first, "LastName": last,
        "Name": format!("{first} {last}").trim().to_string(), "Email": format!("{login}@acme.com"),
        "Alias": login.chars().take(8).collect::<String>(), "Title": title, "IsActive": true,
        "UserType": "Standard", "TimeZoneSidKey": "Europe/Berlin", "LanguageLocaleKey": "en_US",
        "Password": DEMO_PASSWORD, ADMIN_FLAG: false,
    }));
    audit(&mut record, 400, &id18("User", 1));
    record.remove("OwnerId");
    record
}

pub fn users(db: &Db) -> rusqlite::Result<()> {
    for (i, u) in USERS.iter().enumerate() {
        let mut record = user(u.login, u.first, u.last, u.title);
        record.insert(ADMIN_FLAG.into(), json!(i == ADMIN));
        db.insert(
            Crm::Salesforce,
            "User",
            &id18("User", i as u64 + 1),
            &record,
        )?;
    }
    for (i, extra) in EXTRA_USERS.iter().enumerate() {
        let u = &extra.user;
        let mut record = user(u.login, u.first, u.last, u.title);
        match extra.kind {
            Kind::Rep => {}
            Kind::Inactive => {
                record.insert("IsActive".into(), json!(false));
            }
            Kind::Integration => {
                record.insert("UserType".into(), json!("AutomatedProcess"));
            }
        }
        let n = (USERS.len() + i) as u64 + 1;
        db.insert(Crm::Salesforce, "User", &id18("User", n), &record)?;
    }
    stages(db)
}

/// The org's OpportunityStage rows, one per StageName value, in order (A14).
fn stages(db: &Db) -> rusqlite::Result<()> {
    for (i, stage) in STAGES.iter().enumerate() {
        let closed = stage.starts_with("Closed");
        let won = *stage == "Closed Won";
        let probability = match (closed, won) {
            (true, true) => 100,
            (true, false) => 0,
            _ => 10 * (i as u32 + 1),
        };
        let record = fields(json!({
            "ApiName": stage, "MasterLabel": stage, "SortOrder": i + 1, "IsActive": true,
            "IsClosed": closed, "IsWon": won, "DefaultProbability": probability,
            "ForecastCategoryName": if won { "Closed" } else if closed { "Omitted" } else { "Pipeline" },
        }));
        db.insert(
            Crm::Salesforce,
            "OpportunityStage",
            &id18("OpportunityStage", i as u64 + 1),
            &record,
        )?;
    }
    Ok(())
}

/// `count` more licensed users who are not admins (the admin page's seat list at scale).
pub fn generated_users(db: &Db, count: u64) -> rusqlite::Result<()> {
    for n in 0..count {
        let (first, last, _) = generated_person(n + 2_000_000);
        let login = format!("user{n:04}");
        let record = user(&login, &first, &last, "Sales Representative");
        db.insert(Crm::Salesforce, "User", &id18("User", 1000 + n), &record)?;
    }
    Ok(())
}

fn owner(i: usize) -> String {
    id18("User", (i % USERS.len()) as u64 + 1)
}

pub fn org(db: &Db, org: &Org) -> rusqlite::Result<()> {
    for (i, a) in org.accounts.iter().enumerate() {
        let mut r = fields(
            json!({"Name": a.name, "Website": format!("https://www.{}", a.domain), "BillingCity": a.city, "BillingCountry": a.country, "Type": "Customer - Direct"}),
        );
        audit(&mut r, 200 - i as i64, &owner(a.owner));
        db.insert(
            Crm::Salesforce,
            "Account",
            &id18("Account", i as u64 + 1),
            &r,
        )?;
    }
    for (i, p) in org.people.iter().enumerate() {
        let mut r = fields(json!({
            "FirstName": p.first, "LastName": p.last, "Name": format!("{} {}", p.first, p.last),
            "Title": p.title, "Email": p.email, "AccountId": id18("Account", p.account as u64 + 1),
            "MailingCountry": org.accounts[p.account].country, "MailingCity": org.accounts[p.account].city,
        }));
        audit(&mut r, p.days_ago, &owner(org.accounts[p.account].owner));
        db.insert(
            Crm::Salesforce,
            "Contact",
            &id18("Contact", i as u64 + 1),
            &r,
        )?;
    }
    for (i, l) in org.leads.iter().enumerate() {
        let mut r = fields(json!({
            "FirstName": l.first, "LastName": l.last, "Name": format!("{} {}", l.first, l.last),
            "Company": l.company, "Title": l.title, "Email": l.email, "Country": l.country,
            "Status": LEAD_STATUSES[l.status], "IsConverted": false,
        }));
        audit(&mut r, (i % 60) as i64, &owner(i));
        db.insert(Crm::Salesforce, "Lead", &id18("Lead", i as u64 + 1), &r)?;
    }
    let mut role_n = 0;
    for (i, o) in org.opportunities.iter().enumerate() {
        let stage = STAGES[o.stage];
        let mut r = fields(json!({
            "Name": o.name, "StageName": stage, "CloseDate": o.close, "Amount": o.amount,
            "AccountId": id18("Account", o.account as u64 + 1),
            "IsClosed": stage.starts_with("Closed"), "IsWon": stage == "Closed Won",
        }));
        audit(
            &mut r,
            (i % 90) as i64,
            &owner(org.accounts[o.account].owner),
        );
        let opp_id = id18("Opportunity", i as u64 + 1);
        db.insert(Crm::Salesforce, "Opportunity", &opp_id, &r)?;
        for (person, role, primary) in &o.roles {
            role_n += 1;
            let mut r = fields(
                json!({"OpportunityId": opp_id, "ContactId": id18("Contact", *person as u64 + 1), "Role": role, "IsPrimary": primary}),
            );
            audit(&mut r, 30, &owner(0));
            r.remove("OwnerId");
            db.insert(
                Crm::Salesforce,
                "OpportunityContactRole",
                &id18("OpportunityContactRole", role_n),
                &r,
            )?;
        }
    }
    for (i, p) in org.people.iter().enumerate().take(20) {
        let mut r = fields(json!({
            "Subject": "Intro call", "Status": "Completed", "Priority": "Normal", "TaskSubtype": "Call",
            "ActivityDate": (Utc::now() - Duration::days(i as i64)).date_naive().to_string(),
            "WhoId": id18("Contact", i as u64 + 1), "AccountId": id18("Account", p.account as u64 + 1),
            "IsClosed": true, "Type": "Call",
        }));
        audit(&mut r, i as i64, &owner(0));
        db.insert(Crm::Salesforce, "Task", &id18("Task", i as u64 + 1), &r)?;
    }
    Ok(())
}

pub fn generated(db: &Db, count: u64) -> rusqlite::Result<()> {
    let start = db.count(Crm::Salesforce, "Contact")? + 1_000_000;
    let when = stamp(1);
    for n in start..start + count {
        let (first, last, email) = generated_person(n);
        let mut r = fields(
            json!({"FirstName": first, "LastName": last, "Name": format!("{first} {last}"), "Email": email, "Title": "Engineer"}),
        );
        for k in ["CreatedDate", "LastModifiedDate", "SystemModstamp"] {
            r.insert(k.into(), json!(when));
        }
        r.insert("OwnerId".into(), json!(owner(0)));
        db.insert(Crm::Salesforce, "Contact", &id18("Contact", n), &r)?;
    }
    Ok(())
}

/// One person of an imported people file (the `crm-match` records format).
pub struct ImportedPerson<'a> {
    pub first: &'a str,
    pub last: &'a str,
    pub email: &'a str,
    pub company: &'a str,
    pub title: &'a str,
    pub city: &'a str,
    pub country: &'a str,
    pub phone: &'a str,
}

/// Adds `people` as Contacts, each at an Account named after its company (one Account per
/// distinct name, made on first sight); returns the Accounts made.
/// Returns the number of Accounts made and the Contacts' ids, in the people's order.
pub fn imported(db: &Db, people: &[ImportedPerson<'_>]) -> rusqlite::Result<(u64, Vec<String>)> {
    let mut accounts: std::collections::HashMap<&str, String> = Default::default();
    let first_account = db.count(Crm::Salesforce, "Account")? + 2_000_000;
    let first_contact = db.count(Crm::Salesforce, "Contact")? + 3_000_000;
    let when = stamp(1);
    let audited = |mut r: Fields, i: usize| {
        for k in ["CreatedDate", "LastModifiedDate", "SystemModstamp"] {
            r.insert(k.into(), json!(when));
        }
        r.insert("OwnerId".into(), json!(owner(i)));
        r
    };
    let text = |s: &str| if s.is_empty() { Value::Null } else { json!(s) };
    let mut contact_ids = Vec::with_capacity(people.len());
    for (i, p) in people.iter().enumerate() {
        let account = match (p.company.is_empty(), accounts.get(p.company)) {
            (true, _) => None,
            (false, Some(id)) => Some(id.clone()),
            (false, None) => {
                let id = id18("Account", first_account + accounts.len() as u64);
                let r = audited(fields(json!({"Name": p.company})), accounts.len());
                db.insert(Crm::Salesforce, "Account", &id, &r)?;
                accounts.insert(p.company, id.clone());
                Some(id)
            }
        };
        let r = audited(
            fields(json!({
                "FirstName": text(p.first), "LastName": p.last, "Name": format!("{} {}", p.first, p.last).trim(),
                "Email": text(p.email), "Title": text(p.title), "MailingCity": text(p.city),
                "MailingCountry": text(p.country), "Phone": text(p.phone), "AccountId": account,
            })),
            i,
        );
        let id = id18("Contact", first_contact + i as u64);
        db.insert(Crm::Salesforce, "Contact", &id, &r)?;
        contact_ids.push(id);
    }
    Ok((accounts.len() as u64, contact_ids))
}
