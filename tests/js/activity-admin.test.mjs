// Unresolved Activities in the background, on the built extension's background core (wasm)
// over its real host ports and an in-memory IndexedDB: listing, discarding, resolving,
// record search, exports and the toolbar badge.
import 'fake-indexeddb/auto';
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const dist = process.env.EXT_CHROME ?? resolve(import.meta.dirname, '../../dist/chrome');

// The toolbar and i18n APIs the module uses, recorded instead of shown.
const badge = { text: null, title: null };
globalThis.chrome = {
  action: {
    setBadgeText: async ({ text }) => { badge.text = text; },
    setBadgeBackgroundColor: async () => {},
    setTitle: async ({ title }) => { badge.title = title; },
  },
  i18n: { getMessage: (key, subs = []) => [key, ...subs].join(' ') },
};

// Web Locks (the items lock, background/host.js), which Node 20 lacks: one holder a name at a
// time, in the order asked.
const held = new Map();
globalThis.navigator ??= {
  locks: {
    request: (name, task) => {
      const run = (held.get(name) ?? Promise.resolve()).then(() => task());
      held.set(name, run.catch(() => {}));
      return run;
    },
  },
};

const core = await import(join(dist, 'pkg/crmsync.js'));
core.initSync({ module: await readFile(join(dist, 'pkg/crmsync_bg.wasm')) });
// Exports are rare work: the start module asks the rare module for them.
const rare = await import(join(dist, 'pkg/crmsync_rare.js'));
rare.initSync({ module: await readFile(join(dist, 'pkg/crmsync_rare_bg.wasm')) });
const { openStore } = await import(join(dist, 'background/db.js'));
const { hostPorts } = await import(join(dist, 'background/host.js'));
// Values go in the way the core writes them: one batch through the host's write port.
const putMany = (db, store, values) => hostPorts(async () => db, () => {}).write(values.map((value) => ({ op: 'put', store, value })));

/** The background core over `db`, and how a page's message reaches it. */
function backgroundOf(db) {
  const rareBackground = async () => new rare.RareBackground(hostPorts(async () => db, () => {}));
  const bg = new core.Background(hostPorts(async () => db, () => {}, undefined, rareBackground));
  const send = async (msg) => (await bg.handle(JSON.stringify(msg), 'extensionPage', {})).answer;
  return {
    listItems: (state) => send({ listItems: { state } }),
    searchRecords: (query) => send({ searchRecords: { query } }),
    resolveItem: (msg) => send({ resolveItem: { ...msg } }),
    discardItem: (id) => send({ discardItem: { id } }),
    listAudit: () => send('listAudit'),
    exportItems: (state) => send({ exportItems: { state } }),
    exportAudit: () => send('exportAudit'),
    // Starting the core shows the badge; so does every change of an item's state.
    refreshBadge: async () => { await bg.start(); return Number(badge.text || 0); },
  };
}

const SF = 'acme.my.salesforce.com';
const DYN = 'acme.crm.dynamics.com';
const contactId = '003000000000001AAA';
const dynId = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

const item = (id, state, extra = {}) => ({
  id, kind: 'inMail', subject: `Subject ${id}`, body: 'Hello', occurredAt: '2026-11-24T09:30:00Z',
  call: null, tags: [], createdAt: Number(id.replace(/\D/g, '')), about: { profileId: 'url:in/ada', profileName: 'Ada Lovelace' },
  copy: true, state, reason: null, attempts: 2, nextAttemptAt: 5, uncertain: false, progress: {},
  error: null, crmIds: [], writtenAt: null, ...extra,
});

let n = 0;
async function seeded() {
  const db = await openStore(core.storeSchema(), `admin-${(n += 1)}`);
  await putMany(db, 'records', [
    { apiHost: SF, id: contactId, recordType: 'contact', name: 'Ada Lovelace', accountId: '001000000000001AAA' },
    { apiHost: SF, id: '001000000000001AAA', recordType: 'account', name: 'Analytical Engines' },
    { apiHost: SF, id: '006000000000001AAA', recordType: 'opportunity', name: 'Ada renewal' },
    { apiHost: DYN, id: dynId, recordType: 'lead', name: 'Ada Byron', person: { id: dynId, company: 'Byron & Co' } },
  ]);
  await putMany(db, 'meta', [
    { key: `lastSynced:${SF}`, value: 1, crm: 'salesforce' },
    { key: `lastSynced:${DYN}`, value: 1, crm: 'dynamics' },
  ]);
  await putMany(db, 'items', [item('i1', 'unresolved'), item('i2', 'unresolved'), item('i3', 'parked', {
    error: { kind: 'rejected', code: 'X', message: '=HYPERLINK("bad")', status: 400, retryAfter: null },
  }), item('i4', 'written')]);
  return db;
}

