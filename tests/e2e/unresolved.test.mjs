// Unresolved Activities and the audit log in both browsers: the page lists unresolved and
// parked items, asks before discarding, resolves an item through the record search (it is
// queued), exports CSV, and the toolbar badge counts what waits; the audit page lists what
// was written, newest first. Nothing in this branch creates items or audit rows yet, so the
// test puts them in the extension's IndexedDB from inside an extension frame.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import { records, openExtensionPage } from './crm.mjs';
import { seriousViolations } from './axe.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');

const item = (id, state, subject, extra = {}) => ({
  id, kind: 'note', subject, body: 'Met at the expo', occurredAt: '2026-11-24T09:30:00Z', call: null, tags: [],
  createdAt: Date.now(), about: { profileId: `url:in/${id}`, profileName: `Person ${id}` }, copy: true, state,
  reason: null, attempts: 0, nextAttemptAt: 0, uncertain: false, progress: {}, error: null, crmIds: [], writtenAt: null, ...extra,
});
const ITEMS = [
  item('u-1', 'unresolved', 'Intro call notes'),
  item('u-2', 'unresolved', '=cmd|calc'),
  item('p-1', 'parked', 'Quarterly review', {
    about: { profileName: 'Person p-1', recordName: 'Somebody' },
    error: { kind: 'rejected', code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Status]', status: 400, retryAfter: null },
  }),
];

const audit = (subject, writtenAt) => ({
  itemId: 'w-1', kind: 'call', subject, crm: 'dynamics', apiHost: 'acme.crm.dynamics.com', recordType: 'contact',
  recordId: 'c-1', recordName: 'Written Person', crmIds: [`activity-${subject}`], writtenAt, by: 'demo@acme.onmicrosoft.com',
});
const AUDIT = [audit('older', '2026-11-20T08:00:00Z'), audit('newer', '2026-11-21T08:00:00Z')];

/** Runs in an extension frame: the item as stored (IndexedDB is shared by all extension pages). */
const storedItem = (frame, id) => frame.evaluate((key) => new Promise((resolve, reject) => {
  const open = indexedDB.open('crmsync');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const get = open.result.transaction('items').objectStore('items').get(key);
    get.onsuccess = () => { resolve(get.result); open.result.close(); };
    get.onerror = () => reject(get.error);
  };
}), id);

