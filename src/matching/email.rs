//! E-mail addresses: case, plus-addressing, and company vs free-mail domains.

use super::company::domain_root;

/// Consumer mail providers: their domain says nothing about the employer.
const FREE_MAIL: &[&str] = &[
    "gmail",
    "googlemail",
    "yahoo",
    "ymail",
    "hotmail",
    "outlook",
    "live",
    "msn",
    "aol",
    "icloud",
    "me",
    "mac",
    "protonmail",
    "proton",
    "pm",
    "gmx",
    "web",
    "tonline",
    "freenet",
    "posteo",
    "mailbox",
    "orange",
    "free",
    "laposte",
    "sfr",
    "wanadoo",
    "neuf",
    "bbox",
    "uol",
    "bol",
    "terra",
    "ig",
    "zipmail",
    "sapo",
    "yandex",
    "mail",
    "zoho",
    "fastmail",
    "tutanota",
    "hey",
    "qq",
    "163",
    "arcor",
    "aliceadsl",
    "numericable",
];

/// A normalised address.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Email {
    /// Lower case, "+tag" removed (and dots removed for Gmail, which ignores them).
    pub local: String,
    pub domain: String,
    /// Registrable label of a company domain; `None` for free-mail providers.
    pub company_root: Option<String>,
}

impl Email {
    pub fn address(&self) -> String {
        format!("{}@{}", self.local, self.domain)
    }
}

/// Parses and normalises; `None` if it is not an address.
pub fn parse(raw: &str) -> Option<Email> {
    let raw = crate::case::lower(raw.trim().trim_start_matches("mailto:"));
    let (local, domain) = raw.rsplit_once('@')?;
    let domain = domain.trim_end_matches('.');
    if local.is_empty() || !domain.contains('.') || domain.contains(char::is_whitespace) {
        return None;
    }
    let mut local = local.split('+').next().unwrap_or(local).to_owned();
    let domain = if domain == "googlemail.com" {
        "gmail.com".to_owned()
    } else {
        domain.to_owned()
    };
    if domain == "gmail.com" {
        local.retain(|c| c != '.');
    }
    if local.is_empty() {
        return None;
    }
    let root = domain_root(&domain);
    let company_root = root.filter(|r| !FREE_MAIL.contains(&r.as_str()));
    Some(Email {
        local,
        domain,
        company_root,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_plus_addressing() {
        let a = parse(" John.Smith+crm@Acme.COM ").unwrap();
        assert_eq!(a.address(), "john.smith@acme.com");
        assert_eq!(a.company_root.as_deref(), Some("acme"));
    }

    #[test]
    fn gmail_dots_and_free_mail() {
        let a = parse("j.o.smith@googlemail.com").unwrap();
        assert_eq!(a.address(), "josmith@gmail.com");
        assert_eq!(a.company_root, None);
        assert_eq!(parse("x@gmx.de").unwrap().company_root, None);
        assert_eq!(
            parse("x@empresa.com.br").unwrap().company_root.as_deref(),
            Some("empresa")
        );
    }

    #[test]
    fn rejects_non_addresses() {
        assert!(parse("not an email").is_none());
        assert!(parse("@acme.com").is_none());
        assert!(parse("a@b").is_none());
    }
}
