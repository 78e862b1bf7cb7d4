// Accessibility of the extension's own UI in both browsers: axe-core (run inside the panel
// frame and the options page) finds no serious or critical violations.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BROWSERS, launch, control } from './harness.mjs';
import { records, signInSalesforce, lightningRecordPath, waitForPanelRecord, waitForPanel, panelFrame, openOptions } from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical violations in a frame, as "rule: target" lines. */
async function seriousViolations(frame) {
  // Evaluated through the driver, so the page's CSP does not apply to axe itself.
  await frame.evaluate(AXE);
  const results = await frame.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

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
  });
}
