// The org-wide validation benchmark (`cargo xtask bench org-wide`): loads DIR/records.csv
// into the emulated Salesforce org as Contacts at their companies' Accounts, makes the flag
// field as the admin's setup does, then runs `crm-validate` against DIR/profiles.csv twice
// (the second run finds nothing to change) under /usr/bin/time, printing wall time, peak
// memory and the HTTP requests the command counted.
// Usage: node bench-orgwide.mjs DIR CRM_VALIDATE LABEL (EMULATOR_URL and EMULATOR_CA set).
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { url, session } from '../clients/emulator.mjs';

const [dir, bin, label] = process.argv.slice(2);
const FLAG = 'crmsync_Not_at_Company__c';

const started = performance.now();
const load = await fetch(`${url}/_emulator/import/people?ids=true`, {
  method: 'POST',
  headers: { 'Content-Type': 'text/csv' },
  body: fs.readFileSync(`${dir}/records.csv`),
});
if (!load.ok) throw new Error(`import: ${load.status} ${await load.text()}`);
const loaded = await load.json();
console.log(`bench org-wide: ${label}: org loaded with ${loaded.contacts} contacts at ${loaded.accounts} accounts in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const token = await session('salesforce');
const field = await fetch(`${url}/services/data/v66.0/tooling/sobjects/CustomField`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  body: JSON.stringify({ FullName: `Contact.${FLAG}`, Metadata: { label: 'Not at Company Flag', type: 'Checkbox', defaultValue: 'false' } }),
});
if (!field.ok) throw new Error(`flag field: ${field.status} ${await field.text()}`);

// A flag on a contact the generator gave no profile is a namesake's: precision of the flags.
function flagQuality() {
  const rows = (file) => fs.readFileSync(`${dir}/${file}`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const generatedIds = rows('records.csv').map(([id]) => id);
  const contactOf = new Map(generatedIds.map((id, i) => [id, loaded.ids[i]]));
  const paired = new Set(rows('truth.csv').map(([, record]) => contactOf.get(record)));
  const flagged = rows('org-wide-report.csv').filter(([, flag]) => flag === 'true').map(([id]) => id);
  const right = flagged.filter((id) => paired.has(id)).length;
  console.log(`bench org-wide: flags on contacts that have a profile: ${right} of ${flagged.length} (${(100 * right / Math.max(1, flagged.length)).toFixed(1)} %)`);
  // A tool that flags namesakes does harm on a real org: the bench fails below 80 %.
  if (right < 0.8 * flagged.length) throw new Error('more than a fifth of the flags are on namesakes');
}

function validate(name) {
  const t = performance.now();
  const run = spawnSync('/usr/bin/time', ['-v', bin, '--instance-url', url, '--ca-file', process.env.EMULATOR_CA,
    '--profiles', `${dir}/profiles.csv`, '--report', `${dir}/org-wide-report.csv`], {
    env: { ...process.env, SF_ACCESS_TOKEN: token },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = (performance.now() - t) / 1000;
  if (run.status !== 0) throw new Error(`crm-validate failed (${run.status}): ${run.stderr}`);
  const rss = Number((run.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/) || [])[1] || 0);
  const requests = Number((run.stdout.match(/requests (\d+)/) || [])[1] || 0);
  const progress = run.stderr.split('\n').filter((l) => l.startsWith('crm-validate:')).join('\n');
  process.stdout.write(`${progress}\n${run.stdout}`.replace(/^/gm, '  '));
  console.log(`bench org-wide: ${name}: ${wall.toFixed(1)} s wall, ${(rss / 1024).toFixed(0)} MiB peak RSS, ${requests} HTTP requests`);
  return run.stdout;
}

const first = validate('first run');
if (!/flags set [1-9]/.test(first)) throw new Error('the first run set no flag');
flagQuality();
const second = validate('second run (nothing changed)');
if (!/flags set 0 · cleared 0/.test(second)) throw new Error('the second run changed flags');
