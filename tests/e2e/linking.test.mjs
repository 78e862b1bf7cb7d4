// Profiles linked to CRM records in both browsers: after importing Connections.csv the panel
// syncs the org, shows the matched profile and why, puts the badge in the record header, and
// the user's corrections (not this person, search and link, unlink, paste a URL) win at once,
// in every open tab.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import { seriousViolations } from './axe.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath,
  waitForPanelRecord, waitForPanel, panelFrame, importConnections,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');

const clickInPanel = async (page, selector) => (await panelFrame(page)).click(selector);
const headerBadge = (page) =>
  page.evaluate(() => document.querySelector('.record-header h1 [data-crmsync=badge]')?.shadowRoot.textContent ?? null);

for (const browserName of browsers) {
  describe(`profile linking in ${browserName}`, () => {
    let session;
    let page;
    let ada;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      await importConnections(session);
      [ada] = await records('salesforce', 'Contact');
      page = await session.browser.newPage();
      await signInSalesforce(page, lightningRecordPath('Contact', ada.id));
    });
    after(() => session?.close());

    it('syncs the org and shows the matched profile with a reason', async () => {
      const text = await waitForPanel(page, (t) => /Matched on/.test(t), 'a match');
      assert.match(text, /Ada Lovelace/);
      assert.match(text, /Chief Technology Officer · Acme Corporation/);
      assert.match(text, /Match · \d+% confident/);
      assert.match(text, /Matched on [^.]*name/);
      assert.match(text, /Last synced/);
    });

    it('marks the matched record in the page header with the blue badge', async () => {
      await page.waitForFunction(() => document.querySelector('.record-header h1 [data-crmsync=badge]'), { timeout: 5000 });
      assert.equal(await headerBadge(page), 'Profile linked');
      // A control: a button that expands the panel.
      assert.equal(await page.evaluate(() => document.querySelector('.record-header h1 [data-crmsync=badge]').shadowRoot
        .querySelector('button')?.type), 'button');
      assert.deepEqual(await seriousViolations(page, '.record-header'), []);
    });

    it('puts the header badge back when the CRM renders the header again', async () => {
      // The CRM's own script replaces the header element (as frameworks do on re-render).
      await page.evaluate(() => {
        const fresh = document.createElement('h1');
        fresh.className = 'record-name';
        fresh.dataset.rendered = 'again';
        fresh.textContent = document.querySelector('.record-header h1').textContent;
        document.querySelector('.record-header h1').replaceWith(fresh);
      });
      await page.waitForFunction(() => document.querySelector('.record-header h1[data-rendered=again] [data-crmsync=badge]'), { timeout: 5000 });
      assert.equal(await headerBadge(page), 'Profile linked');
      assert.equal(await page.evaluate(() => document.querySelectorAll('[data-crmsync=badge]').length), 1);
    });

    it('marks matched rows in the Contacts list view', async () => {
      const list = await session.browser.newPage();
      await list.goto('https://acme.lightning.force.com/lightning/o/Contact/list');
      await list.waitForFunction(() => document.querySelector('[data-crmsync=row-badge]'), { timeout: 10_000 });
      const marked = await list.evaluate(() => [...document.querySelectorAll('tr[data-row-key-value]')]
        .filter((r) => r.querySelector('[data-crmsync=row-badge]'))
        .map((r) => r.getAttribute('data-row-key-value')));
      assert.ok(marked.includes(ada.id), `Ada's row is marked: ${marked}`);
      assert.ok(marked.length < 10, `only matched rows are marked: ${marked.length}`);
      // The list renders Ada's row again: it is marked again (a label, not a control).
      await list.evaluate((id) => {
        const row = document.querySelector(`tr[data-row-key-value="${id}"]`);
        const fresh = row.cloneNode(true);
        fresh.querySelector('[data-crmsync=row-badge]').remove();
        row.replaceWith(fresh);
      }, ada.id);
      await list.waitForFunction((id) => document.querySelector(`tr[data-row-key-value="${id}"] [data-crmsync=row-badge]`), { timeout: 5000 }, ada.id);
      const label = await list.evaluate((id) => {
        const badge = document.querySelector(`tr[data-row-key-value="${id}"] [data-crmsync=row-badge]`).shadowRoot.firstElementChild;
        return { tag: badge.localName, text: badge.textContent };
      }, ada.id);
      assert.deepEqual(label, { tag: 'span', text: 'Profile linked' });
      await list.close();
      await page.bringToFront();
    });

    it('"Not this person" wins over the model, in every open tab', async () => {
      const other = await session.browser.newPage();
      await other.goto(`https://acme.lightning.force.com${lightningRecordPath('Contact', ada.id)}`);
      await waitForPanel(other, (t) => /Matched on/.test(t), 'a match in the second tab');
      await page.bringToFront();
      await clickInPanel(page, 'button.reject');
      await waitForPanel(page, (t) => /No profile matches this record yet/.test(t), 'no match');
      await other.bringToFront();
      await waitForPanel(other, (t) => /No profile matches this record yet/.test(t), 'no match in the second tab');
      await other.close();
      await page.bringToFront();
    });

    it('links a profile found by typing its name, and unlinks it', async () => {
      const frame = await panelFrame(page);
      await frame.type('.profile-search input', 'grace hop');
      await frame.waitForFunction(() => document.querySelector('.search-results button.link'));
      await frame.click('.search-results button.link');
      let text = await waitForPanel(page, (t) => /Linked by you/.test(t), 'the manual link');
      assert.match(text, /Grace Hopper/);
      assert.match(text, /You linked this profile/);
      await clickInPanel(page, 'button.unlink');
      text = await waitForPanel(page, (t) => !/Linked by you/.test(t) && !/Loading/.test(t), 'the link removed');
      assert.doesNotMatch(text, /Grace Hopper/);
    });

    it('links by a pasted profile URL', async () => {
      const frame = await panelFrame(page);
      await frame.type('.profile-url input', 'https://www.linkedin.com/in/ada-lovelace/?trk=copy');
      await frame.click('button.link-url');
      const text = await waitForPanel(page, (t) => /Linked by you/.test(t), 'the pasted link');
      assert.match(text, /Ada Lovelace/);
    });

    it('shows the matched profile on Dynamics 365 too', async () => {
      const [dynAda] = await records('dynamics', 'contact');
      await signInDynamics(page, dynamicsRecordPath('contact', dynAda.id));
      await waitForPanelRecord(page, dynAda.fields.fullname);
      const text = await waitForPanel(page, (t) => /Matched on/.test(t), 'a Dynamics match');
      assert.match(text, /Ada Lovelace/);
    });

    it("lists an Opportunity's people from its contact roles", async () => {
      const [opportunity] = await records('salesforce', 'Opportunity');
      await page.goto(`https://acme.lightning.force.com${lightningRecordPath('Opportunity', opportunity.id)}`);
      const text = await waitForPanel(page, (t) => /People/.test(t), 'the opportunity people');
      assert.match(text, /Grace Hopper/);
    });

    it('refuses to show anything outside a CRM page frame', async () => {
      if (browserName === 'firefox') return; // its WebDriver cannot open extension pages in a tab
      const alone = await session.browser.newPage();
      const url = `https://acme.lightning.force.com${lightningRecordPath('Contact', ada.id)}`;
      await alone.goto(`${session.origin}/panel.html#${encodeURIComponent(url)}`);
      assert.equal(await alone.evaluate(() => document.body.innerText.trim()), '');
      const answer = await alone.evaluate((u) => chrome.runtime.sendMessage({ type: 'getPanel', url: u }), url);
      assert.equal(answer.error.code, 'panelNotFramed');
      await alone.close();
    });

    it("lists an Account's matched people", async () => {
      const accounts = await records('salesforce', 'Account');
      const acme = accounts.find((a) => a.fields.Name === 'Acme Corporation');
      await page.goto(`https://acme.lightning.force.com${lightningRecordPath('Account', acme.id)}`);
      const text = await waitForPanel(page, (t) => /People/.test(t), 'people');
      assert.match(text, /Grace Hopper/);
    });
  });
}

