// Untrusted text stays text, in both browsers: script-bearing payloads in CRM fields (written
// through the CRMs' own APIs) and in imported profile fields are shown literally by the panel,
// never become elements, and a `javascript:` profile URL never becomes a link.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSERS, launch, control, emulator } from './harness.mjs';
import { signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath, panelFrame, openOptions } from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
// Within Salesforce's field lengths (FirstName 40, LastName 80), which the emulator enforces.
const FIRST = "<img src=x onerror=name='pwned'>";
const LAST = "</script><script>name='pwned'</script>";
const TITLE = '"><svg onload="window.name=\'pwned\'">';
const EMAIL = 'xss.payload@evil.example';

async function api(path, init = {}) {
  const response = await fetch(`${emulator().api}${path}`, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Creates the payload contact in both CRMs through their APIs; returns both ids. */
async function createPayloadContacts() {
  const sf = await control('sessions?crm=salesforce', { method: 'POST' });
  const created = await api('/services/data/v66.0/sobjects/Contact', {
    method: 'POST',
    headers: { Authorization: `Bearer ${sf.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ FirstName: FIRST, LastName: LAST, Title: TITLE, Email: EMAIL }),
  });
  const dyn = await control('sessions?crm=dynamics', { method: 'POST' });
  const response = await fetch(`${emulator().api}/api/data/v9.2/contacts`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${dyn.token}`, 'Content-Type': 'application/json', Prefer: 'return=representation' },
    body: JSON.stringify({ firstname: FIRST, lastname: LAST, jobtitle: TITLE, emailaddress1: EMAIL }),
  });
  const dynContact = await response.json();
  return { salesforce: created.id, dynamics: dynContact.contactid };
}

async function importPayloadProfile(session) {
  const dir = await mkdtemp(join(tmpdir(), 'crmsync-xss-'));
  const file = join(dir, 'Connections.csv');
  const quote = (s) => `"${s.replaceAll('"', '""')}"`;
  await writeFile(file, `First Name,Last Name,URL,Email Address,Company,Position,Connected On\n${[FIRST, LAST, "javascript:window.name='pwned'", EMAIL, TITLE, TITLE, '01 Jan 2024'].map(quote).join(',')}\n`);
  const options = await openOptions(session);
  await (await options.$('#import-file')).uploadFile(file);
  await options.waitForFunction(() => /Imported 1 new/.test(document.getElementById('import-summary').textContent), { timeout: 15_000 });
}

/** What the panel shows, and whether anything in it or the page ran or became markup. */
async function inspect(page) {
  const deadline = Date.now() + 15_000;
  let state;
  do {
    // The frame is looked up each time: sign-in redirects replace the page (and its panel).
    const frame = await panelFrame(page);
    state = await frame.evaluate(() => ({
      text: document.body.innerText,
      injected: document.querySelectorAll('main img, main script, main svg, main iframe').length,
      // Only the web and the extension's own pages may be linked (the panel links Unresolved Activities).
      scriptLinks: [...document.querySelectorAll('a')].filter((a) => !['https:', location.protocol].includes(a.protocol)).length,
      pwned: window.name === 'pwned',
    })).catch(() => ({ text: '' }));
    if (/Matched on/.test(state.text)) break;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < deadline);
  state.pagePwned = await page.evaluate(() => window.name === 'pwned');
  return state;
}

for (const browserName of browsers) {
  describe(`untrusted text in ${browserName}`, () => {
    let session;
    let ids;
    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      ids = await createPayloadContacts();
      session = await launch(browserName);
      await importPayloadProfile(session);
    });
    after(() => session?.close());

    for (const crm of ['salesforce', 'dynamics']) {
      it(`renders ${crm} and profile payloads as text`, async () => {
        const page = await session.browser.newPage();
        if (crm === 'salesforce') await signInSalesforce(page, lightningRecordPath('Contact', ids.salesforce));
        else await signInDynamics(page, dynamicsRecordPath('contact', ids.dynamics));
        const state = await inspect(page);
        assert.match(state.text, /Matched on/, 'the payload profile is matched and shown');
        assert.ok(state.text.includes(FIRST), 'the payload is visible literally');
        assert.ok(state.text.includes(TITLE));
        assert.equal(state.injected, 0, 'no element was created from field text');
        assert.equal(state.scriptLinks, 0, 'no javascript: link');
        assert.equal(state.pwned, false);
        assert.equal(state.pagePwned, false);
        await page.close();
      });
    }
  });
}
