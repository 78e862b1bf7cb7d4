// What the Embedded Profile panel shows for a record page: the record (one CRM request), its
// matched profile, and for Accounts and Opportunities their people. A stale or missing sync
// starts in the background; open panels are told when links change. On a network profile
// page it shows the stored profile and the records it is matched to (no CRM request).
import { salesforceSession } from './session.js';
import { perform } from './fetch.js';
import { syncOrg, isSyncing, lastSynced, lastSyncError } from './sync.js';
import { matchesOfRecord, recordsOfProfile } from './links.js';

const STALE_MS = 15 * 60 * 1000;

export async function sessionFor(core, page) {
  return page.crm === 'salesforce' ? salesforceSession(core, page) : null;
}

export async function getPanel(core, db, url) {
  const page = core.detectPage(url);
  if (page?.kind === 'networkProfile') return profilePanel(core, db, page);
  if (page?.kind !== 'record') return { error: { kind: 'unexpected', code: 'NOT_A_RECORD_PAGE', message: '', status: 0, retryAfter: null } };
  const session = await sessionFor(core, page);
  const plan = core.planRecordFetch(page, session ?? null);
  if (plan.error) return plan;
  const answer = await perform(plan.ok);
  const record = core.readRecordResponse(page, answer.status, answer.body, answer.retryAfter);
  if (record.error) return record;
  const synced = await lastSynced(db, page.apiHost);
  if (!synced || Date.now() - synced > STALE_MS) startSync(core, db, page, session);
  const links = await linksOf(db, page);
  const syncError = isSyncing(page.apiHost) ? null : await lastSyncError(db, page.apiHost);
  return { ok: { apiHost: page.apiHost, record: record.ok, ...links, syncing: isSyncing(page.apiHost), lastSynced: synced, syncError } };
}

/** The profile mode: the profile the content script captured for this page, and its records. */
async function profilePanel(core, db, page) {
  const profile = await db.get('profiles', page.profileId);
  if (!profile) return { error: { kind: 'notFound', code: 'PROFILE_NOT_CAPTURED', message: '', status: 0, retryAfter: null } };
  return { ok: { mode: 'profile', profile, inCrm: await recordsOfProfile(core, db, page.profileId) } };
}

/** "Sync now" from a panel. */
export async function syncNow(core, db, url) {
  const page = core.detectPage(url);
  if (page?.kind !== 'record') return { error: 'notARecord' };
  startSync(core, db, page, await sessionFor(core, page));
  return { ok: true };
}

function startSync(core, db, page, session) {
  syncOrg(core, db, page, session)
    .then(() => broadcast({ type: 'linksChanged', apiHost: page.apiHost }))
    .catch((error) => broadcast({ type: 'syncFailed', apiHost: page.apiHost, error }));
}

// Open panels, each connected by a port: runtime.sendMessage from the background does not
// reach extension frames inside web pages in Firefox, a port does in both browsers.
const panels = new Set();

export function acceptPanel(port) {
  panels.add(port);
  port.onDisconnect.addListener(() => panels.delete(port));
}

const linkListeners = [];

/** `listener(apiHost)` runs whenever links change (a sync, a correction, new profiles). */
export function onLinksChanged(listener) {
  linkListeners.push(listener);
}

/** Tells every open panel, in every tab. */
export function broadcast(message) {
  if (message.type === 'linksChanged') for (const listener of linkListeners) listener(message.apiHost);
  for (const port of panels) {
    try {
      port.postMessage(message);
    } catch {
      panels.delete(port);
    }
  }
}

async function profileOf(db, match) {
  const profile = await db.get('profiles', match.profileId);
  return profile ? { profile, match } : null;
}

async function linksOf(db, page) {
  const { apiHost, recordId, recordType } = page;
  if (recordType === 'contact' || recordType === 'lead') {
    const [best] = await matchesOfRecord(db, apiHost, recordId);
    return { linked: best ? await profileOf(db, best) : null, people: [] };
  }
  const contactIds = recordType === 'account'
    ? (await db.getAllFromIndex('records', 'byAccount', [apiHost, recordId])).map((r) => r.id)
    : ((await db.get('records', [apiHost, recordId]))?.contactIds ?? []);
  const people = [];
  for (const contactId of contactIds) {
    const [best] = await matchesOfRecord(db, apiHost, contactId);
    const found = best && (await profileOf(db, best));
    if (found) people.push(found);
  }
  return { linked: null, people };
}
