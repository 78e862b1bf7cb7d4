//! URLs parsed the WHATWG way: by the `url` crate natively, and by the browser's own `URL` in
//! wasm, so the extension does not ship a second URL parser with its IDNA tables (both follow
//! the same standard, so the core reads a URL the same way in both).

/// The parts of a parsed absolute URL the core reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUrl {
    scheme: String,
    host: String,
    path: String,
    query: String,
    origin: Option<String>,
    href: String,
}

impl WebUrl {
    #[cfg(not(target_arch = "wasm32"))]
    pub fn parse(text: &str) -> Option<WebUrl> {
        let url = url::Url::parse(text).ok()?;
        let origin = url.origin();
        Some(WebUrl {
            scheme: url.scheme().to_string(),
            host: url.host_str().unwrap_or_default().to_string(),
            path: url.path().to_string(),
            query: url.query().unwrap_or_default().to_string(),
            origin: origin.is_tuple().then(|| origin.ascii_serialization()),
            href: url.to_string(),
        })
    }

    #[cfg(target_arch = "wasm32")]
    pub fn parse(text: &str) -> Option<WebUrl> {
        let url = web_sys::Url::new(text).ok()?;
        let scheme = url.protocol().trim_end_matches(':').to_string();
        let origin = url.origin();
        Some(WebUrl {
            scheme,
            host: url.hostname(),
            path: url.pathname(),
            query: url.search().trim_start_matches('?').to_string(),
            origin: (origin != "null").then_some(origin),
            href: url.href(),
        })
    }

    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The host name, without port; `None` for URLs without one.
    pub fn host_str(&self) -> Option<&str> {
        (!self.host.is_empty()).then_some(self.host.as_str())
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path's segments (still percent-encoded); `None` for URLs whose path is opaque.
    pub fn path_segments(&self) -> Option<std::str::Split<'_, char>> {
        self.path.strip_prefix('/').map(|rest| rest.split('/'))
    }

    /// The query's decoded name/value pairs, in order.
    pub fn query_pairs(&self) -> form_urlencoded::Parse<'_> {
        form_urlencoded::parse(self.query.as_bytes())
    }

    /// `scheme://host[:port]`; `None` for opaque origins (`data:`, `file:`, …).
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    pub fn as_str(&self) -> &str {
        &self.href
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_parts_the_core_uses() {
        let url =
            WebUrl::parse("HTTPS://Acme.Crm.Dynamics.com:443/main.aspx?etn=contact&id=%7Bx%7D#f")
                .unwrap();
        assert_eq!(url.scheme(), "https");
        assert_eq!(url.host_str(), Some("acme.crm.dynamics.com"));
        assert_eq!(url.path(), "/main.aspx");
        let pairs: Vec<_> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("etn".into(), "contact".into()),
                ("id".into(), "{x}".into())
            ]
        );
        assert_eq!(url.origin(), Some("https://acme.crm.dynamics.com"));
        assert_eq!(
            url.path_segments().unwrap().collect::<Vec<_>>(),
            ["main.aspx"]
        );
    }

    #[test]
    fn opaque_and_broken_urls() {
        assert_eq!(WebUrl::parse("javascript:alert(1)").unwrap().origin(), None);
        assert!(WebUrl::parse("javascript:alert(1)")
            .unwrap()
            .path_segments()
            .is_none());
        assert!(WebUrl::parse("not a url").is_none());
        assert!(WebUrl::parse("https://").is_none());
    }
}
