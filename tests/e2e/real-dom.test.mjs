// The real Lightning and Unified Interface DOM, in both browsers, on the emulator's pages that
// reproduce it (emulator/src/salesforce/lightning_dom.rs, emulator/src/dynamics/grid.rs,
// emulator/assets/crm.js): the header badge goes in the record on screen, not in the hidden
// view Lightning keeps of the record left before it, nor in a console workspace tab behind; it
// comes back once after a save renders the header again; list badges sit beside the record's
// name (never on Lightning's HEADER row, never twice on an AG Grid row rendered in two
// containers), with ids read from Unified Interface's record links in every GUID spelling; and
// a grid reusing its row elements as it scrolls shows each row's own badge.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath, SALESFORCE_UI, DYNAMICS,
  waitForPanel, waitForPanelRecord, navigateWithoutReload, importConnections,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const CONSOLE = '/lightning/app/standard__LightningService';
const GRID = '/main.aspx?appid=4f7c8d2e-1a3b-4c5d-9e6f-7a8b9c0d1e2f&pagetype=entitylist&etn=contact';

/** Where the page's header badges are: the record name of each heading holding one, and whether it is on screen. */
const headerBadges = (page) => page.evaluate(() => [...document.querySelectorAll('[data-crmsync=badge]')].map((badge) => ({
  name: badge.parentNode.querySelector('[slot=primaryField]')?.textContent ?? badge.parentNode.textContent,
  visible: badge.checkVisibility(),
})));

/** Waits until the one header badge is in the heading the user sees, naming `name`. */
async function waitForHeaderBadge(page, name) {
  await page.waitForFunction((n) => {
    const all = document.querySelectorAll('[data-crmsync=badge]');
    const heading = all[0]?.parentNode;
    const shown = heading?.querySelector('[slot=primaryField]')?.textContent ?? heading?.textContent;
    return all.length === 1 && all[0].checkVisibility() && shown === n;
  }, { timeout: 10_000 }, name);
  return headerBadges(page);
}

/** The names of the grid rows that hold a badge, and where the badges are. */
const gridBadges = (page) => page.evaluate(() => {
  const badges = [...document.querySelectorAll('[data-crmsync=row-badge]')];
  return {
    names: badges.map((b) => b.closest('[role=row]').querySelector('a').textContent).sort(),
    inNameCells: badges.every((b) => b.parentNode.getAttribute('col-id') === 'fullname'),
    inPinned: document.querySelectorAll('.ag-pinned-left-cols-container [data-crmsync]').length,
    perRow: Math.max(0, ...[...document.querySelectorAll('[role=row]')].map((r) => r.querySelectorAll('[data-crmsync]').length)),
  };
});

async function waitForGridBadges(page, names) {
  const want = [...names].sort();
  await page.waitForFunction((w) => {
    const shown = [...document.querySelectorAll('[data-crmsync=row-badge]')]
      .map((b) => b.closest('[role=row]').querySelector('a').textContent).sort();
    return JSON.stringify(shown) === JSON.stringify(w);
  }, { timeout: 10_000 }, want).catch(async () => {
    throw new Error(`grid badges: want ${want}, have ${(await gridBadges(page)).names}`);
  });
  return gridBadges(page);
}

/** Scrolls the grid so its first rendered row is row `index`. */
const scrollGridTo = (page, index) =>
  page.evaluate((i) => { document.querySelector('.ag-body-viewport').scrollTop = i * 32; }, index);

