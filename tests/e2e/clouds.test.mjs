// CRM clouds beyond the commercial ones, in both browsers: the extension runs on every host
// family of the core's host table and reads the URL shapes real orgs show there — a Government
// Cloud Plus – Defense (.mil) org opened by record id alone and inside an app, a GCC High
// Dataverse app addressed by its unique name, and a Dataverse org behind a Defender for Cloud
// Apps session proxy (CRM-APIS A18). The emulator serves those hosts as it serves the others.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import { records, waitForPanel, waitForPanelRecord, importConnections } from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const DEFENSE_API = 'https://acme.my.salesforce.mil';
const DEFENSE_UI = 'https://acme.lightning.crmforce.mil';
const APP = '/lightning/app/06m5g000003LaxBAAS';

const signInDynamicsAt = (page, origin, returnPath) =>
  page.goto(`${origin}/_login?user=demo@acme.onmicrosoft.com&password=demo&returnUrl=${encodeURIComponent(returnPath)}`);

for (const browserName of browsers) {
  describe(`CRM clouds in ${browserName}`, () => {
    let session;
    let page;
    let ada;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      await importConnections(session);
      [ada] = await records('salesforce', 'Contact');
      page = await session.browser.newPage();
    });
    after(() => session?.close());

    it('shows a .mil org\'s record opened by its id alone, matched to its profile', async () => {
      const start = encodeURIComponent(`/lightning/r/${ada.id}/view`);
      await page.goto(`${DEFENSE_API}/login.jsp?un=demo@acme.com&pw=demo&startURL=${start}`);
      const text = await waitForPanel(page, (t) => /Matched on/.test(t), 'a match', { timeout: 30_000 });
      assert.match(text, /Ada Lovelace/);
      assert.equal(new URL(page.url()).host, 'acme.lightning.crmforce.mil');
    });

    it('marks matched rows of a .mil list view opened inside an app', async () => {
      await page.goto(`${DEFENSE_UI}${APP}/o/Contact/list?filterName=__Recent`);
      await page.waitForFunction(() => document.querySelector('[data-crmsync=row-badge]'), { timeout: 10_000 });
      const marked = await page.evaluate(() => [...document.querySelectorAll('tr[data-row-key-value]')]
        .filter((r) => r.querySelector('[data-crmsync=row-badge]'))
        .map((r) => r.getAttribute('data-row-key-value')));
      assert.ok(marked.includes(ada.id), `Ada's row is marked: ${marked}`);
    });

    it('shows a GCC High record opened in an app addressed by its unique name', async () => {
      const [contact] = await records('dynamics', 'contact');
      const path = `/apps/uniquename/msdynce_saleshub/main.aspx?pagetype=entityrecord&etn=contact&id=%7B${contact.id.toUpperCase()}%7D`;
      await signInDynamicsAt(page, 'https://acme.crm.microsoftdynamics.us', path);
      await waitForPanelRecord(page, contact.fields.fullname);
    });

    it('shows a Dataverse record behind a Defender for Cloud Apps session proxy', async () => {
      const [, contact] = await records('dynamics', 'contact');
      const path = `/main.aspx?pagetype=entityrecord&etn=contact&id=${contact.id}`;
      await signInDynamicsAt(page, 'https://acme.crm4.dynamics.com.mcas.ms', path);
      await waitForPanelRecord(page, contact.fields.fullname);
    });
  });
}
