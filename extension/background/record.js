// The panel's record: detect the page, find the session, fetch, read.
import { salesforceSession } from './session.js';
import { perform } from './fetch.js';

export async function getRecord(core, url) {
  const page = core.detectPage(url);
  if (page?.kind !== 'record') return { error: notARecord() };
  const session = page.crm === 'salesforce' ? await salesforceSession(core, page) : null;
  const plan = core.planRecordFetch(page, session ?? null);
  if (plan.error) return plan;
  const answer = await perform(plan.ok);
  return core.readRecordResponse(page, answer.status, answer.body, answer.retryAfter);
}

function notARecord() {
  return { kind: 'unexpected', code: 'NOT_A_RECORD_PAGE', message: '', status: 0, retryAfter: null };
}
