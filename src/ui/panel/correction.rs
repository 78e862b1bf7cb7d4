//! Manual correction: find a profile by name or company and link it, or paste its URL.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement};

use super::profile_card::{button, job_line, name_line};
use super::{Action, Panel};
use crate::profiles::Profile;
use crate::ui::dom::{append, element, replace_children, text_element};

pub fn render(panel: &Panel) -> Result<Element, JsValue> {
    let doc = &panel.doc;
    let section = element(doc, "section", "correction")?;
    append(
        &section,
        &text_element(doc, "h2", "", &panel.t("correctHeading"))?,
    )?;

    let search = labelled_input(panel, "search", "profile-search", &panel.t("findProfile"))?;
    let input = search.query_selector("input")?.ok_or("no input")?;
    panel.on(&input, "input", |e| {
        Some(Action::Search {
            query: input_value(e)?,
        })
    });
    append(&section, &search)?;
    let results = element(doc, "ul", "search-results")?;
    results.set_attribute("aria-live", "polite")?;
    append(&section, &results)?;
    *panel.results.borrow_mut() = Some(results);

    let paste = labelled_input(panel, "url", "profile-url", &panel.t("pasteUrl"))?;
    let url_input: HtmlInputElement = paste
        .query_selector("input")?
        .ok_or("no input")?
        .dyn_into()?;
    let link = button(panel, "link-url", &panel.t("linkUrl"))?;
    panel.on(&link, "click", move |_| {
        let url = url_input.value();
        (!url.trim().is_empty()).then_some(Action::LinkUrl { url })
    });
    append(&paste, &link)?;
    append(&section, &paste)?;
    Ok(section)
}

fn labelled_input(panel: &Panel, kind: &str, class: &str, label: &str) -> Result<Element, JsValue> {
    let wrap = element(&panel.doc, "label", class)?;
    append(&wrap, &text_element(&panel.doc, "span", "", label)?)?;
    let input = element(&panel.doc, "input", "")?;
    input.set_attribute("type", kind)?;
    input.set_attribute("autocomplete", "off")?;
    append(&wrap, &input)?;
    Ok(wrap)
}

fn input_value(e: &web_sys::Event) -> Option<String> {
    Some(e.target()?.dyn_into::<HtmlInputElement>().ok()?.value())
}

pub fn fill_results(panel: &Panel, list: &Element, profiles: &[Profile]) -> Result<(), JsValue> {
    let mut items = Vec::new();
    for profile in profiles {
        let item = element(&panel.doc, "li", "")?;
        append(&item, &name_line(panel, profile)?)?;
        append(&item, &job_line(panel, profile)?)?;
        let link = button(panel, "link", &panel.t("linkThis"))?;
        let profile_id = profile.person.id.clone();
        panel.on(&link, "click", move |_| {
            Some(Action::Link {
                profile_id: profile_id.clone(),
            })
        });
        append(&item, &link)?;
        items.push(item);
    }
    if profiles.is_empty() {
        items.push(text_element(&panel.doc, "li", "", &panel.t("noResults"))?);
    }
    replace_children(list, &items)
}
