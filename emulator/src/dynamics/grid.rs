//! A Unified Interface grid as the Power Apps grid control renders it, with AG Grid: the header
//! row, then each data row twice, in the pinned-left container (its checkbox) and in the centre
//! container (its cells), as div[role=row][row-index] (EasyRepro AppElementReference.cs Grid_Rows,
//! Grid_Row; power-playwright PowerAppsOneGridControl.cs). No row carries its record id: the
//! primary column's link to the record does. Only a window of rows is rendered; scrolling has
//! `crm.js` reuse the same row elements for the next records (their link, text and row-index
//! rewritten in place), as virtualised grids do, from the rows' data in a JSON block.

use serde_json::json;

use crate::html::escape;

/// Rows rendered at once; the rest come into view as the grid scrolls.
pub const WINDOW: usize = 20;

/// One record of the grid: its record link, name and email.
pub struct GridRow {
    pub href: String,
    pub name: String,
    pub email: String,
}

/// The grid of `rows`, the first [`WINDOW`] rendered.
pub fn grid(rows: &[GridRow]) -> String {
    let shown = &rows[..rows.len().min(WINDOW)];
    let pinned: String = shown
        .iter()
        .enumerate()
        .map(|(i, _)| pinned_row(i))
        .collect();
    let centre: String = shown
        .iter()
        .enumerate()
        .map(|(i, row)| centre_row(i, row))
        .collect();
    format!(
        "<div data-id=\"entity_control-powerapps_onegrid_control_container\">\
         <div data-id=\"grid-container\" role=\"treegrid\" aria-label=\"Contacts\" aria-rowcount=\"{count}\" class=\"ag-root-wrapper\"><div class=\"ag-root\">\
         <div class=\"ag-header\" role=\"rowgroup\"><div class=\"ag-header-row\" role=\"row\" aria-rowindex=\"1\">\
         <div role=\"columnheader\" aria-colindex=\"1\"><input type=\"checkbox\" aria-label=\"Toggle selection of all rows\"></div>\
         <div role=\"columnheader\" aria-colindex=\"2\" col-id=\"fullname\">Full Name</div>\
         <div role=\"columnheader\" aria-colindex=\"3\" col-id=\"emailaddress1\">Email</div></div></div>\
         <div class=\"ag-body-viewport\" data-row-count=\"{count}\"><div class=\"ag-body-spacer\"></div>\
         <div class=\"ag-pinned-left-cols-container\" role=\"rowgroup\">{pinned}</div>\
         <div class=\"ag-center-cols-viewport\"><div class=\"ag-center-cols-container\" role=\"rowgroup\">{centre}</div></div>\
         </div></div></div></div>{data}",
        count = rows.len(),
        data = rows_data(rows),
    )
}

fn pinned_row(i: usize) -> String {
    format!(
        "<div role=\"row\" row-index=\"{i}\" aria-rowindex=\"{}\" class=\"ag-row\"><div role=\"gridcell\" aria-colindex=\"1\">\
         <input type=\"checkbox\" aria-label=\"Select row\"></div></div>",
        i + 2
    )
}

fn centre_row(i: usize, row: &GridRow) -> String {
    format!(
        "<div role=\"row\" row-index=\"{i}\" aria-rowindex=\"{}\" class=\"ag-row\">\
         <div role=\"gridcell\" aria-colindex=\"2\" col-id=\"fullname\"><a data-spa href=\"{}\">{}</a></div>\
         <div role=\"gridcell\" aria-colindex=\"3\" col-id=\"emailaddress1\">{}</div></div>",
        i + 2,
        escape(&row.href),
        escape(&row.name),
        escape(&row.email)
    )
}

/// Every row's data for `crm.js`, as a JSON block (data, not script: the page's CSP allows it),
/// with `<` written `\u003c` so no value can end the block.
fn rows_data(rows: &[GridRow]) -> String {
    let data: Vec<_> = rows
        .iter()
        .map(|r| json!({"href": r.href, "name": r.name, "email": r.email}))
        .collect();
    let text = serde_json::Value::from(data)
        .to_string()
        .replace('<', "\\u003c");
    format!("<script type=\"application/json\" id=\"grid-rows\">{text}</script>")
}

/// The record link of a grid row. Unified Interface writes the GUID plain, or braced and
/// upper-case, also percent-encoded (EasyRepro builds `id=%7B{id:D}%7D`, Api/Pages/Lookup.cs):
/// the rows take turns so every spelling is served.
pub fn record_link(app_id: &str, entity: &str, id: &str, row: usize) -> String {
    let upper = id.to_ascii_uppercase();
    let id = match row % 3 {
        0 => format!("%7B{upper}%7D"),
        1 => format!("{{{upper}}}"),
        _ => id.to_string(),
    };
    format!("/main.aspx?appid={app_id}&pagetype=entityrecord&etn={entity}&id={id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_value_can_end_the_data_block() {
        let row = GridRow {
            href: "/x".into(),
            name: "</script><img src=x onerror=alert(1)>".into(),
            email: String::new(),
        };
        let html = grid(&[row]);
        assert_eq!(html.matches("</script>").count(), 1, "{html}");
        assert!(!html.contains("<img"));
    }

    #[test]
    fn links_write_the_guid_in_each_spelling() {
        let id = "00000002-0000-4000-8000-00000000000a";
        let ids: Vec<String> = (0..3)
            .map(|n| record_link("app", "contact", id, n))
            .map(|l| l.rsplit("id=").next().unwrap().to_string())
            .collect();
        assert_eq!(
            ids,
            [
                "%7B00000002-0000-4000-8000-00000000000A%7D",
                "{00000002-0000-4000-8000-00000000000A}",
                id
            ]
        );
    }
}
