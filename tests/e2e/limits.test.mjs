// The org's limits in both browsers (docs/background.md, CRM-APIS A8, A19). The API budget:
// an org at 85 % of its daily allowance keeps the background sync waiting while the user's
// record view and Copy to CRM still go, the options page says so, and the sync carries on once
// usage falls. Refused sessions: an org or user the CRM refuses gets its own sentence saying
// what the admin must allow, and nothing is retried in a loop.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath,
  waitForPanel, waitForPanelRecord, waitForPanelAlert, panelFrame, openOptions, sendFromPanel,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const ITEM_FIELD = 'Crmsync_Item_Id__c';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const send = sendFromPanel;

/** The sync's queries (they order by modification time) and every REST call to the org. */
async function orgRequests(host) {
  const log = (await control('requests')).filter((r) => r.host === host);
  const syncQueries = log.filter((r) => /ORDER\+BY\+LastModifiedDate|ORDER%20BY%20LastModifiedDate|\$orderby=modifiedon/.test(r.path));
  return { all: log, syncQueries };
}

const refuse = (rule) => control('refusals', {
  method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(rule),
});

/** The options page's lines about the org's sync (`#sync-status`) once it has listed the
 *  orgs; the page is closed again (Chromium would find it open for the next test). */
async function syncStatus(session, host, { expectLine = true } = {}) {
  const options = await openOptions(session);
  const read = (h) => [...document.querySelectorAll('#sync-status li')].map((li) => li.textContent).filter((t) => t.startsWith(h));
  await options.waitForFunction(() => document.querySelector('#writeback-org option'), { timeout: 10_000 }).catch(() => {});
  if (expectLine) await options.waitForFunction((h) => [...document.querySelectorAll('#sync-status li')].some((li) => li.textContent.startsWith(h)), { timeout: 10_000 }, host);
  const lines = await options.evaluate(read, host);
  if (typeof options.close === 'function') await options.close();
  return lines;
}

