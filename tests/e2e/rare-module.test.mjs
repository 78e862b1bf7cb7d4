// The background's second wasm module (src/background/rare.rs), in both browsers: a record
// view and its panel work without the module's file; an import and the org's sync need it
// (the import says so in words without it), and work once the file is there (the core asks
// again).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BROWSERS, launch, control } from './harness.mjs';
import { records, signInSalesforce, lightningRecordPath, waitForPanelRecord, waitForPanel, openOptions } from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const EXPORT = join(import.meta.dirname, '../fixtures/imports/Connections.csv');
const DIST = resolve(import.meta.dirname, '../../dist');
const RARE_WASM = 'pkg/crmsync_rare_bg.wasm';

for (const browserName of browsers) {
  describe(`the background's rare module in ${browserName}`, () => {
    let session;
    let dist;
    let extension;
    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      // A copy of the build without the rare module's file.
      dist = await mkdtemp(join(tmpdir(), 'crmsync-rare-'));
      extension = join(dist, browserName === 'chromium' ? 'chrome' : 'firefox');
      await cp(join(DIST, browserName === 'chromium' ? 'chrome' : 'firefox'), extension, { recursive: true });
      await rename(join(extension, RARE_WASM), join(dist, 'rare.wasm'));
      session = await launch(browserName, { dist });
    });
    after(async () => {
      await session?.close();
      await rm(dist, { recursive: true, force: true });
    });

    it('is not needed for a record view, and is fetched for an import and a sync', async () => {
      const page = await session.browser.newPage();
      const [contact] = await records('salesforce', 'Contact');
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      await waitForPanelRecord(page, contact.fields.Name);

      const options = await openOptions(session);
      const importFile = async () => {
        const before = await options.$eval('#import-summary', (el) => el.textContent);
        await (await options.$('#import-file')).uploadFile(EXPORT);
        await options.waitForFunction((prev) => document.getElementById('import-summary').textContent !== prev, { timeout: 15_000 }, before);
        return options.$eval('#import-summary', (el) => el.textContent);
      };
      // Without the file the import says so in words, and does nothing.
      const missing = await importFile();
      assert.doesNotMatch(missing, /Imported/, 'no import without the rare module');
      assert.match(missing, /A part of crmsync could not be loaded/);
      // A panel of an org syncs it, in the rare module: not without its file.
      await page.reload();
      const shown = await waitForPanelRecord(page, contact.fields.Name);
      assert.doesNotMatch(shown, /Last synced/, 'no sync without the rare module');
      await rename(join(dist, 'rare.wasm'), join(extension, RARE_WASM));
      assert.match(await importFile(), /Imported 5 new/);
      // The next panel of the org syncs it.
      await page.reload();
      await waitForPanel(page, (t) => /Last synced/.test(t), 'the sync finished', { timeout: 30_000 });
    });
  });
}
