//! The professional network's public profile pages (`*.linkedin.com/in/<slug>`), made from
//! the Salesforce demo contacts, with the structured data real pages carry: JSON-LD `Person`,
//! OpenGraph and a title. Used to test profile capture and the "In CRM" badge.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use unicode_normalization::UnicodeNormalization;

use crate::html::escape;
use crate::state::db::{Crm, Fields};
use crate::state::Emulator;

const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'";

pub fn router(state: Arc<Emulator>) -> Router {
    Router::new()
        .route("/", get(directory))
        .route("/in/{slug}", get(profile))
        .route("/in/{slug}/", get(profile))
        .with_state(state)
}

/// `João da Silva` → `joao-da-silva`: the member URL slug of a seeded person.
pub fn slug(first: &str, last: &str) -> String {
    format!("{first} {last}")
        .nfd()
        .filter(|c| c.is_ascii())
        .collect::<String>()
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn text<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).and_then(Value::as_str).unwrap_or_default()
}

fn people(emu: &Emulator) -> Vec<(String, Fields)> {
    let contacts = emu
        .db()
        .list(Crm::Salesforce, "Contact")
        .unwrap_or_default();
    contacts
        .into_iter()
        .map(|(_, f)| (slug(text(&f, "FirstName"), text(&f, "LastName")), f))
        .collect()
}

fn page(title: &str, head: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>{head}</head><body>{body}</body></html>",
        escape(title)
    );
    (
        [
            ("content-type", "text/html; charset=utf-8"),
            ("content-security-policy", CSP),
        ],
        html,
    )
        .into_response()
}

async fn directory(State(emu): State<Arc<Emulator>>) -> Response {
    let items: String = people(&emu)
        .iter()
        .take(50)
        .map(|(slug, f)| {
            format!(
                "<li><a href=\"/in/{slug}\">{}</a></li>",
                escape(text(f, "Name"))
            )
        })
        .collect();
    page("Network", "", &format!("<h1>People</h1><ul>{items}</ul>"))
}

async fn profile(State(emu): State<Arc<Emulator>>, Path(slug): Path<String>) -> Response {
    let Some((slug, f)) = people(&emu).into_iter().find(|(s, _)| *s == slug) else {
        let body = "<h1>This page doesn't exist</h1>";
        return (
            StatusCode::NOT_FOUND,
            page("Page not found | LinkedIn", "", body),
        )
            .into_response();
    };
    let account = f
        .get("AccountId")
        .and_then(Value::as_str)
        .and_then(|id| emu.db().get(Crm::Salesforce, "Account", id).ok().flatten());
    let company = account
        .as_ref()
        .map(|a| text(a, "Name").to_string())
        .unwrap_or_default();
    let (name, title) = (text(&f, "Name"), text(&f, "Title"));
    let url = format!("https://www.linkedin.com/in/{slug}");
    let person = json!({
        "@context": "http://schema.org",
        "@graph": [{
            "@type": "Person", "name": name, "jobTitle": [title], "url": url,
            "worksFor": [{"@type": "Organization", "name": company}],
            "address": {"@type": "PostalAddress", "addressLocality": text(&f, "MailingCity"), "addressCountry": text(&f, "MailingCountry")},
        }],
    });
    let heading = format!("{name} - {title} - {company} | LinkedIn");
    // `</` cannot close the script early once escaped as `<\/`.
    let json_ld = person.to_string().replace("</", "<\\/");
    let head = format!(
        "<link rel=\"canonical\" href=\"{url}\"><meta property=\"og:title\" content=\"{}\"><meta property=\"og:url\" content=\"{url}\"><script type=\"application/ld+json\">{json_ld}</script>",
        escape(&heading)
    );
    let body = format!(
        "<main><h1>{}</h1><p>{}</p></main>",
        escape(name),
        escape(&format!("{title} at {company}"))
    );
    page(&heading, &head, &body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_fold_accents_and_separators() {
        assert_eq!(super::slug("João", "da Silva"), "joao-da-silva");
        assert_eq!(super::slug("Anna-Lena", "von Bülow"), "anna-lena-von-bulow");
    }
}
