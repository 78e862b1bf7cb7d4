// `cargo xtask bench extension`: the extension's numbers, measured in real Chromium against
// the emulator. Prints one line per figure and a JSON summary. Bounded: fixed counts, loopback.
//   - import of a 10,000-row Connections.csv (upload to summary)
//   - first sync of a 100,000-contact Salesforce org, then an incremental sync (time, requests)
//   - record page → panel showing the matched profile, 50 full loads and 50 client-side
//     navigations (p50/p95)
//   - CRM API requests per record view, from the emulator's request log
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, control, emulator } from './harness.mjs';
import { records, signInSalesforce, lightningRecordPath, panelFrame, openOptions, waitForPanel } from './crm.mjs';

const OUT = join(import.meta.dirname, '../../target/bench');
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const IMPORT_ROWS = 10_000;
const VIEWS = 50;
// A real org sends each page of 2,000 records in a second or more; BENCH_PAGE_LATENCY_MS
// (e.g. 500) makes the emulator wait that long before each query page.
const PAGE_LATENCY_MS = Number(process.env.BENCH_PAGE_LATENCY_MS ?? 0);

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const results = {};
function report(key, value, text) {
  results[key] = value;
  console.log(`bench extension: ${text}`);
}

async function sfApi(path, init = {}) {
  const { token } = await control('sessions?crm=salesforce', { method: 'POST' });
  const response = await fetch(`${emulator().api}/services/data/v66.0${path}`, {
    ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/** A Connections.csv for the given contacts (hidden e-mails for a third). */
async function exportFor(contacts) {
  const quote = (s) => `"${String(s ?? '').replaceAll('"', '""')}"`;
  const lines = contacts.map(({ fields: f }, i) => [f.FirstName, f.LastName, '', i % 3 ? f.Email : '', '', f.Title, '01 Jan 2024'].map(quote).join(','));
  const file = join(OUT, 'Connections-10k.csv');
  await writeFile(file, `Notes:\n"bench"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n${lines.join('\n')}\n`);
  return file;
}

const apiRequests = async () => (await control('requests')).filter((r) => r.host.endsWith('.my.salesforce.com') && r.path.startsWith('/services/'));

/** Where the org's last sync spent its time (the core's `lastSynced` entry, read in the panel's frame). */
async function syncTook(page) {
  const took = await (await panelFrame(page)).evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('crmsync');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const range = IDBKeyRange.bound('lastSynced:', 'lastSynced:\uffff');
      const get = open.result.transaction('meta').objectStore('meta').getAll(range);
      // The org synced last: the bench's.
      get.onsuccess = () => { resolve(get.result.sort((a, b) => b.value - a.value)[0]?.took ?? null); open.result.close(); };
      get.onerror = () => reject(get.error);
    };
  }));
  const s = (ms) => `${((ms ?? 0) / 1000).toFixed(1)} s`;
  return { took, text: took ? ` (waiting for the CRM ${s(took.networkMs)}, storing ${s(took.storeMs)}, matching ${s(took.linkMs)})` : '' };
}

/** Milliseconds until the panel's text satisfies `test` (syncs of 100k records take a while). */
async function waitForPanelText(page, test, timeout = 600_000) {
  const started = Date.now();
  await waitForPanel(page, test, 'the expected text', { timeout });
  return Date.now() - started;
}

/** Time from `navigate()` until the panel shows `name` as the matched profile. */
async function timeToProfile(page, name, navigate) {
  const started = performance.now();
  await navigate();
  const panel = await panelFrame(page);
  await panel.waitForFunction((n) => document.querySelector('.profile-name')?.textContent === n, { polling: 'mutation', timeout: 20_000 }, name);
  return performance.now() - started;
}

