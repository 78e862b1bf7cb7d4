// Saved leads and accounts end to end, in both browsers: with the admin's pipeline stage
// published, an opportunity of the seat holder's moved past that stage puts its contact and
// its account on the saved lists (saying which opportunity and stage), and moved back
// before it, takes them off again. Each saved lead shows its linked profile and whether that
// profile still names the account; each saved account its won value, summed in the CRM over
// its won opportunities.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import {
  records, dataverse, signInDynamics, dynamicsRecordPath, waitForPanelRecord, openOptions, openAdmin, waitForText, syncNow,
  importConnections,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const DY = 'acme.crm.dynamics.com';
const DEMO_USER = '00000008-0000-4000-8000-000000000001';

const text = (page, selector) => page.$eval(selector, (e) => e.textContent).catch(() => '');



/** The saved lists page, opened from the options page's link. */
async function openSaved(session) {
  const options = await openOptions(session);
  await options.click('a[href="saved.html"]');
  await options.waitForSelector(`section[data-org="${DY}"] h3[data-list=leads]`, { timeout: 15_000 });
  return options;
}

for (const browserName of browsers) {
  describe(`saved leads and accounts in ${browserName}`, () => {
    let session;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
    });
    after(() => session?.close());

    it('an opportunity moved past the admin’s stage saves its contact and account, and moved back removes them', async () => {
      const opportunities = await records('dynamics', 'opportunity');
      const contacts = await records('dynamics', 'contact');
      const ada = contacts.find((c) => c.fields.fullname === 'Ada Lovelace');
      const opp = opportunities.find((o) => o.fields._ownerid_value === DEMO_USER && o.fields._parentcontactid_value === ada.id);
      assert.ok(opp, 'the demo user owns an opportunity with Ada as its contact');
      const contactId = opp.fields._parentcontactid_value;
      const accountId = opp.fields._parentaccountid_value;
      const page = await session.browser.newPage();
      const contact = ada;
      await signInDynamics(page, dynamicsRecordPath('contact', contactId));
      await waitForPanelRecord(page, contact.fields.fullname);
      await importConnections(session); // Ada's profile: Acme Corporation, her account
      // A won deal of the account's, worth 4200.5: the account's won value.
      await dataverse('POST', '/opportunities', {
        name: 'Closed pilot', statecode: 1, actualvalue: 4200.5, 'parentaccountid@odata.bind': `/accounts(${accountId})`,
      });

      const admin = await openAdmin(session, DY);
      await waitForText(admin, '#admin-state', /Not connected/);
      await admin.click('#admin-connect');
      await waitForText(admin, '#admin-state', /Connected to Dynamics 365/);
      await admin.select('#admin-setting-pipelineStage', '1'); // Develop
      await admin.click('#admin-publish');
      await waitForText(admin, '#admin-status', /^Published\./);

      await dataverse('PATCH', `/opportunities(${opp.id})`, { salesstagecode: 2 }); // Propose
      await syncNow(page);
      let saved = await openSaved(session);
      const section = `section[data-org="${DY}"]`;
      assert.match(await text(saved, `${section} p.rule`), /at or past Develop/);
      const lead = `${section} ul.saved-leads li[data-record="${contactId}"]`;
      await saved.waitForSelector(lead, { timeout: 10_000 });
      assert.match(await text(saved, lead), new RegExp(`${contact.fields.fullname}.*${opp.fields.name}.*Still at the account`));
      assert.equal(
        await saved.$eval(`${lead} a.profile`, (a) => a.href), 'https://www.linkedin.com/in/ada-lovelace/', 'her linked profile',
      );
      const account = `${section} ul.saved-accounts li[data-record="${accountId}"]`;
      assert.match(await text(saved, account), /Won: 4200\.50/, 'its account is saved, with its won value');

      await dataverse('PATCH', `/opportunities(${opp.id})`, { salesstagecode: 0 }); // Qualify
      await syncNow(page);
      saved = await openSaved(session);
      assert.equal(await saved.$(lead), null, 'moved back before the stage: no longer saved');
      await page.close();
    });
  });
}
