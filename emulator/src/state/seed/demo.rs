//! The demo org, the same for both CRMs: users, accounts in ten countries, their people,
//! leads and opportunities. The first records keep the ids earlier versions used (Ada
//! Lovelace is still Contact 1).

use super::names::{self, fold, COUNTRIES};

/// Password of every seeded user (the emulator is for tests and demos only).
pub const DEMO_PASSWORD: &str = "demo";

/// Deterministic GUIDs so demo links stay stable across runs.
pub fn guid(entity_code: u32, n: u64) -> String {
    format!("{entity_code:08x}-0000-4000-8000-{n:012x}")
}

pub struct User {
    pub first: &'static str,
    pub last: &'static str,
    pub login: &'static str,
    pub title: &'static str,
}

/// Four users per CRM; the first is the demo login (`demo@acme.com` / `demo@acme.onmicrosoft.com`).
pub const USERS: [User; 4] = [
    User {
        first: "Demo",
        last: "Seller",
        login: "demo",
        title: "Account Executive",
    },
    User {
        first: "Sofia",
        last: "Andersson",
        login: "sofia.andersson",
        title: "Sales Manager",
    },
    User {
        first: "Kenji",
        last: "Watanabe",
        login: "kenji.watanabe",
        title: "Account Executive",
    },
    User {
        first: "Lucía",
        last: "Fernández",
        login: "lucia.fernandez",
        title: "Sales Director",
    },
];

/// The kinds of the users seeded after [`USERS`]: what the admin page must list or leave out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A licensed person who is not an admin: the non-admin sign-in of tests and the demo.
    Rep,
    /// A deactivated (Salesforce) or disabled (Dataverse) user.
    Inactive,
    /// An integration: Salesforce's automated process user, a Dataverse application user.
    Integration,
}

pub struct Extra {
    pub user: User,
    pub kind: Kind,
}

/// The first of [`USERS`] is the org's admin; everyone else is not.
pub const ADMIN: usize = 0;

/// Users 5 to 7 of each CRM; `rep@acme.com` / `rep@acme.onmicrosoft.com` signs in with `demo`.
pub const EXTRA_USERS: [Extra; 3] = [
    Extra {
        user: User {
            first: "Riley",
            last: "Rep",
            login: "rep",
            title: "Sales Representative",
        },
        kind: Kind::Rep,
    },
    Extra {
        user: User {
            first: "Former",
            last: "Employee",
            login: "former.employee",
            title: "Account Executive",
        },
        kind: Kind::Inactive,
    },
    Extra {
        user: User {
            first: "Integration",
            last: "Process",
            login: "integration",
            title: "",
        },
        kind: Kind::Integration,
    },
];

pub struct Account {
    pub name: String,
    pub domain: String,
    pub city: String,
    pub country: String,
    pub owner: usize,
}

pub struct Person {
    pub first: String,
    pub last: String,
    pub title: String,
    pub email: String,
    pub account: usize,
    pub days_ago: i64,
}

pub struct Lead {
    pub first: String,
    pub last: String,
    pub company: String,
    pub title: String,
    pub email: String,
    pub country: String,
    pub status: usize,
}

