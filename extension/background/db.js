// The extension's durable store (IndexedDB), with a schema version and ordered migrations.
// Everything a user creates is written here before it is acknowledged.
import { openDB } from '../vendor/idb.js';

export const DB_NAME = 'crmsync';

// MIGRATIONS[n] upgrades a database at version n to version n + 1. Released entries are never
// edited: a schema change is a new entry, so every user's data moves forward in order.
/** @type {Array<(db: any, tx?: any) => void>} */
export const MIGRATIONS = [
  // 1: imported, captured and typed-in profiles, keyed by their stable profile key.
  (db) => {
    db.createObjectStore('profiles', { keyPath: 'person.id' });
    db.createObjectStore('meta', { keyPath: 'key' });
  },
  // 2: synced CRM records per org, each profile's match, and the user's own corrections.
  (db) => {
    const records = db.createObjectStore('records', { keyPath: ['apiHost', 'id'] });
    records.createIndex('byHost', 'apiHost');
    records.createIndex('byAccount', ['apiHost', 'accountId']);
    const matches = db.createObjectStore('matches', { keyPath: ['apiHost', 'profileId'] });
    matches.createIndex('byHost', 'apiHost');
    matches.createIndex('byRecord', ['apiHost', 'recordId']);
    db.createObjectStore('overrides', { keyPath: 'apiHost' });
  },
  // 3: logged items (notes, messages, InMails, calls, tags) with their outbox state, and the
  // audit log of everything written to a CRM (docs/writeback.md).
  (db) => {
    const items = db.createObjectStore('items', { keyPath: 'id' });
    items.createIndex('byRecord', ['about.apiHost', 'about.recordId']);
    items.createIndex('byProfile', 'about.profileId');
    items.createIndex('byState', 'state');
    const audit = db.createObjectStore('audit', { keyPath: 'seq', autoIncrement: true });
    audit.createIndex('byItem', 'itemId');
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function openStore(name = DB_NAME, version = SCHEMA_VERSION) {
  return openDB(name, version, {
    upgrade(db, oldVersion, newVersion, tx) {
      for (let v = oldVersion; v < newVersion; v += 1) MIGRATIONS[v](db, tx);
    },
  });
}

/** Values for `keys` from one store, in order (undefined where missing). */
export async function getMany(db, storeName, keys) {
  const tx = db.transaction(storeName, 'readonly');
  const values = await Promise.all(keys.map((k) => tx.store.get(k)));
  await tx.done;
  return values;
}

/** Puts all `values` in one transaction: all are stored, or none. */
export async function putMany(db, storeName, values) {
  const tx = db.transaction(storeName, 'readwrite');
  const pending = [tx.done];
  try {
    for (const value of values) pending.push(tx.store.put(value));
  } catch (err) {
    // put() throws at once for a value without a key; abort so the puts queued before it
    // do not commit, and let their now-failing requests settle quietly.
    tx.abort();
    pending.forEach((p) => p.catch(() => {}));
    throw err;
  }
  await Promise.all(pending);
}
