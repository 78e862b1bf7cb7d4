//! Deterministic generator of realistic profile-vs-CRM datasets in English,
//! French, German and Brazilian/European Portuguese, shared by the accuracy
//! test, the benchmarks and the regeneration test (`tests/matching_datagen.rs`).
//!
//! A CRM is a set of people working at companies; profiles are the same people
//! as the professional network shows them (nicknames, accents stripped or
//! kept, ALL CAPS, "Last, First", middle initials, typos, credentials, job
//! changes, other e-mail and phone formats, city names in other languages),
//! plus a quarter of profiles with no CRM record: namesakes of CRM people,
//! colleagues at CRM companies, and strangers.
#![allow(dead_code)]

mod data;
pub mod eval;
pub mod febrl;

use crmsync::matching::text::fold;
use crmsync::matching::Person;
use data::{Lang, LANGS};

/// xorshift64*: tiny, seedable, identical on every target.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: u32) -> u32 {
        (self.f64() * f64::from(n)) as u32
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u32) as usize]
    }
    /// Index skewed toward the front: lists are ordered most common first.
    pub fn skewed(&mut self, n: usize) -> usize {
        ((self.f64().powf(1.7)) * n as f64) as usize
    }
}

#[derive(Clone)]
struct Firm {
    lang: usize,
    base: String,
    legal: &'static str,
    domain: String,
    city: usize,
}

#[derive(Clone)]
struct Human {
    lang: usize,
    given: String,
    middle: Option<String>,
    surnames: Vec<String>,
    firm: usize,
    title: usize,
    city: usize,
    phone: Option<(String, String)>,
    work_email: String,
    personal_email: String,
    slug: String,
}

pub struct Dataset {
    pub records: Vec<Person>,
    pub profiles: Vec<Person>,
    /// (profile id, record id) for every profile that has a record.
    pub truth: Vec<(String, String)>,
    /// What each profile is, for error analysis: match, moved, namesake, colleague, stranger.
    pub kinds: std::collections::HashMap<String, &'static str>,
}

struct World {
    rng: Rng,
    firms: Vec<Firm>,
    /// Member slugs are unique on the network.
    slugs: std::collections::HashSet<String>,
}

fn lang(h: usize) -> &'static Lang {
    &LANGS[h]
}

fn ascii(s: &str) -> String {
    fold(s).replace(' ', "")
}

/// Removes accents but keeps case and punctuation ("Hélène" → "Helene").
fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| {
            let f = fold(&c.to_string());
            match f.chars().next() {
                Some(a) if f.len() == 1 && c.is_alphabetic() && c.is_uppercase() => {
                    a.to_ascii_uppercase()
                }
                Some(a) if f.len() == 1 && c.is_alphabetic() => a,
                _ => c,
            }
        })
        .collect()
}

impl World {
    fn new(seed: u64, n_firms: usize) -> World {
        let mut w = World {
            rng: Rng::new(seed),
            firms: Vec::new(),
            slugs: Default::default(),
        };
        for _ in 0..n_firms {
            let l = w.pick_lang();
            let firm = w.new_firm(l);
            w.firms.push(firm);
        }
        w
    }

    fn pick_lang(&mut self) -> usize {
        let x = self.rng.f64();
        [0.3, 0.55, 0.75, 1.01]
            .iter()
            .position(|p| x < *p)
            .unwrap_or(0)
    }

    fn new_firm(&mut self, l: usize) -> Firm {
        let lg = lang(l);
        let r = &mut self.rng;
        let word = *r.pick(lg.company_words);
        let base = if r.chance(0.6) {
            format!("{word} {}", r.pick(lg.sectors))
        } else {
            word.to_owned()
        };
        let domain = format!(
            "{}.{}",
            ascii(&base),
            if r.chance(0.3) { "com" } else { lg.tld }
        );
        Firm {
            lang: l,
            base,
            legal: lg.legal[r.below(lg.legal.len() as u32) as usize],
            domain,
            city: r.below(lg.cities.len() as u32) as usize,
        }
    }

    fn pick_firm(&mut self, l: usize) -> usize {
        loop {
            let i = self.rng.skewed(self.firms.len());
            if self.firms[i].lang == l || self.rng.chance(0.15) {
                return i;
            }
        }
    }

