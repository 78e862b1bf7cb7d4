// The extension's durable store (IndexedDB). Its schema is the core's (src/store.rs): ordered
// migrations of steps, applied here in order, so this file names no store.
import { openDB } from '../vendor/idb.js';

export const DB_NAME = 'crmsync';

/**
 * @typedef {{op: 'createStore', store: string, keyPath: string | string[], autoIncrement: boolean}
 *   | {op: 'createIndex', store: string, name: string, keyPath: string | string[]}} Step
 */

const APPLY = {
  createStore: (db, _tx, step) => db.createObjectStore(step.store, { keyPath: step.keyPath, autoIncrement: step.autoIncrement }),
  createIndex: (_db, tx, step) => tx.objectStore(step.store).createIndex(step.name, step.keyPath),
};

/**
 * Opens the store at `version` (the latest by default): `schema[n]` upgrades version n to
 * n + 1, and each runs once, in order.
 * @param {Step[][]} schema
 */
export async function openStore(schema, name = DB_NAME, version = schema.length) {
  // A step this file cannot apply refuses the schema before any upgrade starts.
  const unknown = schema.flat().find((step) => !Object.hasOwn(APPLY, step.op));
  if (unknown) throw new Error(`unknown schema step ${JSON.stringify(unknown)}`);
  return openDB(name, version, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < version; v += 1) {
        for (const step of schema[v]) APPLY[step.op](db, tx, step);
      }
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
