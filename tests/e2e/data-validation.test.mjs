// Data validation end to end, in both browsers: the admin page's setup creates the Not at
// Company flag (Salesforce: a Contact checkbox through the Tooling API; Dataverse: a Boolean
// column and the four system views in `savedqueries`); with data validation published on,
// a matched contact moved to an account that is not the company on their profile gets the
// flag in the CRM within one sync, and loses it when moved back.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import {
  records, dataverse, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath,
  waitForPanelRecord, openOptions, openAdmin, importConnections, waitForText, syncNow,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const SF = 'acme.my.salesforce.com';
const DY = 'acme.crm.dynamics.com';
const VIEWS = [
  'All Contacts Not at Company',
  'My Contacts Not at Company',
  'All Opportunities at Risk – Contact Left',
  'My Opportunities at Risk – Contact Left',
];

const text = (page, selector) => page.$eval(selector, (e) => e.textContent).catch(() => '');

async function waitFor(what, test, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await test();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`${what} never happened`);
}



async function connectAndSetUp(admin, crm) {
  await waitForText(admin, '#admin-state', /Not connected/);
  await admin.click('#admin-connect');
  await waitForText(admin, '#admin-state', crm === 'salesforce' ? /Connected to Salesforce/ : /Connected to Dynamics 365/);
  await admin.click('#admin-validation-setup');
  await waitForText(admin, '#admin-status', /^Data validation is set up/);
}


const flagOf = async (id) => (await records('dynamics', 'contact')).find((c) => c.id === id)?.fields.new_crmsyncnotatcompany;

for (const browserName of browsers) {
  describe(`data validation in ${browserName}`, () => {
    let session;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
    });
    after(() => session?.close());

    it('creates the checkbox on the Salesforce Contact, hidden from layouts', async () => {
      const page = await session.browser.newPage();
      const [contact] = await records('salesforce', 'Contact');
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      await waitForPanelRecord(page, contact.fields.Name);
      await page.close();
      const admin = await openAdmin(session, SF);
      await connectAndSetUp(admin, 'salesforce');
      const fields = await records('salesforce', '__CustomField');
      const flag = fields.find((f) => f.fields.object === 'Contact' && f.fields.name === 'crmsync_Not_at_Company__c');
      assert.ok(flag, 'the flag field exists');
      assert.equal(flag.fields.metadata.type, 'Checkbox');
      const grants = await records('salesforce', 'FieldPermissions');
      assert.ok(grants.some((g) => g.fields.Field === 'Contact.crmsync_Not_at_Company__c' && g.fields.PermissionsEdit), 'seat holders may edit it');
      // Running setup again changes nothing and still succeeds.
      await admin.click('#admin-validation-setup');
      await waitForText(admin, '#admin-status', /^Data validation is set up/);
      assert.equal((await records('salesforce', '__CustomField')).length, fields.length);
    });

    it('creates the Dataverse column and the four system views, then flags a contact who is not at their account within one sync', async () => {
      const page = await session.browser.newPage();
      const contacts = await records('dynamics', 'contact');
      const ada = contacts.find((c) => c.fields.fullname === 'Ada Lovelace');
      await signInDynamics(page, dynamicsRecordPath('contact', ada.id));
      await waitForPanelRecord(page, 'Ada Lovelace');
      // Profiles first: Ada's says Acme Corporation, the account she is at.
      await importConnections(session);
      const admin = await openAdmin(session, DY);
      await connectAndSetUp(admin, 'dynamics');
      const views = (await records('dynamics', 'savedquery')).filter((v) => VIEWS.includes(v.fields.name));
      assert.deepEqual(views.map((v) => v.fields.name).sort(), [...VIEWS].sort());
      assert.ok(views.every((v) => v.fields.querytype === 0 && /new_crmsyncnotatcompany/.test(v.fields.fetchxml)));
      await admin.click('#admin-validation-setup');
      await waitForText(admin, '#admin-status', /^Data validation is set up/);
      assert.equal((await records('dynamics', 'savedquery')).filter((v) => VIEWS.includes(v.fields.name)).length, 4, 'no view twice');

      await admin.click('#admin-setting-dataValidation');
      await admin.click('#admin-publish');
      await waitForText(admin, '#admin-status', /^Published\./);

      const acme = ada.fields._parentcustomerid_value ?? ada.fields.parentcustomerid;
      const other = (await records('dynamics', 'account')).find((a) => a.id !== acme && !/acme/i.test(a.fields.name));
      await dataverse('PATCH', `/contacts(${ada.id})`, { 'parentcustomerid_account@odata.bind': `/accounts(${other.id})` });
      const moved = Date.now();
      await syncNow(page);
      await waitFor('the flag set in Dataverse', async () => (await flagOf(ada.id)) === true);
      console.log(`# ${browserName}: account change to flag in the CRM: ${Date.now() - moved} ms`);

      // The extension's own views, and their one-click fix: move Ada back to Acme.
      const options = await openOptions(session);
      await options.click('a[href="validation.html"]');
      const section = `section[data-org="${DY}"]`;
      await options.waitForSelector(`${section} h3[data-view=allContacts]`, { timeout: 15_000 });
      const headings = await options.$$eval(`${section} h3.view-title`, (hs) => hs.map((h) => h.textContent));
      assert.equal(headings.length, 4);
      assert.equal(headings[0], 'All Contacts Not at Company (1)');
      assert.equal(headings[1], 'My Contacts Not at Company (1)', 'Ada is the demo user’s');
      const row = `${section} ul[data-view=allContacts] li[data-contact="${ada.id}"]`;
      assert.match(await text(options, row), /Ada Lovelace.*Now at Acme Corporation/);
      const move = `${row} button[data-fix=move]`;
      assert.equal(await text(options, move), 'Move to Acme Corporation');
      await options.click(move);
      await waitFor('the flag cleared in Dataverse', async () => (await flagOf(ada.id)) === false);
      const back = (await records('dynamics', 'contact')).find((c) => c.id === ada.id);
      assert.equal(back.fields._parentcustomerid_value ?? back.fields.parentcustomerid, acme, 'moved to the right account');
      await waitForText(options, `${section} h3[data-view=allContacts]`, /\(0\)$/);
      await page.close();
    });
  });
}
