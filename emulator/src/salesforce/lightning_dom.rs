//! The markup of Lightning Experience where the extension reads the page: the view container
//! (Lightning keeps earlier records' views hidden beside the one on screen; `crm.js` does the
//! keeping), the highlights panel with the record's name, the console's workspace tabs and a list
//! view's `lightning-datatable`. Shapes as real orgs render them, with the sources
//! `src/page_dom.rs` cites; `record-header` and `record-name` are the emulator's
//! own hooks for tests, not Lightning's.

use crate::html::escape;

/// The app whose pages the emulator renders as a console (the Service Console's API name).
pub const CONSOLE_APP: &str = "standard__LightningService";

/// A record to show: its object, id and name (all still unescaped).
#[derive(Clone, Copy)]
pub struct Shown<'a> {
    pub object: &'a str,
    pub id: &'a str,
    pub name: &'a str,
}

/// The standard navigation's view: `.oneContent.active` on screen; `crm.js` keeps the views
/// of records opened before in the same `.oneCenterStage`, without `.active`.
pub fn standard_view(body: &str) -> String {
    format!(
        "<div class=\"oneCenterStage\"><div class=\"windowViewMode-normal oneContent active lafPageHost\">\
         {body}</div></div>"
    )
}

/// The highlights panel as the record page's flexipage renders it: records-highlights2 (or, as
/// orgs on earlier releases render it, force-highlights2 with the name two slots deep) inside
/// forcegenerated-highlightspanel_…, records-lwc-record-layout, records-lwc-highlights-panel.
/// Its Save button has `crm.js` render the panel again, as Lightning does after a save.
pub fn highlights(record: &Shown, older_release: bool) -> String {
    let (panel, name_slot_open, name_slot_close) = if older_release {
        (
            "force-highlights2",
            "<slot name=\"primaryField\"><slot>",
            "</slot></slot>",
        )
    } else {
        (
            "records-highlights2",
            "<slot name=\"primaryField\">",
            "</slot>",
        )
    };
    let layout = format!(
        "forcegenerated-highlightspanel_{}___012000000000000aaa___compact___view___recordlayout2",
        record.object.to_ascii_lowercase()
    );
    format!(
        "<records-lwc-highlights-panel><records-lwc-record-layout><{layout}>\
         <{panel} data-emulator-rerender=\"{id}\"><div class=\"highlights slds-page-header record-header\" data-record-id=\"{id}\">\
         <div class=\"slds-media__body\"><h1><div class=\"entityNameTitle\">{object}</div>{name_slot_open}\
         <lightning-formatted-text slot=\"primaryField\" class=\"record-name\">{name}</lightning-formatted-text>\
         {name_slot_close}</h1></div>\
         <button type=\"button\" class=\"slds-button slds-button_neutral\" data-emulator-save>Save</button>\
         </div></{panel}></{layout}></records-lwc-record-layout></records-lwc-highlights-panel>",
        id = escape(record.id),
        object = escape(record.object),
        name = escape(record.name),
    )
}

/// A console app's workspace tabs: the tab bar, then each tab's section with its own view
/// (`.windowViewMode-maximized.active` inside every tab); only the tab in front is
/// `section.tabContent.oneConsoleTab.active`. `tabs` are (record, href, body), the front one last,
/// so the hidden one comes first in the page.
pub fn console(tabs: &[(Shown, String, String)]) -> String {
    let last = tabs.len().saturating_sub(1);
    let bar: String = tabs
        .iter()
        .enumerate()
        .map(|(i, (record, href, _))| {
            let active = if i == last { " slds-is-active active" } else { "" };
            format!(
                "<li class=\"oneConsoleTabItem tabItem{active}\"><a data-spa href=\"{}\">{}</a></li>",
                escape(href),
                escape(record.name)
            )
        })
        .collect();
    let sections: String = tabs
        .iter()
        .enumerate()
        .map(|(i, (_, _, body))| {
            let (tab, workspace, expanded) = if i == last {
                ("tabContent active oneConsoleTab", "oneWorkspace active navexWorkspace", "true")
            } else {
                ("tabContent oneConsoleTab", "oneWorkspace navexWorkspace", "false")
            };
            format!(
                "<section class=\"{tab}\" aria-expanded=\"{expanded}\"><div class=\"{workspace}\">\
                 <div class=\"windowViewMode-maximized oneContent active lafPageHost\">{body}</div></div></section>"
            )
        })
        .collect();
    format!(
        "<div class=\"oneConsoleTabset navexConsoleTabset\"><ul class=\"tabBarItems\" role=\"tablist\">{bar}</ul></div>\
         <div class=\"tabsetBody main-content mainContentMark fullheight active\"><div class=\"split-right\">{sections}</div></div>"
    )
}

/// A list view's lightning-datatable: the column header row keyed `HEADER`, then a row per
/// record keyed by its id, with the row number and checkbox cells before the record's name
/// in its th[scope=row] (lightning-base-components src/lightning/datatable/templates/table/table.html).
pub fn datatable(object: &str, records: &[(String, String)]) -> String {
    let rows: String = records
        .iter()
        .enumerate()
        .map(|(i, (id, name))| {
            let n = i + 1;
            format!(
                "<tr role=\"row\" data-row-key-value=\"{id}\" data-row-number=\"{n}\">\
                 <td role=\"gridcell\" data-col-key-value=\"rowNumber\"><span class=\"slds-row-number\">{n}</span></td>\
                 <td role=\"gridcell\" data-col-key-value=\"checkbox\"><input type=\"checkbox\" aria-label=\"Select item {n}\"></td>\
                 <th role=\"rowheader\" scope=\"row\" data-label=\"Name\"><a data-spa href=\"/lightning/r/{object}/{id}/view\">{name}</a></th></tr>",
                id = escape(id),
                object = escape(object),
                name = escape(name),
            )
        })
        .collect();
    format!(
        "<lightning-datatable><table role=\"grid\" class=\"slds-table list\" aria-label=\"{object}s\">\
         <thead><tr role=\"row\" data-row-key-value=\"HEADER\"><th scope=\"col\" aria-label=\"Row Number\"></th>\
         <th scope=\"col\"><input type=\"checkbox\" aria-label=\"Select all\"></th><th scope=\"col\">Name</th></tr></thead>\
         <tbody>{rows}</tbody></table></lightning-datatable>",
        object = escape(object),
    )
}
