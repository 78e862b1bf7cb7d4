// `cargo xtask bench badges`: what the list badges' observer costs, in real Chromium. The CRM
// content scripts (extension/content/, in the manifest's order; the panel frame and the
// background's answers stubbed) run on a list of ROWS rows, one record in five matched, which
// the page then changes RUNS times the way the CRMs do:
//   - lightning-rerender: Lightning renders the list again (after a sort): every row a new
//     element, so every badge is placed again;
//   - grid-recycle: an AG Grid reuses its row elements for other records as it scrolls: every
//     row's link and row-index rewritten in place, every badge moved to its record's new row;
//   - unrelated: a change elsewhere in the page (a spinner, a toast): nothing to do.
// Measured: the time of each batch of DOM changes in the content script (the lifecycle's one
// check a batch: every row's record read, badges put right), min/median/p95/max, and the badge
// placements a batch makes; then, as a check, that every matched row shows one badge and no
// other row any. The scripts run in the page's world (puppeteer cannot reach a content script's),
// the same engine and DOM as the isolated world they ship in.
import puppeteer from 'puppeteer-core';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'target/bench');
const ROWS = Number(process.env.BENCH_BADGE_ROWS ?? 500);
const RUNS = Number(process.env.BENCH_BADGE_RUNS ?? 50);

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const at = (xs, q) => sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const stats = (xs) => ({ min: at(xs, 0), median: at(xs, 0.5), p95: at(xs, 0.95), max: at(xs, 1) });
/** The page: a list of ROWS rows as the CRM renders it, the record for row k being `k + offset`. */
function listHtml(crm) {
  if (crm === 'salesforce') {
    return `<div class="oneContent active"><table><thead><tr data-row-key-value="HEADER"><th></th><th></th><th>Name</th></tr></thead><tbody></tbody></table></div>`;
  }
  return '<div class="ag-root"><div class="ag-pinned-left-cols-container"></div><div class="ag-center-cols-viewport"><div class="ag-center-cols-container"></div></div></div>';
}

