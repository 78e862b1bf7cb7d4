// What the user created survives the background being stopped and the browser restarting
// (Chromium: Firefox removes temporarily installed add-ons, and their data, at restart):
// profiles, links, and an activity still waiting in the outbox for the user to sign in.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, control } from './harness.mjs';
import { openOptions, records, signInSalesforce, lightningRecordPath, panelFrame } from './crm.mjs';

const EXPORT = join(import.meta.dirname, '../fixtures/imports/Connections.csv');
const profileDir = await mkdtemp(join(tmpdir(), 'crmsync-durable-'));
const ITEM_FIELD = 'Crmsync_Item_Id__c';
let waitingItem = null;

const sendFromPanel = async (page, message) => (await panelFrame(page)).evaluate((m) => chrome.runtime.sendMessage(m), message);

async function panelShowsMatch(page) {
  const frame = await panelFrame(page);
  await frame.waitForFunction(() => /Matched on/.test(document.body.innerText), { timeout: 20_000 });
}

describe('durability in chromium', () => {
  after(() => rm(profileDir, { recursive: true, force: true }));

  it('keeps profiles and links when the service worker is stopped', async () => {
    await control('reset?seed=demo', { method: 'POST' });
    const session = await launch('chromium', { profileDir });
    try {
      const options = await openOptions(session);
      await (await options.$('#import-file')).uploadFile(EXPORT);
      await options.waitForFunction(() => /Imported 5 new/.test(document.getElementById('import-summary').textContent), { timeout: 15_000 });
      const [ada] = await records('salesforce', 'Contact');
      const page = await session.browser.newPage();
      await signInSalesforce(page, lightningRecordPath('Contact', ada.id));
      await panelShowsMatch(page);

      const serviceWorker = async () =>
        (await session.browser.waitForTarget((t) => t.type() === 'service_worker')).worker();
      const worker = await serviceWorker();
      await worker.evaluate(() => { globalThis.crmsyncTestMarker = 'before stop'; });
      await worker.close();
      // The next message wakes a fresh worker, which loads wasm and reads the same store.
      await page.reload();
      await panelShowsMatch(page);
      const restarted = await serviceWorker();
      assert.equal(await restarted.evaluate(() => globalThis.crmsyncTestMarker ?? 'fresh'), 'fresh', 'the worker really restarted');

      // An activity saved while the CRM session has expired waits in the outbox.
      assert.deepEqual(await sendFromPanel(page, { prepareOrg: { apiHost: 'acme.my.salesforce.com' } }), { ok: true });
      await control('sessions/expire', { method: 'POST' });
      const item = { kind: 'note', subject: 'Before the restart', body: 'Kept through it', occurredAt: new Date().toISOString(), tags: [] };
      waitingItem = (await sendFromPanel(page, { logItem: { url: page.url(), item, copyToCrm: true } })).ok;
      const panel = await panelFrame(page);
      await panel.waitForFunction(async (url) => (await chrome.runtime.sendMessage({ getActivity: { url } })).ok.outbox.needsSignIn, { timeout: 10_000, polling: 200 }, page.url());
    } finally {
      await session.close();
    }
  });

  it('keeps them across a browser restart', async () => {
    const session = await launch('chromium', { profileDir });
    try {
      const [ada] = await records('salesforce', 'Contact');
      const page = await session.browser.newPage();
      await signInSalesforce(page, lightningRecordPath('Contact', ada.id));
      await panelShowsMatch(page);
      const options = await openOptions(session);
      assert.equal(await options.$eval('#profile-count', (el) => el.textContent), '5');
      // Signed in again, the waiting activity is written, once.
      const deadline = Date.now() + 20_000;
      let notes = [];
      while (Date.now() < deadline && !notes.length) {
        notes = (await records('salesforce', 'ContentNote')).filter((n) => n.fields[ITEM_FIELD] === waitingItem.id);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(notes.length, 1, 'the queued note reached Salesforce after the restart');
    } finally {
      await session.close();
    }
  });
});
