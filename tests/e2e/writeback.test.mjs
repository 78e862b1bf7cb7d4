// Copy to CRM in both browsers, against both CRMs: an item logged with the toggle on becomes
// an activity with the right fields and owner; with it off nothing is written; a session that
// expires mid-queue keeps the items until the user signs in again, then each is written once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, launch, control } from './harness.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath,
  waitForPanelRecord, sendFromPanel,
} from './crm.mjs';

const browsers = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',');
const ITEM_FIELD = 'Crmsync_Item_Id__c';

const now = () => new Date().toISOString();

async function logItem(page, item, copyToCrm = true) {
  const url = page.url();
  const answer = await sendFromPanel(page, { logItem: { url, item: { subject: '', body: '', occurredAt: now(), tags: [], ...item }, copyToCrm } });
  assert.ok(answer?.ok, `logItem: ${JSON.stringify(answer)}`);
  return answer.ok;
}

/** Waits until the emulator holds rows of `object` that `pick` selects; returns them. */
async function waitForRows(crm, object, pick, count, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let found = [];
  while (Date.now() < deadline) {
    found = (await records(crm, object)).filter(pick);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`expected ${count} ${object} rows, found ${found.length}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const browserName of browsers) {
  describe(`Copy to CRM with Salesforce in ${browserName}`, () => {
    let session;
    let page;
    let contact;
    let owner;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      [contact] = await records('salesforce', 'Contact');
      owner = (await records('salesforce', 'User')).find((u) => u.fields.Username === 'demo@acme.com');
      session = await launch(browserName);
      page = await session.browser.newPage();
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      await waitForPanelRecord(page, contact.fields.Name ?? `${contact.fields.FirstName} ${contact.fields.LastName}`);
      const prepared = await sendFromPanel(page, { prepareOrg: { apiHost: 'acme.my.salesforce.com' } });
      assert.deepEqual(prepared, { ok: true });
    });
    after(() => session?.close());

    it('writes a logged call as a completed Task owned by the seat holder', async () => {
      const item = await logItem(page, {
        kind: 'call', subject: 'Renewal', body: 'Walked through pricing',
        call: { durationSeconds: 312, direction: 'outbound', outcome: 'Booked a demo' },
      });
      assert.equal(item.state, 'queued');
      const [task] = await waitForRows('salesforce', 'Task', (t) => t.fields[ITEM_FIELD] === item.id, 1);
      assert.equal(task.fields.Subject, 'Call: Renewal');
      assert.equal(task.fields.TaskSubtype, 'Call');
      assert.equal(task.fields.Status, 'Completed');
      assert.equal(task.fields.CallDurationInSeconds, 312);
      assert.equal(task.fields.CallType, 'Outbound');
      assert.equal(task.fields.WhoId, contact.id);
      assert.equal(task.fields.OwnerId, owner.id);
      const activity = await sendFromPanel(page, { getActivity: { url: page.url() } });
      const stored = activity.ok.entries.find((e) => e.id === item.id);
      assert.equal(stored.state, 'written');
      assert.deepEqual(stored.crmIds, [task.id]);
    });

    it('writes a note as a ContentNote linked to the record', async () => {
      const item = await logItem(page, { kind: 'note', subject: 'Org chart', body: 'Reports to <b>the CFO</b>' });
      const [note] = await waitForRows('salesforce', 'ContentNote', (n) => n.fields[ITEM_FIELD] === item.id, 1);
      await waitForRows('salesforce', 'ContentDocumentLink', (l) => l.fields.ContentDocumentId === note.id && l.fields.LinkedEntityId === contact.id, 1);
    });

    it('writes nothing when the toggle is off, and keeps the item locally', async () => {
      const item = await logItem(page, { kind: 'message', subject: 'Private', body: 'Not for the CRM' }, false);
      assert.equal(item.state, 'local');
      assert.equal(item.reason, 'toggleOff');
      await sleep(1500);
      const tasks = await records('salesforce', 'Task');
      assert.equal(tasks.filter((t) => t.fields[ITEM_FIELD] === item.id).length, 0);
      const activity = await sendFromPanel(page, { getActivity: { url: page.url() } });
      assert.ok(activity.ok.entries.some((e) => e.id === item.id && e.state === 'local'));
      assert.equal(activity.ok.toggles.message.on, false, 'the last choice is the next default');
    });

    it('pauses the org when the daily API allowance is spent, and sends again when the user retries', async () => {
      await control('limits?salesforceDaily=15000&salesforceUsed=15000', { method: 'POST' });
      const item = await logItem(page, { kind: 'tag', tags: ['Budget owner'] });
      let outbox;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        outbox = (await sendFromPanel(page, { getActivity: { url: page.url() } })).ok.outbox;
        if (outbox.pausedUntil > Date.now()) break;
        await sleep(200);
      }
      assert.ok(outbox.pausedUntil > Date.now() + 30 * 60_000, 'paused for about an hour');
      assert.equal(outbox.lastError.code, 'REQUEST_LIMIT_EXCEEDED');
      await control('limits?salesforceUsed=0', { method: 'POST' });
      assert.ok((await sendFromPanel(page, { retryItem: { id: item.id } })).ok);
      const [task] = await waitForRows('salesforce', 'Task', (t) => t.fields[ITEM_FIELD] === item.id, 1);
      assert.equal(task.fields.Subject, 'Tags: Budget owner');
    });

    it('keeps items queued through an expired session and writes each once after sign-in', async () => {
      await control('sessions/expire', { method: 'POST' });
      const items = [];
      for (let n = 0; n < 3; n += 1) items.push(await logItem(page, { kind: 'inMail', subject: `Follow-up ${n}`, body: 'Checking in' }));
      const deadline = Date.now() + 10_000;
      let outbox;
      while (Date.now() < deadline) {
        outbox = (await sendFromPanel(page, { getActivity: { url: page.url() } })).ok.outbox;
        if (outbox.needsSignIn) break;
        await sleep(200);
      }
      assert.equal(outbox.needsSignIn, true, 'the panel can tell the user to sign in');
      assert.equal(outbox.waiting, 3);
      await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
      const ids = new Set(items.map((i) => i.id));
      await waitForRows('salesforce', 'Task', (t) => ids.has(t.fields[ITEM_FIELD]), 3);
      await sleep(1000);
      const tasks = (await records('salesforce', 'Task')).filter((t) => ids.has(t.fields[ITEM_FIELD]));
      assert.equal(tasks.length, 3, 'each written exactly once');
    });
  });

  describe(`Copy to CRM with Dynamics 365 in ${browserName}`, () => {
    let session;
    let page;
    let contact;

    before(async () => {
      await control('reset?seed=demo', { method: 'POST' });
      [contact] = await records('dynamics', 'contact');
      session = await launch(browserName);
      page = await session.browser.newPage();
      await signInDynamics(page, dynamicsRecordPath('contact', contact.id));
      await waitForPanelRecord(page, contact.fields.fullname);
    });
    after(() => session?.close());

    it('writes a message as a closed task regarding the contact', async () => {
      const item = await logItem(page, { kind: 'message', subject: 'Intro', body: 'Hello from the expo' });
      const [task] = await waitForRows('dynamics', 'task', (t) => t.id === item.id, 1);
      assert.equal(task.fields.subject, 'Message: Intro');
      assert.equal(task.fields.statecode, 1);
      assert.equal(task.fields._regardingobjectid_value, contact.id);
      assert.equal(task.fields._ownerid_value, '00000008-0000-4000-8000-000000000001', 'the seat holder (WhoAmI)');
    });
  });
}
