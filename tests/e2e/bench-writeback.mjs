// `cargo xtask bench writeback`: Copy to CRM measured in real Chromium against the emulator.
//   - time from "saved" (the background's answer to logItem) to the activity readable in the
//     CRM, for 50 items logged one at a time (p50/p95), Salesforce and Dynamics
//   - HTTP requests the outbox sends for 200 activities logged at once (a fifth of them notes)
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, control } from './harness.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath,
  waitForPanelRecord, panelFrame,
} from './crm.mjs';

const OUT = join(import.meta.dirname, '../../target/bench');
const SINGLE = 50;
const BULK = 200;
const KINDS = ['message', 'inMail', 'call', 'tag', 'note'];
const ITEM_FIELD = 'Crmsync_Item_Id__c';

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const results = {};
function report(key, value, text) {
  results[key] = value;
  console.log(`bench writeback: ${text}`);
}

function item(n) {
  const kind = KINDS[n % KINDS.length];
  return {
    kind, subject: `Bench ${n}`, body: `Bench item ${n}`, occurredAt: new Date().toISOString(),
    tags: kind === 'tag' ? ['Bench'] : [],
    call: kind === 'call' ? { durationSeconds: 60, direction: 'outbound', outcome: 'Connected' } : null,
  };
}

/** Ids of the activities of `crm` readable now, by item id. */
async function readableIds(crm) {
  if (crm === 'dynamics') {
    const sets = await Promise.all(['task', 'phonecall', 'annotation'].map((o) => records('dynamics', o)));
    return new Set(sets.flat().map((r) => r.id));
  }
  const sets = await Promise.all(['Task', 'ContentNote'].map((o) => records('salesforce', o)));
  return new Set(sets.flat().map((r) => r.fields[ITEM_FIELD]).filter(Boolean));
}

async function untilReadable(crm, id) {
  for (;;) {
    if ((await readableIds(crm)).has(id)) return Date.now();
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function measure(crm, page) {
  const frame = await panelFrame(page);
  const log = (items) => frame.evaluate((url, list) => Promise.all(list.map((i) => chrome.runtime.sendMessage({ logItem: { url, item: i, copyToCrm: true } }))), page.url(), items);

  const latencies = [];
  for (let n = 0; n < SINGLE; n += 1) {
    const [saved] = await log([item(n)]);
    const savedAt = Date.now();
    latencies.push((await untilReadable(crm, saved.ok.id)) - savedAt);
  }
  report(`${crm}SaveToReadableP50Ms`, pct(latencies, 50), `${crm}: save → readable in the CRM p50 ${pct(latencies, 50)} ms, p95 ${pct(latencies, 95)} ms (${SINGLE} items, one at a time)`);
  results[`${crm}SaveToReadableP95Ms`] = pct(latencies, 95);

  await control('requests', { method: 'DELETE' });
  const saved = await log(Array.from({ length: BULK }, (_, i) => item(SINGLE + i)));
  const started = Date.now();
  await Promise.all(saved.slice(-1).map((s) => untilReadable(crm, s.ok.id)));
  for (;;) {
    const ids = await readableIds(crm);
    if (saved.every((s) => ids.has(s.ok.id))) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const took = Date.now() - started;
  const writes = (await control('requests')).filter((r) => /composite\/sobjects|\/query\?|\$batch|userinfo|WhoAmI/.test(r.path));
  report(`${crm}RequestsPer200`, writes.length, `${crm}: ${writes.length} HTTP requests for ${BULK} activities (${BULK / KINDS.length} notes), all readable ${took} ms after saving`);
}

await mkdir(OUT, { recursive: true });
const session = await launch('chromium');
try {
  await control('reset?seed=demo', { method: 'POST' });
  const page = await session.browser.newPage();
  const [sfContact] = await records('salesforce', 'Contact');
  await signInSalesforce(page, lightningRecordPath('Contact', sfContact.id));
  await waitForPanelRecord(page, sfContact.fields.Name);
  const prepared = await (await panelFrame(page)).evaluate(() => chrome.runtime.sendMessage({ prepareOrg: { apiHost: 'acme.my.salesforce.com' } }));
  if (!prepared?.ok) throw new Error(`prepareOrg: ${JSON.stringify(prepared)}`);
  await measure('salesforce', page);

  const [dynContact] = await records('dynamics', 'contact');
  await signInDynamics(page, dynamicsRecordPath('contact', dynContact.id));
  await waitForPanelRecord(page, dynContact.fields.fullname);
  await measure('dynamics', page);
} finally {
  await session.close();
}
await writeFile(join(OUT, 'writeback.json'), JSON.stringify(results, null, 2));
console.log(JSON.stringify(results));
