// Hostile answers and the core's own failures, in both browsers: a CRM that redirects an API
// request (its sign-in page, in practice) gets no session sent on and no HTML read as an
// answer, and the panel says why; a wasm trap in the background core (the start module or
// the rare one) is answered once in words, the core is restarted, and the next request works
// with nothing stored lost.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSERS, launch, control } from './harness.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath,
  waitForPanelRecord, waitForPanelAlert, waitForPanel, logInPanel, openOptions,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const json = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const REDIRECTED = /sent crmsync to its sign-in page/;
const RESTARTED = /failed while doing this, so it restarted itself/;
// The test build's core panics on a panel request for a URL naming this, and its rare module
// on an import of a file naming it (src/wasm/test_trap.rs).
const TRAP = 'crmsync-test-trap';

for (const browserName of browsers) {
  describe(`hostile answers in ${browserName}`, () => {
    let session;
    let page;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      page = await session.browser.newPage();
    });
    after(async () => {
      await control('faults', { method: 'DELETE' });
      await session?.close();
    });

    it('does not follow a Salesforce API redirect, and says to sign in again', async () => {
      const [contact] = await records('salesforce', 'Contact');
      // The org sends record reads to its sign-in page (as an expired session is), until the
      // fault is cleared (a panel may ask again by itself when a sync ends).
      await control('faults', json({ path: '/services/data/v66.0/sobjects/Contact/', host: 'acme.my.salesforce.com', redirect: 'https://acme.my.salesforce.com/login.jsp' }));
      await control('requests', { method: 'DELETE' });
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      assert.match(await waitForPanelAlert(page), REDIRECTED);
      const followed = (await control('requests')).filter((r) => r.path.startsWith('/login.jsp') && r.headers?.authorization);
      assert.deepEqual(followed, [], 'the token went nowhere else');
      await control('faults', { method: 'DELETE' });
      await page.reload();
      await waitForPanelRecord(page, contact.fields.Name);
    });

    it('does not follow a Dataverse API redirect, and says to sign in again', async () => {
      // An account: its panel reads the record from the CRM each time (a synced contact's is
      // drawn from the synced copy, docs/background.md).
      const [account] = await records('dynamics', 'account');
      await signInDynamics(page, dynamicsRecordPath('account', account.id));
      await waitForPanelRecord(page, account.fields.name);
      await control('faults', json({ path: '/api/data/v9.2/accounts(', host: 'acme.crm.dynamics.com', redirect: 'https://acme.crm.dynamics.com/_login' }));
      await page.reload();
      assert.match(await waitForPanelAlert(page), REDIRECTED);
      await control('faults', { method: 'DELETE' });
      await page.reload();
      await waitForPanelRecord(page, account.fields.name);
    });
  });
}

for (const browserName of browsers) {
  describe(`a trap in the background core in ${browserName}`, () => {
    let session;
    let page;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName, { testTrap: true });
      page = await session.browser.newPage();
    });
    after(() => session?.close());

    it('answers the request that trapped in words, then works, with nothing stored lost', async () => {
      const [contact] = await records('salesforce', 'Contact');
      const path = lightningRecordPath('Contact', contact.id);
      await signInSalesforce(page, path);
      await waitForPanelRecord(page, contact.fields.Name);
      await logInPanel(page, { kind: 'note', subject: 'Before the trap', body: 'kept' });

      // The panel's request names the trap: the core panics (a wasm trap) while answering it.
      // Twice, so the restarted core is proven to restart again.
      for (const n of [1, 2]) {
        await page.goto(`https://acme.lightning.force.com${path}?${TRAP}=${n}`);
        const alert = await waitForPanelAlert(page);
        assert.match(alert, RESTARTED);
        assert.equal(alert.match(new RegExp(RESTARTED, 'g')).length, 1, 'said once');
      }

      // The next action works on the fresh core, and what was stored before is still there.
      await page.goto(`https://acme.lightning.force.com${path}`);
      const text = await waitForPanelRecord(page, contact.fields.Name);
      assert.doesNotMatch(text, RESTARTED);
      await waitForPanel(page, (t) => /Before the trap/.test(t), 'the note logged before the trap');
    });

    it('answers an import the rare module trapped on in words, then imports', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'crmsync-trap-'));
      const file = (name, rows) => {
        const path = join(dir, name);
        return writeFile(path, `First Name,Last Name,URL\n${rows}`).then(() => path);
      };
      const trapping = await file('trap.csv', `Ada,Lovelace,https://www.linkedin.com/in/${TRAP}\n`);
      const fine = await file('fine.csv', 'Grace,Hopper,https://www.linkedin.com/in/grace\n');
      const options = await openOptions(session);
      const importFile = async (path) => {
        const before = await options.$eval('#import-summary', (el) => el.textContent);
        await (await options.$('#import-file')).uploadFile(path);
        await options.waitForFunction((prev) => document.getElementById('import-summary').textContent !== prev, { timeout: 15_000 }, before);
        return options.$eval('#import-summary', (el) => el.textContent);
      };
      assert.match(await importFile(trapping), RESTARTED);
      assert.match(await importFile(fine), /Imported 1 new/);
      await rm(dir, { recursive: true, force: true });
    });
  });
}
