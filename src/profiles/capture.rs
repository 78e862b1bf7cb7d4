//! A profile from the public structured data of a network profile page: JSON-LD `Person`
//! first, then OpenGraph, then the page title. The content script only collects these
//! strings (its selectors live in one file); all interpretation happens here. Whose profile it
//! is comes from the page's URL as the browser reports the sender's tab, never from the page's
//! own data: a page's script can write any JSON-LD it likes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{finish, non_empty, Origin, Profile};
use crate::matching::Person;

/// What the content script read from the page, as plain strings (its URL is not among
/// them: the browser tells the background which page the sender's tab shows).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageData {
    pub canonical_url: Option<String>,
    pub title: String,
    /// `(property, content)` of `<meta property="og:…">` tags.
    pub open_graph: Vec<(String, String)>,
    /// Text of each `<script type="application/ld+json">`.
    pub json_ld: Vec<String>,
}

impl PageData {
    /// Bytes of text the page's data carries (what a message's size limit counts).
    pub fn text_len(&self) -> usize {
        let pairs = self.open_graph.iter().map(|(p, c)| p.len() + c.len());
        let scripts = self.json_ld.iter().map(String::len);
        self.canonical_url.as_ref().map_or(0, String::len)
            + self.title.len()
            + pairs.sum::<usize>()
            + scripts.sum::<usize>()
    }
}

/// The profile the member page at `page_url` shows, keyed by that URL; `None` for any other
/// page, a page that names nobody, or one whose data names another member (still rendering
/// the last one, or not telling the truth).
pub fn from_page(page_url: &str, page: &PageData) -> Option<Profile> {
    let member_url = crate::page::network_profile_url(page_url)?;
    if names_another_member(&member_url, page) {
        return None;
    }
    let mut person = page
        .json_ld
        .iter()
        .filter_map(|text| serde_json::from_str::<Value>(text).ok())
        .find_map(|json| find_person(&json).map(from_json_ld))
        .unwrap_or_default();
    let og = |name: &str| {
        page.open_graph
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| non_empty(v))
    };
    // Without a JSON-LD Person or OpenGraph tags the page is not a profile (an error page, a
    // sign-in wall): its title would name "Page not found", not a person.
    let structured = person.full_name.is_some() || person.first_name.is_some();
    if !structured && page.open_graph.is_empty() {
        return None;
    }
    if !structured {
        let heading = og("og:title").unwrap_or_else(|| page.title.clone());
        let (name, title, company) = split_heading(&heading);
        person.full_name = name;
        person.title = person.title.or(title);
        person.company = person.company.or(company);
    }
    person.first_name = person.first_name.or_else(|| og("profile:first_name"));
    person.last_name = person.last_name.or_else(|| og("profile:last_name"));
    person.profile_url = Some(member_url);
    let profile = Profile {
        person,
        origin: Origin::PageCapture,
        connected_on: None,
    };
    finish(vec![(1, profile)], Vec::new())
        .profiles
        .into_iter()
        .next()
}

/// Whether the page's own links to itself (canonical link, `og:url`, the JSON-LD Person's
/// `url`) name another member than its URL does.
fn names_another_member(member_url: &str, page: &PageData) -> bool {
    let key = super::key_of_url(member_url);
    let person_url = page
        .json_ld
        .iter()
        .filter_map(|text| serde_json::from_str::<Value>(text).ok())
        .find_map(|json| find_person(&json).and_then(|p| text(p.get("url"))));
    let og_url = page
        .open_graph
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case("og:url"))
        .map(|(_, v)| v.clone());
    [page.canonical_url.clone(), og_url, person_url]
        .into_iter()
        .flatten()
        .filter_map(|url| super::key_of_url(&url))
        .any(|named| Some(named) != key)
}

/// A `Person` node: the document itself, an element of an array, or inside `@graph`.
fn find_person(json: &Value) -> Option<&Value> {
    match json {
        Value::Array(items) => items.iter().find_map(find_person),
        Value::Object(map) => {
            let is_person = match map.get("@type") {
                Some(Value::String(t)) => t == "Person",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "Person"),
                _ => false,
            };
            if is_person {
                Some(json)
            } else {
                map.get("@graph").and_then(find_person)
            }
        }
        _ => None,
    }
}

/// A JSON-LD value as text: a string, the first usable element of an array, or a node's name.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => non_empty(s),
        Value::Array(items) => items.iter().find_map(|i| text(Some(i))),
        Value::Object(o) => text(o.get("name")),
        _ => None,
    }
}

