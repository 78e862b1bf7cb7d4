//! Seed data: the demo org both products share in spirit (the same people, each CRM with its
//! own ids and field names).

use serde_json::{json, Value};

use crate::db::{Crm, Db, Fields};
use crate::salesforce::ids::id18;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    Demo,
    None,
}

impl Seed {
    pub fn parse(name: &str) -> Option<Seed> {
        match name {
            "demo" => Some(Seed::Demo),
            "none" => Some(Seed::None),
            _ => None,
        }
    }
}

/// Password of every seeded user (the emulator is for tests and demos only).
pub const DEMO_PASSWORD: &str = "demo";

struct Person {
    first: &'static str,
    last: &'static str,
    title: &'static str,
    email: &'static str,
    account: usize,
}

const ACCOUNTS: [(&str, &str); 4] = [
    ("Acme Corporation", "acme.com"),
    ("Müller & Söhne GmbH", "mueller-soehne.de"),
    ("Société Générale d'Ingénierie", "sgi.fr"),
    ("Construtora São João Ltda", "saojoao.com.br"),
];

const PEOPLE: [Person; 8] = [
    Person {
        first: "Ada",
        last: "Lovelace",
        title: "Chief Technology Officer",
        email: "ada.lovelace@acme.com",
        account: 0,
    },
    Person {
        first: "Grace",
        last: "Hopper",
        title: "VP Engineering",
        email: "grace.hopper@acme.com",
        account: 0,
    },
    Person {
        first: "Jürgen",
        last: "Weiß",
        title: "Einkaufsleiter",
        email: "j.weiss@mueller-soehne.de",
        account: 1,
    },
    Person {
        first: "Anna-Lena",
        last: "von Bülow",
        title: "Geschäftsführerin",
        email: "a.vonbuelow@mueller-soehne.de",
        account: 1,
    },
    Person {
        first: "Élodie",
        last: "Lefèvre",
        title: "Directrice des achats",
        email: "elodie.lefevre@sgi.fr",
        account: 2,
    },
    Person {
        first: "François",
        last: "Dupont",
        title: "Responsable IT",
        email: "f.dupont@sgi.fr",
        account: 2,
    },
    Person {
        first: "João",
        last: "da Silva",
        title: "Diretor Comercial",
        email: "joao.silva@saojoao.com.br",
        account: 3,
    },
    Person {
        first: "Maria Conceição",
        last: "dos Santos",
        title: "Gerente de Compras",
        email: "m.santos@saojoao.com.br",
        account: 3,
    },
];

const LEADS: [(&str, &str, &str, &str); 2] = [
    ("Linus", "Torvalds", "Kernel Systems Oy", "Maintainer"),
    ("Margaret", "Hamilton", "Apollo Software Inc", "Director"),
];

pub fn apply(db: &Db, seed: Seed) -> rusqlite::Result<()> {
    if seed == Seed::None {
        return seed_users(db);
    }
    seed_users(db)?;
    seed_salesforce(db)?;
    seed_dynamics(db)
}

fn fields(value: Value) -> Fields {
    match value {
        Value::Object(map) => map,
        _ => Fields::new(),
    }
}

/// Deterministic GUIDs so demo links stay stable across runs.
pub fn guid(entity_code: u32, n: u64) -> String {
    format!("{entity_code:08x}-0000-4000-8000-{n:012x}")
}

fn seed_users(db: &Db) -> rusqlite::Result<()> {
    db.insert(
        Crm::Salesforce,
        "User",
        &id18("User", 1),
        &fields(json!({"Name": "Demo Seller", "Username": "demo@acme.com", "Email": "demo@acme.com", "IsActive": true, "Password": DEMO_PASSWORD})),
    )?;
    db.insert(
        Crm::Dynamics,
        "systemuser",
        &guid(8, 1),
        &fields(json!({"fullname": "Demo Seller", "internalemailaddress": "demo@acme.onmicrosoft.com", "isdisabled": false, "Password": DEMO_PASSWORD})),
    )
}

fn seed_salesforce(db: &Db) -> rusqlite::Result<()> {
    for (i, (name, domain)) in ACCOUNTS.iter().enumerate() {
        let website = format!("https://www.{domain}");
        db.insert(
            Crm::Salesforce,
            "Account",
            &id18("Account", i as u64 + 1),
            &fields(json!({"Name": name, "Website": website})),
        )?;
    }
    for (i, p) in PEOPLE.iter().enumerate() {
        let account_id = id18("Account", p.account as u64 + 1);
        let record = json!({
            "FirstName": p.first, "LastName": p.last, "Name": format!("{} {}", p.first, p.last),
            "Title": p.title, "Email": p.email, "AccountId": account_id,
        });
        db.insert(
            Crm::Salesforce,
            "Contact",
            &id18("Contact", i as u64 + 1),
            &fields(record),
        )?;
    }
    for (i, (first, last, company, title)) in LEADS.iter().enumerate() {
        let record = json!({"FirstName": first, "LastName": last, "Name": format!("{first} {last}"), "Company": company, "Title": title, "Status": "Open - Not Contacted"});
        db.insert(
            Crm::Salesforce,
            "Lead",
            &id18("Lead", i as u64 + 1),
            &fields(record),
        )?;
    }
    let opportunity = json!({"Name": "Acme Platform Renewal", "StageName": "Negotiation/Review", "CloseDate": "2026-12-15", "AccountId": id18("Account", 1)});
    db.insert(
        Crm::Salesforce,
        "Opportunity",
        &id18("Opportunity", 1),
        &fields(opportunity),
    )
}

fn seed_dynamics(db: &Db) -> rusqlite::Result<()> {
    for (i, (name, domain)) in ACCOUNTS.iter().enumerate() {
        let record = json!({"name": name, "websiteurl": format!("https://www.{domain}")});
        db.insert(
            Crm::Dynamics,
            "account",
            &guid(1, i as u64 + 1),
            &fields(record),
        )?;
    }
    for (i, p) in PEOPLE.iter().enumerate() {
        let record = json!({
            "firstname": p.first, "lastname": p.last, "fullname": format!("{} {}", p.first, p.last),
            "jobtitle": p.title, "emailaddress1": p.email,
            "_parentcustomerid_value": guid(1, p.account as u64 + 1),
        });
        db.insert(
            Crm::Dynamics,
            "contact",
            &guid(2, i as u64 + 1),
            &fields(record),
        )?;
    }
    for (i, (first, last, company, title)) in LEADS.iter().enumerate() {
        let record = json!({"firstname": first, "lastname": last, "fullname": format!("{first} {last}"), "companyname": company, "jobtitle": title});
        db.insert(
            Crm::Dynamics,
            "lead",
            &guid(4, i as u64 + 1),
            &fields(record),
        )?;
    }
    let opportunity = json!({"name": "Acme Platform Renewal", "stepname": "3-Propose", "estimatedclosedate": "2026-12-15", "_parentaccountid_value": guid(1, 1)});
    db.insert(
        Crm::Dynamics,
        "opportunity",
        &guid(3, 1),
        &fields(opportunity),
    )
}
