// The extension store's schema and migrations: the core's migration list (storeSchema() of the
// built wasm) applied by the built extension's own db.js, with an in-memory IndexedDB.
import 'fake-indexeddb/auto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const dist = process.env.EXT_CHROME ?? resolve(import.meta.dirname, '../../dist/chrome');
const core = await import(join(dist, 'pkg/crmsync.js'));
core.initSync({ module: await readFile(join(dist, 'pkg/crmsync_bg.wasm')) });
const { openStore, getMany } = await import(join(dist, 'background/db.js'));
const { hostPorts } = await import(join(dist, 'background/host.js'));
// Values go in the way the core writes them: one batch through the host's write port.
const putMany = (db, store, values) => hostPorts(async () => db, () => {}).write(values.map((value) => ({ op: 'put', store, value })));
const schema = core.storeSchema();

const profile = (id, company) => ({ person: { id, company }, origin: 'manual', connectedOn: null });
let n = 0;
const freshName = () => `test-${(n += 1)}`;

describe('extension store', () => {
  it('creates the latest schema from nothing', async () => {
    const db = await openStore(schema, freshName());
    assert.equal(db.version, schema.length);
    assert.deepEqual([...db.objectStoreNames].sort(), ['audit', 'items', 'matches', 'meta', 'overrides', 'profiles', 'records']);
    const tx = db.transaction(['records', 'audit']);
    assert.deepEqual(tx.objectStore('records').keyPath, ['apiHost', 'id']);
    assert.deepEqual([...tx.objectStore('records').indexNames].sort(), ['byAccount', 'byHost']);
    assert.equal(tx.objectStore('audit').autoIncrement, true);
    db.close();
  });

  it('runs each migration once, in order, and keeps data across versions', async () => {
    const name = freshName();
    const v1 = await openStore(schema, name, 1);
    assert.deepEqual([...v1.objectStoreNames].sort(), ['meta', 'profiles']);
    await putMany(v1, 'profiles', [profile('url:in/ada', 'Acme')]);
    v1.close();
    const latest = await openStore(schema, name);
    const [kept] = await getMany(latest, 'profiles', ['url:in/ada']);
    assert.equal(kept.person.company, 'Acme');
    assert.equal(latest.version, schema.length);
    latest.close();
    // A later migration may index a store an earlier one created; the data stays and is indexed.
    const next = [...schema, [{ op: 'createIndex', store: 'profiles', name: 'byCompany', keyPath: 'person.company' }]];
    const upgraded = await openStore(next, name);
    assert.equal(upgraded.version, schema.length + 1);
    assert.equal((await upgraded.getAllFromIndex('profiles', 'byCompany', 'Acme')).length, 1);
    upgraded.close();
  });

  it('refuses a step it does not know, and the upgrade does not happen', async () => {
    const name = freshName();
    (await openStore(schema, name)).close();
    const bad = [...schema, [{ op: 'dropEverything' }]];
    await assert.rejects(openStore(bad, name));
    const still = await openStore(schema, name);
    assert.equal(still.version, schema.length);
    still.close();
  });

  it('stores a batch all or nothing', async () => {
    const db = await openStore(schema, freshName());
    const bad = [profile('url:in/a', 'A'), { person: {} }];
    await assert.rejects(putMany(db, 'profiles', bad));
    assert.equal(await db.count('profiles'), 0);
    db.close();
  });
});