describe('clearing imported CRM data', () => {
  it('removes synced records and matches but keeps profiles', async () => {
    await control('reset?seed=demo', { method: 'POST' });
    const session = await launch(browsers[0]);
    try {
      const options = await importConnections(session);
      const [ada] = await records('salesforce', 'Contact');
      const page = await session.browser.newPage();
      await signInSalesforce(page, lightningRecordPath('Contact', ada.id));
      await waitForPanel(page, (t) => /Matched on/.test(t), 'a match');
      // Chromium pauses scripts in background tabs: bring the one we use to the front.
      await (options.bringToFront?.() ?? options.page().bringToFront());
      await options.click('#clear-crm');
      // One press only asks; nothing is removed yet.
      assert.match(await options.$eval('#clear-crm', (el) => el.textContent), /Press again/);
      assert.equal(await options.$eval('#clear-status', (el) => el.textContent), '');
      await options.click('#clear-crm');
      await options.waitForFunction(() => document.getElementById('clear-status').textContent !== '');
      assert.equal(await options.$eval('#clear-status', (el) => el.textContent), 'All imported CRM data was removed.');
      assert.equal(await options.$eval('#profile-count', (el) => el.textContent), '5');
      await page.bringToFront();
      await page.reload();
      // Without the copy, the next view starts a fresh sync.
      await waitForPanel(page, (t) => /Syncing with the CRM|Matched on/.test(t), 'a fresh sync');
    } finally {
      await session.close();
    }
  });
});
