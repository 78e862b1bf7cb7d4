// Profile ↔ record links for one org: the people index (kept in memory, persisted as bytes),
// every profile's match, and the user's own corrections, which always win.
import { putMany } from './db.js';

const indexes = new Map();

async function peopleIndex(core, db, apiHost, rebuild) {
  if (!rebuild && indexes.has(apiHost)) return indexes.get(apiHost);
  const saved = rebuild ? null : await db.get('meta', `index:${apiHost}`);
  let index;
  if (saved) {
    index = core.PeopleIndex.fromBytes(saved.value);
  } else {
    const records = await db.getAllFromIndex('records', 'byHost', apiHost);
    index = core.PeopleIndex.fromRecords(records); // the stored apiHost is ignored by the core
    await db.put('meta', { key: `index:${apiHost}`, value: index.toBytes() });
  }
  indexes.set(apiHost, index);
  return index;
}

export async function overridesOf(db, apiHost) {
  return (await db.get('overrides', apiHost)) ?? { apiHost, links: {}, rejections: [] };
}

/** Recomputes the matches of all profiles (or of `profileIds`) for one org. */
export async function rebuildMatches(core, db, apiHost, { rebuildIndex = false, profileIds = null } = {}) {
  const index = await peopleIndex(core, db, apiHost, rebuildIndex);
  const stored = profileIds
    ? (await Promise.all(profileIds.map((id) => db.get('profiles', id)))).filter(Boolean)
    : await db.getAll('profiles');
  const { links, rejections } = await overridesOf(db, apiHost);
  const matches = index.matchProfiles(stored.map((p) => p.person), { links, rejections });
  if (!profileIds) await clearMatches(db, apiHost);
  await putMany(db, 'matches', matches.map((m) => ({ apiHost, ...m, recordId: m.recordId ?? undefined })));
}

async function clearMatches(db, apiHost) {
  const tx = db.transaction('matches', 'readwrite');
  for await (const cursor of tx.store.index('byHost').iterate(apiHost)) cursor.delete();
  await tx.done;
}

/** Orgs that have been synced: their matches must follow profile changes. */
export async function syncedHosts(db) {
  const keys = await db.getAllKeys('meta');
  return keys.filter((k) => k.startsWith('lastSynced:')).map((k) => k.slice('lastSynced:'.length));
}

/** The profile matched to a record, best first. */
export async function matchesOfRecord(db, apiHost, recordId) {
  const found = await db.getAllFromIndex('matches', 'byRecord', [apiHost, recordId]);
  return found.sort((a, b) => b.score - a.score);
}

/** After profiles changed: re-match them in every synced org, then tell open panels. */
export async function relinkProfiles(core, db, profileIds, broadcast) {
  if (!profileIds.length) return;
  for (const apiHost of await syncedHosts(db)) {
    await rebuildMatches(core, db, apiHost, { profileIds });
    broadcast({ type: 'linksChanged', apiHost });
  }
}

/** The CRM records a profile is matched to, with their UI URLs, in every synced org. */
export async function recordsOfProfile(core, db, profileId) {
  const found = [];
  for (const apiHost of await syncedHosts(db)) {
    const match = await db.get('matches', [apiHost, profileId]);
    const record = match?.recordId && (await db.get('records', [apiHost, match.recordId]));
    const { crm } = (await db.get('meta', `lastSynced:${apiHost}`)) ?? {};
    const url = record && crm && core.recordUrl(crm, apiHost, record.recordType, record.id);
    if (url) found.push({ url, crm, name: record.name, level: match.level });
  }
  return found;
}

/** Which of `ids` have a matched profile in this org (list-view badges). */
export async function matchedRecordIds(db, apiHost, ids) {
  const found = await Promise.all(ids.map((id) => db.countFromIndex('matches', 'byRecord', [apiHost, id])));
  return ids.filter((_, i) => found[i] > 0);
}

/** "Clear all imported CRM data": records, matches, indexes and sync state of every org. */
export async function clearCrmData(db) {
  const tx = db.transaction(['records', 'matches', 'meta'], 'readwrite');
  const crmMeta = /^(lastSynced|watermark|index|syncError):/;
  const metaKeys = (await tx.objectStore('meta').getAllKeys()).filter((k) => crmMeta.test(k));
  await Promise.all([
    tx.objectStore('records').clear(),
    tx.objectStore('matches').clear(),
    ...metaKeys.map((k) => tx.objectStore('meta').delete(k)),
    tx.done,
  ]);
  indexes.clear();
}
