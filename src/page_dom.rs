//! Every DOM selector crmsync uses on pages it does not own, in one place. Each entry names
//! the public source of its shape and has a fixture under tests/fixtures/pages/ that proves it
//! (tests/js/selectors.test.mjs). Content scripts cannot run the core (Chromium blocks wasm
//! under the CRMs' strict page CSP), so `cargo xtask build` writes this table as
//! content/page-dom.js, a global the content scripts read and tests/js reads too; the content
//! script's selectors.js holds only the generic code that applies it. Lightning's components
//! render with synthetic shadow DOM, so to a content script their insides are ordinary markup:
//! the real-org XPaths cited below walk straight through them, as only light DOM allows.

use serde::{Serialize, Serializer};

/// The table the content scripts read.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageDom {
    /// The heading that holds the record's name in a record page's header, where the badge goes.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "ByCrm<string>"))]
    pub record_header: ByCrm<Selectors>,
    /// Parts of a page the user does not see, whatever they hold.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub not_shown: Selectors,
    /// Rows of a list view, the record each shows, and the cell its badge goes in.
    pub list_rows: ByCrm<ListRows>,
    /// A network member's profile page (public structured data only).
    pub network_profile: NetworkProfile,
}

/// One value for each CRM, named as `Crm` serialises.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Serialize)]
pub struct ByCrm<T> {
    pub salesforce: T,
    pub dynamics: T,
}

/// Alternatives, one entry per shape the products render; a CSS selector list to the page.
#[derive(Debug)]
pub struct Selectors(pub &'static [&'static str]);

impl Serialize for Selectors {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.join(", "))
    }
}

/// A list view's rows.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRows {
    /// A data row (one element for each record the list shows).
    pub row: &'static str,
    /// Where, inside a row, the record's id is written.
    pub id: RowId,
    /// The cell of the record's name, where its badge goes.
    pub name_cell: &'static str,
}

/// Where a row writes its record's id (as the page writes it: the core reads it).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Serialize)]
#[serde(untagged, rename_all = "camelCase")]
pub enum RowId {
    /// In this attribute of the row.
    Attribute { attribute: &'static str },
    /// In the query parameter `parameter` (any case) of the `href` of this link in the row.
    Link {
        link: &'static str,
        parameter: &'static str,
    },
}

/// A network member's profile page: the standard parts that carry its public data.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkProfile {
    pub json_ld: &'static str,
    pub open_graph: &'static str,
    pub canonical: &'static str,
}

