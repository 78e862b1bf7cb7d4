//! A person reduced to normalised, comparable features (computed once per record).

use serde::{Deserialize, Serialize};

use super::names::{self, NameParts};
use super::text::non_empty;
use super::types::Person;
use super::{company, email, geo, hash, nicknames, phone, phonetic, profile_url, title};

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Features {
    pub name: NameParts,
    /// Nickname groups of the principal given name.
    pub first_groups: Vec<u16>,
    /// Hashed phonetic key of the principal given name (0 if none).
    pub first_phon: u32,
    /// Hashed phonetic keys of the surname parts.
    pub surname_phon: Vec<u32>,
    /// Hashed phonetic keys of every given name, and nickname groups of the
    /// first surname part: both for swapped-order comparison.
    pub given_phon: Vec<u32>,
    pub surname_groups: Vec<u16>,
    pub email: Option<email::Email>,
    pub phone: Option<phone::Phone>,
    pub url: Option<String>,
    pub company: Option<String>,
    /// The company key without spaces, for comparison with domains.
    pub company_compact: Option<String>,
    pub title: Vec<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// Leads often lack a given name but have "first.last@…": take the given name
/// from the address when its other half is the surname (or there is none).
fn fill_from_email(name: &mut NameParts, raw: Option<&str>) {
    // The raw address: normalised Gmail addresses have lost their dots.
    let Some((local, _)) = raw.and_then(|r| r.split_once('@')) else {
        return;
    };
    let local = local.split('+').next().unwrap_or(local);
    let parts: Vec<&str> = local.split(['.', '_', '-']).collect();
    let [first, last] = parts.as_slice() else {
        return;
    };
    let last = last.trim_end_matches(|c: char| c.is_ascii_digit());
    let (first, last) = (super::text::fold(first), super::text::fold(last));
    if first.len() < 2 || last.len() < 2 || first.contains(' ') || last.contains(' ') {
        return;
    }
    if name.surnames.is_empty() {
        name.surnames.push(last);
    } else if !name.surnames.contains(&last) {
        return;
    }
    name.given.push(first);
}

impl Features {
    pub fn of(p: &Person) -> Features {
        fn get(f: &Option<String>) -> Option<&str> {
            non_empty(f.as_deref())
        }
        let email = get(&p.email).and_then(email::parse);
        let mut name = names::parse(get(&p.first_name), get(&p.last_name), get(&p.full_name));
        if name.given.is_empty() {
            fill_from_email(&mut name, get(&p.email));
        }
        let country = get(&p.country).map(|c| {
            geo::country_code(c)
                .map(str::to_owned)
                .unwrap_or_else(|| super::text::fold(c))
        });
        let first = name.first().unwrap_or("");
        let company = get(&p.company).map(company::key).filter(|k| !k.is_empty());
        Features {
            first_groups: nicknames::groups(first),
            first_phon: hash::small(&phonetic::key(first)),
            surname_phon: name
                .surnames
                .iter()
                .map(|s| hash::small(&phonetic::key(s)))
                .collect(),
            given_phon: name
                .given
                .iter()
                .map(|s| hash::small(&phonetic::key(s)))
                .collect(),
            surname_groups: name
                .surnames
                .first()
                .map(|s| nicknames::groups(s))
                .unwrap_or_default(),
            name,
            email,
            phone: get(&p.phone).and_then(|ph| phone::parse(ph, country.as_deref())),
            url: get(&p.profile_url).and_then(profile_url::key),
            company_compact: company.as_deref().map(company::compact),
            company,
            title: get(&p.title).map(title::tokens).unwrap_or_default(),
            city: get(&p.city).map(geo::city_key).filter(|c| !c.is_empty()),
            country: country.filter(|c| !c.is_empty()),
        }
    }

    /// Company evidence: the compact company key, else the employer's e-mail domain.
    pub fn company_or_domain(&self) -> Option<&str> {
        self.company_compact
            .as_deref()
            .or_else(|| self.email.as_ref()?.company_root.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_every_field() {
        let p = Person {
            id: "1".into(),
            full_name: Some("Dr. José da Silva".into()),
            email: Some("Jose.Silva+x@Acme.com.br".into()),
            company: Some("ACME Ltda.".into()),
            title: Some("Sr. Engineer".into()),
            city: Some("São Paulo".into()),
            country: Some("Brasil".into()),
            phone: Some("(11) 98765-4321".into()),
            profile_url: Some("br.example.com/in/jose-silva/".into()),
            ..Person::default()
        };
        let f = Features::of(&p);
        assert_eq!(f.name.given, vec!["jose"]);
        assert!(f.name.surnames.contains(&"silva".to_string()));
        assert!(!f.first_groups.is_empty());
        assert_eq!(
            f.email.as_ref().unwrap().address(),
            "jose.silva@acme.com.br"
        );
        assert_eq!(f.phone.as_ref().unwrap().digits, "5511987654321");
        assert_eq!(f.url.as_deref(), Some("in/jose-silva"));
        assert_eq!(f.company.as_deref(), Some("acme"));
        assert_eq!(f.title, vec!["engineer", "senior"]);
        assert_eq!(f.city.as_deref(), Some("sao paulo"));
        assert_eq!(f.country.as_deref(), Some("BR"));
    }

    #[test]
    fn given_name_from_the_address() {
        let p = |last: Option<&str>, email: &str| Person {
            id: "x".into(),
            last_name: last.map(str::to_owned),
            email: Some(email.into()),
            ..Person::default()
        };
        assert_eq!(
            Features::of(&p(Some("Müller"), "markus.muller42@gmail.com"))
                .name
                .given,
            vec!["markus"]
        );
        let f = Features::of(&p(None, "ana_lima@x.com.br"));
        assert_eq!(
            (f.name.given, f.name.surnames),
            (vec!["ana".to_string()], vec!["lima".to_string()])
        );
        assert!(Features::of(&p(Some("Weber"), "markus.muller@x.de"))
            .name
            .given
            .is_empty());
        assert!(Features::of(&p(Some("Weber"), "mweber@x.de"))
            .name
            .given
            .is_empty());
    }

    #[test]
    fn empty_person_has_no_features() {
        let f = Features::of(&Person {
            id: "x".into(),
            email: Some("  ".into()),
            ..Person::default()
        });
        assert!(f.name.is_empty() && f.email.is_none() && f.company.is_none());
    }
}
