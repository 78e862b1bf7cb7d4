// Profile import from the options page in both browsers: progress, a summary with line
// numbers for skipped rows (a repeated row names the line it repeats), and an idempotent
// re-import. Manual entry too.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BROWSERS, launch, control } from './harness.mjs';
import { openOptions } from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const EXPORT = join(import.meta.dirname, '../fixtures/imports/Connections.csv');
// Ada and Grace of EXPORT, then Ada's row again.
const REPEATED = join(import.meta.dirname, '../fixtures/imports/Connections-repeated.csv');

async function importFile(page, path) {
  const before = await page.$eval('#import-summary', (el) => el.textContent);
  const input = await page.$('#import-file');
  await input.uploadFile(path);
  await page.waitForFunction(
    (prev) => { const t = document.getElementById('import-summary').textContent; return t && t !== prev; },
    { timeout: 15_000 },
    before,
  );
  return page.$eval('#import-summary', (el) => el.innerText);
}

/** The profile count the page shows once it reads `expected`: the page counts again after an
 *  import or a save, in a message of its own that may answer after the summary. */
async function profileCount(page, expected) {
  await page.waitForFunction((n) => document.getElementById('profile-count').textContent === n, { timeout: 5_000 }, expected)
    .catch(() => {});
  return page.$eval('#profile-count', (el) => el.textContent);
}

for (const browserName of browsers) {
  describe(`profile import in ${browserName}`, () => {
    let session;
    let page;
    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      page = await openOptions(session);
    });
    after(() => session?.close());

    it('imports Connections.csv with a summary that names skipped lines', async () => {
      const summary = await importFile(page, EXPORT);
      assert.match(summary, /Imported 5 new, updated 0, 0 unchanged, skipped 2/);
      assert.match(summary, /Line 10: no name or profile URL/);
      assert.match(summary, /Line 11: expected 7 fields, found 3/);
      assert.equal(await profileCount(page, '5'), '5');
      assert.equal(await page.$eval('#import-progress', (el) => el.value === el.max), true);
    });

    it('changes nothing when the same file is imported again', async () => {
      const summary = await importFile(page, EXPORT);
      assert.match(summary, /Imported 0 new, updated 0, 5 unchanged/);
      assert.equal(await profileCount(page, '5'), '5');
    });

    it('names the first line of a repeated row', async () => {
      const summary = await importFile(page, REPEATED);
      assert.match(summary, /Imported 0 new, updated 0, 2 unchanged, skipped 1/);
      assert.match(summary, /Line 7: the same profile as line 5/);
      assert.doesNotMatch(summary, /undefined/);
      assert.equal(await profileCount(page, '5'), '5');
    });

    it('keeps imported profiles when the page is opened again', async () => {
      page = await openOptions(session);
      assert.equal(await profileCount(page, '5'), '5');
    });

    it('adds a profile typed in by hand, and asks for a name when there is none', async () => {
      await page.type('input[name=first_name]', 'Margaret');
      await page.type('input[name=last_name]', 'Hamilton');
      await page.type('input[name=company]', 'Apollo Software');
      await page.click('#manual-form button[type=submit]');
      await page.waitForFunction(() => document.getElementById('manual-status').textContent === 'Profile saved.');
      assert.equal(await profileCount(page, '6'), '6');
      await page.click('#manual-form button[type=submit]');
      await page.waitForFunction(() => document.getElementById('manual-status').textContent === 'Enter a name or a profile URL.');
    });
  });
}
