// `cargo xtask bench admin`: the admin page's load with 1,000 CRM users, in real Chromium
// against the release emulator's perf seed, for the Salesforce and the Dynamics 365 org:
//   - time from navigation to the seat list showing every active user (min/median/max of
//     LOADS loads, after one warm-up), measured in the page (performance.now())
//   - HTTP requests one load sends to the CRM
// Each org is connected first, with "Auto-sync all seat holders" No, so the list is shown.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, control } from './harness.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath, waitForPanelRecord, openOptions,
} from './crm.mjs';

const OUT = join(import.meta.dirname, '../../target/bench');
const LOADS = Number(process.env.BENCH_ADMIN_LOADS ?? 7);
const ORGS = [
  { crm: 'salesforce', host: 'acme.my.salesforce.com' },
  { crm: 'dynamics', host: 'acme.crm.dynamics.com' },
];

const results = {};
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];

async function until(page, test, arg, timeout = 120_000) {
  return (await page.waitForFunction(test, { timeout, polling: 'mutation' }, arg)).jsonValue();
}

/** Waits until the CRMs have heard nothing for 5 s: the first sync the record pages
 *  started (100,000 contacts) is over, so it neither slows nor adds to what is measured. */
async function quiet() {
  for (;;) {
    await control('requests', { method: 'DELETE' });
    await new Promise((r) => setTimeout(r, 5000));
    if ((await control('requests')).length === 0) return;
  }
}

/** Connects the org shown and publishes "Auto-sync all" No, once. */
async function prepare(admin) {
  await until(admin, () => document.querySelector('#admin-connect:not([hidden]), #admin-disconnect:not([hidden])'));
  if (await admin.$('#admin-connect:not([hidden])')) {
    await admin.click('#admin-connect');
    await until(admin, () => /Connected to/.test(document.getElementById('admin-state').textContent));
  }
  await admin.click('#admin-auto-sync-no');
  await admin.click('#admin-publish');
  await until(admin, () => /^Published/.test(document.getElementById('admin-status').textContent));
}

/** One load of the page: ms from navigation to every user listed, and the CRM requests. */
async function load(admin, url, users) {
  await control('requests', { method: 'DELETE' });
  await admin.goto(url);
  const ms = await until(admin, (n) => document.querySelectorAll('#seat-list li').length === n && performance.now(), users);
  const requests = (await control('requests')).filter((r) => /salesforce\.com|dynamics\.com/.test(r.host));
  if (process.env.BENCH_ADMIN_SHOW) console.log(requests.map((r) => `${r.method} ${r.path.slice(0, 90)}`).join('\n'));
  return { ms, requests: requests.length };
}

await mkdir(OUT, { recursive: true });
await control('reset?seed=perf', { method: 'POST' });
const session = await launch('chromium');
try {
  const page = await session.browser.newPage();
  const [sfContact] = await records('salesforce', 'Contact');
  await signInSalesforce(page, lightningRecordPath('Contact', sfContact.id));
  await waitForPanelRecord(page, sfContact.fields.Name);
  const [dyContact] = await records('dynamics', 'contact');
  await signInDynamics(page, dynamicsRecordPath('contact', dyContact.id));
  await waitForPanelRecord(page, dyContact.fields.fullname);
  await quiet();
  const admin = await openOptions(session);
  for (const { crm, host } of ORGS) {
    const url = `${session.origin}/admin.html?org=${host}`;
    await admin.goto(url);
    await prepare(admin);
    const users = await admin.$$eval('#seat-list li', (lis) => lis.length);
    await load(admin, url, users); // warm-up
    const runs = [];
    for (let i = 0; i < LOADS; i += 1) runs.push(await load(admin, url, users));
    const ms = runs.map((r) => Math.round(r.ms));
    const requests = runs.map((r) => r.requests);
    results[crm] = { users, loads: LOADS, minMs: sorted(ms)[0], medianMs: median(ms), maxMs: sorted(ms).at(-1), requestsPerLoad: median(requests) };
    console.log(`bench admin: ${crm}: ${users} users listed in min ${sorted(ms)[0]} / median ${median(ms)} / max ${sorted(ms).at(-1)} ms (${LOADS} loads), ${median(requests)} CRM requests per load`);
  }
} finally {
  await session.close();
}
await writeFile(join(OUT, 'admin.json'), JSON.stringify(results, null, 2));
console.log(JSON.stringify(results));
