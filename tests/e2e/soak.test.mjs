// The outbox fault soak (Chromium, whose service worker can be stopped on demand): 2,000
// activities are logged while a fifth of the CRM's write requests fail — expired sessions,
// throttling, server errors and connections dropped after the CRM committed — and the service
// worker is stopped mid-flush. The CRM must end with exactly 2,000 activities: none lost,
// none duplicated. Prints the soak's counts and duration.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control } from './harness.mjs';
import { records, signInSalesforce, lightningRecordPath, waitForPanelRecord, panelFrame } from './crm.mjs';

const ITEMS = Number(process.env.SOAK_ITEMS ?? 2000);
const ITEM_FIELD = 'Crmsync_Item_Id__c';
const WRITES = '/services/data/v66.0/composite/sobjects';
const KINDS = ['message', 'inMail', 'call', 'tag', 'note'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Each fault takes its share of the write requests the ones before it let through: together
// about 20 %.
const FAULTS = [
  // The first write is slow, so the worker is surely stopped while it is in flight.
  { path: WRITES, latencyMs: 1500, count: 1 },
  { path: WRITES, status: 401, percent: 5 },
  { path: WRITES, status: 429, percent: 5, retryAfter: 1 },
  { path: WRITES, status: 500, percent: 6 },
  { path: WRITES, dropAfterCommit: true, percent: 6 },
];

function itemFor(n) {
  const kind = KINDS[n % KINDS.length];
  return {
    kind,
    subject: `Soak ${n}`,
    body: `Soak item ${n}`,
    occurredAt: new Date().toISOString(),
    tags: kind === 'tag' ? ['Soak'] : [],
    call: kind === 'call' ? { durationSeconds: 60 + n, direction: 'outbound', outcome: 'Connected' } : null,
  };
}

describe('outbox fault soak in chromium', () => {
  let session;
  let page;
  let contact;

  const send = async (message) => (await panelFrame(page)).evaluate(
    (m) => chrome.runtime.sendMessage(m), message,
  );

  before(async () => {
    await control('reset?seed=demo', { method: 'POST' });
    [contact] = await records('salesforce', 'Contact');
    session = await launch('chromium');
    page = await session.browser.newPage();
    await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
    await waitForPanelRecord(page, contact.fields.Name ?? contact.fields.LastName);
    assert.deepEqual(await send({ prepareOrg: { apiHost: 'acme.my.salesforce.com' } }), { ok: true });
  });
  after(() => session?.close());

  it(`writes ${ITEMS} activities exactly once through faults and a worker stop`, { timeout: 600_000 }, async () => {
    await control('requests', { method: 'DELETE' });
    await control('faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(FAULTS) });
    const started = Date.now();
    const url = page.url();
    const frame = await panelFrame(page);
    let stopped = false;
    for (let n = 0; n < ITEMS; n += 100) {
      const batch = Array.from({ length: Math.min(100, ITEMS - n) }, (_, i) => itemFor(n + i));
      const saved = await frame.evaluate((u, items) => Promise.all(items.map((item) => chrome.runtime.sendMessage({ logItem: { url: u, item, copyToCrm: true } }))), url, batch);
      assert.ok(saved.every((s) => s?.ok?.state === 'queued'), JSON.stringify(saved.find((s) => !s?.ok)));
      if (!stopped) {
        // Stop the worker while it is flushing the first items.
        await sleep(700);
        const target = await session.browser.waitForTarget((t) => t.type() === 'service_worker');
        await (await target.worker()).close();
        stopped = true;
      }
    }
    const loggedIn = Date.now() - started;

    let outbox = null;
    let signIns = 0;
    const deadline = Date.now() + 540_000;
    while (Date.now() < deadline) {
      const activity = await send({ getActivity: { url } });
      outbox = activity?.ok?.outbox;
      if (outbox && outbox.waiting === 0) break;
      if (outbox?.needsSignIn) {
        // What the panel asks of the user: sign in to the CRM again.
        signIns += 1;
        await signInSalesforce(page, lightningRecordPath('Contact', contact.id));
        await waitForPanelRecord(page, contact.fields.Name ?? contact.fields.LastName);
      }
      await sleep(500);
    }
    const duration = Date.now() - started;
    await control('faults', { method: 'DELETE' });
    assert.equal(outbox?.waiting, 0, `still waiting: ${JSON.stringify(outbox)}`);

    const withItemId = (rows) => rows.filter((r) => r.fields[ITEM_FIELD]?.length);
    const tasks = withItemId(await records('salesforce', 'Task'));
    const notes = withItemId(await records('salesforce', 'ContentNote'));
    const ids = [...tasks, ...notes].map((r) => r.fields[ITEM_FIELD]);
    const log = await control('requests');
    const writes = log.filter((r) => r.path.startsWith(WRITES));
    const failed = writes.filter((r) => r.status >= 400).length;
    const links = (await records('salesforce', 'ContentDocumentLink'))
      .filter((l) => l.fields.LinkedEntityId === contact.id);
    console.log(`soak: ${ITEMS} logged in ${(loggedIn / 1000).toFixed(1)} s; all written after ${(duration / 1000).toFixed(1)} s; `
      + `${tasks.length} Tasks + ${notes.length} ContentNotes (${new Set(ids).size} distinct item ids), ${links.length} note links; `
      + `${writes.length} write requests answered (${failed} with injected errors, dropped ones unanswered), `
      + `${log.length} CRM requests in all, ${signIns} sign-ins`);
    assert.equal(ids.length, ITEMS, 'exactly one activity per item');
    assert.equal(new Set(ids).size, ITEMS, 'no item written twice');
    assert.equal(notes.length, ITEMS / KINDS.length);
    assert.equal(new Set(links.map((l) => l.fields.ContentDocumentId)).size, notes.length, 'every note linked');
    assert.equal(links.length, notes.length, 'no note linked twice');
  });
});
