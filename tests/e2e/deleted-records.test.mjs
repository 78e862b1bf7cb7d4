// Records the CRM deleted or merged away lose their badges at the next sync, in both
// browsers: Salesforce contacts deleted in the org leave an Opportunity's people and its record
// header badge; a Dataverse contact merged into another (deactivated, not deleted) loses its
// record header badge and its list row badge. The incremental sync asks for them in one
// extra request, counted from the emulator's request log.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control, emulator } from './harness.mjs';
import {
  records, dataverse, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath,
  waitForPanel, importConnections, DYNAMICS, syncNow,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');

async function salesforceApi(path, init = {}) {
  const { token } = await control('sessions?crm=salesforce', { method: 'POST' });
  const response = await fetch(`${emulator().api}/services/data/v66.0${path}`, {
    ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}

const headerBadge = (page) => page.evaluate(() => Boolean(document.querySelector('[data-crmsync=badge]')));

/** The names of the rows of a list view that carry a badge. */
const badgedRows = (page) => page.evaluate(() => [...document.querySelectorAll('[data-crmsync=row-badge]')]
  .map((b) => b.closest('[row-id], [role=row], tr')?.textContent.trim() ?? ''));


/** The CRM API requests the emulator logged since it was cleared. */
const logged = async (host) => (await control('requests')).filter((r) => r.host === host);

for (const browserName of browsers) {
  describe(`deleted records in ${browserName}`, () => {
    let session;
    let page;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      await importConnections(session);
      page = await session.browser.newPage();
    });
    after(() => session?.close());

    it('Salesforce contacts deleted in the org leave the Opportunity and its badge', async () => {
      const opportunities = await records('salesforce', 'Opportunity');
      const renewal = opportunities.find((o) => o.fields.Name === 'Acme Platform Renewal');
      await signInSalesforce(page, lightningRecordPath('Opportunity', renewal.id));
      const text = await waitForPanel(page, (t) => /Ada Lovelace/.test(t) && /Grace Hopper/.test(t), 'its people');
      assert.match(text, /People/);
      await page.waitForFunction(() => document.querySelector('[data-crmsync=badge]'), { timeout: 10_000 });

      // Both people on the Opportunity are deleted in Salesforce (their roles go with them).
      const contacts = await records('salesforce', 'Contact');
      for (const name of ['Ada Lovelace', 'Grace Hopper']) {
        const contact = contacts.find((c) => `${c.fields.FirstName} ${c.fields.LastName}` === name);
        await salesforceApi(`/sobjects/Contact/${contact.id}`, { method: 'DELETE' });
      }
      await control('requests', { method: 'DELETE' });
      await syncNow(page);
      await waitForPanel(page, (t) => !/Grace Hopper/.test(t) && !/Ada Lovelace/.test(t) && /Last synced/.test(t), 'the people gone');
      await page.waitForFunction(() => !document.querySelector('[data-crmsync=badge]'), { timeout: 10_000 });
      assert.equal(await headerBadge(page), false);

      const api = (await logged('acme.my.salesforce.com')).filter((r) => r.path.startsWith('/services/data/'));
      const queries = api.filter((r) => r.path.includes('/query'));
      const composite = api.filter((r) => r.method === 'POST' && r.path.endsWith('/composite'));
      // The first is the seat view (the org's settings, docs/org-admin.md); the deletions step's is the last.
      const deletions = composite.filter((r) => r.body?.includes('/deleted/'));
      assert.equal(queries.length, 4, `one query per object: ${api.map((r) => r.path).join('\n')}`);
      assert.equal(composite.length, 2, 'the seat view, then the deletions step');
      assert.equal(deletions.length, 1, 'one composite call asks every object for its deleted records');
    });

    it('a Dataverse contact merged into another loses its header and list row badges', async () => {
      const contacts = await records('dynamics', 'contact');
      const grace = contacts.find((c) => c.fields.fullname === 'Grace Hopper');
      const survivor = contacts.find((c) => !['Ada Lovelace', 'Grace Hopper'].includes(c.fields.fullname));
      await signInDynamics(page, dynamicsRecordPath('contact', grace.id));
      await waitForPanel(page, (t) => /Matched on/.test(t), 'a match');
      await page.waitForFunction(() => document.querySelector('[data-crmsync=badge]'), { timeout: 10_000 });
      const list = await session.browser.newPage();
      await list.goto(`${DYNAMICS}/main.aspx?pagetype=entitylist&etn=contact`);
      await list.waitForFunction(() => document.querySelector('[data-crmsync=row-badge]'), { timeout: 10_000 });
      assert.ok((await badgedRows(list)).some((row) => row.includes('Grace Hopper')), 'the list marks Grace');
      await page.bringToFront();

      await dataverse('POST', '/Merge', {
        Target: { '@odata.type': 'Microsoft.Dynamics.CRM.contact', contactid: survivor.id },
        Subordinate: { '@odata.type': 'Microsoft.Dynamics.CRM.contact', contactid: grace.id },
        PerformParentingChecks: false,
      });
      await control('requests', { method: 'DELETE' });
      await syncNow(page);
      // Deactivated, Grace's record still opens; nobody is matched to it any more.
      await waitForPanel(page, (t) => !/Matched on/.test(t) && /Last synced/.test(t), 'no match');
      await page.waitForFunction(() => !document.querySelector('[data-crmsync=badge]'), { timeout: 10_000 });

      const api = (await logged('acme.crm.dynamics.com')).filter((r) => r.path.startsWith('/api/data/'));
      const reads = api.filter((r) => r.method === 'GET' && /\/(accounts|contacts|leads|opportunities)\?/.test(r.path));
      const batches = api.filter((r) => r.method === 'POST' && r.path.endsWith('/$batch'));
      // The first is the seat view (the org's settings, docs/org-admin.md); the deletions step's is the last.
      const deltas = batches.filter((r) => r.body?.includes('$deltatoken='));
      assert.equal(reads.length, 4, `one read per table: ${api.map((r) => r.path).join('\n')}`);
      assert.equal(batches.length, 2, 'the seat view, then the deletions step');
      assert.equal(deltas.length, 1, 'one $batch follows every delta link');

      await list.bringToFront();
      await list.reload();
      await list.waitForFunction(() => document.querySelector('[data-crmsync=row-badge]'), { timeout: 10_000 });
      const marked = await badgedRows(list);
      assert.ok(marked.some((row) => row.includes('Ada Lovelace')), `others keep theirs: ${marked}`);
      assert.ok(!marked.some((row) => row.includes('Grace Hopper')), `Grace's row has none: ${marked}`);
      await list.close();
    });
  });
}