pub const PAGE_DOM: PageDom = PageDom {
    record_header: ByCrm {
        salesforce: Selectors(&[
            // The highlights panel's LWC: the name is its [slot=primaryField] child inside an h1
            // (salesforce-pageobjects 9.0.0 records/highlights2.utam.json; Selenium suites against
            // real orgs read …/records-highlights2/div[1]/div/div[1]/div[2]/h1/slot/lightning-formatted-text).
            "records-highlights2 h1",
            // The same panel as orgs on earlier releases render it, …/force-highlights2/div[1]/div[1]/
            // div[1]/div[2]/h1/slot/slot/lightning-formatted-text (SFDO-Tooling/CumulusCI
            // cumulusci/robotframework/locators_48.py reads its force-highlights-details-item).
            "force-highlights2 h1",
            // Either sits in the flexipage's records-lwc-highlights-panel > records-lwc-record-layout
            // (salesforce-pageobjects records/lwcHighlightsPanel.utam.json, lwcRecordLayout.utam.json),
            // whose own markup holds no heading: the two entries above find it there.
        ]),
        // Unified Interface's form header (microsoft/EasyRepro Api.UCI/DTO/AppElementReference.cs,
        // Entity_HeaderTitle `//*[@data-id='header_title']`).
        dynamics: Selectors(&[r#"[data-id="header_title"]"#]),
    },
    not_shown: Selectors(&[
        // Lightning keeps the pages of records opened earlier in the DOM; only the view on screen
        // is .active (salesforce/utam-js-recipes force-app/main/default/lwc/__utam__/homePage.utam.json
        // `.oneContent.active`; tprouvot/Salesforce-Inspector-reloaded addon/button.js scopes to
        // `div.windowViewMode-normal.active` and, in the console,
        // `section.oneConsoleTab div.windowViewMode-maximized.active.lafPageHost`).
        ".oneContent:not(.active)",
        ".windowViewMode-normal:not(.active)",
        ".windowViewMode-maximized:not(.active)",
        // The console's workspace tabs: the one in front is section.tabContent.oneConsoleTab.active
        // (Astisme/again-why-salesforce src/salesforce/favourite-manager.js).
        "section.oneConsoleTab:not(.active)",
        // Not aria-hidden: a modal dialog marks the page behind it so, and that page stays on screen.
        "[hidden]",
    ]),
    list_rows: ByCrm {
        // lightning-datatable: data rows are tr[data-row-key-value=<record id>], the column header
        // row carries data-row-key-value="HEADER", the row number and checkbox cells are td and the
        // record's name is the th[scope=row] (lightning-base-components 1.28.15
        // src/lightning/datatable/templates/table/table.html).
        salesforce: ListRows {
            row: r#"tr[data-row-key-value]:not([data-row-key-value="HEADER"])"#,
            id: RowId::Attribute {
                attribute: "data-row-key-value",
            },
            name_cell: r#"th[scope="row"]"#,
        },
        // Unified Interface grids are AG Grid: rows div[role=row][row-index] in the centre container
        // (EasyRepro AppElementReference.cs Grid_Rows, Grid_Row
        // `//div[@class='ag-center-cols-container']//div[@row-index='[INDEX]']`; ewingjm/power-playwright
        // PowerAppsOneGridControl.cs). AG Grid renders a row once in each container, pinned left,
        // centre and pinned right (ag-grid-community rowComp: ePinnedLeftRow, eBodyRow,
        // ePinnedRightRow), so only the centre one counts. A row holds no record id (EasyRepro reads
        // ids from the page's script, WebClient.cs GetGridItems); its primary column is a link that
        // opens the record (MicrosoftDocs/powerapps-docs override-default-open-behavior-grids.md),
        // main.aspx?…pagetype=entityrecord&etn=…&id=<GUID> (CRM-APIS B10), the id from there.
        dynamics: ListRows {
            row: r#".ag-center-cols-container [role="row"][row-index]"#,
            id: RowId::Link {
                link: r#"a[href*="pagetype=entityrecord" i]"#,
                parameter: "id",
            },
            name_cell: r#"[role="gridcell"]"#,
        },
    },
    // Standard parts of any page: JSON-LD blocks (W3C JSON-LD 1.1, "Embedding JSON-LD in HTML
    // Documents"), OpenGraph and its profile: properties (ogp.me), the canonical link (RFC 6596).
    network_profile: NetworkProfile {
        json_ld: r#"script[type="application/ld+json"]"#,
        open_graph: r#"meta[property^="og:"], meta[property^="profile:"]"#,
        canonical: r#"link[rel="canonical"]"#,
    },
};

/// content/page-dom.js: the table as the classic script that defines the content scripts'
/// global `crmsyncPageDom`.
pub fn content_script() -> String {
    let table = serde_json::to_string(&PAGE_DOM).expect("the table serialises");
    format!(
        "// Written by `cargo xtask build` from src/page_dom.rs (every selector and its source).\n\
         globalThis.crmsyncPageDom = Object.freeze({table});\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternatives_reach_the_page_as_one_selector_list() {
        let table = serde_json::to_value(&PAGE_DOM).unwrap();
        assert_eq!(
            table["recordHeader"]["salesforce"],
            "records-highlights2 h1, force-highlights2 h1"
        );
        assert!(table["notShown"]
            .as_str()
            .unwrap()
            .starts_with(".oneContent:not(.active), "));
    }

    #[test]
    fn each_list_says_where_its_rows_write_the_record_id() {
        let table = serde_json::to_value(&PAGE_DOM).unwrap();
        let rows = &table["listRows"];
        assert_eq!(rows["salesforce"]["id"]["attribute"], "data-row-key-value");
        assert_eq!(rows["dynamics"]["id"]["parameter"], "id");
        assert!(rows["dynamics"]["id"]["link"].is_string());
    }

    #[test]
    fn the_content_script_defines_the_global_with_the_table() {
        let script = content_script();
        let json = script
            .split_once("Object.freeze(")
            .and_then(|(_, rest)| rest.strip_suffix(");\n"))
            .unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(json).unwrap(),
            serde_json::to_value(&PAGE_DOM).unwrap()
        );
        assert!(script.contains("globalThis.crmsyncPageDom = "));
    }
}
