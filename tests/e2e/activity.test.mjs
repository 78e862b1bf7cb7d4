// Logging activities through the panel, in both browsers: a call logged on a CRM record with
// Copy to CRM on becomes that record's activity and its history says so; a message logged on
// the network profile of someone not in the CRM waits in Unresolved Activities until the user
// picks the record, and is then written exactly once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import {
  records, signInSalesforce, lightningRecordPath, waitForPanelRecord, waitForPanel, panelFrame,
  openExtensionPage, logInPanel, dataverse, signInDynamics, dynamicsRecordPath,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');

async function waitForRows(crm, object, pick, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const found = (await records(crm, object)).filter(pick);
    if (found.length) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  return [];
}

for (const browserName of browsers) {
  describe(`logging activities in the panel in ${browserName}`, () => {
    let session;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
    });
    after(() => session?.close());

    // First, while no CRM is synced yet: Grace is in no CRM the extension knows.
    it('keeps a message about someone not in the CRM unresolved, then writes it once to the picked record', async () => {
      // Grace is not in Dynamics: the user files the message on her company's account.
      const grace = (await records('dynamics', 'contact')).find((c) => c.fields.fullname === 'Grace Hopper');
      const account = (await records('dynamics', 'account')).find((a) => a.id === grace.fields._parentcustomerid_value);
      await dataverse('DELETE', `/contacts(${grace.id})`);
      const profile = await session.browser.newPage();
      await profile.goto('https://www.linkedin.com/in/grace-hopper');
      await waitForPanel(profile, (t) => /Not in your CRM yet/.test(t), 'profile mode without a match');
      await logInPanel(profile, { kind: 'message', subject: 'Conference follow-up', body: 'Great talk on compilers' });
      await waitForPanel(profile, (t) => /Conference follow-up/.test(t) && /CRM match/i.test(t), 'the entry waiting for a match');

      const page = await openExtensionPage(session, 'unresolved.html', '#open-unresolved', async (panel) => {
        await panel.waitForFunction(async () => {
          const found = await (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'searchRecords', query: 'a' });
          return Array.isArray(found?.ok) && found.ok.length > 0;
        }, { timeout: 30_000, polling: 500 });
      });
      await page.waitForFunction(() => [...document.querySelectorAll('#unresolved-list strong')].some((s) => s.textContent === 'Conference follow-up'), { timeout: 10_000 })
        .catch(async (e) => { throw new Error(`${e.message}: ${await page.evaluate(() => document.body.innerText)}`); });
      const pick = await page.evaluateHandle(() => [...document.querySelectorAll('#unresolved-list .item')]
        .find((li) => li.querySelector('strong')?.textContent === 'Conference follow-up')
        .querySelector('button'));
      assert.equal(await pick.evaluate((b) => b.textContent), 'Pick record');
      await pick.evaluate((b) => b.click());
      await page.waitForSelector('.tray input[type=search]', { timeout: 5000 });
      await page.type('.tray input[type=search]', account.fields.name.split(' ')[0].toLowerCase());
      const choice = await page.waitForFunction((n) => [...document.querySelectorAll('.record-choice')]
        .find((b) => b.querySelector('.record-name').textContent === n && /Account/.test(b.textContent)), { timeout: 10_000 }, account.fields.name);
      await choice.evaluate((b) => b.click());
      await page.waitForFunction(() => ![...document.querySelectorAll('#unresolved-list strong')].some((s) => s.textContent === 'Conference follow-up'), { timeout: 10_000 });

      const [task] = await waitForRows('dynamics', 'task', (t) => t.fields.subject === 'Message: Conference follow-up');
      assert.ok(task, 'written to Dynamics');
      assert.equal(task.fields._regardingobjectid_value, account.id);
      await new Promise((r) => setTimeout(r, 1500));
      const copies = (await records('dynamics', 'task')).filter((t) => t.fields.subject === 'Message: Conference follow-up');
      assert.equal(copies.length, 1, 'written exactly once');
    });

    it('writes a call logged on a Salesforce Contact and shows it as copied', async () => {
      const page = await session.browser.newPage();
      const [contact] = await records('salesforce', 'Contact');
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      await waitForPanelRecord(page, contact.fields.Name);
      const prepared = await (await panelFrame(page)).evaluate(() => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'prepareOrg', apiHost: 'acme.my.salesforce.com' }));
      assert.deepEqual(prepared, { ok: true });
      await logInPanel(page, { kind: 'call', subject: 'Pricing call', body: 'Went through the tiers', minutes: 5, seconds: 12, outcome: 'Booked a demo' });
      const [task] = await waitForRows('salesforce', 'Task', (t) => t.fields.Subject === 'Call: Pricing call');
      assert.ok(task, 'the call is in Salesforce');
      assert.equal(task.fields.CallDurationInSeconds, 312);
      assert.equal(task.fields.CallDisposition, 'Booked a demo');
      assert.equal(task.fields.WhoId, contact.id);
      await waitForPanel(page, (t) => /Pricing call[\s\S]*Copied to CRM/.test(t), 'the history entry marked copied');

      // A validation rule rejects the next one: the panel shows the CRM's words and Retry.
      const rule = { name: 'Task_requires_Description', crm: 'salesforce', object: 'Task', field: 'Description', message: 'Describe the activity.', active: true };
      await control('rules', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ validation: [rule], duplicate: [] }) });
      const frame = await panelFrame(page);
      await frame.select('select.kind', 'tag');
      await frame.type('input.tags', 'Champion');
      await frame.click('button.save');
      await waitForPanel(page, (t) => /CRM rejected it: Describe the activity\./.test(t), 'the parked item with the CRM message');
      await control('rules', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ validation: [], duplicate: [] }) });
      await (await panelFrame(page)).click('button.retry');
      const [tag] = await waitForRows('salesforce', 'Task', (t) => t.fields.Subject === 'Tags: Champion');
      assert.ok(tag, 'written after the retry');
      await waitForPanel(page, (t) => !/CRM rejected it/.test(t), 'no rejected entry left');
      await page.close();
    });

  });

  describe(`a waiting item completes its sync in ${browserName}`, () => {
    let session;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      session = await launch(browserName);
    });
    after(() => session?.close());

    it('is written by itself once a sync finds its person in the CRM', async () => {
      const [, , person] = await records('salesforce', 'Contact');
      const name = `${person.fields.FirstName} ${person.fields.LastName}`;
      const profile = await session.browser.newPage();
      const slug = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).join('-');
      await profile.goto(`https://www.linkedin.com/in/${slug}`);
      await waitForPanel(profile, (t) => /Not in your CRM yet/.test(t), 'profile mode without a match');
      await logInPanel(profile, { kind: 'inMail', subject: 'Intro', body: 'Loved your article' });
      await waitForPanel(profile, (t) => /CRM match/i.test(t), 'the entry waiting for a match');

      // Opening any Dynamics record syncs the org; the person is matched, the item written.
      const page = await session.browser.newPage();
      const [first] = await records('dynamics', 'contact');
      await signInDynamics(page, dynamicsRecordPath('contact', first.id));
      const target = (await records('dynamics', 'contact')).find((c) => c.fields.fullname === name);
      const [task] = await waitForRows('dynamics', 'task', (t) => t.fields.subject === 'InMail: Intro', 30_000);
      if (!task) {
        await profile.reload();
        await new Promise((r) => setTimeout(r, 2000));
        const text = await (await panelFrame(profile)).evaluate(() => document.body.innerText);
        assert.fail(`not written; profile panel: ${text}`);
      }
      assert.equal(task.fields._regardingobjectid_value, target.id);
      await waitForPanel(profile, (t) => /Intro[\s\S]*Copied to CRM/.test(t), 'the profile panel shows it copied');
    });
  });
}
