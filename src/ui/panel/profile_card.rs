//! The matched profile: who, where they work, the match level and why, and the actions on it.

use wasm_bindgen::JsValue;
use web_sys::Element;

use super::{Action, Panel};
use crate::matching::MatchSource;
use crate::page::network_profile_url;
use crate::panel_model::{fact_keys, level_key, percent, Linked};
use crate::profiles::{display_name, Profile};
use crate::ui::dom::{append, element, text_element};

/// The matched profile's card; `correctable`: with "Not this person" and "Unlink".
pub fn render(panel: &Panel, linked: &Linked, correctable: bool) -> Result<Element, JsValue> {
    let doc = &panel.doc;
    let (profile, link) = (&linked.profile, &linked.link);
    let card = element(doc, "section", "profile-card")?;
    let level = text_element(
        doc,
        "p",
        &format!("level level-{:?}", link.level).to_ascii_lowercase(),
        &level_text(panel, linked),
    )?;
    append(&card, &level)?;
    person(panel, &card, profile)?;
    append(
        &card,
        &text_element(doc, "p", "explanation", &sentence(panel, linked))?,
    )?;
    if link.company_changed {
        let warn = text_element(doc, "p", "company-changed", &panel.t("companyChanged"))?;
        warn.set_attribute("role", "note")?;
        append(&card, &warn)?;
    }
    if correctable {
        append(&card, &actions(panel, linked)?)?;
    }
    Ok(card)
}

/// Who the profile is: name, job, place and a link to the profile.
pub fn person(panel: &Panel, card: &Element, profile: &Profile) -> Result<(), JsValue> {
    append(card, &name_line(panel, profile)?)?;
    append(card, &job_line(panel, profile)?)?;
    if let Some(place) = location(profile) {
        append(card, &text_element(&panel.doc, "p", "location", &place)?)?;
    }
    // Only to the network's own member pages: an imported file or a CRM field may hold any URL.
    if let Some(href) = profile
        .person
        .profile_url
        .as_deref()
        .and_then(network_profile_url)
    {
        let a = text_element(&panel.doc, "a", "profile-link", &panel.t("viewProfile"))?;
        new_tab_link(&a, &href)?;
        append(card, &a)?;
    }
    Ok(())
}

/// Makes `a` open `href` (already checked: `safe_link`, `network_profile_url`) in a new tab, without giving
/// that page a handle on ours.
pub fn new_tab_link(a: &Element, href: &str) -> Result<(), JsValue> {
    a.set_attribute("href", href)?;
    a.set_attribute("target", "_blank")?;
    a.set_attribute("rel", "noopener noreferrer")
}

fn level_text(panel: &Panel, linked: &Linked) -> String {
    if linked.link.source == MatchSource::ManualLink {
        return panel.t("manualLinked");
    }
    let confidence = panel.t1("confidence", &percent(linked.link.score).to_string());
    format!("{} · {confidence}", panel.t(level_key(linked.link.level)))
}

/// "Matched on name, company and email." in the user's language.
fn sentence(panel: &Panel, linked: &Linked) -> String {
    if linked.link.source == MatchSource::ManualLink {
        return panel.t("explainManual");
    }
    let facts: Vec<String> = fact_keys(&linked.link.agreed)
        .into_iter()
        .map(|k| panel.t(k))
        .collect();
    let list = match facts.as_slice() {
        [] => return panel.t("explainNone"),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}{}{last}", rest.join(", "), panel.t("listAnd")),
    };
    panel.t1("matchedOn", &list)
}

pub fn name_line(panel: &Panel, profile: &Profile) -> Result<Element, JsValue> {
    text_element(
        &panel.doc,
        "p",
        "profile-name",
        &display_name(&profile.person),
    )
}

pub fn job_line(panel: &Panel, profile: &Profile) -> Result<Element, JsValue> {
    let p = &profile.person;
    let parts: Vec<&str> = [p.title.as_deref(), p.company.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    text_element(&panel.doc, "p", "profile-job", &parts.join(" · "))
}

fn location(profile: &Profile) -> Option<String> {
    let p = &profile.person;
    let parts: Vec<&str> = [p.city.as_deref(), p.country.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn actions(panel: &Panel, linked: &Linked) -> Result<Element, JsValue> {
    let doc = &panel.doc;
    let bar = element(doc, "div", "actions")?;
    let profile_id = linked.profile.person.id.clone();
    let reject = button(panel, "reject", &panel.t("notThisPerson"))?;
    let id = profile_id.clone();
    panel.on(&reject, "click", move |_| {
        Some(Action::Reject {
            profile_id: id.clone(),
        })
    });
    append(&bar, &reject)?;
    if linked.link.source == MatchSource::ManualLink {
        let unlink = button(panel, "unlink", &panel.t("unlink"))?;
        panel.on(&unlink, "click", move |_| {
            Some(Action::Unlink {
                profile_id: profile_id.clone(),
            })
        });
        append(&bar, &unlink)?;
    }
    Ok(bar)
}

pub fn button(panel: &Panel, class: &str, label: &str) -> Result<Element, JsValue> {
    let b = text_element(&panel.doc, "button", class, label)?;
    b.set_attribute("type", "button")?;
    Ok(b)
}
