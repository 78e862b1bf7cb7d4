//! Profile URLs: scheme, `www.` and country subdomains, trailing slash, query
//! and percent-encoding do not matter; the member slug does.

use crate::weburl::WebUrl;

/// Comparable key for a profile URL: "in/<slug>" for member pages, else host+path.
pub fn key(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let url = WebUrl::parse(&with_scheme)?;
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).map(decode).collect())
        .unwrap_or_default();
    if let [kind, slug, ..] = segments.as_slice() {
        if matches!(kind.as_str(), "in" | "pub" | "profile" | "u") {
            return Some(format!("{kind}/{slug}"));
        }
    }
    let host = url.host_str()?;
    let host = host.split('.').rev().take(2).collect::<Vec<_>>();
    let host = format!("{}.{}", host.get(1).unwrap_or(&""), host[0]);
    Some(
        std::iter::once(host)
            .chain(segments)
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// Percent-decodes and lower-cases one path segment.
fn decode(seg: &str) -> String {
    let bytes: Vec<u8> = percent_decode(seg.as_bytes());
    crate::case::lower(&String::from_utf8_lossy(&bytes))
}

fn percent_decode(b: &[u8]) -> Vec<u8> {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn variants_of_one_profile_agree() {
        let k = key("https://www.example.com/in/jose-silva-123/").unwrap();
        for v in [
            "http://example.com/in/jose-silva-123",
            "br.example.com/in/jose-silva-123?trk=abc",
            "https://de.example.com/in/JOSE-SILVA-123/#top",
        ] {
            assert_eq!(key(v).unwrap(), k, "{v}");
        }
    }

    #[test]
    fn percent_encoded_slug() {
        assert_eq!(
            key("https://www.example.com/in/jos%C3%A9-silva").unwrap(),
            "in/josé-silva"
        );
        assert_eq!(
            key("https://www.example.com/in/josé-silva").unwrap(),
            "in/josé-silva"
        );
    }

    #[test]
    fn other_pages_and_junk() {
        assert_eq!(
            key("https://blog.example.org/people/ann").unwrap(),
            "example.org/people/ann"
        );
        assert_eq!(key("   "), None);
    }
}
