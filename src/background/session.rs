//! The user's CRM session, found in the browser's cookies. Tokens stay in the background.

use crate::crm::salesforce::{self, Session};
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
