// The admin page, in both browsers, reached from the options page as an admin reaches it:
// the admin connects the Salesforce and the Dynamics 365 org, picks the pipeline stage and
// the won-value field from choices read from the emulator's metadata (Not sure last),
// publishes settings with one user's seat enabled, and the emulator then holds those
// settings and that seat; a user who is not an admin sees the CRM's refusal and what to
// ask the CRM admin for.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath, waitForPanelRecord, openAdmin, waitForText,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const SF = 'acme.my.salesforce.com';
const DY = 'acme.crm.dynamics.com';



/** A select's options as shown: [value, label]. */
const choices = (page, selector) => page.$$eval(`${selector} option`, (os) => os.map((o) => [o.value, o.textContent]));


/** The published document the emulator holds for the org. */
async function publishedIn(crm) {
  if (crm === 'salesforce') {
    const [row] = await records('salesforce', 'crmsync_Settings__c');
    return row && JSON.parse(row.fields.Json__c);
  }
  const [row] = await records('dynamics', 'environmentvariablevalue');
  return row && JSON.parse(row.fields.value);
}

async function seatHolders(crm) {
  if (crm === 'salesforce') return (await records('salesforce', 'PermissionSetAssignment')).map((a) => a.fields.AssigneeId);
  return (await records('dynamics', 'teammembership')).map((m) => m.fields.systemuserid);
}

/** Connects the org shown, picks choices, enables `email`'s seat and publishes. */
async function connectAndPublish(admin, crm, email) {
  await waitForText(admin, '#admin-state', /Not connected/);
  await admin.click('#admin-connect');
  await waitForText(admin, '#admin-state', crm === 'salesforce' ? /Connected to Salesforce/ : /Connected to Dynamics 365/);
  await waitForText(admin, '#admin-status', /^Connected\./);

  const stages = await choices(admin, '#admin-setting-pipelineStage');
  const money = await choices(admin, '#admin-setting-wonValueField');
  assert.deepEqual(stages.at(-1), ['', 'Not sure']);
  assert.deepEqual(money.at(-1), ['', 'Not sure']);
  await admin.select('#admin-setting-pipelineStage', stages[1][0]);
  await admin.select('#admin-setting-wonValueField', money[0][0]);
  await admin.click('#admin-setting-writeBackKinds-tag');

  await admin.click('#admin-auto-sync-no');
  const row = `#seat-list li:has(input[data-user]) .email`;
  await admin.waitForSelector(row, { timeout: 10_000 });
  const user = await admin.$$eval('#seat-list li', (lis, e) => lis.find((li) => li.querySelector('.email').textContent === e)?.dataset.user, email);
  assert.ok(user, `${email} is listed`);
  await admin.click(`#seat-list input[data-user="${user}"]`);
  await waitForText(admin, '#admin-status', /^CRM sync enabled for /);

  await admin.click('#admin-publish');
  await waitForText(admin, '#admin-status', /^Published\./);
  return { stage: stages[1][0], money: money[0][0], user };
}

