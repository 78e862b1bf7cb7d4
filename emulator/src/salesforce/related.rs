//! Related lists on Lightning record pages: an Opportunity's contact roles, an Account's
//! contacts and opportunities, a Contact's opportunities. Links navigate without a reload.

use serde_json::Value;

use crate::html::escape;
use crate::state::db::{Crm, Fields};
use crate::state::Emulator;

fn text<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).and_then(Value::as_str).unwrap_or_default()
}

fn link(object: &str, id: &str, label: &str) -> String {
    format!(
        "<a data-spa href=\"/lightning/r/{object}/{}/view\">{}</a>",
        escape(id),
        escape(label)
    )
}

/// Rows of `object` whose `field` holds `id`.
fn children(emu: &Emulator, object: &str, field: &str, id: &str) -> Vec<(String, Fields)> {
    emu.db()
        .list(Crm::Salesforce, object)
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, f)| text(f, field) == id)
        .collect()
}

fn name_of(emu: &Emulator, id: &str) -> String {
    emu.db()
        .row(Crm::Salesforce, id)
        .ok()
        .flatten()
        .map(|r| text(&r.fields, "Name").to_string())
        .unwrap_or_default()
}

fn card(title: &str, count: usize, rows: String) -> String {
    format!(
        "<article class=\"related-list\" data-related=\"{}\"><h2>{} ({count})</h2>\
         <table class=\"list\"><tbody>{rows}</tbody></table></article>",
        escape(title),
        escape(title)
    )
}

fn contact_roles(emu: &Emulator, opportunity: &str) -> String {
    let roles = children(emu, "OpportunityContactRole", "OpportunityId", opportunity);
    let rows: String = roles
        .iter()
        .map(|(_, f)| {
            let contact = text(f, "ContactId");
            let primary = if f.get("IsPrimary") == Some(&Value::Bool(true)) { "Primary" } else { "" };
            format!(
                "<tr data-contact-id=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td>{primary}</td></tr>",
                escape(contact),
                link("Contact", contact, &name_of(emu, contact)),
                escape(text(f, "Role"))
            )
        })
        .collect();
    card("Contact Roles", roles.len(), rows)
}

fn named_list(emu: &Emulator, object: &str, field: &str, id: &str, title: &str) -> String {
    let rows = children(emu, object, field, id);
    let body: String = rows
        .iter()
        .map(|(child, f)| {
            format!(
                "<tr><th scope=\"row\">{}</th></tr>",
                link(object, child, text(f, "Name"))
            )
        })
        .collect();
    card(title, rows.len(), body)
}

fn opportunities_of_contact(emu: &Emulator, contact: &str) -> String {
    let roles = children(emu, "OpportunityContactRole", "ContactId", contact);
    let rows: String = roles
        .iter()
        .map(|(_, f)| {
            let opp = text(f, "OpportunityId");
            format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                link("Opportunity", opp, &name_of(emu, opp)),
                escape(text(f, "Role"))
            )
        })
        .collect();
    card("Opportunities", roles.len(), rows)
}

pub fn lists(emu: &Emulator, object: &str, id: &str) -> String {
    match object {
        "Opportunity" => contact_roles(emu, id),
        "Account" => {
            named_list(emu, "Contact", "AccountId", id, "Contacts")
                + &named_list(emu, "Opportunity", "AccountId", id, "Opportunities")
        }
        "Contact" => opportunities_of_contact(emu, id),
        _ => String::new(),
    }
}
