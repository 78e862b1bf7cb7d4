// Syncing an org's records into the store, page by page, from the last watermark; then
// rebuilding its people index and every profile's match. The Rust core plans and reads each
// page; a watermark is saved only after all of an object's pages are stored, so an
// interrupted sync simply starts that object again.
import { getMany, putMany } from './db.js';
import { perform } from './fetch.js';
import { rebuildMatches } from './links.js';

const running = new Map();

/** Syncs the org behind `page` once at a time; concurrent callers share the same run. */
export function syncOrg(core, db, page, session) {
  if (!running.has(page.apiHost)) {
    const run = doSync(core, db, page, session)
      .then(async (stats) => {
        await db.delete('meta', `syncError:${page.apiHost}`);
        return stats;
      }, async (error) => {
        // Kept so the panel can say why links are missing; the next sync tries again.
        await db.put('meta', { key: `syncError:${page.apiHost}`, value: error });
        throw error;
      })
      .finally(() => running.delete(page.apiHost));
    running.set(page.apiHost, run);
  }
  return running.get(page.apiHost);
}

async function onlyChanged(db, rows) {
  const stored = await getMany(db, 'records', rows.map((r) => [r.apiHost, r.id]));
  return rows.filter((r, i) => stored[i]?.modified !== r.modified);
}

export const isSyncing = (apiHost) => running.has(apiHost);

async function doSync(core, db, page, session) {
  const stats = { requests: 0, records: 0 };
  for (const recordType of core.syncOrder()) {
    const key = `watermark:${page.apiHost}:${recordType}`;
    const watermark = (await db.get('meta', key))?.value ?? null;
    let cursor = { crm: page.crm, apiHost: page.apiHost, recordType, watermark, next: null };
    let newest = watermark;
    while (cursor) {
      const plan = core.syncRequest(cursor, session);
      if (plan.error) throw plan.error;
      const answer = await perform(plan.ok);
      stats.requests += 1;
      const read = core.readSyncPage(cursor, answer.status, answer.body);
      if (read.error) throw read.error;
      const rows = read.ok.records.map((r) => ({ apiHost: page.apiHost, ...r }));
      // Queries start at the watermark inclusively, so the boundary record comes back each
      // time: only records whose modification time moved count as changes.
      const changed = watermark ? await onlyChanged(db, rows) : rows;
      await putMany(db, 'records', changed);
      stats.records += changed.length;
      newest = core.laterTimestamp(newest, read.ok.newest);
      cursor = read.ok.next;
    }
    await db.put('meta', { key, value: newest });
  }
  await db.put('meta', { key: `lastSynced:${page.apiHost}`, value: Date.now(), crm: page.crm });
  // Nothing changed in the CRM and an index exists: the matches still stand.
  const indexed = await db.getKey('meta', `index:${page.apiHost}`);
  if (stats.records > 0 || !indexed) await rebuildMatches(core, db, page.apiHost, { rebuildIndex: true });
  return stats;
}

export async function lastSynced(db, apiHost) {
  return (await db.get('meta', `lastSynced:${apiHost}`))?.value ?? null;
}

export async function lastSyncError(db, apiHost) {
  return (await db.get('meta', `syncError:${apiHost}`))?.value ?? null;
}
