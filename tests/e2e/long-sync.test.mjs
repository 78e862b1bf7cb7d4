// A first sync long enough for the browser to stop the background mid-way: with 500 ms per
// query page (a real org's pace) the worker is stopped (Chromium) or the event page torn
// down (Firefox) after a few pages; the sync carries on by itself from its checkpoint, reads
// no page twice, and the panel says "Last synced" with every contact linked.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, BROWSERS } from './harness.mjs';
import { records, signInSalesforce, lightningRecordPath, waitForPanel, openOptions } from './crm.mjs';

const browsers = process.env.E2E_BROWSERS?.split(',') ?? BROWSERS;
const CONTACTS = 9_000; // five query pages of 2,000 contacts, after the demo accounts
const QUERY = '/services/data/v66.0/query';

const queries = async () => (await control('requests')).filter((r) => r.path.startsWith(QUERY));
const soql = (r) => decodeURIComponent(r.path.replaceAll('+', ' '));
const firstPages = (list, object) => list.filter((r) => soql(r).includes(`FROM ${object} `));

async function until(test, what, timeout = 120_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Stops the background: Chromium ends the service worker, Firefox reloads the add-on (its
 *  event page is torn down and started afresh, as after a suspension). */
async function stopBackground(session) {
  if (session.name === 'chromium') {
    const target = await session.browser.waitForTarget((t) => t.type() === 'service_worker');
    await (await target.worker()).close();
  } else {
    const options = await openOptions(session);
    await options.evaluate(() => { browser.runtime.reload(); }).catch(() => {});
  }
}

for (const browserName of browsers) {
  describe(`a long first sync in ${browserName}`, () => {
    let session;
    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      await control(`generate/contacts?count=${CONTACTS}&crm=salesforce`, { method: 'POST' });
      await control('faults', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ path: QUERY, latencyMs: 500 }]) });
      await control('requests', { method: 'DELETE' });
      session = await launch(browserName);
    });
    after(async () => {
      await control('faults', { method: 'DELETE' });
      await session?.close();
    });

    it('resumes by itself after the background is stopped mid-sync, without starting over', { timeout: 420_000 }, async () => {
      const contacts = await records('salesforce', 'Contact');
      const target = contacts.at(-1);
      const page = await session.browser.newPage();
      await signInSalesforce(page, lightningRecordPath('Contact', target.id));
      await waitForPanel(page, (t) => /Syncing/.test(t), 'the sync to start', { timeout: 30_000 });
      // A few contact pages in: the browser stops the background.
      await until(async () => (await queries()).length >= 3, 'three query pages');
      await stopBackground(session);
      const stoppedAt = (await queries()).length;

      // Nobody touches the extension: its alarm (or its restart) resumes the sync.
      await until(async () => firstPages(await queries(), 'Opportunity').length > 0, 'the sync to reach Opportunities', 150_000);
      const all = await queries();
      assert.ok(all.length > stoppedAt, 'pages were read after the stop');
      // Only the page in flight when the background stopped may be read again: a sync that
      // started over would read every page before the stop again.
      const paths = all.map((r) => r.path);
      const readAgain = paths.length - new Set(paths).size;
      assert.ok(readAgain <= 1, `${readAgain} pages read again after the stop`);
      assert.ok(firstPages(all, 'Contact').length <= 2, 'contacts did not start over');

      // Firefox may suspend the event page again while it links the records: its alarm
      // (30 s) or this reload wakes it, and the job resumes from its checkpoint.
      await page.reload();
      await waitForPanel(page, (t) => /Last synced/.test(t) && !/Syncing/.test(t), 'the finished sync', { timeout: 180_000 });
    });
  });
}