    fn new_human(&mut self, l: usize, firm: Option<usize>) -> Human {
        let lg = lang(l);
        let firm = firm.unwrap_or_else(|| self.pick_firm(l));
        let r = &mut self.rng;
        let given = lg.given[r.skewed(lg.given.len())].to_owned();
        let middle_p = if lg.code == "pt" { 0.35 } else { 0.2 };
        let middle = r
            .chance(middle_p)
            .then(|| lg.given[r.skewed(lg.given.len())].to_owned())
            .filter(|m| *m != given);
        let mut surnames = vec![surname(r, lg)];
        if lg.code == "pt" && r.chance(0.6) {
            surnames.insert(0, surname(r, lg));
            surnames.dedup();
        }
        let same_lang = self.firms[firm].lang == l;
        let city = if same_lang && r.chance(0.8) {
            self.firms[firm].city
        } else {
            r.below(lg.cities.len() as u32) as usize
        };
        let mut h = Human {
            lang: l,
            given,
            middle,
            surnames,
            firm,
            title: 0,
            city,
            phone: None,
            work_email: String::new(),
            personal_email: String::new(),
            slug: String::new(),
        };
        self.fill_contact(&mut h);
        h
    }

    fn fill_contact(&mut self, h: &mut Human) {
        let lg = lang(h.lang);
        h.title = self.rng.below(lg.titles.len() as u32) as usize;
        h.phone = self
            .rng
            .chance(0.7)
            .then(|| phone(&mut self.rng, lg.cities[h.city].1));
        h.work_email = self.work_email(h);
        h.personal_email = self.personal_email(h);
        let (g, s) = (
            ascii(&h.given),
            ascii(h.surnames.last().unwrap_or(&String::new())),
        );
        h.slug = match self.rng.below(3) {
            0 => format!("{g}-{s}"),
            1 => format!("{g}{s}{}", self.rng.below(100)),
            _ => format!("{g}-{s}-{:x}", self.rng.next_u64() & 0xffff_ffff),
        };
        if self.rng.chance(0.1) {
            h.slug = format!(
                "{}-{}",
                h.given.to_lowercase().replace(' ', "-"),
                h.surnames.join("-").to_lowercase().replace(' ', "-")
            );
        }
        while !self.slugs.insert(h.slug.clone()) {
            h.slug = format!("{}-{}", h.slug, self.rng.below(1000));
        }
    }

    fn work_email(&mut self, h: &Human) -> String {
        let (g, s) = (
            ascii(&h.given),
            ascii(h.surnames.last().unwrap_or(&String::new())),
        );
        let local = match self.rng.below(5) {
            0 | 1 => format!("{g}.{s}"),
            2 => format!("{}{s}", &g[..1.min(g.len())]),
            3 => format!("{g}_{s}"),
            _ => g.clone(),
        };
        format!("{local}@{}", self.firms[h.firm].domain)
    }

    fn personal_email(&mut self, h: &Human) -> String {
        let (g, s) = (
            ascii(&h.given),
            ascii(h.surnames.last().unwrap_or(&String::new())),
        );
        let provider = match lang(h.lang).code {
            "fr" => *self.rng.pick(&[
                "gmail.com",
                "orange.fr",
                "free.fr",
                "hotmail.fr",
                "laposte.net",
            ]),
            "de" => *self
                .rng
                .pick(&["gmail.com", "gmx.de", "web.de", "t-online.de"]),
            "pt" => *self.rng.pick(&[
                "gmail.com",
                "hotmail.com",
                "uol.com.br",
                "bol.com.br",
                "sapo.pt",
            ]),
            _ => *self
                .rng
                .pick(&["gmail.com", "yahoo.com", "outlook.com", "icloud.com"]),
        };
        format!("{g}.{s}{}@{provider}", self.rng.below(90) + 10)
    }
}

/// A common surname from the list, or (40%) a rarer one from the long tail.
fn surname(r: &mut Rng, lg: &Lang) -> String {
    if r.chance(0.6) {
        lg.surnames[r.skewed(lg.surnames.len())].to_owned()
    } else {
        format!("{}{}", r.pick(lg.rare_stems), r.pick(lg.rare_ends))
    }
}

