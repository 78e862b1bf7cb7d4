// Profiles: import from files, capture from pages, manual entry. Parsing and merge rules are
// the Rust core's; this file moves data between it and the store.
import { getMany, putMany } from './db.js';

const BATCH = 500;

// The typeahead's search index, built on first use and dropped whenever profiles change, so
// keystrokes neither read the whole store nor copy every profile into wasm.
let searchIndex = null;

/**
 * Imports a Connections.csv or vCard file's text. Re-importing the same file changes nothing.
 * Reports progress as (done, total) after each stored batch.
 */
export async function importProfiles(core, db, { format, text }, onProgress = (_done, _total) => {}) {
  const parsed = core.parseProfiles(format, text);
  const summary = { added: 0, updated: 0, unchanged: 0, skipped: parsed.skipped, changedIds: [] };
  const total = parsed.profiles.length;
  onProgress(0, total);
  for (let start = 0; start < total; start += BATCH) {
    const batch = parsed.profiles.slice(start, start + BATCH);
    await storeMerged(core, db, batch, summary);
    onProgress(Math.min(start + BATCH, total), total);
  }
  return summary;
}

/** Stores one profile (captured or typed in), merged with what is known of it. */
export async function saveProfile(core, db, profile) {
  const summary = { added: 0, updated: 0, unchanged: 0, changedIds: [] };
  await storeMerged(core, db, [profile], summary);
  return summary;
}

async function storeMerged(core, db, incoming, summary) {
  const existing = await getMany(db, 'profiles', incoming.map((p) => p.person.id));
  const merged = core.mergeProfiles(existing.map((p) => p ?? null), incoming);
  const changed = merged.filter((m) => m.change !== 'unchanged').map((m) => m.profile);
  await putMany(db, 'profiles', changed);
  if (changed.length) searchIndex = null;
  for (const m of merged) summary[m.change] += 1;
  summary.changedIds.push(...changed.map((p) => p.person.id));
}

export const countProfiles = (db) => db.count('profiles');

/** Up to `limit` profiles matching a typeahead query, best first. */
export async function searchProfiles(core, db, query, limit = 8) {
  if (!searchIndex) {
    const profiles = await db.getAll('profiles');
    searchIndex = {
      search: new core.ProfileSearch(profiles.map((p) => p.person)),
      byId: new Map(profiles.map((p) => [p.person.id, p])),
    };
  }
  return searchIndex.search.search(query, limit).map((id) => searchIndex.byId.get(id));
}
