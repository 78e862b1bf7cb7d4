// `cargo xtask bench day`: the Salesforce API calls one seat holder's extension makes in a
// typical day, counted from the emulator's request log in real Chromium: 24 hours, each with
// a few records changed in the org (by others), a share of the day's 200 record views and 50
// activities logged with Copy to CRM, and the hour's incremental sync. Salesforce counts every
// call of the org against one daily allowance (CRM-APIS A8): this is one seat's share.
// Aim: at most 250 calls a day. Prints one line per figure and a JSON summary.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, control, emulator } from './harness.mjs';
import { records, signInSalesforce, lightningRecordPath, panelFrame, sendFromPanel, waitForPanel, waitForPanelRecord } from './crm.mjs';

const OUT = join(import.meta.dirname, '../../target/bench');
const HOURS = 24;
const VIEWS = 200;
const ACTIVITIES = 50;
const CHANGES_PER_HOUR = 3;
const API_HOST = 'acme.my.salesforce.com';
const ITEM_FIELD = 'Crmsync_Item_Id__c';
const KINDS = ['message', 'call', 'inMail', 'note', 'tag'];

const results = {};
function report(key, value, text) {
  results[key] = value;
  console.log(`bench day: ${text}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Someone else edits a record in the org (their calls are not the seat holder's). */
async function changeInOrg(id, n) {
  const { token } = await control('sessions?crm=salesforce', { method: 'POST' });
  const response = await fetch(`${emulator().api}/services/data/v66.0/sobjects/Contact/${id}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Bench': 'other-user' },
    body: JSON.stringify({ Title: `Changed ${n}` }),
  });
  if (!response.ok) throw new Error(`PATCH ${id}: ${response.status}`);
}

const send = sendFromPanel;

/** Waits until the org holds the activity of item `id`. */
async function written(id) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const rows = [...await records('salesforce', 'Task'), ...await records('salesforce', 'ContentNote')];
    if (rows.some((r) => r.fields[ITEM_FIELD] === id)) return;
    await sleep(50);
  }
  throw new Error(`item ${id} was never written`);
}

/** What kind of call a logged request is, for the breakdown. */
function kindOf(request) {
  const path = decodeURIComponent(request.path.replaceAll('+', ' '));
  if (/\/sobjects\/(Contact|Lead|Account|Opportunity)\/[A-Za-z0-9]{15,18}\?fields=/.test(path)) return 'recordView';
  if (/ORDER BY LastModifiedDate|\/query\/01g/.test(path)) return 'sync';
  // The seat view each sync starts with: one composite reading the org's published settings
  // and my seat (docs/org-admin.md), told apart from an activity's composite by its body.
  if (/composite/.test(path) && /crmsync_Settings__c/.test(request.body ?? '')) return 'seatView';
  // The deletions step of an incremental sync: one composite of `deleted` reads (CRM-APIS A20).
  if (/composite/.test(path) && /\/deleted\/\?start=/.test(request.body ?? '')) return 'deletions';
  if (/composite|userinfo|ContentNote\/describe|Crmsync_Item_Id__c/.test(path)) return 'activity';
  return 'other';
}

/** How many of the day's calls were the sync's so far. */
const syncCalls = async () => (await control('requests')).filter((r) => r.host === API_HOST && kindOf(r) === 'sync').length;

await mkdir(OUT, { recursive: true });
await control('reset?seed=demo', { method: 'POST' });
const contacts = await records('salesforce', 'Contact');
const leads = await records('salesforce', 'Lead');
const accounts = await records('salesforce', 'Account');
// The records a rep opens in a day: contacts mostly, some leads and accounts, many twice.
const viewed = Array.from({ length: VIEWS }, (_, n) => {
  if (n % 10 === 7) return { object: 'Lead', id: leads[n % leads.length].id };
  if (n % 10 === 9) return { object: 'Account', id: accounts[n % accounts.length].id };
  return { object: 'Contact', id: contacts[(n * 7) % 60].id };
});