/// A phone number as (national format, international format) for a country.
fn phone(r: &mut Rng, country: &str) -> (String, String) {
    let n = |r: &mut Rng, k: u32| r.below(10u32.pow(k));
    match country {
        "US" | "CA" => {
            let (a, b, c) = (r.below(800) + 200, r.below(800) + 200, n(r, 4));
            (format!("({a}) {b}-{c:04}"), format!("+1 {a}-{b}-{c:04}"))
        }
        "GB" => {
            let (a, b) = (n(r, 4), n(r, 4));
            (
                format!("020 {a:04} {b:04}"),
                format!("+44 20 {a:04} {b:04}"),
            )
        }
        "IE" => {
            let (a, b) = (n(r, 3), n(r, 4));
            (format!("01 {a:03} {b:04}"), format!("+353 1 {a:03} {b:04}"))
        }
        "FR" => {
            let d: Vec<u32> = (0..4).map(|_| n(r, 2)).collect();
            let lead = *r.pick(&[1, 6, 7]);
            (
                format!("0{lead} {:02} {:02} {:02} {:02}", d[0], d[1], d[2], d[3]),
                format!("+33 {lead} {:02} {:02} {:02} {:02}", d[0], d[1], d[2], d[3]),
            )
        }
        "BE" | "CH" | "AT" => {
            let cc = match country {
                "BE" => "32",
                "CH" => "41",
                _ => "43",
            };
            let (a, b, c) = (r.below(80) + 20, n(r, 3), n(r, 4));
            (
                format!("0{a} {b:03} {c:04}"),
                format!("+{cc} {a} {b:03} {c:04}"),
            )
        }
        "DE" => {
            let area = *r.pick(&["30", "40", "89", "221", "69", "711", "211", "151"]);
            let sub = r.below(9_000_000) + 1_000_000;
            (format!("0{area} {sub}"), format!("+49 {area} {sub}"))
        }
        "PT" => {
            let (a, b) = (n(r, 3), n(r, 4));
            (
                format!("21 {a:03} {b:04}"),
                format!("+351 21 {a:03} {b:04}"),
            )
        }
        _ => {
            let ddd = *r.pick(&[11, 21, 31, 41, 51, 61, 71, 81]);
            let (a, b) = (n(r, 4), n(r, 4));
            (
                format!("({ddd}) 9{a:04}-{b:04}"),
                format!("+55 {ddd} 9{a:04}-{b:04}"),
            )
        }
    }
}

