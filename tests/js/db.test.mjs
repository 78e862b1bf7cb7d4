// The extension store's schema and migrations, on the built extension's own module, with an
// in-memory IndexedDB.
import 'fake-indexeddb/auto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';

const dist = process.env.EXT_CHROME ?? resolve(import.meta.dirname, '../../dist/chrome');
const { openStore, MIGRATIONS, SCHEMA_VERSION, getMany, putMany } = await import(join(dist, 'background/db.js'));

const profile = (id, company) => ({ person: { id, company }, origin: 'manual', connectedOn: null });
let n = 0;
const freshName = () => `test-${(n += 1)}`;

describe('extension store', () => {
  it('creates the latest schema from nothing', async () => {
    const db = await openStore(freshName());
    assert.equal(db.version, SCHEMA_VERSION);
    assert.ok(db.objectStoreNames.contains('profiles'));
    db.close();
  });

  it('runs each migration once, in order, and keeps data across versions', async () => {
    const name = freshName();
    const v1 = await openStore(name, 1);
    await putMany(v1, 'profiles', [profile('url:in/ada', 'Acme')]);
    v1.close();
    const latest = await openStore(name);
    const [kept] = await getMany(latest, 'profiles', ['url:in/ada']);
    assert.equal(kept.person.company, 'Acme');
    assert.equal(latest.version, MIGRATIONS.length);
    latest.close();
  });

  it('stores a batch all or nothing', async () => {
    const db = await openStore(freshName());
    const bad = [profile('url:in/a', 'A'), { person: {} }];
    await assert.rejects(putMany(db, 'profiles', bad));
    assert.equal(await db.count('profiles'), 0);
    db.close();
  });
});
