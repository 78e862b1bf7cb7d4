// Preparing a Salesforce org for Copy to CRM (its admin does this once, from the options
// page): the Rust core describes the Tooling API requests, this file sends them.
import { perform } from './fetch.js';
import { salesforceSession } from './session.js';

/** The org's page-less description and its session, from what the panel saw there. */
export async function orgSession(core, db, apiHost) {
  const org = (await db.get('meta', `org:${apiHost}`))?.value;
  if (!org) return { error: { kind: 'notFound', code: 'UNKNOWN_ORG', message: apiHost, status: 0, retryAfter: null } };
  const session = org.crm === 'salesforce'
    ? await salesforceSession(core, { crm: org.crm, apiHost, pageHost: org.pageHost })
    : null;
  if (org.crm === 'salesforce' && !session) {
    return { error: { kind: 'sessionExpired', code: 'NO_SESSION', message: '', status: 401, retryAfter: null } };
  }
  return { ok: { ...org, apiHost, session } };
}

export async function prepareOrg(core, db, apiHost) {
  const org = await orgSession(core, db, apiHost);
  if (org.error || org.ok.crm !== 'salesforce') return org.error ? org : { ok: true };
  for (const request of core.prepareOrgRequests(org.ok.session)) {
    const answer = await perform(request);
    const read = core.readPrepareOrg(answer.status, answer.body);
    if (read.error) return read;
  }
  return { ok: true };
}