const session = await launch('chromium');
try {
  const page = await session.browser.newPage();
  await signInSalesforce(page, lightningRecordPath('Contact', contacts[0].id));
  await waitForPanelRecord(page, contacts[0].fields.Name);
  // The morning before: the first sync done, the org prepared once by its admin. Not counted.
  await waitForPanel(page, (t) => /Last synced/.test(t), 'the first sync', { timeout: 60_000 });
  const prepared = await send(page, { prepareOrg: { apiHost: API_HOST } });
  if (!prepared?.ok) throw new Error(`prepareOrg: ${JSON.stringify(prepared)}`);
  await control('requests', { method: 'DELETE' });
  const usedBefore = (await control('limits')).salesforceUsed;

  let view = 0;
  let activity = 0;
  let change = 0;
  for (let hour = 0; hour < HOURS; hour += 1) {
    for (let c = 0; c < CHANGES_PER_HOUR; c += 1) {
      change += 1;
      await changeInOrg(contacts[(change * 13) % contacts.length].id, change);
    }
    const views = Math.round(((hour + 1) * VIEWS) / HOURS) - view;
    for (let v = 0; v < views; v += 1, view += 1) {
      const { object, id } = viewed[view];
      await page.goto(`https://acme.lightning.force.com${lightningRecordPath(object, id)}`);
      await waitForPanel(page, (t) => t.length > 0 && !/Loading/.test(t), 'the record', { read: () => document.querySelector('.record-name')?.textContent ?? '' });
    }
    const logs = Math.round(((hour + 1) * ACTIVITIES) / HOURS) - activity;
    for (let l = 0; l < logs; l += 1, activity += 1) {
      const kind = KINDS[activity % KINDS.length];
      const item = {
        kind, subject: `Day ${activity}`, body: `Logged in hour ${hour}`, occurredAt: new Date().toISOString(),
        tags: kind === 'tag' ? ['Champion'] : [],
        call: kind === 'call' ? { durationSeconds: 300, direction: 'outbound', outcome: 'Connected' } : null,
      };
      const saved = await send(page, { logItem: { url: page.url(), item, copyToCrm: true } });
      if (!saved?.ok) throw new Error(`logItem: ${JSON.stringify(saved)}`);
      await written(saved.ok.id);
    }
    // The hour's sync: done once its requests have come and the panel no longer syncs.
    const before = await syncCalls();
    await (await panelFrame(page)).click('button.sync-now');
    const deadline = Date.now() + 60_000;
    while ((await syncCalls()) === before && Date.now() < deadline) await sleep(50);
    await waitForPanel(page, (t) => /Last synced/.test(t) && !/Syncing/.test(t), 'the hour\'s sync', { timeout: 60_000 });
  }
  await sleep(1000);

  const log = (await control('requests')).filter((r) => r.host === API_HOST && r.path.startsWith('/services/'));
  const mine = log.filter((r) => !(r.method === 'PATCH' && /\/sobjects\/Contact\//.test(r.path)));
  const breakdown = { recordView: 0, sync: 0, seatView: 0, deletions: 0, activity: 0, other: 0 };
  for (const r of mine) breakdown[kindOf(r)] += 1;
  const counted = (await control('limits')).salesforceUsed - usedBefore - HOURS * CHANGES_PER_HOUR;
  report('callsPerDay', mine.length, `${mine.length} Salesforce API calls in one seat holder's day (aim ≤ 250): ${VIEWS} record views → ${breakdown.recordView}, ${ACTIVITIES} activities → ${breakdown.activity}, ${HOURS} incremental syncs → ${breakdown.sync} queries + ${breakdown.seatView} seat views + ${breakdown.deletions} deletions checks, other ${breakdown.other}`);
  results.breakdown = breakdown;
  report('allowanceCounted', counted, `the org's daily allowance counted ${counted} of them`);
  const others = mine.filter((r) => kindOf(r) === 'other').map((r) => `${r.method} ${r.path.slice(0, 100)}`);
  if (others.length) console.log(`bench day: other calls:\n  ${others.join('\n  ')}`);
  await writeFile(join(OUT, 'day.json'), JSON.stringify(results, null, 2));
  console.log(JSON.stringify(results));
} finally {
  await session.close();
}
