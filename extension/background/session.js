// Finding the user's CRM session in the browser. Tokens never leave the background.
import { api } from '../browser-api.js';

// Salesforce: the Lightning page's `sid` names the org; the API token is the same org's `sid`
// on the My Domain host (the Rust core picks it from the candidates).
export async function salesforceSession(core, page) {
  const pageSid = await api.cookies.get({ url: `https://${page.pageHost}/`, name: 'sid' });
  if (!pageSid) return null;
  const candidates = await api.cookies.getAll({ name: 'sid', domain: page.apiHost });
  const cookies = candidates.map(({ name, value, domain, secure }) => ({ name, value, domain, secure }));
  return core.pickSalesforceSession(pageSid.value, page.apiHost, cookies);
}