for (const browserName of browsers) {
  describe(`The admin page in ${browserName}`, () => {
    let session;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      const page = await session.browser.newPage();
      const [contact] = await records('salesforce', 'Contact');
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      await waitForPanelRecord(page, contact.fields.Name);
      await page.close();
    });
    after(() => session?.close());

    it('offers the Salesforce org’s own stages and money fields, connects it and publishes settings with one seat', async () => {
      const admin = await openAdmin(session, SF);
      const stages = (await records('salesforce', 'OpportunityStage'))
        .filter((s) => s.fields.IsActive !== false)
        .sort((a, b) => a.fields.SortOrder - b.fields.SortOrder)
        .map((s) => s.fields.MasterLabel);
      await admin.waitForSelector('#admin-setting-pipelineStage', { timeout: 20_000 });
      const shown = (await choices(admin, '#admin-setting-pipelineStage')).map(([, label]) => label);
      assert.deepEqual(shown, [...stages, 'Not sure'], 'the CRM’s order, Not sure last');
      assert.ok((await choices(admin, '#admin-setting-wonValueField')).some(([value]) => value === 'Amount'));

      const chosen = await connectAndPublish(admin, 'salesforce', 'rep@acme.com');
      const doc = await publishedIn('salesforce');
      assert.equal(doc.state, 'connected');
      assert.equal(doc.settings.pipelineStage, chosen.stage);
      assert.equal(doc.settings.wonValueField, chosen.money);
      assert.equal(doc.settings.autoSyncAll, false);
      assert.deepEqual(doc.settings.writeBackKinds, ['inMail', 'message', 'note', 'call']);
      assert.ok((await seatHolders('salesforce')).includes(chosen.user), 'the rep holds a seat');
    });

    it('connects the Dynamics 365 org from the same page and publishes its settings with one seat', async () => {
      const page = await session.browser.newPage();
      const [contact] = await records('dynamics', 'contact');
      await signInDynamics(page, dynamicsRecordPath('contact', contact.id));
      await waitForPanelRecord(page, contact.fields.fullname);
      await page.close();
      const admin = await openAdmin(session, DY);
      await admin.waitForSelector('#admin-setting-pipelineStage', { timeout: 20_000 });
      const chosen = await connectAndPublish(admin, 'dynamics', 'rep@acme.onmicrosoft.com');
      const labels = (await choices(admin, '#admin-setting-pipelineStage')).map(([, label]) => label);
      assert.equal(labels[0], 'Qualify', 'the sales stage option set’s order');
      const doc = await publishedIn('dynamics');
      assert.equal(doc.state, 'connected');
      assert.equal(doc.settings.pipelineStage, chosen.stage);
      assert.equal(doc.settings.wonValueField, chosen.money);
      assert.ok((await seatHolders('dynamics')).includes(chosen.user), 'the rep is in the seat team');
    });

    it('tells a user who is not an admin the CRM’s refusal and what to ask for', async () => {
      const page = await session.browser.newPage();
      const [contact] = await records('salesforce', 'Contact');
      const start = encodeURIComponent(lightningRecordPath('Contact', contact.id));
      await page.goto(`https://acme.my.salesforce.com/login.jsp?un=rep@acme.com&pw=demo&startURL=${start}`);
      await waitForPanelRecord(page, contact.fields.Name);
      const admin = await openAdmin(session, SF);
      const refused = await waitForText(admin, '#admin-status', /Ask your CRM admin for/);
      assert.match(refused, /Only a CRM admin can do this\. Ask your CRM admin for: Customize Application, Assign Permission Sets/);
      assert.match(refused, /The CRM said: sObject type 'PermissionSetAssignment' is not supported/);

      // Opening the page signs in to Dynamics 365 as the admin (openOptions): the rep signs
      // in after, in another tab, and then tries a change.
      const dyAdmin = await openAdmin(session, DY);
      await waitForText(dyAdmin, '#admin-state', /Connected to Dynamics 365/);
      const [dyContact] = await records('dynamics', 'contact');
      await page.goto(`https://acme.crm.dynamics.com/_login?user=rep@acme.onmicrosoft.com&password=demo&returnUrl=${encodeURIComponent(dynamicsRecordPath('contact', dyContact.id))}`);
      await waitForPanelRecord(page, dyContact.fields.fullname);
      await page.close();
      const before = await publishedIn('dynamics');
      await dyAdmin.click('#admin-setting-dataValidation');
      await dyAdmin.click('#admin-publish');
      const text = await waitForText(dyAdmin, '#admin-status', /Ask your CRM admin for/);
      assert.match(text, /^Stopped while publishing the settings: Only a CRM admin can do this\. Ask your CRM admin for: prv\w+/);
      assert.deepEqual(await publishedIn('dynamics'), before, 'nothing was published');
    });
  });
}