fn from_json_ld(node: &Value) -> Person {
    let address = node.get("address");
    let address = address.and_then(|a| if a.is_array() { a.get(0) } else { Some(a) });
    Person {
        full_name: text(node.get("name")),
        first_name: text(node.get("givenName")),
        last_name: text(node.get("familyName")),
        title: text(node.get("jobTitle")),
        company: text(node.get("worksFor")),
        email: text(node.get("email")).map(|e| e.trim_start_matches("mailto:").to_string()),
        city: text(address.and_then(|a| a.get("addressLocality"))),
        country: text(address.and_then(|a| a.get("addressCountry"))),
        ..Person::default()
    }
}

/// "Name - Title - Company | Network" (or fewer parts) → (name, title, company).
fn split_heading(heading: &str) -> (Option<String>, Option<String>, Option<String>) {
    let main = heading.rsplit_once(" | ").map_or(heading, |(m, _)| m);
    let mut parts = main.split(" - ").map(non_empty);
    let name = parts.next().flatten();
    let (title, company) = (parts.next().flatten(), parts.next().flatten());
    (name, title, company)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_person_in_a_graph_wins() {
        let page = PageData {
            title: "ignored | Network".into(),
            json_ld: vec![
                "{not json".into(),
                r#"{"@context":"http://schema.org","@graph":[{"@type":"WebPage"},{"@type":"Person","name":"João da Silva","jobTitle":["Diretor Comercial"],"worksFor":[{"@type":"Organization","name":"Construtora São João Ltda"}],"address":{"@type":"PostalAddress","addressLocality":"São Paulo","addressCountry":"BR"},"url":"https://br.linkedin.com/in/joao-da-silva"}]}"#.into(),
            ],
            ..PageData::default()
        };
        let person = from_page("https://br.linkedin.com/in/joao-da-silva?trk=x", &page)
            .unwrap()
            .person;
        assert_eq!(person.full_name.as_deref(), Some("João da Silva"));
        assert_eq!(person.title.as_deref(), Some("Diretor Comercial"));
        assert_eq!(person.company.as_deref(), Some("Construtora São João Ltda"));
        assert_eq!(person.city.as_deref(), Some("São Paulo"));
        assert_eq!(person.country.as_deref(), Some("BR"));
        assert_eq!(person.id, "url:in/joao-da-silva");
        assert_eq!(
            person.profile_url.as_deref(),
            Some("https://br.linkedin.com/in/joao-da-silva/")
        );
    }

    #[test]
    fn the_pages_url_keys_the_profile_whatever_its_data_claims() {
        let claims = |url: &str| PageData {
            json_ld: vec![format!(
                r#"{{"@type":"Person","name":"Mallory","url":"{url}"}}"#
            )],
            ..PageData::default()
        };
        let ada = "https://www.linkedin.com/in/ada-lovelace/";
        // Data naming another member, or a page off the network: nothing is captured.
        assert_eq!(
            from_page(ada, &claims("https://www.linkedin.com/in/bob")),
            None
        );
        let canonical_elsewhere = PageData {
            canonical_url: Some("https://www.linkedin.com/in/bob".into()),
            ..claims(ada)
        };
        assert_eq!(from_page(ada, &canonical_elsewhere), None);
        for page_url in [
            "https://evil.example/in/ada-lovelace",
            "https://www.linkedin.com/feed/",
            "",
        ] {
            assert_eq!(from_page(page_url, &claims(page_url)), None, "{page_url}");
        }
        // A JSON-LD url that is no member page names nobody else; the key is the page's.
        let person = from_page(ada, &claims("https://evil.example/x"))
            .unwrap()
            .person;
        assert_eq!(person.id, "url:in/ada-lovelace");
        assert_eq!(person.profile_url.as_deref(), Some(ada));
    }

    #[test]
    fn open_graph_title_when_there_is_no_json_ld() {
        let page = PageData {
            open_graph: vec![(
                "og:title".into(),
                "Ada Lovelace - CTO - Acme | LinkedIn".into(),
            )],
            ..PageData::default()
        };
        let person = from_page("https://www.linkedin.com/in/ada-lovelace/", &page)
            .unwrap()
            .person;
        assert_eq!(person.full_name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(person.title.as_deref(), Some("CTO"));
        assert_eq!(person.company.as_deref(), Some("Acme"));
    }

    #[test]
    fn page_title_is_the_last_resort_and_an_empty_page_gives_nothing() {
        let page = PageData {
            title: "Grace Hopper | LinkedIn".into(),
            open_graph: vec![("og:type".into(), "profile".into())],
            ..PageData::default()
        };
        assert_eq!(
            from_page("https://www.linkedin.com/in/grace/", &page)
                .unwrap()
                .person
                .full_name
                .as_deref(),
            Some("Grace Hopper")
        );
        let not_found = PageData {
            title: "Page not found | LinkedIn".into(),
            ..PageData::default()
        };
        assert_eq!(
            from_page("https://www.linkedin.com/in/nobody-at-all", &not_found),
            None,
            "an error page names nobody"
        );
    }
}
