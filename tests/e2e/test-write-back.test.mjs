// Test Write-Back on the options page, in both browsers: prepare the Salesforce org, write a
// test Contact and one activity of every kind with "View in CRM" links, remove them; a
// validation rule's rejection is shown in the CRM's own words with what to do.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import { records, signInSalesforce, lightningRecordPath, waitForPanelRecord, openOptions } from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const SF = 'acme.my.salesforce.com';

const resultText = (options) => options.$eval('#writeback-result', (e) => e.textContent);

async function waitForResult(options, pattern) {
  await options.waitForFunction(
    (source) => new RegExp(source).test(document.getElementById('writeback-result').textContent),
    { timeout: 20_000 },
    pattern.source,
  );
  return resultText(options);
}

const testContacts = async () => (await records('salesforce', 'Contact'))
  .filter((c) => c.fields.LastName?.startsWith('Test Write-Back'));

for (const browserName of browsers) {
  describe(`Test Write-Back in ${browserName}`, () => {
    let session;
    let options;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
      const page = await session.browser.newPage();
      const [contact] = await records('salesforce', 'Contact');
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      await waitForPanelRecord(page, contact.fields.Name);
      options = await openOptions(session);
      await options.waitForFunction((host) => [...document.querySelectorAll('#writeback-org option')].some((o) => o.value === host), { timeout: 10_000 }, SF);
      await options.select('#writeback-org', SF);
    });
    after(() => session?.close());

    it('prepares the org, writes a test Contact and one activity per kind, and removes them', async () => {
      await options.click('#prepare-org');
      await waitForResult(options, /ready/);
      await options.click('#test-write-back');
      await waitForResult(options, /Test Contact created/);
      const links = await options.$$eval('#writeback-result a', (as) => as.map((a) => a.href));
      const [contact] = await testContacts();
      assert.ok(contact, 'the test Contact is in the CRM');
      assert.equal(links[0], `https://acme.lightning.force.com/lightning/r/Contact/${contact.id}/view`);
      const kinds = await options.$$eval('#writeback-result li', (lis) => lis.map((li) => [li.dataset.kind, li.textContent]));
      assert.deepEqual(kinds.map(([k]) => k), ['inMail', 'message', 'note', 'call', 'tag']);
      assert.ok(kinds.every(([, text]) => /written/.test(text)), JSON.stringify(kinds));
      assert.equal(links.length, 6, 'a View in CRM link for the contact and each activity');
      const tasks = (await records('salesforce', 'Task')).filter((t) => t.fields.WhoId === contact.id);
      assert.equal(tasks.length, 4);

      await options.click('#remove-test-records');
      await waitForResult(options, /Removed 6 test records/);
      assert.equal((await testContacts()).length, 0);
      assert.equal((await records('salesforce', 'Task')).filter((t) => t.fields.WhoId === contact.id).length, 0);
    });

    it('shows a validation rule’s message and how to proceed', async () => {
      await control('rules/Contact_requires_Email?active=true', { method: 'POST' });
      const { validation } = await control('rules');
      const rule = validation.find((r) => r.name === 'Contact_requires_Email');
      await options.click('#test-write-back');
      const text = await waitForResult(options, /did not accept/);
      assert.ok(text.includes(rule.message), text);
      assert.match(text, /Ask your CRM admin/);
      assert.equal((await testContacts()).length, 0);
      await control('rules/Contact_requires_Email?active=false', { method: 'POST' });
    });
  });
}