pub struct Opportunity {
    pub name: String,
    pub account: usize,
    pub stage: usize,
    pub close: String,
    pub amount: f64,
    /// (person index, role, primary)
    pub roles: Vec<(usize, &'static str, bool)>,
}

pub struct Org {
    pub accounts: Vec<Account>,
    pub people: Vec<Person>,
    pub leads: Vec<Lead>,
    pub opportunities: Vec<Opportunity>,
}

const ORIGINAL_PEOPLE: [(&str, &str, &str, &str, usize); 8] = [
    (
        "Ada",
        "Lovelace",
        "Chief Technology Officer",
        "ada.lovelace@acme.com",
        0,
    ),
    (
        "Grace",
        "Hopper",
        "VP Engineering",
        "grace.hopper@acme.com",
        0,
    ),
    (
        "Jürgen",
        "Weiß",
        "Einkaufsleiter",
        "j.weiss@mueller-soehne.de",
        1,
    ),
    (
        "Anna-Lena",
        "von Bülow",
        "Geschäftsführerin",
        "a.vonbuelow@mueller-soehne.de",
        1,
    ),
    (
        "Élodie",
        "Lefèvre",
        "Directrice des achats",
        "elodie.lefevre@sgi.fr",
        2,
    ),
    ("François", "Dupont", "Responsable IT", "f.dupont@sgi.fr", 2),
    (
        "João",
        "da Silva",
        "Diretor Comercial",
        "joao.silva@saojoao.com.br",
        3,
    ),
    (
        "Maria Conceição",
        "dos Santos",
        "Gerente de Compras",
        "m.santos@saojoao.com.br",
        3,
    ),
];

const ORIGINAL_DOMAINS: [&str; 4] = ["acme.com", "mueller-soehne.de", "sgi.fr", "saojoao.com.br"];

/// The first four accounts keep their earlier order; then every country's companies follow.
fn accounts() -> Vec<Account> {
    let mut list = Vec::new();
    let firsts = [(0, 0), (1, 0), (2, 0), (3, 0)];
    for (i, (c, k)) in firsts.iter().enumerate() {
        let country = &COUNTRIES[*c];
        list.push(Account {
            name: country.companies[*k].into(),
            domain: ORIGINAL_DOMAINS[i].into(),
            city: country.city.into(),
            country: country.name.into(),
            owner: 0,
        });
    }
    for (c, country) in COUNTRIES.iter().enumerate() {
        for k in 0..6 {
            if c < 4 && k == 0 {
                continue;
            }
            let slug = match country.latin_companies {
                Some(latin) => latin[k].to_string(),
                None => fold(country.companies[k]),
            };
            list.push(Account {
                name: country.companies[k].into(),
                domain: format!("{slug}.{}", country.tld),
                city: country.city.into(),
                country: country.name.into(),
                owner: list.len() % USERS.len(),
            });
        }
    }
    list
}

fn country_of(accounts: &[Account], account: usize) -> usize {
    COUNTRIES
        .iter()
        .position(|c| c.name == accounts[account].country)
        .unwrap_or(0)
}

fn latin(country: &names::Country, first: usize, last: usize) -> (String, String) {
    let f = country
        .latin_first
        .map(|l| l[first].to_string())
        .unwrap_or_else(|| fold(country.first[first]));
    let l = country
        .latin_last
        .map(|l| l[last].to_string())
        .unwrap_or_else(|| fold(country.last[last]));
    (f, l)
}

fn people(accounts: &[Account]) -> Vec<Person> {
    let mut list: Vec<Person> = ORIGINAL_PEOPLE
        .iter()
        .enumerate()
        .map(|(i, (first, last, title, email, account))| Person {
            first: (*first).into(),
            last: (*last).into(),
            title: (*title).into(),
            email: (*email).into(),
            account: *account,
            days_ago: i as i64,
        })
        .collect();
    for a in 0..accounts.len() {
        let c = &COUNTRIES[country_of(accounts, a)];
        let wanted = 3 + (a % 2);
        let existing = list.iter().filter(|p| p.account == a).count();
        for j in existing..wanted {
            let (fi, li) = ((a * 7 + j * 3) % 6, (a * 5 + j * 2 + 1) % 6);
            let (lf, ll) = latin(c, fi, li);
            let email = format!(
                "{lf}.{ll}{}@{}",
                if j > 2 { j.to_string() } else { String::new() },
                accounts[a].domain
            );
            list.push(Person {
                first: c.first[fi].into(),
                last: c.last[li].into(),
                title: c.titles[j % 3].into(),
                email,
                account: a,
                days_ago: (list.len() % 120) as i64,
            });
        }
    }
    list
}

const LEAD_SUFFIXES: [&str; 5] = ["Consulting", "Studio", "Partners", "Trading", "Labs"];

fn leads() -> Vec<Lead> {
    let mut list = vec![
        Lead {
            first: "Linus".into(),
            last: "Torvalds".into(),
            company: "Kernel Systems Oy".into(),
            title: "Maintainer".into(),
            email: "linus@kernel-systems.fi".into(),
            country: "Finland".into(),
            status: 0,
        },
        Lead {
            first: "Margaret".into(),
            last: "Hamilton".into(),
            company: "Apollo Software Inc".into(),
            title: "Director".into(),
            email: "margaret@apollo-software.com".into(),
            country: "United States".into(),
            status: 0,
        },
    ];
    let mut n = 0usize;
    while list.len() < 100 {
        let c = &COUNTRIES[n % COUNTRIES.len()];
        let (fi, li) = ((n * 5 + 2) % 6, (n * 3 + 4) % 6);
        let (lf, ll) = latin(c, fi, li);
        let suffix = LEAD_SUFFIXES[n % LEAD_SUFFIXES.len()];
        let company = format!("{} {suffix}", c.last[li]);
        let email = format!("{lf}.{ll}@{ll}-{}.{}", fold(suffix), c.tld);
        list.push(Lead {
            first: c.first[fi].into(),
            last: c.last[li].into(),
            company,
            title: c.titles[n % 3].into(),
            email,
            country: c.name.into(),
            status: n % 4,
        });
        n += 1;
    }
    list
}

const PRODUCTS: [&str; 4] = ["Platform Renewal", "Expansion", "Pilot", "Support Plan"];
const ROLES: [&str; 3] = ["Decision Maker", "Evaluator", "Economic Buyer"];

fn opportunities(accounts: &[Account], people: &[Person]) -> Vec<Opportunity> {
    let mut list = vec![Opportunity {
        name: "Acme Platform Renewal".into(),
        account: 0,
        stage: 7,
        close: "2026-12-15".into(),
        amount: 120_000.0,
        roles: vec![(0, "Decision Maker", true), (1, "Evaluator", false)],
    }];
    for (a, account) in accounts.iter().enumerate().skip(1) {
        let contacts: Vec<usize> = people
            .iter()
            .enumerate()
            .filter(|(_, p)| p.account == a)
            .map(|(i, _)| i)
            .collect();
        let roles = contacts
            .iter()
            .take(2)
            .enumerate()
            .map(|(k, &p)| (p, ROLES[(a + k) % 3], k == 0))
            .collect();
        list.push(Opportunity {
            name: format!("{} {}", account.name, PRODUCTS[a % 4]),
            account: a,
            stage: a % 10,
            close: format!("2027-{:02}-{:02}", a % 12 + 1, a % 28 + 1),
            amount: 5_000.0 * (a as f64 + 1.0),
            roles,
        });
    }
    list
}

pub fn demo_org() -> Org {
    let accounts = accounts();
    let people = people(&accounts);
    let opportunities = opportunities(&accounts, &people);
    Org {
        accounts,
        people,
        leads: leads(),
        opportunities,
    }
}

/// The name parts of the n-th generated contact.
pub fn generated_person(n: u64) -> (String, String, String) {
    let c = &COUNTRIES[(n % 10) as usize];
    let (fi, li) = (((n / 10) % 6) as usize, ((n / 60) % 6) as usize);
    let (lf, ll) = latin(c, fi, li);
    (
        c.first[fi].to_string(),
        format!("{} {n}", c.last[li]),
        format!("{lf}.{ll}.{n}@example.{}", c.tld),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_org_has_the_promised_size() {
        let org = demo_org();
        assert_eq!(org.accounts.len(), 60);
        let total = org.people.len() + org.leads.len();
        assert!((280..=330).contains(&total), "{total}");
        assert_eq!(org.people[0].first, "Ada");
        assert!(org.opportunities.iter().all(|o| o.roles.len() <= 2));
    }

    #[test]
    fn emails_are_unique() {
        let org = demo_org();
        let mut emails: Vec<&str> = org.people.iter().map(|p| p.email.as_str()).collect();
        emails.sort();
        let before = emails.len();
        emails.dedup();
        assert_eq!(before, emails.len());
    }
}
