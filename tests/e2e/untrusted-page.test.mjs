// Pages are not trusted, in both browsers. A network page's own script (or an XSS on the
// network) can rewrite its URL in place and its structured data at will, read everything in
// its DOM and open shadow roots, and rewrite our panel frame's URL: it changes no stored
// profile, finds no CRM record's name, id or org host, and a request naming another page
// than the tab shows is refused.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import { records, signInSalesforce, lightningRecordPath, waitForPanelRecord, waitForPanel, waitForPanelAlert, sendFromPanel, SALESFORCE_UI } from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const ORG_HOSTS = ['acme.lightning.force.com', 'acme.my.salesforce.com', 'acme.crm.dynamics.com'];

/** In the page's own world: every text and attribute value it can reach, open shadow roots
 *  included, and whether it can read into our frames. */
const whatThePageSees = (page) => page.evaluate(() => {
  /** Every text and attribute value below `root`, into open shadow roots and frames. */
  const reach = (root) => {
    const seen = [root.textContent ?? ''];
    for (const el of root.querySelectorAll('*')) {
      for (const attr of el.attributes) seen.push(attr.value);
      if (el.shadowRoot) seen.push(...reach(el.shadowRoot));
      if (el.localName === 'iframe') {
        try {
          seen.push(el.contentDocument?.documentElement.outerHTML ?? '');
        } catch {
          // cross-origin: unreadable, as it should be
        }
      }
    }
    return seen;
  };
  const ours = [...document.querySelectorAll('[data-crmsync]')].flatMap((el) => [
    ...[...el.attributes].map((a) => a.value),
    ...(el.shadowRoot ? reach(el.shadowRoot) : []),
    ...reach(el),
  ]);
  return { all: [document.documentElement.outerHTML, ...reach(document)].join('\n'), ours: ours.join('\n') };
});

/** The page's script: the URL rewritten in place to another member's, and data naming a
 *  third person, as a capture would read it. */
const forgeAnotherMember = (page, slug, name) => page.evaluate((slug, name) => {
  const url = `https://www.linkedin.com/in/${slug}`;
  history.replaceState({}, '', `/in/${slug}`);
  for (const s of document.querySelectorAll('script[type="application/ld+json"]')) s.remove();
  const jsonLd = document.createElement('script');
  jsonLd.type = 'application/ld+json';
  jsonLd.textContent = JSON.stringify({ '@type': 'Person', name, email: 'mallory@evil.test', url });
  document.head.append(jsonLd);
  document.querySelector('link[rel=canonical]')?.setAttribute('href', url);
  document.querySelector('meta[property="og:url"]')?.setAttribute('content', url);
  document.title = `${name} | LinkedIn`;
  document.querySelector('main').replaceChildren(Object.assign(document.createElement('h1'), { textContent: name }));
}, slug, name);

for (const browserName of browsers) {
  describe(`untrusted pages in ${browserName}`, () => {
    let session;
    let grace;
    let ada;
    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      [ada, grace] = await records('salesforce', 'Contact');
    });
    after(() => session?.close());

    it("a network page rewriting its URL and data in place changes no stored profile", async () => {
      const page = await session.browser.newPage();
      await page.goto('https://www.linkedin.com/in/grace-hopper');
      await waitForPanel(page, (t) => t.includes('Grace Hopper'), 'the captured person');
      assert.deepEqual(await sendFromPanel(page, 'countProfiles'), { ok: 1 });
      await forgeAnotherMember(page, 'ada-lovelace', 'Mallory Forged');
      // Every DOM change would have been a capture before; give the page time to be heard.
      await new Promise((r) => setTimeout(r, 1500));
      await page.evaluate(() => { document.title = 'Mallory Forged (2) | LinkedIn'; });
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(await sendFromPanel(page, 'countProfiles'), { ok: 1 }, 'no profile added');
      assert.deepEqual(await sendFromPanel(page, { searchProfiles: { query: 'Mallory' } }), { ok: [] });
      const { ok: [stored] } = await sendFromPanel(page, { searchProfiles: { query: 'Grace' } });
      assert.equal(stored.person.full_name, 'Grace Hopper');
      assert.equal(stored.person.profile_url, 'https://www.linkedin.com/in/grace-hopper/');
      await page.close();
    });

    it("the network page's script finds nothing of the CRM in what we add, not even which CRMs", async () => {
      const crm = await session.browser.newPage();
      await signInSalesforce(crm, lightningRecordPath('Contact', grace.id));
      await waitForPanelRecord(crm, grace.fields.Name);
      await crm.close();
      const page = await session.browser.newPage();
      // The first visit may come before the sync ends; a later visit finds the match.
      const deadline = Date.now() + 20_000;
      let found = '';
      while (Date.now() < deadline && !found.includes(grace.fields.Name)) {
        await page.goto('https://www.linkedin.com/in/grace-hopper');
        found = await waitForPanel(page, (t) => t.includes(`In CRM: ${grace.fields.Name}`), 'the record in the panel', { timeout: 1500 }).catch(() => '');
      }
      assert.ok(found.includes(`In CRM: ${grace.fields.Name} · Salesforce`), 'the panel (our frame) shows the record');
      const seen = await whatThePageSees(page);
      for (const secret of [grace.id, grace.id.slice(0, 15), ...ORG_HOSTS]) {
        assert.ok(!seen.all.includes(secret), `the page can read ${secret}`);
      }
      for (const secret of [grace.fields.Name, 'In Salesforce', 'In Dynamics 365', 'In CRM']) {
        assert.ok(!seen.ours.includes(secret), `"${secret}" is in the page's DOM`);
      }
      await page.close();
    });

    it('a request naming another page than the tab shows is refused', async () => {
      const page = await session.browser.newPage();
      const gracePath = lightningRecordPath('Contact', grace.id);
      const adaUrl = `${SALESFORCE_UI}${lightningRecordPath('Contact', ada.id)}`;
      await page.goto(`${SALESFORCE_UI}${gracePath}`);
      await waitForPanelRecord(page, grace.fields.Name);
      const item = { kind: 'note', subject: '', body: 'written from Grace’s tab', occurredAt: new Date().toISOString(), tags: [] };
      assert.deepEqual(await sendFromPanel(page, { logItem: { url: adaUrl, item, copyToCrm: true } }), { error: { code: 'notThisPage' } });
      const corrected = await sendFromPanel(page, { correctMatch: { url: adaUrl, correction: { link: { profileId: 'url:in/grace-hopper' } } } });
      assert.deepEqual(corrected, { error: { code: 'notThisPage' } }, 'one spelling for one refusal');
      assert.deepEqual(await sendFromPanel(page, { getActivity: { url: adaUrl } }), { error: { code: 'notThisPage' } });
      // The CRM page's script points our frame at another record: the panel says so, and shows none.
      await page.evaluate((url) => {
        const frame = document.querySelector('[data-crmsync=root]').shadowRoot.querySelector('iframe');
        frame.src = `${frame.src.split('#')[0]}#${encodeURIComponent(url)}`;
      }, adaUrl);
      assert.match(await waitForPanelAlert(page), /no longer shows the page it is on/);
      // Nothing was stored about Ada.
      const adaTab = await session.browser.newPage();
      await adaTab.goto(adaUrl);
      await waitForPanelRecord(adaTab, ada.fields.Name);
      const activity = await sendFromPanel(adaTab, { getActivity: { url: adaUrl } });
      assert.deepEqual(activity.ok.entries, []);
      await page.close();
      await adaTab.close();
    });
  });
}