await mkdir(OUT, { recursive: true });
await control('reset?seed=demo', { method: 'POST' });
await control(`generate/contacts?count=${CONTACTS}&crm=salesforce`, { method: 'POST' });
const contacts = await records('salesforce', 'Contact');
const session = await launch('chromium');
try {
  // Import.
  const options = await openOptions(session);
  const exported = contacts.slice(-IMPORT_ROWS);
  const file = await exportFor(exported);
  let started = performance.now();
  await (await options.$('#import-file')).uploadFile(file);
  await options.waitForFunction(() => /Imported/.test(document.getElementById('import-summary').textContent), { timeout: 300_000 });
  report('importMs', performance.now() - started, `import of ${exported.length} Connections.csv rows: ${(performance.now() - started).toFixed(0)} ms`);

  // First sync.
  await control('requests', { method: 'DELETE' });
  if (PAGE_LATENCY_MS) await control(`latency?ms=${PAGE_LATENCY_MS}`, { method: 'POST' });
  const page = await session.browser.newPage();
  const target = contacts.at(-1);
  started = performance.now();
  await signInSalesforce(page, lightningRecordPath('Contact', target.id));
  await waitForPanelText(page, (t) => /Last synced/.test(t));
  const firstSync = performance.now() - started;
  const firstRequests = (await apiRequests()).filter((r) => r.path.includes('/query')).length;
  const latency = PAGE_LATENCY_MS ? ` at ${PAGE_LATENCY_MS} ms a page` : '';
  const first = await syncTook(page);
  report('firstSyncMs', firstSync, `first sync of ${contacts.length} contacts${latency} (+ accounts, leads, opportunities): ${(firstSync / 1000).toFixed(1)} s, ${firstRequests} query requests${first.text}`);
  results.firstSyncRequests = firstRequests;
  results.firstSyncTook = first.took;

  // Incremental sync after 50 changes.
  for (const c of contacts.slice(0, 50)) await sfApi(`/sobjects/Contact/${c.id}`, { method: 'PATCH', body: JSON.stringify({ Title: 'Changed for the bench' }) });
  await control('requests', { method: 'DELETE' });
  started = performance.now();
  await (await panelFrame(page)).click('button.sync-now');
  await waitForPanelText(page, (t) => /Syncing/.test(t), 10_000).catch(() => {});
  await waitForPanelText(page, (t) => /Last synced/.test(t));
  const incremental = performance.now() - started;
  const incRequests = (await apiRequests()).filter((r) => r.path.includes('/query')).length;
  const next = await syncTook(page);
  report('incrementalSyncMs', incremental, `incremental sync (50 changed contacts${latency}): ${incremental.toFixed(0)} ms, ${incRequests} query requests${next.text}`);
  results.incrementalSyncRequests = incRequests;
  results.incrementalSyncTook = next.took;

  // Panel latency over matched records: full loads, then client-side navigations (the
  // panel's one record request is not a query page, so latency does not apply to it).
  const matched = contacts.slice(-IMPORT_ROWS).filter((_, i) => i % 3).slice(0, VIEWS + 1);
  await control('requests', { method: 'DELETE' });
  const full = [];
  for (const c of matched.slice(1)) {
    full.push(await timeToProfile(page, c.fields.Name, () => page.goto(`https://acme.lightning.force.com${lightningRecordPath('Contact', c.id)}`)));
  }
  const perView = (await apiRequests()).length / full.length;
  report('fullLoad', { p50: pct(full, 50), p95: pct(full, 95) }, `record page load → matched profile in panel: p50 ${pct(full, 50).toFixed(0)} ms, p95 ${pct(full, 95).toFixed(0)} ms (${full.length} views)`);
  report('apiRequestsPerView', perView, `CRM API requests per record view: ${perView.toFixed(2)}`);

  const spa = [];
  for (const c of matched.slice(0, VIEWS)) {
    const path = lightningRecordPath('Contact', c.id);
    spa.push(await timeToProfile(page, c.fields.Name, () => page.evaluate((p) => {
      history.pushState({}, '', p);
      dispatchEvent(new PopStateEvent('popstate'));
    }, path)));
  }
  report('clientSide', { p50: pct(spa, 50), p95: pct(spa, 95) }, `client-side navigation → matched profile in panel: p50 ${pct(spa, 50).toFixed(0)} ms, p95 ${pct(spa, 95).toFixed(0)} ms (${spa.length} views)`);
  results.pageLatencyMs = PAGE_LATENCY_MS;
  await writeFile(join(OUT, PAGE_LATENCY_MS ? `extension-latency-${PAGE_LATENCY_MS}.json` : 'extension.json'), JSON.stringify(results, null, 2));
  console.log(`bench extension: summary in ${join(OUT, 'extension.json')}`);
} finally {
  await session.close();
}
