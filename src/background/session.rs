//! The user's CRM session, found in the browser's cookies. Tokens stay in the background.

use crate::crm::salesforce::{self, Session};
use crate::crm::{CrmError, CrmErrorKind};
use crate::host::Host;

/// Salesforce: the Lightning page's `sid` names the org; the API token is the same org's
/// secure `sid` on the My Domain host (CRM-APIS A12). Both come from the cookie store of the
/// tab the work is for, so a Firefox container or private window uses its own session.
pub async fn salesforce<H: Host>(
    host: &H,
    page_host: &str,
    api_host: &str,
    cookie_store: Option<&str>,
) -> Option<Session> {
    let page_url = format!("https://{page_host}/");
    let page_sid = host.cookie(&page_url, "sid", cookie_store).await?;
    let candidates = host.cookies(api_host, "sid", cookie_store).await;
    salesforce::pick_session(&page_sid.value, api_host, &candidates)
}

/// Whether this browser can have an API session for the Salesforce org at `api_host`: not
/// through a Defender for Cloud Apps proxy, whose `sid` is encrypted by the proxy and is no
/// API token (CRM-APIS A18; Salesforce Inspector Reloaded then needs an OAuth connected app).
pub fn salesforce_reachable(api_host: &str) -> Result<(), CrmError> {
    match crate::crm::OrgHost::salesforce(api_host) {
        Some(host) if host.is_proxied() => Err(salesforce::proxied_session()),
        _ => Ok(()),
    }
}

/// Refused: a Dynamics request for a tab in another cookie store than the default one.
pub const OTHER_COOKIE_STORE: &str = "OTHER_COOKIE_STORE";

/// The cookie stores a background `fetch` sends cookies from: the browser's default one.
/// Firefox names it `firefox-default` (containers are `firefox-container-<n>`, private
/// windows `firefox-private`: searchfox, toolkit/components/extensions/parent/ext-toolkit.js),
/// Chrome `0` (incognito is `1`: MDN, cookies.CookieStore); `None` where the browser named none.
fn is_default_store(cookie_store: Option<&str>) -> bool {
    matches!(cookie_store, None | Some("firefox-default" | "0"))
}

/// Whether two cookie store ids name the same store (the default one has several names).
pub fn same_store(a: Option<&str>, b: Option<&str>) -> bool {
    a == b || (is_default_store(a) && is_default_store(b))
}

/// Dynamics 365 has no token to read: its requests carry the browser's cookies, and a
/// background request always carries the default store's, whichever tab it is for (Firefox
/// has no way to send a container's cookies with an extension's fetch, and drops a `Cookie`
/// header: github.com/vcalv/underdrive/issues/6, IsThereAnyDeal/AugmentedSteam#172). Work
/// for a container tab or a private window would run as the normal window's user: refused.
pub fn dynamics(cookie_store: Option<&str>) -> Result<(), CrmError> {
    if is_default_store(cookie_store) {
        Ok(())
    } else {
        Err(CrmError::new(
            CrmErrorKind::Forbidden,
            0,
            OTHER_COOKIE_STORE,
            "",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxied_salesforce_org_has_no_session_to_use() {
        assert_eq!(salesforce_reachable("acme.my.salesforce.com"), Ok(()));
        let proxied = salesforce_reachable("acme.my.salesforce.com.mcas.ms").unwrap_err();
        assert_eq!(
            (proxied.kind, proxied.code.as_str()),
            (CrmErrorKind::Blocked, salesforce::SESSION_PROXIED)
        );
    }

    #[test]
    fn dynamics_runs_only_for_the_default_cookie_store() {
        for store in [None, Some("firefox-default"), Some("0")] {
            assert_eq!(dynamics(store), Ok(()), "{store:?}");
        }
        for store in ["firefox-container-1", "firefox-private", "1"] {
            assert_eq!(dynamics(Some(store)).unwrap_err().code, OTHER_COOKIE_STORE);
        }
    }
}