/** In the page: draws (or, for the grid, rewrites in place) the rows for `offset`. */
function pageHelpers(crm, rows) {
  const sfId = (n) => `0035g${String(n).padStart(10, '0')}AAA`;
  const guid = (n) => `00000002-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const link = (n) => `/main.aspx?pagetype=entityrecord&etn=contact&id=%7B${guid(n).toUpperCase()}%7D`;
  globalThis.benchRender = (offset) => {
    if (crm === 'salesforce') {
      const body = document.createElement('tbody');
      for (let k = 0; k < rows; k += 1) {
        const tr = body.appendChild(document.createElement('tr'));
        tr.setAttribute('data-row-key-value', sfId(k + offset));
        tr.append(document.createElement('td'), document.createElement('td'));
        const th = tr.appendChild(document.createElement('th'));
        th.setAttribute('scope', 'row');
        th.appendChild(document.createElement('a')).textContent = `Person ${k + offset}`;
      }
      document.querySelector('tbody').replaceWith(body);
      return;
    }
    const centre = document.querySelector('.ag-center-cols-container');
    const pinned = document.querySelector('.ag-pinned-left-cols-container');
    if (!centre.children.length) {
      for (let k = 0; k < rows; k += 1) {
        for (const container of [pinned, centre]) {
          const row = container.appendChild(document.createElement('div'));
          row.setAttribute('role', 'row');
          row.setAttribute('row-index', String(k));
          const cell = row.appendChild(document.createElement('div'));
          cell.setAttribute('role', 'gridcell');
          if (container === centre) cell.appendChild(document.createElement('a'));
        }
      }
    }
    [...centre.children].forEach((row, k) => {
      row.setAttribute('row-index', String(k + offset));
      const a = row.querySelector('a');
      a.setAttribute('href', link(k + offset));
      a.textContent = `Person ${k + offset}`;
    });
  };
}

/** In the page, before the content scripts: stubs, and the meters around them. */
function stubsAndMeters(crm) {
  // Every fifth record (the number its id ends with) has a matched profile.
  const matched = (id) => Number(id.match(/(\d+)\D*$/)?.[1]) % 5 === 0;
  globalThis.chrome = {
    i18n: { getMessage: () => 'Profile linked' },
    runtime: {
      async sendMessage(message) {
        if (message.detectPage) return { ok: { kind: 'list', crm } };
        return { ok: message.matchedRecords.ids.filter(matched) };
      },
    },
  };
  globalThis.crmsyncPanelFrame = { create: () => ({ ready: Promise.resolve(), show() {}, hide() {}, expand() {} }) };
  // The lifecycle runs one check per batch of changes, queued as a microtask: time each.
  const queue = globalThis.queueMicrotask.bind(globalThis);
  globalThis.benchChecks = [];
  globalThis.queueMicrotask = (task) => queue(() => {
    const start = performance.now();
    task();
    globalThis.benchChecks.push(performance.now() - start);
  });
  globalThis.benchPlaced = 0;
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) if (n.getAttribute?.('data-crmsync') === 'row-badge') globalThis.benchPlaced += 1;
    }
  }).observe(document, { childList: true, subtree: true });
}

async function scenario(browser, crm, name, change) {
  const page = await browser.newPage();
  await page.setContent(`<!doctype html><html><body><main>${listHtml(crm)}</main><div id="elsewhere"></div></body></html>`);
  await page.evaluate(pageHelpers, crm, ROWS);
  await page.evaluate(stubsAndMeters, crm);
  const manifest = JSON.parse(await readFile(join(ROOT, 'manifest.json'), 'utf8'));
  const scripts = manifest.content_scripts.find((c) => c.js.includes('content/crm-page.js')).js
    .filter((f) => f !== 'content/panel-frame.js');
  // Both offsets' records are known before measuring: a batch never waits for the background.
  await page.evaluate(() => globalThis.benchRender(1));
  // As built: content/page-dom.js is written by the build from the core's table.
  for (const file of scripts) await page.addScriptTag({ content: await readFile(join(ROOT, 'dist/chrome', file), 'utf8') });
  const settle = () => page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
  for (let i = 0; i < 5; i += 1) await settle();
  await page.evaluate(() => globalThis.benchRender(0));
  for (let i = 0; i < 5; i += 1) await settle();
  const times = [];
  const placed = [];
  for (let run = 0; run < RUNS; run += 1) {
    await page.evaluate(() => { globalThis.benchChecks = []; globalThis.benchPlaced = 0; });
    await page.evaluate(change, run);
    await settle();
    const { checks, badges } = await page.evaluate(() => ({ checks: globalThis.benchChecks, badges: globalThis.benchPlaced }));
    times.push(checks.reduce((a, b) => a + b, 0));
    placed.push(badges);
  }
  const shown = await page.evaluate((c) => {
    const rows = [...document.querySelectorAll(c === 'salesforce' ? 'tbody tr' : '.ag-center-cols-container [role=row]')];
    const perRow = rows.map((r) => r.querySelectorAll('[data-crmsync]').length);
    const matchedRows = rows.filter((r) => Number(r.querySelector('a').textContent.split(' ')[1]) % 5 === 0).length;
    return { badges: perRow.reduce((a, b) => a + b, 0), maxPerRow: Math.max(...perRow), matchedRows, pinned: document.querySelectorAll('.ag-pinned-left-cols-container [data-crmsync]').length };
  }, crm);
  await page.close();
  const ok = shown.badges === shown.matchedRows && shown.maxPerRow === 1 && shown.pinned === 0;
  return { scenario: name, crm, rows: ROWS, runs: RUNS, batchMs: stats(times), placementsPerBatch: stats(placed), ...shown, ok };
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  pipe: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
});
const results = [];
try {
  results.push(await scenario(browser, 'salesforce', 'lightning-rerender', () => globalThis.benchRender(0)));
  results.push(await scenario(browser, 'dynamics', 'grid-recycle', (run) => globalThis.benchRender((run + 1) % 2)));
  results.push(await scenario(browser, 'dynamics', 'unrelated', (run) => {
    document.getElementById('elsewhere').textContent = `toast ${run}`;
  }));
} finally {
  await browser.close();
}
await mkdir(OUT, { recursive: true });
await writeFile(join(OUT, 'badges.json'), JSON.stringify(results, null, 2));
const ms = (x) => x.toFixed(2);
for (const r of results) {
  console.log(`bench badges ${r.scenario} (${r.crm}, ${r.rows} rows, ${r.runs} batches): batch ${ms(r.batchMs.min)}/${ms(r.batchMs.median)}/${ms(r.batchMs.p95)}/${ms(r.batchMs.max)} ms min/median/p95/max; placements a batch median ${r.placementsPerBatch.median} (max ${r.placementsPerBatch.max}); ${r.badges} badges on ${r.matchedRows} matched rows, at most ${r.maxPerRow} a row${r.ok ? '' : '  WRONG'}`);
}
if (results.some((r) => !r.ok)) process.exit(1);
