// Settings pushed by browser policy, the way admins deploy them (docs/settings.md): the
// core's generated files in Chromium's managed policy folder and Firefox's policies.json.
// A locked setting shows locked and is enforced (write-back locked off: an item logged with
// Copy to CRM on never reaches the CRM); a default shows as a default and the user changes
// it; Chromium applies a changed policy file while it runs, and the user's never-log entry
// keeps an item local; Firefox, which hands the policy
// over unchecked, shows what is wrong in it and applies the rest.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import { records, signInSalesforce, lightningRecordPath, waitForPanelRecord, waitForPanel, sendFromPanel, openOptions } from './crm.mjs';
import { CHROMIUM_POLICY, FIREFOX_POLICY, generatedFiles, writePolicy, removePolicy } from './policy-files.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const CHROME_ID = 'nlkilbolkogknoljpajjibigeijindna';
const ADMIN = { locked: { writeBack: false, neverLog: { domains: ['rival.example'] } }, defaults: { toggleDefaultOn: false } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A setting's row on the options page: its source, whether its control works, its note. */
const settingRow = (options, key) => options.$eval(`.setting[data-key="${key}"]`, (row) => ({
  source: row.dataset.source,
  disabled: row.querySelector('input').disabled,
  checked: row.querySelector('input').checked,
  note: row.querySelector('.source')?.textContent ?? null,
}));

async function waitForRow(options, key, test, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let row;
  while (Date.now() < deadline) {
    row = await settingRow(options, key).catch(() => null);
    if (row && test(row)) return row;
    await sleep(250);
  }
  assert.fail(`${key} never ${what}: ${JSON.stringify(row)}`);
}

/**
 * The generated file as this test deploys it. Its `ExtensionSettings` force-install entry
 * makes the browser fetch the packaged extension from its store, which this machine cannot
 * reach, and Chromium then refuses the unpacked build as "blocked by the administrator":
 * that one entry is left out, the extension's own policy (`3rdparty`) is deployed as
 * generated. In Firefox a misspelt setting is added: Firefox checks nothing against the
 * schema, so it reaches the core, which must say so and apply the rest.
 */
function deployable(browserName, files) {
  const policy = JSON.parse(browserName === 'chromium' ? files.chrome : files.firefox);
  const root = browserName === 'chromium' ? policy : policy.policies;
  delete root.ExtensionSettings;
  if (browserName === 'firefox') root['3rdparty'].Extensions['crmsync@crmsync.dev'].locked.writeBakc = true;
  return JSON.stringify(policy, null, 2);
}

for (const browserName of browsers) {
  describe(`Browser policy in ${browserName}`, () => {
    const path = browserName === 'chromium' ? CHROMIUM_POLICY : FIREFOX_POLICY;
    let session;
    let files;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      files = await generatedFiles(ADMIN);
      writePolicy(path, deployable(browserName, files));
      session = await launch(browserName);
    });
    after(async () => {
      await session?.close();
      removePolicy(path);
    });

    it('shows a locked setting locked and a default as a default the user may change', async () => {
      if (browserName === 'chromium') assert.equal(session.origin, `chrome-extension://${CHROME_ID}`, 'the id policy names');
      const options = await openOptions(session);
      const locked = await waitForRow(options, 'writeBack', (r) => r.source === 'locked', 'was locked');
      assert.deepEqual([locked.disabled, locked.checked, locked.note], [true, false, 'Set by your administrator']);
      const initial = await settingRow(options, 'toggleDefaultOn');
      assert.equal(initial.source, 'policyDefault');
      assert.equal(initial.disabled, false);
      assert.equal(initial.checked, false);
      assert.match(initial.note, /^Default set by your administrator/);
      await options.click('#setting-toggleDefaultOn');
      const chosen = await waitForRow(options, 'toggleDefaultOn', (r) => r.source === 'user', 'became the user\'s');
      assert.equal(chosen.checked, true);
      const listed = await options.$eval('#never-log-list', (l) => l.textContent);
      assert.match(listed, /rival\.example/);
    });

    it('enforces write-back locked off: an item logged with Copy to CRM on never reaches the CRM', async () => {
      const [contact] = await records('salesforce', 'Contact');
      const page = await session.browser.newPage();
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      await waitForPanelRecord(page, contact.fields.Name ?? `${contact.fields.FirstName} ${contact.fields.LastName}`);
      const item = { kind: 'note', subject: 'Locked', body: 'never written', occurredAt: new Date().toISOString(), tags: [] };
      const logged = await sendFromPanel(page, { logItem: { url: page.url(), item, copyToCrm: true } });
      assert.equal(logged?.ok?.state, 'local', JSON.stringify(logged));
      assert.equal(logged.ok.reason, 'offForOrg');
      await sleep(3000);
      const notes = [...await records('salesforce', 'ContentNote'), ...await records('salesforce', 'Task')];
      assert.ok(!notes.some((n) => JSON.stringify(n).includes('never written')), 'nothing was written');
      await page.close();
    });

    if (browserName === 'firefox') {
      it('names what is wrong in the policy and applies the rest', async () => {
        const options = await openOptions(session);
        await options.waitForFunction(() => /writeBakc/.test(document.getElementById('policy-problems')?.textContent ?? ''), { timeout: 10_000 });
        const problems = await options.$eval('#policy-problems', (p) => p.textContent);
        assert.match(problems, /locked\.writeBakc: no such setting/);
        assert.equal((await settingRow(options, 'writeBack')).source, 'locked');
      });
    }

    if (browserName === 'chromium') {
      it('applies a changed policy file without a restart', async () => {
        const options = await openOptions(session);
        await waitForRow(options, 'writeBack', (r) => r.source === 'locked', 'was locked');
        writePolicy(path, deployable(browserName, await generatedFiles({ defaults: { writeBack: true } })));
        // Chromium watches its policy folder and reloads a few seconds after a change.
        const row = await waitForRow(options, 'writeBack', (r) => r.source === 'policyDefault', 'was unlocked', 60_000);
        assert.deepEqual([row.disabled, row.checked], [false, true]);
      });

      it('keeps an item about a record on the never-log list on this computer, and says so in the panel', async () => {
        const [contact] = await records('salesforce', 'Contact');
        const options = await openOptions(session);
        await options.select('#never-log-form select', 'record');
        await options.type('#never-log-form input', contact.id);
        await options.click('#never-log-form button[type=submit]');
        await options.waitForFunction((id) => document.getElementById('never-log-list').textContent.includes(id), { timeout: 10_000 }, contact.id);
        const page = await session.browser.newPage();
        await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
        await waitForPanelRecord(page, contact.fields.Name ?? `${contact.fields.FirstName} ${contact.fields.LastName}`);
        const item = { kind: 'note', subject: 'Listed', body: 'about a listed record', occurredAt: new Date().toISOString(), tags: [] };
        const logged = await sendFromPanel(page, { logItem: { url: page.url(), item, copyToCrm: true } });
        assert.deepEqual([logged?.ok?.state, logged?.ok?.reason], ['local', 'neverLogged'], JSON.stringify(logged));
        await waitForPanel(page, (t) => /never-log list/.test(t), 'the never-log reason');
        await sleep(2000);
        const written = [...await records('salesforce', 'ContentNote'), ...await records('salesforce', 'Task')];
        assert.ok(!written.some((n) => JSON.stringify(n).includes('about a listed record')), 'nothing was written');
        await page.close();
      });
    }
  });
}
