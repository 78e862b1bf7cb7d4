//! The panel on a network profile page: the person, then the CRM records they are matched
//! to, or that they are in none yet (so what the user copies waits as unresolved).

use wasm_bindgen::JsValue;
use web_sys::Element;

use super::profile_card::{new_tab_link, person};
use super::Panel;
use crate::panel_model::{badge_key, crm_badges, crm_key, safe_link, CrmLink, ProfilePanelView};
use crate::ui::dom::{append, element, text_element};

pub fn render(panel: &Panel, model: &ProfilePanelView) -> Result<Vec<Element>, JsValue> {
    let card = element(&panel.doc, "section", "profile-card")?;
    person(panel, &card, &model.profile)?;
    Ok(vec![card, in_crm(panel, &model.in_crm)?])
}

/// "In Salesforce", "In Dynamics 365": one badge per CRM at the panel's top, opening the
/// record. They are in the extension's frame, so the network page never learns of them.
pub fn badges(panel: &Panel, records: &[CrmLink]) -> Result<Vec<Element>, JsValue> {
    let mut badges = Vec::new();
    for record in crm_badges(records) {
        let text = panel.t(badge_key(record.crm));
        let badge = match safe_link(&record.url) {
            Some(href) => {
                let a = text_element(&panel.doc, "a", "badge", &text)?;
                new_tab_link(&a, &href)?;
                a
            }
            None => text_element(&panel.doc, "span", "badge", &text)?,
        };
        badge.set_attribute("title", &record.name)?;
        badges.push(badge);
    }
    Ok(badges)
}

fn in_crm(panel: &Panel, records: &[CrmLink]) -> Result<Element, JsValue> {
    let section = element(&panel.doc, "section", "in-crm")?;
    if records.is_empty() {
        let note = text_element(&panel.doc, "p", "not-in-crm", &panel.t("profileNotInCrm"))?;
        append(&section, &note)?;
    }
    for record in records {
        append(&section, &record_line(panel, record)?)?;
    }
    Ok(section)
}

/// "In CRM: <record name> · Salesforce", the name linking to the record when its URL is safe;
/// a record the user linked that the CRM deleted says so, without a link.
fn record_line(panel: &Panel, record: &CrmLink) -> Result<Element, JsValue> {
    let (class, label) = if record.deleted {
        ("in-crm-deleted", "profileLinkedRecordDeleted")
    } else {
        ("in-crm-record", "profileInCrm")
    };
    let line = text_element(&panel.doc, "p", class, &panel.t(label))?;
    line.append_with_str_1(" ")?;
    let name = match safe_link(&record.url) {
        Some(href) => {
            let a = text_element(&panel.doc, "a", "", &record.name)?;
            new_tab_link(&a, &href)?;
            a
        }
        None => text_element(&panel.doc, "span", "", &record.name)?,
    };
    append(&line, &name)?;
    line.append_with_str_1(&format!(" · {}", panel.t(crm_key(record.crm))))?;
    Ok(line)
}
