// Reads of profile ↔ record links for the activity code that is still JavaScript. The links
// themselves (index, matches, corrections) are built by the Rust core
// (src/background/links.rs); these only read what it stored.

/** Orgs that have been synced. */
export async function syncedHosts(db) {
  const keys = await db.getAllKeys('meta', IDBKeyRange.bound('lastSynced:', 'lastSynced:\uffff'));
  return keys.map((k) => k.slice('lastSynced:'.length));
}

/** The profile matched to a record, best first. */
export async function matchesOfRecord(db, apiHost, recordId) {
  const found = await db.getAllFromIndex('matches', 'byRecord', [apiHost, recordId]);
  return found.sort((a, b) => b.score - a.score);
}

export async function lastSynced(db, apiHost) {
  return (await db.get('meta', `lastSynced:${apiHost}`))?.value ?? null;
}
