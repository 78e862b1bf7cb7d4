//! HTML for the CRM-like pages. Every value is escaped; pages carry the strict CSP headers the
//! real products send (CRM-APIS A13), so the extension is tested under the same constraints.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Lightning allows only its own origin for scripts, styles and frames.
pub const LIGHTNING_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; \
base-uri 'self'; form-action 'self' https://*.my.salesforce.com; frame-ancestors 'self'; \
upgrade-insecure-requests";

pub const DYNAMICS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; \
base-uri 'self'; form-action 'self'; frame-ancestors 'self'; upgrade-insecure-requests";

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A full page: `<main>` holds what changes between records, so the page script can swap it
/// on client-side navigation.
pub fn page(csp: &str, product: &str, title: &str, nav: &str, main: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/_emulator/assets/crm.css\">\
         <script src=\"/_emulator/assets/crm.js\" defer></script></head>\
         <body class=\"{product}\"><header class=\"app-header\"><nav>{nav}</nav></header>\
         <main id=\"content\">{main}</main></body></html>",
        title = escape(title),
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
        ],
        body,
    )
        .into_response()
}

/// Static assets of the pages.
pub fn asset(name: &str) -> Option<Response> {
    let (body, content_type) = match name {
        "crm.js" => (include_str!("../assets/crm.js"), "text/javascript"),
        "crm.css" => (include_str!("../assets/crm.css"), "text/css"),
        _ => return None,
    };
    Some(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            super::escape("<img src=x onerror='a()'>&"),
            "&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;"
        );
    }
}