fn opt(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// A one-letter typo: substitution, deletion, transposition or insertion.
fn typo(r: &mut Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 4 {
        return s.to_owned();
    }
    let i = 1 + r.below(c.len() as u32 - 2) as usize;
    match r.below(4) {
        0 => c[i] = *r.pick(&['a', 'e', 'i', 'n', 'r', 's', 't']),
        1 => {
            c.remove(i);
        }
        2 => c.swap(i, i + 1),
        _ => c.insert(i, c[i]),
    }
    c.into_iter().collect()
}

fn country_text(r: &mut Rng, l: &Lang, iso: &str) -> String {
    let names = l
        .countries
        .iter()
        .find(|(c, _)| *c == iso)
        .map_or(&[][..], |(_, n)| *n);
    if names.is_empty() {
        iso.to_owned()
    } else {
        (*r.pick(names)).to_owned()
    }
}

/// The CRM's view of a person: split name fields, sometimes legacy-imported.
fn record(w: &mut World, h: &Human, id: String) -> Person {
    let lg = lang(h.lang);
    let r = &mut w.rng;
    let firm = &w.firms[h.firm];
    let mut first = h.given.clone();
    if let Some(m) = h.middle.as_ref().filter(|_| r.chance(0.3)) {
        first = format!("{first} {m}");
    }
    let mut last = h.surnames.join(" ");
    if r.chance(0.15) {
        first = strip_accents(&first);
        last = strip_accents(&last);
    }
    if r.chance(0.04) {
        last = last.to_uppercase();
    }
    if r.chance(0.03) {
        last = typo(r, &last);
    }
    let (city, iso, _) = lg.cities[h.city];
    let company = if r.chance(0.6) {
        format!("{} {}", firm.base, firm.legal)
    } else {
        firm.base.clone()
    };
    Person {
        id,
        first_name: r.chance(0.98).then_some(first),
        last_name: Some(last),
        full_name: None,
        email: r.chance(0.8).then(|| {
            if r.chance(0.75) {
                h.work_email.clone()
            } else {
                h.personal_email.clone()
            }
        }),
        company: r.chance(0.95).then_some(company),
        title: r.chance(0.75).then(|| lg.titles[h.title].0.to_owned()),
        city: r.chance(0.85).then(|| city.to_owned()),
        country: if r.chance(0.8) {
            Some(country_text(r, lg, iso))
        } else {
            None
        },
        phone: h.phone.as_ref().filter(|_| r.chance(0.85)).map(|p| {
            if r.chance(0.6) {
                p.0.clone()
            } else {
                p.1.clone()
            }
        }),
        profile_url: r
            .chance(0.12)
            .then(|| format!("http://linkedin.com/in/{}", h.slug)),
    }
}

fn render_name(r: &mut Rng, h: &Human, p: &mut Person) {
    let lg = lang(h.lang);
    let mut given = h.given.clone();
    if r.chance(0.15) {
        let nicks: Vec<&str> = lg
            .nicknames
            .iter()
            .filter(|(f, _)| *f == given)
            .map(|(_, n)| *n)
            .collect();
        if !nicks.is_empty() {
            given = (*r.pick(&nicks)).to_owned();
        }
    }
    let mut surnames = h.surnames.clone();
    if surnames.len() > 1 {
        match r.below(100) {
            0..35 => surnames.remove(0),
            35..50 => surnames.remove(1),
            _ => String::new(),
        };
    }
    let mut last = surnames.join(" ");
    if r.chance(0.06) {
        if r.chance(0.6) {
            last = typo(r, &last);
        } else {
            given = typo(r, &given);
        }
    }
    let middle = match &h.middle {
        Some(m) if r.chance(0.4) => Some(format!("{}.", m.chars().next().unwrap_or('X'))),
        Some(m) if r.chance(0.5) => Some(m.clone()),
        _ => None,
    };
    if r.chance(0.25) {
        given = strip_accents(&given);
        last = strip_accents(&last);
    }
    let extra = r
        .chance(0.06)
        .then(|| *r.pick(&["MBA", "PhD", "CPA", "Jr.", "III", "M.Sc.", "PMP"]));
    let prefix = r.chance(0.03).then(|| *r.pick(&["Dr.", "Prof.", "Dra."]));
    let first_full = match &middle {
        Some(m) => format!("{given} {m}"),
        None => given.clone(),
    };
    match r.below(100) {
        0..55 => {
            let mut s = format!("{first_full} {last}");
            if let Some(pf) = prefix {
                s = format!("{pf} {s}");
            }
            if let Some(x) = extra {
                s = format!("{s}, {x}");
            }
            p.full_name = Some(s);
        }
        55..60 => p.full_name = Some(format!("{last}, {first_full}")),
        60..64 => p.full_name = Some(format!("{} {first_full}", last.to_uppercase())),
        64..68 => p.full_name = Some(format!("{first_full} {last}").to_uppercase()),
        _ => {
            p.first_name = Some(first_full);
            p.last_name = Some(match extra {
                Some(x) => format!("{last} {x}"),
                None => last,
            });
        }
    }
}

/// The profile page's view of a person.
fn profile(w: &mut World, h: &Human, id: String) -> Person {
    let lg = lang(h.lang);
    let mut p = Person {
        id,
        ..Person::default()
    };
    render_name(&mut w.rng, h, &mut p);
    let r = &mut w.rng;
    let firm = &w.firms[h.firm];
    if r.chance(0.25) {
        p.email = Some(if r.chance(0.6) {
            let e = h.personal_email.clone();
            if r.chance(0.4) {
                e.replacen('@', "+network@", 1)
            } else {
                e
            }
        } else {
            h.work_email.to_uppercase()
        });
    }
    p.phone = h
        .phone
        .as_ref()
        .filter(|_| r.chance(0.15))
        .map(|ph| ph.1.clone());
    p.company = r.chance(0.9).then(|| match r.below(10) {
        0..4 => firm.base.clone(),
        4..6 => format!("{} {}", firm.base, firm.legal),
        6 => firm.base.to_uppercase(),
        7 => firm.domain.clone(),
        8 => format!("{}, {}", firm.base, r.pick(lg.legal)),
        _ => strip_accents(&firm.base),
    });
    // The headline and location are near-mandatory on a profile page.
    p.title = r.chance(0.9).then(|| lg.titles[h.title].1.to_owned());
    let (city, iso, others) = lg.cities[h.city];
    p.city = r.chance(0.92).then(|| {
        if !others.is_empty() && r.chance(0.4) {
            (*r.pick(others)).to_owned()
        } else {
            city.to_owned()
        }
    });
    p.country = r.chance(0.95).then(|| country_text(r, lg, iso));
    let sub = *r.pick(&["www", "www", "br", "fr", "de", "uk", "pt", "ch"]);
    let slug = if h.slug.is_ascii() {
        h.slug.clone()
    } else {
        percent_encode(&h.slug)
    };
    let query = if r.chance(0.3) {
        "?originalSubdomain=x&trk=public_profile"
    } else {
        ""
    };
    p.profile_url = Some(format!("https://{sub}.linkedin.com/in/{slug}/{query}"));
    p
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A person whose job changed since the CRM was updated.
fn job_change(w: &mut World, h: &Human) -> Human {
    let mut moved = h.clone();
    moved.firm = w.pick_firm(h.lang);
    let lg = lang(h.lang);
    moved.title = w.rng.below(lg.titles.len() as u32) as usize;
    if w.rng.chance(0.25) && w.firms[moved.firm].lang == h.lang {
        moved.city = w.firms[moved.firm].city;
    }
    moved.work_email = w.work_email(&moved);
    if w.rng.chance(0.5) {
        moved.phone = w
            .rng
            .chance(0.7)
            .then(|| phone(&mut w.rng, lg.cities[moved.city].1));
    }
    moved
}

fn record_id(r: &mut Rng, prefix: &str) -> String {
    format!("{prefix}{:015X}", r.next_u64() >> 4)
}

/// CRM records only (for index benchmarks).
pub fn records(seed: u64, n: usize) -> Vec<Person> {
    generate(seed, n, 0).records
}

/// `n_records` CRM records and `n_profiles` profiles, 75% of which have a record.
pub fn generate(seed: u64, n_records: usize, n_profiles: usize) -> Dataset {
    generate_with(seed, n_records, n_profiles, NAMESAKES)
}

/// Share of profiles without a record that are exact namesakes of a CRM person.
/// Real namesake rates are a few percent (two random people rarely share a
/// full name); 20% keeps them a hard, frequent case. Colleagues take another 40%.
pub const NAMESAKES: u32 = 20;

/// Like [`generate`], with `namesakes` percent of record-less profiles namesakes.
pub fn generate_with(seed: u64, n_records: usize, n_profiles: usize, namesakes: u32) -> Dataset {
    let mut w = World::new(seed, (n_records / 6).max(4));
    let mut humans: Vec<Human> = Vec::with_capacity(n_records);
    for _ in 0..n_records {
        let l = w.pick_lang();
        let mut h = w.new_human(l, None);
        if !humans.is_empty() && w.rng.chance(0.02) {
            // A namesake already in the CRM: same name, different person.
            let other = humans[w.rng.below(humans.len() as u32) as usize].clone();
            h = World::new_human(&mut w, other.lang, None);
            h.given = other.given.clone();
            h.surnames = other.surnames.clone();
            w.fill_contact(&mut h);
        }
        humans.push(h);
    }
    let mut records = Vec::with_capacity(n_records);
    for h in &humans {
        let id = record_id(&mut w.rng, "003");
        records.push(record(&mut w, h, id));
    }
    let mut profiles = Vec::with_capacity(n_profiles);
    let mut truth = Vec::new();
    let mut kinds = std::collections::HashMap::new();
    let mut order: Vec<usize> = (0..humans.len()).collect();
    shuffle(&mut w.rng, &mut order);
    let with_record = n_profiles * 3 / 4;
    for (k, &i) in order.iter().cycle().take(n_profiles).enumerate() {
        let id = format!("p{:05}", k);
        if k < with_record {
            let moved = w.rng.chance(0.12);
            let h = if moved {
                job_change(&mut w, &humans[i])
            } else {
                humans[i].clone()
            };
            kinds.insert(id.clone(), if moved { "moved" } else { "match" });
            profiles.push(profile(&mut w, &h, id.clone()));
            truth.push((id, records[i].id.clone()));
        } else {
            let (kind, stranger) = stranger(&mut w, &humans[i], namesakes);
            kinds.insert(id.clone(), kind);
            profiles.push(profile(&mut w, &stranger, id));
        }
    }
    shuffle(&mut w.rng, &mut profiles);
    shuffle(&mut w.rng, &mut records);
    Dataset {
        records,
        profiles,
        truth,
        kinds,
    }
}

/// Someone with no CRM record: a namesake of, a colleague of, or unrelated to `h`.
fn stranger(w: &mut World, h: &Human, namesakes: u32) -> (&'static str, Human) {
    match w.rng.below(100) {
        x if x < namesakes => {
            let mut s = w.new_human(h.lang, None);
            s.given = h.given.clone();
            s.surnames = h.surnames.clone();
            w.fill_contact(&mut s);
            ("namesake", s)
        }
        x if x < namesakes + 40 => {
            let mut s = w.new_human(h.lang, Some(h.firm));
            if w.rng.chance(0.05) {
                s.surnames = h.surnames.clone();
                w.fill_contact(&mut s);
            }
            ("colleague", s)
        }
        _ => {
            let l = w.pick_lang();
            let firm = w.new_firm(l);
            w.firms.push(firm);
            let f = w.firms.len() - 1;
            let own = w.rng.chance(0.5);
            ("stranger", w.new_human(l, own.then_some(f)))
        }
    }
}

fn shuffle<T>(r: &mut Rng, xs: &mut [T]) {
    for i in (1..xs.len()).rev() {
        let j = r.below(i as u32 + 1) as usize;
        xs.swap(i, j);
    }
}

// ---- CSV ----

pub const RECORD_COLUMNS: &[&str] = &[
    "id",
    "first_name",
    "last_name",
    "email",
    "company",
    "title",
    "city",
    "country",
    "phone",
    "profile_url",
];
pub const PROFILE_COLUMNS: &[&str] = &[
    "id",
    "full_name",
    "first_name",
    "last_name",
    "email",
    "company",
    "title",
    "city",
    "country",
    "phone",
    "profile_url",
];

fn cell(p: &Person, col: &str) -> String {
    let v = match col {
        "id" => Some(&p.id),
        "first_name" => p.first_name.as_ref(),
        "last_name" => p.last_name.as_ref(),
        "full_name" => p.full_name.as_ref(),
        "email" => p.email.as_ref(),
        "company" => p.company.as_ref(),
        "title" => p.title.as_ref(),
        "city" => p.city.as_ref(),
        "country" => p.country.as_ref(),
        "phone" => p.phone.as_ref(),
        _ => p.profile_url.as_ref(),
    };
    quote(v.map_or("", String::as_str))
}

pub fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

pub fn to_csv(people: &[Person], columns: &[&str]) -> String {
    let mut out = columns.join(",");
    out.push('\n');
    for p in people {
        out.push_str(
            &columns
                .iter()
                .map(|c| cell(p, c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

pub fn truth_csv(truth: &[(String, String)]) -> String {
    let mut out = String::from("profile_id,record_id\n");
    for (p, r) in truth {
        out.push_str(&format!("{p},{r}\n"));
    }
    out
}

/// Parses `truth_csv` output.
pub fn parse_truth(s: &str) -> Vec<(String, String)> {
    s.lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .map(|(p, r)| (p.to_owned(), r.to_owned()))
        .collect()
}

/// Precision, recall and F1 of predicted pairs against the truth.
pub fn f1(predicted: &[(String, String)], truth: &[(String, String)]) -> (f64, f64, f64) {
    let truth: std::collections::HashSet<&(String, String)> = truth.iter().collect();
    let tp = predicted.iter().filter(|p| truth.contains(p)).count() as f64;
    let precision = if predicted.is_empty() {
        0.0
    } else {
        tp / predicted.len() as f64
    };
    let recall = if truth.is_empty() {
        0.0
    } else {
        tp / truth.len() as f64
    };
    let f1 = if tp == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}
