// The walking skeleton in both browsers: the built extension shows the record's name in the
// Embedded Profile panel on Salesforce and Dynamics record pages, follows client-side
// navigation, and leaves other sites alone.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath,
  waitForPanelRecord, waitForPanelAlert, extensionMounted, navigateWithoutReload,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');

for (const browserName of browsers) {
  describe(`walking skeleton in ${browserName}`, () => {
    let session;
    let page;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      page = await session.browser.newPage();
    });
    after(() => session?.close());

    it('shows a Salesforce contact in the panel, then follows a client-side navigation', async () => {
      const [first, second] = await records('salesforce', 'Contact');
      await signInSalesforce(page, lightningRecordPath('Contact', first.id));
      const text = await waitForPanelRecord(page, first.fields.Name);
      assert.match(text, new RegExp(first.fields.Title));

      await navigateWithoutReload(page, second.fields.Name);
      await waitForPanelRecord(page, second.fields.Name);
    });

    it('shows a Salesforce account record too', async () => {
      const [account] = await records('salesforce', 'Account');
      await page.goto(`https://acme.lightning.force.com${lightningRecordPath('Account', account.id)}`);
      await waitForPanelRecord(page, account.fields.Name);
    });

    it('shows a Dynamics 365 contact in the panel, then follows a client-side navigation', async () => {
      const [first, second] = await records('dynamics', 'contact');
      await signInDynamics(page, dynamicsRecordPath('contact', first.id));
      await waitForPanelRecord(page, first.fields.fullname);
      await navigateWithoutReload(page, second.fields.fullname);
      await waitForPanelRecord(page, second.fields.fullname);
      // Back is the page's (the panel follows in place of its own history entries): the app
      // renders the first record again from popstate, still without a load.
      await page.goBack();
      await waitForPanelRecord(page, first.fields.fullname);
      assert.deepEqual(await page.evaluate(() => [document.querySelector('.record-name').textContent, window.__crmsyncNoReload]),
        [first.fields.fullname, true]);
    });

    it('removes the panel on CRM pages that are not records', async () => {
      await page.goto('https://acme.lightning.force.com/lightning/page/home');
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(await extensionMounted(page), false);
    });

    it('injects nothing into an unrelated site', async () => {
      await page.goto('https://example.org/');
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(await page.title(), 'Example Domain');
      assert.equal(await extensionMounted(page), false);
    });

    // Accounts: their panel reads the record from the CRM each time, while a synced contact's
    // is drawn from the synced copy with no request (docs/background.md).
    it('asks the user to sign in again when the Salesforce API session expired', async () => {
      const [account] = await records('salesforce', 'Account');
      await signInSalesforce(page, lightningRecordPath('Account', account.id));
      await waitForPanelRecord(page, account.fields.Name);
      // The API session times out while the Lightning page itself stays signed in.
      await control('sessions/expire?kind=salesforce-api', { method: 'POST' });
      await page.reload();
      const alert = await waitForPanelAlert(page);
      assert.match(alert, /Sign in to your CRM/);
      assert.match(alert, /Session expired or invalid/);
      await signInSalesforce(page, lightningRecordPath('Account', account.id));
      await waitForPanelRecord(page, account.fields.Name);
    });

    it('asks the user to sign in again when the Dynamics session expired', async () => {
      const [first, second] = await records('dynamics', 'account');
      await signInDynamics(page, dynamicsRecordPath('account', first.id));
      await waitForPanelRecord(page, first.fields.name);
      await control('sessions/expire?kind=dynamics', { method: 'POST' });
      // Signed out elsewhere; the open app moves to another record without a page load.
      await page.evaluate((path) => history.pushState({}, '', path), dynamicsRecordPath('account', second.id));
      assert.match(await waitForPanelAlert(page), /Sign in to your CRM/);
    });
  });
}
