// The host ports the Rust core drives (src/host.rs): HTTP, the IndexedDB store, cookies of the
// tab's cookie store, clock, randomness, timers, alarms, locks, the toolbar badge, broadcast.
import { api } from '../browser-api.js';
import { perform } from './fetch.js';
import { getMany } from './db.js';

/** The IndexedDB range of text keys starting with `prefix`. */
const prefixRange = (prefix) => IDBKeyRange.bound(prefix, `${prefix}\uffff`);

/** Runs `query` (`{by: 'all' | 'index' | 'prefix'}`) as `method` on the store or index. */
function queried(source, method, query) {
  if (query.by === 'index') return source.index(query.index)[method](query.key);
  if (query.by === 'prefix') return source[method](prefixRange(query.prefix));
  return source[method]();
}

async function deleteWhere(store, query) {
  if (query.by === 'all') return store.clear();
  if (query.by === 'prefix') return store.delete(prefixRange(query.prefix));
  for (let cursor = await store.index(query.index).openKeyCursor(query.key); cursor; cursor = await cursor.continue()) {
    await store.delete(cursor.primaryKey);
  }
}

/** Applies one batch in one transaction: all of it is stored, or none. */
async function write(db, batch) {
  const names = [...new Set(batch.map((op) => op.store))];
  if (!names.length) return;
  const tx = db.transaction(names, 'readwrite');
  const pending = [tx.done];
  try {
    for (const op of batch) {
      const store = tx.objectStore(op.store);
      if (op.op === 'put') pending.push(store.put(op.value));
      else if (op.op === 'delete') pending.push(store.delete(op.key));
      else await deleteWhere(store, op.query);
    }
  } catch (err) {
    // put() throws at once for a value without its key: nothing queued before it commits.
    tx.abort();
    pending.forEach((p) => p.catch(() => {}));
    throw err;
  }
  await Promise.all(pending);
}

// Locks the core holds now: a core that trapped never lets go of its own (releaseLocks).
const heldLocks = new Set();

/** Waits for the Web Lock `name` (shared by both modules) and resolves to its release.
 *  Service workers have `navigator.locks` (Web Locks IDL: `Exposed=(Window,Worker)`). */
const lock = (name) => new Promise((granted) => {
  navigator.locks.request(name, () => new Promise((done) => {
    const release = () => { heldLocks.delete(release); done(); };
    heldLocks.add(release);
    granted(release);
  }));
});

/** Releases every lock the core holds (a fresh core after a trap knows none of them). */
export const releaseLocks = () => [...heldLocks].forEach((release) => release());

const cookieOf = (cookie) => cookie && { name: cookie.name, value: cookie.value, domain: cookie.domain, secure: cookie.secure };
// A cookie store id only where the browser has several (Chrome's default needs none).
const inStore = (details, storeId) => (storeId ? { ...details, storeId } : details);

/** The ports over the store `db()`; `onTimer(name)` hands a fired timer to the core.
 *  @param {() => Promise<import('../pkg/crmsync_rare.js').RareBackground>} [rare] */
export function hostPorts(db, broadcast, onTimer = (_name) => {}, rare = undefined) {
  const timers = new Map();
  return {
    fetch: (request) => perform(request, { timeoutMs: 60_000 }),
    get: async (store, key) => (await db()).get(store, key),
    getMany: async (store, keys) => getMany(await db(), store, keys),
    getAll: async (store, query) => queried((await db()).transaction(store).store, 'getAll', query),
    keys: async (store, query) => queried((await db()).transaction(store).store, 'getAllKeys', query),
    count: async (store, query) => queried((await db()).transaction(store).store, 'count', query),
    write: async (batch) => write(await db(), batch),
    cookie: async (url, name, storeId) => cookieOf(await api.cookies.get(inStore({ url, name }, storeId))),
    cookies: async (domain, name, storeId) =>
      (await api.cookies.getAll(inStore({ domain, name }, storeId))).map(cookieOf),
    now: () => Date.now(),
    setAlarm: (name, when) => {
      if (when == null) api.alarms.clear(name);
      else api.alarms.create(name, { when });
    },
    // Any extension API call resets Chrome's 30 s idle timer; this one is cheap.
    keepAlive: () => api.runtime.getPlatformInfo().then(() => {}, () => {}),
    setTimer: (name, delay) => {
      clearTimeout(timers.get(name));
      timers.delete(name);
      if (delay != null) timers.set(name, setTimeout(() => { timers.delete(name); onTimer(name); }, delay));
    },
    random: () => Math.random(),
    newId: () => crypto.randomUUID(),
    setBadge: ({ text, color, count }) => {
      const title = count ? api.i18n.getMessage('actionTitleWaiting', [String(count)]) : api.i18n.getMessage('extName');
      return Promise.all([
        api.action?.setBadgeBackgroundColor({ color }),
        api.action?.setBadgeText({ text }),
        api.action?.setTitle({ title }),
      ]).catch(() => {});
    },
    broadcast,
    lock,
    rare: async (message, sender, onProgress) => (await rare()).handle(message, sender, onProgress),
    // The admin's browser policy (the core checks it); Firefox without one rejects: no policy.
    managedPolicy: () => new Promise((resolve) => resolve(api.storage?.managed?.get())).then((policy) => policy ?? null, () => null),
  };
}