async function seed(frame, storeName, values) {
  await frame.evaluate((name, rows) => new Promise((resolve, reject) => {
    const open = indexedDB.open('crmsync');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(name, 'readwrite');
      for (const row of rows) tx.objectStore(name).put(row);
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), storeName, values);
}

/** Waits until the org's records are synced (the panel starts the first sync). */
async function waitForSynced(frame, name) {
  await frame.waitForFunction(async (query) => {
    const api = globalThis.browser ?? globalThis.chrome;
    const found = await api.runtime.sendMessage({ searchRecords: { query } });
    return Array.isArray(found?.ok) && found.ok.length > 0;
  }, { timeout: 30_000, polling: 500 }, name);
}

const listed = (frame, state) => frame.$$eval(`#${state}-list strong`, (els) => els.map((e) => e.textContent));

/**
 * The toolbar badge, read in an extension frame. Firefox gives an extension page framed in a
 * web page only the content-script APIs (no `action`), and its WebDriver cannot script a
 * top-level extension page, so there the badge goes unchecked (tests/js checks the count).
 */
async function assertBadge(session, frame, expected) {
  if (session.name === 'firefox') return;
  assert.equal(await frame.evaluate(() => chrome.action.getBadgeText({})), expected);
}

/** The button labelled `text` on the listed item with this subject. */
async function itemButton(frame, subject, text) {
  const handle = await frame.evaluateHandle((s, t) => {
    const li = [...document.querySelectorAll('.item')].find((el) => el.querySelector('strong')?.textContent === s);
    return [...(li?.querySelectorAll('button') ?? [])].find((b) => b.textContent === t) ?? null;
  }, subject, text);
  const button = handle.asElement();
  assert.ok(button, `no button "${text}" on "${subject}"`);
  return button;
}

for (const browserName of browsers) {
  describe(`Unresolved Activities in ${browserName}`, () => {
    let session;
    let frame;
    let contact;
    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      [contact] = await records('dynamics', 'contact');
      frame = await openExtensionPage(session, 'unresolved.html', '#open-unresolved', async (panel) => {
        await waitForSynced(panel, contact.fields.fullname);
        await seed(panel, 'items', ITEMS);
        await seed(panel, 'audit', AUDIT);
      });
      await frame.waitForFunction(() => document.querySelectorAll('.item').length === 3, { timeout: 10_000 });
    });
    after(() => session?.close());

    it('lists unresolved and parked items with the CRM\'s own words', async () => {
      assert.deepEqual((await listed(frame, 'unresolved')).sort(), ['=cmd|calc', 'Intro call notes']);
      assert.deepEqual(await listed(frame, 'parked'), ['Quarterly review']);
      const parked = await frame.$eval('#parked-list .item', (li) => li.textContent);
      assert.match(parked, /Required fields are missing: \[Status\]/);
      assert.match(parked, /About Somebody/);
      assert.deepEqual(await seriousViolations(frame), []);
    });

    it('exports a list as CSV through a Blob URL', async () => {
      await frame.evaluate(() => {
        window.__downloads = [];
        const create = URL.createObjectURL.bind(URL);
        URL.createObjectURL = (blob) => { window.__downloads.push(blob); return create(blob); };
        // Downloads are recorded, not saved; other links still work.
        const follow = HTMLAnchorElement.prototype.click;
        HTMLAnchorElement.prototype.click = function click() {
          if (this.download) window.__downloads.push(this.download);
          else follow.call(this);
        };
      });
      await frame.click('#export-unresolved');
      await frame.waitForFunction(() => window.__downloads.length === 2);
      const [csv, name] = await frame.evaluate(async () => [await window.__downloads[0].text(), window.__downloads[1]]);
      assert.match(name, /^unresolved-activities-\d{4}-\d\d-\d\d\.csv$/);
      const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      // Every cell quoted, formulas defused (src/escape/csv_cell.rs).
      assert.equal(lines[0], '"id","kind","subject","body","occurredAt","about","state","error"');
      assert.equal(lines.length, 3);
      assert.ok(lines.includes(`"u-2","note","'=cmd|calc","Met at the expo","2026-11-24T09:30:00Z","Person u-2","unresolved",""`), csv);
    });

    it('asks before discarding, then removes the item from the list and counts it off the badge', async () => {
      await (await itemButton(frame, 'Quarterly review', 'Discard')).click();
      const question = await frame.waitForSelector('.tray [role=group]', { timeout: 5000 });
      assert.match(await question.evaluate((g) => g.textContent), /Discard “Quarterly review”\?/);
      assert.equal((await storedItem(frame, 'p-1')).state, 'parked', 'nothing happens before the confirmation');
      assert.equal(await frame.evaluate(() => document.activeElement.textContent), 'Yes, discard');
      await frame.evaluate(() => document.activeElement.click());
      await frame.waitForFunction(() => document.querySelectorAll('#parked-list .item').length === 0, { timeout: 5000 });
      assert.equal((await storedItem(frame, 'p-1')).state, 'discarded');
      assert.equal(await frame.$eval('#parked-empty', (p) => p.hidden), false);
      await assertBadge(session, frame, '2');
    });

    it('resolves an item by searching the synced records: it is queued for that record', async () => {
      await (await itemButton(frame, 'Intro call notes', 'Pick record')).click();
      const name = contact.fields.fullname;
      await frame.waitForFunction(() => document.activeElement?.matches('input[type=search]'));
      await frame.type('.tray input[type=search]', name.split(' ')[0].toLowerCase());
      const choice = await frame.waitForFunction((n) => [...document.querySelectorAll('.record-choice')]
        .find((b) => b.querySelector('.record-name').textContent === n && /Contact/.test(b.textContent)), { timeout: 10_000 }, name);
      assert.deepEqual(await seriousViolations(frame), [], 'with the search open');
      await choice.asElement().click();
      await frame.waitForFunction(() => document.querySelectorAll('#unresolved-list .item').length === 1, { timeout: 5000 });
      const stored = await storedItem(frame, 'u-1');
      // Queued; once the outbox runs it may already be written.
      assert.ok(['queued', 'written'].includes(stored.state), stored.state);
      assert.equal(stored.about.recordName, name);
      assert.equal(stored.about.recordType, 'contact');
      assert.equal(stored.about.apiHost, 'acme.crm.dynamics.com');
      assert.match(await frame.$eval('#status', (s) => s.textContent), /Queued for/);
      await assertBadge(session, frame, '1');
    });

    it('the audit log lists what was written, newest first', async () => {
      await frame.evaluate(() => [...document.querySelectorAll('nav a')].find((a) => a.getAttribute('href') === 'audit.html').click());
      // The item resolved above may have been written by now: its row is then the newest.
      await frame.waitForFunction(() => document.querySelectorAll('#audit-rows tr').length >= 2, { timeout: 10_000 });
      const all = await frame.$$eval('#audit-rows tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
      const rows = all.filter((r) => r[1].startsWith('Call: '));
      assert.ok(all.length === 2 || (all.length === 3 && all[0][1] === 'Note: Intro call notes'), JSON.stringify(all));
      assert.deepEqual(rows.map((r) => r[1]), ['Call: newer', 'Call: older']);
      assert.deepEqual(rows[0].slice(2), ['Written Person Contact · acme.crm.dynamics.com', 'activity-newer', 'demo@acme.onmicrosoft.com']);
      assert.deepEqual(await seriousViolations(frame), []);
    });
  });
}
