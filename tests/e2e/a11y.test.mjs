// Accessibility of the extension's own UI in both browsers: axe-core (run inside the panel
// frame, the options page and the admin page) finds no serious or critical violations.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import { seriousViolations } from './axe.mjs';
import { records, signInSalesforce, lightningRecordPath, waitForPanelRecord, waitForPanel, panelFrame, openOptions } from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');

for (const browserName of browsers) {
  describe(`accessibility in ${browserName}`, () => {
    let session;
    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
    });
    after(() => session?.close());

    it('the panel on a record page has no serious or critical axe violations', async () => {
      const page = await session.browser.newPage();
      const [contact] = await records('salesforce', 'Contact');
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      await waitForPanelRecord(page, contact.fields.Name);
      assert.deepEqual(await seriousViolations(await panelFrame(page)), []);
    });

    it('the panel on a network profile page has no serious or critical axe violations', async () => {
      const page = await session.browser.newPage();
      await page.goto('https://www.linkedin.com/in/grace-hopper');
      await waitForPanel(page, (t) => t.includes('Grace Hopper'), 'the captured person');
      assert.deepEqual(await seriousViolations(await panelFrame(page)), []);
    });

    it('the options page has no serious or critical axe violations', async () => {
      assert.deepEqual(await seriousViolations(await openOptions(session)), []);
    });

    it('the admin page, its settings and seat list shown, has no serious or critical axe violations', async () => {
      const options = await openOptions(session);
      const link = '#admin-orgs a[href="admin.html?org=acme.my.salesforce.com"]';
      await options.waitForSelector(link, { timeout: 10_000 });
      await options.click(link);
      await options.waitForSelector('#admin-setting-pipelineStage', { timeout: 20_000 });
      await options.click('#admin-auto-sync-no');
      await options.waitForSelector('#seat-list li', { timeout: 10_000 });
      assert.deepEqual(await seriousViolations(options), []);
    });
  });
}
