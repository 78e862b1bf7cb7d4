// Hostile answers in both browsers: a CRM that redirects an API request (its sign-in page, in
// practice) gets no session sent on and no HTML read as an answer; the panel says why.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath,
  waitForPanelRecord, waitForPanelAlert,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const json = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const REDIRECTED = /sent crmsync to its sign-in page/;

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
      const [contact] = await records('dynamics', 'contact');
      await signInDynamics(page, dynamicsRecordPath('contact', contact.id));
      await waitForPanelRecord(page, contact.fields.fullname);
      await control('faults', json({ path: '/api/data/v9.2/contacts(', host: 'acme.crm.dynamics.com', redirect: 'https://acme.crm.dynamics.com/_login' }));
      await page.reload();
      assert.match(await waitForPanelAlert(page), REDIRECTED);
      await control('faults', { method: 'DELETE' });
      await page.reload();
      await waitForPanelRecord(page, contact.fields.fullname);
    });
  });
}