for (const browserName of browsers) {
  describe(`The org's API budget in ${browserName}`, () => {
    let session;
    let page;
    let contact;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      [contact] = await records('salesforce', 'Contact');
      session = await launch(browserName);
      page = await session.browser.newPage();
    });
    after(() => session?.close());

    it('keeps the background sync waiting at 85 % while the user\'s record and Copy to CRM still go', async () => {
      // The record view is the org's 12,750th call of the day: 85 %. Other integrations'
      // usage is in the count (Salesforce counts the whole org).
      await control('limits?salesforceDaily=15000&salesforceUsed=12749', { method: 'POST' });
      await control('requests', { method: 'DELETE' });
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      await waitForPanelRecord(page, contact.fields.Name);
      const prepared = await send(page, { prepareOrg: { apiHost: 'acme.my.salesforce.com' } });
      assert.deepEqual(prepared, { ok: true });
      const logged = await send(page, {
        logItem: {
          url: page.url(), copyToCrm: true,
          item: { kind: 'message', subject: 'Budget', body: 'Sent while the sync waits', occurredAt: new Date().toISOString(), tags: [] },
        },
      });
      assert.ok(logged?.ok, JSON.stringify(logged));
      const deadline = Date.now() + 20_000;
      let tasks = [];
      while (Date.now() < deadline && !tasks.length) {
        tasks = (await records('salesforce', 'Task')).filter((t) => t.fields[ITEM_FIELD] === logged.ok.id);
        await sleep(200);
      }
      assert.equal(tasks.length, 1, 'the user\'s own item is written');
      await sleep(1500);
      const { syncQueries } = await orgRequests('acme.my.salesforce.com');
      assert.deepEqual(syncQueries.map((r) => r.path), [], 'the sync sent nothing');
      const [line] = await syncStatus(session, 'acme.my.salesforce.com');
      assert.match(line, /Background sync paused: this org has used 8[5-9] % of its daily API allowance\. It resumes when usage falls/);
    });

    it('carries on from its checkpoint once an answer reports usage below 80 %', async () => {
      await control('limits?salesforceUsed=300', { method: 'POST' });
      await page.reload();
      await waitForPanel(page, (t) => /Last synced/.test(t), 'the sync finished', { timeout: 60_000 });
      const { syncQueries } = await orgRequests('acme.my.salesforce.com');
      assert.ok(syncQueries.length >= 4, `the sync ran: ${syncQueries.length} queries`);
      assert.deepEqual(await syncStatus(session, 'acme.my.salesforce.com', { expectLine: false }), []);
    });
  });

  describe(`Refused sessions in ${browserName}`, () => {
    let session;
    let page;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      page = await session.browser.newPage();
    });
    after(() => session?.close());

    it('tells a Salesforce user without "API Enabled" what to ask for, and does not retry', async () => {
      const [contact] = await records('salesforce', 'Contact');
      await refuse({ refusal: 'apiDisabledForUser' });
      await control('requests', { method: 'DELETE' });
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      const alert = await waitForPanelAlert(page);
      assert.match(alert, /Your Salesforce user may not use the API\. Ask your Salesforce admin to give you the “API Enabled” permission/);
      await sleep(3000);
      const { all } = await orgRequests('acme.my.salesforce.com');
      const rest = all.filter((r) => r.path.startsWith('/services/data/'));
      assert.equal(rest.length, 1, `one refused record read, no sync, no retry: ${rest.map((r) => r.path)}`);
      const [line] = await syncStatus(session, 'acme.my.salesforce.com');
      assert.match(line, /“API Enabled” permission/);
    });

    it('names API Access Control when the org admits only approved connected apps', async () => {
      const [, contact] = await records('salesforce', 'Contact');
      await control('refusals', { method: 'DELETE' });
      await refuse({ refusal: 'apiAccessControl' });
      await page.goto(`https://acme.lightning.force.com${lightningRecordPath('Contact', contact.id)}`);
      const alert = await waitForPanelAlert(page);
      assert.match(alert, /API Access Control blocks the browser session crmsync uses\. Ask your Salesforce admin to give you the “Use Any API Client” permission/);
    });

    it('says a Salesforce org behind a Defender for Cloud Apps proxy has no session to use', async () => {
      const [contact] = await records('salesforce', 'Contact');
      await control('refusals', { method: 'DELETE' });
      await control('requests', { method: 'DELETE' });
      const start = encodeURIComponent(lightningRecordPath('Contact', contact.id));
      await page.goto(`https://acme.my.salesforce.com.mcas.ms/login.jsp?un=demo@acme.com&pw=demo&startURL=${start}`);
      const alert = await waitForPanelAlert(page);
      assert.match(alert, /opened through Microsoft Defender for Cloud Apps, which hides the session crmsync needs/);
      const { all } = await orgRequests('acme.my.salesforce.com.mcas.ms');
      assert.equal(all.filter((r) => r.path.startsWith('/services/data/')).length, 0, 'nothing sent');
    });

    // Accounts: a synced contact's panel is drawn from the synced copy without a request
    // (the options page above synced the Dataverse org), an account's reads the CRM.
    it('tells a Dataverse user who is not a member of the environment what the admin must do', async () => {
      const [account] = await records('dynamics', 'account');
      await refuse({ refusal: 'notMember' });
      await signInDynamics(page, dynamicsRecordPath('account', account.id));
      const alert = await waitForPanelAlert(page);
      assert.match(alert, /You are not a member of this Dynamics 365 environment\. Ask your Dynamics 365 admin to add you with a licence and a security role/);
    });

    it('reads a Conditional Access claims challenge from the 401\'s WWW-Authenticate', async () => {
      const [, account] = await records('dynamics', 'account');
      await control('refusals', { method: 'DELETE' });
      await refuse({ refusal: 'conditionalAccess' });
      await page.goto(`https://acme.crm.dynamics.com${dynamicsRecordPath('account', account.id)}`);
      const alert = await waitForPanelAlert(page);
      assert.match(alert, /access policy \(Conditional Access\) wants a new sign-in to Dynamics 365/);
    });

    it('says on a synced contact\'s panel why, once a sync finds the session refused', async () => {
      const [contact] = await records('dynamics', 'contact');
      await control('refusals', { method: 'DELETE' });
      await page.goto(`https://acme.crm.dynamics.com${dynamicsRecordPath('contact', contact.id)}`);
      await waitForPanelRecord(page, contact.fields.fullname);
      await (await panelFrame(page)).click('button.sync-now');
      await waitForPanel(page, (t) => /Last synced/.test(t) && !/Sync failed/.test(t), 'a sync that works', { timeout: 20_000 });
      await refuse({ refusal: 'notMember' });
      await (await panelFrame(page)).click('button.sync-now');
      // The refused sync stops; from then on the panel reads the record, and says why.
      const alert = await waitForPanelAlert(page, 20_000);
      assert.match(alert, /You are not a member of this Dynamics 365 environment/);
    });
  });
}