for (const browserName of browsers) {
  describe(`the real CRM DOM in ${browserName}`, () => {
    let session;
    let page;
    let sfContacts;
    let dynContacts;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      await importConnections(session);
      sfContacts = await records('salesforce', 'Contact');
      dynContacts = await records('dynamics', 'contact');
      page = await session.browser.newPage();
    });
    after(() => session?.close());

    it('badges the record on screen, not the hidden view kept of the record before it', async () => {
      const [ada, grace] = sfContacts;
      await signInSalesforce(page, lightningRecordPath('Contact', grace.id));
      await waitForPanelRecord(page, grace.fields.Name);
      await navigateWithoutReload(page, ada.fields.Name);
      await waitForPanel(page, (t) => /Matched on/.test(t), "Ada's match");
      assert.deepEqual(await waitForHeaderBadge(page, ada.fields.Name), [{ name: ada.fields.Name, visible: true }]);
      // Grace's view is still in the page, hidden, and first: "first match wins" would pick it.
      const views = await page.evaluate(() => [...document.querySelectorAll('.oneContent')]
        .map((v) => [v.classList.contains('active'), v.querySelector('[slot=primaryField]').textContent]));
      assert.deepEqual(views, [[false, grace.fields.Name], [true, ada.fields.Name]]);
    });

    it('puts the header badge back, once, after a save renders the header again', async () => {
      const [ada] = sfContacts;
      const before = await page.evaluateHandle(() => document.querySelector('.oneContent.active records-highlights2'));
      await page.evaluate(() => document.querySelector('.oneContent.active [data-emulator-save]').click());
      await page.waitForFunction((old) => document.querySelector('.oneContent.active records-highlights2') !== old, {}, before);
      assert.deepEqual(await waitForHeaderBadge(page, ada.fields.Name), [{ name: ada.fields.Name, visible: true }]);
    });

    it('badges the console workspace tab in front, not the one behind', async () => {
      const [ada] = sfContacts;
      await page.goto(`${SALESFORCE_UI}${CONSOLE}/r/Contact/${ada.id}/view`);
      await waitForPanel(page, (t) => /Matched on/.test(t), "Ada's match in the console");
      assert.deepEqual(await waitForHeaderBadge(page, ada.fields.Name), [{ name: ada.fields.Name, visible: true }]);
      const tabs = await page.evaluate(() => [...document.querySelectorAll('section.oneConsoleTab')]
        .map((t) => [t.classList.contains('active'), t.querySelectorAll('[data-crmsync]').length]));
      assert.deepEqual(tabs, [[false, 0], [true, 1]], 'the tab behind comes first and holds nothing of ours');
    });

    it('marks Lightning list rows beside the name cell, never the HEADER row', async () => {
      const [ada] = sfContacts;
      await page.goto(`${SALESFORCE_UI}/lightning/o/Contact/list`);
      await page.waitForFunction(() => document.querySelector('[data-crmsync=row-badge]'), { timeout: 10_000 });
      const rows = await page.evaluate(() => [...document.querySelectorAll('tr')]
        .filter((r) => r.querySelector('[data-crmsync]'))
        .map((r) => ({ key: r.getAttribute('data-row-key-value'), cell: r.querySelector('[data-crmsync]').parentNode.getAttribute('scope'), badges: r.querySelectorAll('[data-crmsync]').length })));
      assert.ok(rows.some((r) => r.key === ada.id), `Ada's row is marked: ${JSON.stringify(rows)}`);
      assert.ok(rows.every((r) => r.key !== 'HEADER' && r.cell === 'row' && r.badges === 1), JSON.stringify(rows));
    });

    it('badges the Unified Interface form header, and again after a save', async () => {
      const [ada] = dynContacts;
      await signInDynamics(page, dynamicsRecordPath('contact', ada.id));
      await waitForPanel(page, (t) => /Matched on/.test(t), "Ada's Dynamics match");
      await waitForHeaderBadge(page, ada.fields.fullname);
      const before = await page.evaluateHandle(() => document.querySelector('[data-id=header_title]'));
      await page.evaluate(() => document.querySelector('[data-emulator-save]').click());
      await page.waitForFunction((old) => document.querySelector('[data-id=header_title]') !== old, {}, before);
      assert.deepEqual(await waitForHeaderBadge(page, ada.fields.fullname), [{ name: ada.fields.fullname, visible: true }]);
    });

    it('marks AG Grid rows from their record links, braced, upper-case or plain, once each, beside the name', async () => {
      await page.goto(`${DYNAMICS}${GRID}`);
      const spellings = await page.evaluate(() => [...document.querySelectorAll('.ag-center-cols-container a')].slice(0, 3)
        .map((a) => new URL(a.href).search.match(/[?&]id=([^&]*)/)[1]));
      assert.match(spellings[0], /^%7B[0-9A-F-]{36}%7D$/);
      assert.match(spellings[1], /^(\{|%7B)[0-9A-F-]{36}(\}|%7D)$/);
      assert.match(spellings[2], /^[0-9a-f-]{36}$/);
      const names = ['Ada Lovelace', 'Grace Hopper', 'Jürgen Weiß', 'Élodie Lefèvre', 'João da Silva'];
      const shown = await waitForGridBadges(page, names);
      assert.deepEqual({ ...shown, names: undefined }, { names: undefined, inNameCells: true, inPinned: 0, perRow: 1 });
    });

    it("shows each reused grid row its own record's badge as the grid scrolls, not the one it had", async () => {
      const adaRow = await page.evaluateHandle(() => document.querySelector('.ag-center-cols-container [role=row]'));
      // One row down: Ada's row element now shows Grace (matched); three rows down, Anna-Lena (not).
      await scrollGridTo(page, 1);
      await waitForGridBadges(page, ['Grace Hopper', 'Jürgen Weiß', 'Élodie Lefèvre', 'João da Silva']);
      await scrollGridTo(page, 3);
      const shown = await waitForGridBadges(page, ['Élodie Lefèvre', 'João da Silva']);
      assert.equal(shown.perRow, 1);
      assert.deepEqual(await page.evaluate((row) => [row.querySelector('a').textContent, row.querySelectorAll('[data-crmsync]').length], adaRow),
        ['Anna-Lena von Bülow', 0]);
      await scrollGridTo(page, 0);
      await waitForGridBadges(page, ['Ada Lovelace', 'Grace Hopper', 'Jürgen Weiß', 'Élodie Lefèvre', 'João da Silva']);
    });
  });
}
