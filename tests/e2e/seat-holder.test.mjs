// The seat holder's half of an org's published settings, in both browsers against the
// emulated Dynamics 365 org: its admin connects the org through the CRM's own API (an
// environment variable holding the settings, a team for seats) with one user enabled; that
// user's Copy to CRM follows the org's kinds and toggle default, another user's item stays
// on their computer with the reason and never reaches the CRM; Disconnect with clear on the
// options page removes the org's imported data and keeps the user's items.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control, emulator } from './harness.mjs';
import {
  records, signInDynamics, dynamicsRecordPath, waitForPanelRecord, waitForPanel, sendFromPanel, openOptions,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const ORG = 'acme.crm.dynamics.com';
const API = `https://${ORG}/api/data/v9.2`;
const ADMIN = 'demo@acme.onmicrosoft.com';
const REP = 'rep@acme.onmicrosoft.com';
// What the admin publishes (docs/org-admin.md): per-user activation, notes only, switch off.
const SETTINGS = { autoSyncAll: false, writeBackKinds: ['note'], toggleDefaultOn: false };

/** A Dataverse Web API call as the org's admin; the answer's JSON (or null). */
async function asAdmin(method, path, body) {
  const { token } = await control('sessions?crm=dynamics', { method: 'POST' });
  const response = await fetch(`${emulator().api}/api/data/v9.2${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'OData-Version': '4.0',
      Prefer: 'return=representation',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Connects the org as its admin does (CRM-APIS B13, B14): the settings variable with its
 *  value, the seat team in the admin's business unit, and a seat for `seated` only. */
async function connectOrg(seated) {
  const users = await records('dynamics', 'systemuser');
  const idOf = (email) => users.find((u) => u.fields.internalemailaddress === email).id;
  const [unit] = await records('dynamics', 'businessunit');
  const doc = JSON.stringify({ crmsync: 1, state: 'connected', settings: SETTINGS });
  await asAdmin('POST', '/environmentvariabledefinitions', {
    schemaname: 'new_crmsyncSettings', displayname: 'crmsync settings', type: 100000003,
    environmentvariabledefinition_environmentvariablevalue: [{ schemaname: 'new_crmsyncSettings', value: doc }],
  });
  const team = await asAdmin('POST', '/teams', {
    name: 'crmsync seats', teamtype: 0, 'businessunitid@odata.bind': `/businessunits(${unit.id})`,
  });
  await asAdmin('POST', `/teams(${team.teamid})/teammembership_association/$ref`, {
    '@odata.id': `${API}/systemusers(${idOf(seated)})`,
  });
}

const note = () => ({ kind: 'note', subject: 'Fair', body: 'Met at the fair', occurredAt: new Date().toISOString(), tags: [] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens the contact's page as `user` and waits until the sync picked up the org's settings
 *  (the panel reloads when it ends). */
async function openContact(session, contact, user) {
  const page = await session.browser.newPage();
  await signInDynamics(page, dynamicsRecordPath('contact', contact.id), user);
  await waitForPanelRecord(page, contact.fields.fullname);
  await waitForPanel(page, (t) => /Last synced/.test(t), 'the sync done');
  return page;
}

for (const browserName of browsers) {
  describe(`A seat holder of a connected Dynamics 365 org in ${browserName}`, () => {
    let contact;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      [contact] = await records('dynamics', 'contact');
      await connectOrg(ADMIN);
    });

    it('a user who is not enabled sees the matches read-only, and their item stays on their computer', async () => {
      const session = await launch(browserName);
      try {
        const page = await openContact(session, contact, REP);
        await waitForPanel(page, (t) => t.includes('CRM sync is not enabled for you — ask your CRM admin'), 'the read-only notice');
        const logged = await sendFromPanel(page, { logItem: { url: page.url(), item: note(), copyToCrm: true } });
        assert.equal(logged.ok.state, 'local', JSON.stringify(logged));
        assert.equal(logged.ok.reason, 'userNotEnabled');
        await sleep(1500); // longer than the outbox's gathering
        const notes = await records('dynamics', 'annotation');
        assert.ok(!notes.some((n) => n.id === logged.ok.id), 'nothing reaches the CRM');
      } finally {
        await session.close();
      }
    });

    it('the enabled user writes back with the org\'s kinds and toggle default; Disconnect with clear keeps their items', async () => {
      const session = await launch(browserName);
      try {
        const page = await openContact(session, contact, ADMIN);
        const activity = await sendFromPanel(page, { getActivity: { url: page.url() } });
        assert.deepEqual(activity.ok.toggles.note, { offered: true, on: false, reason: null }, 'the org\'s toggle default');
        assert.equal(activity.ok.toggles.call.reason, 'kindNotSynced', 'the org\'s kinds');
        const logged = await sendFromPanel(page, { logItem: { url: page.url(), item: note(), copyToCrm: true } });
        assert.equal(logged.ok.state, 'queued', JSON.stringify(logged));
        const deadline = Date.now() + 20_000;
        while (!(await records('dynamics', 'annotation')).some((n) => n.id === logged.ok.id)) {
          assert.ok(Date.now() < deadline, 'the note reaches the CRM');
          await sleep(200);
        }
        await page.close();

        const options = await openOptions(session);
        await options.waitForSelector(`li.org[data-org="${ORG}"] button[data-op=disconnect]`, { timeout: 10_000 });
        const row = await options.$eval(`li.org[data-org="${ORG}"]`, (li) => li.innerText);
        assert.match(row, /Connected to Dynamics 365 since/);
        assert.match(row, /Last synced/);
        assert.match(row, /CRM sync is on for you/);
        const ask = (m) => options.evaluate((msg) => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage(msg), m);
        const found = await ask({ searchRecords: { query: contact.fields.fullname } });
        assert.ok(JSON.stringify(found).includes(contact.id), 'imported before');
        await options.click(`li.org[data-org="${ORG}"] input[data-op=clear]`);
        await options.click(`li.org[data-org="${ORG}"] button[data-op=disconnect]`);
        await options.waitForFunction(() => /data imported from this org is cleared/.test(document.getElementById('org-status')?.textContent ?? ''), { timeout: 10_000 });
        await options.waitForSelector(`li.org[data-org="${ORG}"] button[data-op=connect]`, { timeout: 10_000 });
        const gone = await ask({ searchRecords: { query: contact.fields.fullname } });
        assert.ok(!JSON.stringify(gone).includes(contact.id), `the org's imported data is gone: ${JSON.stringify(gone)}`);
        const written = await ask({ listItems: { state: 'written' } });
        assert.ok(JSON.stringify(written).includes(logged.ok.id), 'the user\'s item remains');
        const audit = await ask('listAudit');
        assert.ok(JSON.stringify(audit).includes(logged.ok.id), 'the audit log remains');
      } finally {
        await session.close();
      }
    });
  });
}
