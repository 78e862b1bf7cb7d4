// Unresolved Activities and the audit log: list, discard and resolve items; search the synced
// records of every org to resolve against; CSV exports (written by the Rust core); and the
// toolbar badge counting the items that wait for the user.
import { api } from '../browser-api.js';
import { syncedHosts, lastSynced } from './links.js';
import { wake } from './outbox.js';

/** States that wait for the user: the badge counts them, the page lists them. */
const NEEDS_USER = ['unresolved', 'parked'];
// Activities are written on people and companies, never on Opportunities.
const RESOLVABLE = ['contact', 'lead', 'account'];
const SEARCH_LIMIT = 20;

const newestFirst = (a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0);

/** Items in one state, newest first. */
export async function listItems(db, state) {
  return (await db.getAllFromIndex('items', 'byState', state)).sort(newestFirst);
}

/**
 * Changes one item in a single transaction, only from one of `fromStates` (the outbox may
 * have moved it meanwhile). Answers `{ok: item}` or `{error}`.
 */
async function updateItem(db, id, fromStates, change) {
  const tx = db.transaction('items', 'readwrite');
  const item = await tx.store.get(id);
  let answer;
  if (!item) answer = { error: 'notFound' };
  else if (!fromStates.includes(item.state)) answer = { error: 'wrongState', state: item.state };
  else {
    answer = { ok: change(item) };
    await tx.store.put(answer.ok);
  }
  await tx.done;
  return answer;
}

/** The user confirmed: the item stays on this computer only. */
export function discardItem(db, id) {
  return updateItem(db, id, NEEDS_USER, (item) => ({ ...item, state: 'discarded', nextAttemptAt: 0 }));
}

/** Points an item at the synced record the user picked and queues it for writing. */
export async function resolveItem(core, db, { id, apiHost, recordType, recordId }) {
  const target = await targetOf(core, db, apiHost, recordType, recordId);
  if (!target) return { error: 'noSuchRecord' };
  const answer = await updateItem(db, id, NEEDS_USER, (item) => ({
    ...item,
    about: { ...item.about, ...target },
    state: 'queued',
    attempts: 0,
    nextAttemptAt: 0,
    error: null,
  }));
  if (answer.ok) wake();
  return answer;
}

/** The `about` fields of a synced record, or null when it is not there to write to. */
async function targetOf(core, db, apiHost, recordType, recordId) {
  const record = await db.get('records', [apiHost, recordId]);
  if (!record || record.recordType !== recordType || !RESOLVABLE.includes(recordType)) return null;
  const crm = (await db.get('meta', `lastSynced:${apiHost}`))?.crm;
  const url = crm && core.recordUrl(crm, apiHost, recordType, recordId);
  if (!url) return null;
  return { crm, apiHost, pageHost: new URL(url).host, recordType, recordId, recordName: record.name };
}

// The name search over every org's records, rebuilt only when the synced records change.
let recordIndex = null;

/**
 * Changes whenever a sync finishes or CRM data is cleared. (Counting the records too would
 * notice a sync half-way, but costs a scan of them on every keystroke.)
 */
async function recordsVersion(db) {
  const hosts = await syncedHosts(db);
  const times = await Promise.all(hosts.map((h) => lastSynced(db, h)));
  return JSON.stringify([hosts, times]);
}

async function recordSearch(core, db) {
  const version = await recordsVersion(db);
  if (recordIndex?.version !== version) {
    const records = await db.getAll('records');
    const refs = records.map(({ apiHost, id, recordType, name }) => ({ apiHost, id, recordType, name }));
    recordIndex?.search.free();
    recordIndex = { version, search: new core.RecordSearch(refs) };
  }
  return recordIndex.search;
}

/**
 * Synced Contacts, Leads and Accounts of every org whose name matches, best first. An empty
 * query finds nothing but builds the index, so a page can warm it before the first keystroke.
 */
export async function searchRecords(core, db, query) {
  const found = (await recordSearch(core, db)).search(query, SEARCH_LIMIT);
  return Promise.all(found.map((ref) => describe(db, ref)));
}

/** What tells same-named records apart: the org's CRM and the company. */
async function describe(db, ref) {
  const record = await db.get('records', [ref.apiHost, ref.id]);
  const account = record?.accountId && (await db.get('records', [ref.apiHost, record.accountId]));
  const crm = (await db.get('meta', `lastSynced:${ref.apiHost}`))?.crm ?? null;
  return { ...ref, crm, company: account?.name ?? record?.person?.company ?? null };
}

/** Everything written to a CRM, newest first. */
export async function listAudit(db) {
  return (await db.getAll('audit')).reverse();
}

export async function exportItems(core, db, state) {
  return { csv: core.itemsCsv(await listItems(db, state)) };
}

// Audit times may be stored as milliseconds; the CSV shows ISO 8601 UTC.
const isoTime = (t) => (typeof t === 'number' ? new Date(t).toISOString() : t ?? null);

export async function exportAudit(core, db) {
  const rows = (await listAudit(db)).map((row) => ({ ...row, writtenAt: isoTime(row.writtenAt) }));
  return { csv: core.auditCsv(rows) };
}

// The badge has room for about four characters.
const badgeText = (n) => (n === 0 ? '' : n > 999 ? '999+' : String(n));

let badgeUpdate = Promise.resolve();

/**
 * Shows how many items wait for the user (unresolved + parked) on the toolbar button. Calls
 * run one after another, so a slow early count never overwrites a later one.
 */
export function refreshBadge(db) {
  badgeUpdate = badgeUpdate.catch(() => {}).then(() => showCount(db));
  return badgeUpdate;
}

async function showCount(db) {
  const counts = await Promise.all(NEEDS_USER.map((s) => db.countFromIndex('items', 'byState', s)));
  const n = counts.reduce((a, b) => a + b, 0);
  const title = n ? api.i18n.getMessage('actionTitleWaiting', [String(n)]) : api.i18n.getMessage('extName');
  await Promise.all([
    api.action.setBadgeBackgroundColor({ color: '#ba0517' }),
    api.action.setBadgeText({ text: badgeText(n) }),
    api.action.setTitle({ title }),
  ]);
  return n;
}
