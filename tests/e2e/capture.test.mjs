// Profile capture on the network's profile pages in both browsers: visiting a profile stores
// it from the page's structured data, and once the CRM is synced the page shows the blue
// "In CRM" badge linking to the record. The panel there shows the person and whether they are
// in the CRM.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import { records, signInSalesforce, lightningRecordPath, waitForPanelRecord, waitForPanel, openOptions } from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');

const badgeLinks = (page) =>
  page.evaluate(() => [...(document.querySelector('[data-crmsync=in-crm]')?.shadowRoot.querySelectorAll('a') ?? [])]
    .map((a) => ({ href: a.href, text: a.textContent, title: a.title })));

for (const browserName of browsers) {
  describe(`profile capture in ${browserName}`, () => {
    let session;
    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
    });
    after(() => session?.close());

    it('stores a visited profile from its structured data', async () => {
      const page = await session.browser.newPage();
      await page.goto('https://www.linkedin.com/in/grace-hopper');
      const text = await waitForPanel(page, (t) => t.includes('Grace Hopper'), 'the captured person');
      assert.match(text, /Not in your CRM yet/, 'nothing is synced yet');
      const options = await openOptions(session);
      await options.waitForFunction(() => document.getElementById('profile-count').textContent === '1', { timeout: 10_000 });
      await page.close();
    });

    it('shows "In CRM" linking to the matched record once the CRM is synced', async () => {
      const [, grace] = await records('salesforce', 'Contact');
      const crm = await session.browser.newPage();
      await signInSalesforce(crm, lightningRecordPath('Contact', grace.id));
      await waitForPanelRecord(crm, grace.fields.Name);
      const profile = await session.browser.newPage();
      const deadline = Date.now() + 15_000;
      let links = [];
      // Opening the options page signed in to Dynamics too, so both CRMs may have Grace, and
      // the Dynamics sync may end first.
      const salesforceLink = () => links.find((l) => l.href.startsWith('https://acme.lightning.force.com/'));
      // The first visit may come before the sync ends; a later visit finds the match.
      while (Date.now() < deadline && !salesforceLink()) {
        await profile.goto('https://www.linkedin.com/in/grace-hopper');
        await new Promise((r) => setTimeout(r, 700));
        links = await badgeLinks(profile);
      }
      const salesforce = salesforceLink();
      assert.deepEqual(salesforce, {
        href: `https://acme.lightning.force.com${lightningRecordPath('Contact', grace.id)}`,
        text: 'In CRM',
        title: `${grace.fields.Name} · Salesforce`,
      });
      assert.ok(links.every((l) => l.text === 'In CRM'));
      await waitForPanel(profile, (t) => t.includes(`In CRM: ${grace.fields.Name} · Salesforce`), 'the record in the panel');
    });

    it('shows no badge for someone who is not in the CRM', async () => {
      const page = await session.browser.newPage();
      await page.goto('https://www.linkedin.com/in/nobody-at-all');
      await new Promise((r) => setTimeout(r, 800));
      assert.deepEqual(await badgeLinks(page), []);
    });
  });
}
