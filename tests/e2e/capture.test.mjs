// Profile capture on the network's profile pages in both browsers: visiting a profile stores
// it from the page's structured data, and once the CRM is synced the panel shows a badge per
// CRM the person is in ("In Salesforce", "In Dynamics 365") at its top, each opening the
// record. The badges are drawn in the panel, an extension frame: the page itself sees only an
// opaque iframe, never which CRMs hold the person. They follow the app's moves between
// profiles without page loads, and come back when the page drops the frame.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import { seriousViolations } from './axe.mjs';
import { records, signInSalesforce, lightningRecordPath, waitForPanelRecord, waitForPanel, openOptions, panelFrame } from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');

/** What the badges show, read in the panel frame (the page cannot). */
const badgeLinks = async (page) => {
  const frame = await panelFrame(page).catch(() => null);
  return (await frame?.evaluate(() => [...document.querySelectorAll('#badges .badge')]
    .map((b) => ({ text: b.textContent, tag: b.localName, title: b.title, href: b.getAttribute('href'), target: b.getAttribute('target') })))
    .catch(() => [])) ?? [];
};
/** What of the extension the page's own script can read: our elements and their open shadow roots. */
const pageSees = (page) => page.evaluate(() => [...document.querySelectorAll('[data-crmsync]')]
  .map((el) => `${el.outerHTML}${el.shadowRoot?.innerHTML ?? ''}`).join('\n'));

/** Waits until the page shows badges that pass `test`; returns them. */
async function waitForBadges(page, test, what) {
  const deadline = Date.now() + 10_000;
  let links = [];
  while (Date.now() < deadline) {
    links = await badgeLinks(page);
    if (test(links)) return links;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the page never showed ${what}; it shows ${JSON.stringify(links)}`);
}

/** A badge names its CRM and is a link that opens the record in a new tab. */
const namesItsCrm = (b) => ['In Salesforce', 'In Dynamics 365'].includes(b.text) && b.tag === 'a' && b.target === '_blank'
  && /^https:\/\/acme\.(lightning\.force|crm\.dynamics)\.com\//.test(b.href);
/** The links in the panel (an extension frame the page cannot read). */
const panelLinks = (page) => waitForPanel(page, () => true, 'links', { read: () => [...document.querySelectorAll('a[href]')].map((a) => a.href) });

for (const browserName of browsers) {
  describe(`profile capture in ${browserName}`, () => {
    let session;
    let profile; // a profile page that shows badges
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

    it('shows "In Salesforce" once the CRM is synced, and the panel links to the record', async () => {
      const [, grace] = await records('salesforce', 'Contact');
      const crm = await session.browser.newPage();
      await signInSalesforce(crm, lightningRecordPath('Contact', grace.id));
      await waitForPanelRecord(crm, grace.fields.Name);
      profile = await session.browser.newPage();
      const deadline = Date.now() + 15_000;
      let links = [];
      // Opening the options page signed in to Dynamics too, so both CRMs may have Grace.
      const inSalesforce = () => links.find((l) => l.text === 'In Salesforce');
      // The first visit may come before the sync ends; a later visit finds the match.
      while (Date.now() < deadline && !inSalesforce()) {
        await profile.goto('https://www.linkedin.com/in/grace-hopper');
        await new Promise((r) => setTimeout(r, 700));
        links = await badgeLinks(profile);
      }
      assert.ok(inSalesforce(), JSON.stringify(links));
      assert.ok(links.every(namesItsCrm), JSON.stringify(links));
      const graceUrl = `https://acme.lightning.force.com${lightningRecordPath('Contact', grace.id)}`;
      assert.equal(inSalesforce().href, graceUrl, 'the badge opens the record');
      assert.equal(await (await panelFrame(profile)).evaluate(() => document.getElementById('badges').getAttribute('aria-label')), 'In CRM');
      // The page's script sees an opaque frame: no CRM name, badge text, record name or link.
      const seen = await pageSees(profile);
      for (const secret of ['In Salesforce', 'In Dynamics', 'In CRM', grace.fields.Name, grace.id, 'force.com']) assert.ok(!seen.includes(secret), `${secret} in ${seen}`);
      assert.deepEqual(await seriousViolations(await panelFrame(profile), '#badges'), []);
      await waitForPanel(profile, (t) => t.includes(`In CRM: ${grace.fields.Name} · Salesforce`), 'the record in the panel');
      assert.ok((await panelLinks(profile)).includes(graceUrl));
    });

    it('puts the badges back when the page drops them', async () => {
      await profile.bringToFront();
      await profile.evaluate(() => document.querySelector('[data-crmsync=root]').remove());
      const links = await waitForBadges(profile, (l) => l.some((b) => b.text === 'In Salesforce'), 'the badges again');
      assert.ok(links.every(namesItsCrm));
    });

    it('follows the app to another profile without a page load', async () => {
      const [ada] = await records('salesforce', 'Contact');
      await profile.bringToFront();
      // The network's app: the URL changes first, the new person's page renders once fetched.
      await profile.evaluate(async () => {
        window.__crmsyncNoReload = true;
        history.pushState({}, '', '/in/ada-lovelace');
        const next = new DOMParser().parseFromString(await (await fetch(location.href)).text(), 'text/html');
        document.head.replaceChildren(...[...next.head.children].map((el) => document.adoptNode(el)));
        document.querySelector('main').replaceWith(document.adoptNode(next.querySelector('main')));
      });
      const adaUrl = `https://acme.lightning.force.com${lightningRecordPath('Contact', ada.id)}`;
      await waitForPanel(profile, (t) => t.includes(`In CRM: ${ada.fields.Name} · Salesforce`), "Ada's record in the panel");
      assert.ok((await panelLinks(profile)).includes(adaUrl));
      const links = await waitForBadges(profile, (l) => l.some((b) => b.text === 'In Salesforce'), "Ada's badge");
      assert.ok(links.every(namesItsCrm), JSON.stringify(links));
      assert.equal(await profile.evaluate(() => window.__crmsyncNoReload), true, 'no page load');
    });

    it('shows no badge for someone who is not in the CRM', async () => {
      const page = await session.browser.newPage();
      await page.goto('https://www.linkedin.com/in/nobody-at-all');
      await new Promise((r) => setTimeout(r, 800));
      assert.deepEqual(await badgeLinks(page), []);
    });
  });
}