describe('Unresolved Activities in the background', () => {
  let db;
  let admin;
  before(async () => { db = await seeded(); admin = backgroundOf(db); });

  it('lists one state, newest first', async () => {
    assert.deepEqual((await admin.listItems('unresolved')).ok.map((i) => i.id), ['i2', 'i1']);
  });

  it('finds records across orgs by folded name, never Opportunities, with their CRM and company', async () => {
    const { ok: found } = await admin.searchRecords('ADA');
    assert.deepEqual(found.map((r) => r.name).sort(), ['Ada Byron', 'Ada Lovelace']);
    const lead = found.find((r) => r.apiHost === DYN);
    assert.deepEqual(lead, { apiHost: DYN, id: dynId, recordType: 'lead', name: 'Ada Byron', crm: 'dynamics', company: 'Byron & Co' });
    assert.equal(found.find((r) => r.apiHost === SF).company, 'Analytical Engines');
    assert.deepEqual(await admin.searchRecords('  '), { ok: [] });
  });

  it('sees records synced after the first search', async () => {
    await admin.searchRecords('ada');
    await putMany(db, 'records', [{ apiHost: SF, id: '003000000000002AAA', recordType: 'contact', name: 'Grace Hopper' }]);
    await db.put('meta', { key: `lastSynced:${SF}`, value: 2, crm: 'salesforce' });
    assert.deepEqual((await admin.searchRecords('grace')).ok.map((r) => r.id), ['003000000000002AAA']);
  });

  it('resolves an item onto a synced record and queues it afresh', async () => {
    const { ok } = await admin.resolveItem({ id: 'i1', apiHost: SF, recordType: 'contact', recordId: contactId });
    assert.equal(ok.state, 'queued');
    assert.equal(ok.attempts, 0);
    assert.equal(ok.nextAttemptAt, 0);
    assert.deepEqual(ok.about, {
      profileId: 'url:in/ada', profileName: 'Ada Lovelace', crm: 'salesforce', apiHost: SF,
      pageHost: 'acme.lightning.force.com', recordType: 'contact', recordId: contactId, recordName: 'Ada Lovelace',
    });
    assert.deepEqual(await db.get('items', 'i1'), ok);
  });

  it('refuses records that are not synced, of another type, or Opportunities, and items not waiting', async () => {
    const to = (recordType, recordId, id = 'i2') => admin.resolveItem({ id, apiHost: SF, recordType, recordId });
    assert.deepEqual(await to('contact', '003000000000009AAA'), { error: { code: 'noSuchRecord' } });
    assert.deepEqual(await to('lead', contactId), { error: { code: 'noSuchRecord' } });
    assert.deepEqual(await to('opportunity', '006000000000001AAA'), { error: { code: 'noSuchRecord' } });
    assert.deepEqual(await to('contact', contactId, 'i4'), { error: { code: 'wrongState', state: 'written' } });
    assert.deepEqual(await to('contact', contactId, 'nope'), { error: { code: 'notFound' } });
    assert.equal((await db.get('items', 'i2')).state, 'unresolved');
  });

  it('discards an unresolved or parked item but keeps it', async () => {
    assert.equal((await admin.discardItem('i2')).ok.state, 'discarded');
    assert.equal((await db.get('items', 'i2')).state, 'discarded');
    assert.deepEqual(await admin.discardItem('i4'), { error: { code: 'wrongState', state: 'written' } });
  });

  it('exports items as CSV with formulas defused', async () => {
    const { ok: csv } = await admin.exportItems('parked');
    const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    // Every cell quoted, formulas defused (src/escape/csv_cell.rs).
    assert.equal(lines[0], '"id","kind","subject","body","occurredAt","about","state","error"');
    assert.equal(lines[1], '"i3","inMail","Subject i3","Hello","2026-11-24T09:30:00Z","Ada Lovelace","parked","\'=HYPERLINK(""bad"")"');
    assert.equal(lines.length, 2);
  });

  it('lists and exports the audit log newest first, times as ISO 8601', async () => {
    const row = (subject, writtenAt) => ({ itemId: 'i4', kind: 'note', subject, crm: 'salesforce', apiHost: SF, recordType: 'contact',
      recordId: contactId, recordName: 'Ada Lovelace', crmIds: ['069A'], writtenAt, by: 'demo@acme.com' });
    await db.add('audit', row('first', Date.UTC(2026, 10, 24, 10)));
    await db.add('audit', row('second', '2026-11-25T08:00:00Z'));
    assert.deepEqual((await admin.listAudit()).ok.map((r) => r.subject), ['second', 'first']);
    const lines = (await admin.exportAudit()).ok.trimEnd().split('\r\n');
    assert.equal(lines.length, 3);
    assert.match(lines[2], /^"2026-11-24T10:00:00.000Z","note","first","salesforce","acme.my.salesforce.com","contact",/);
  });

  it('counts unresolved and parked items on the toolbar badge', async () => {
    const fresh = backgroundOf(await seeded());
    assert.equal(await fresh.refreshBadge(), 3);
    assert.equal(badge.text, '3');
    assert.equal(badge.title, 'actionTitleWaiting 3');
    await fresh.discardItem('i1');
    await fresh.discardItem('i2');
    await fresh.discardItem('i3');
    assert.equal(badge.text, '', 'each change recounts');
    assert.equal(await fresh.refreshBadge(), 0);
    assert.equal(badge.text, '');
  });
});
