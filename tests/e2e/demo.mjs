// `cargo xtask demo`: imports a demo Connections.csv into the extension, opens record pages
// of both emulated CRMs, a list view and a network profile page in Chromium, and saves
// screenshots. Not a test: it only waits for what it shows.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, control } from './harness.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath,
  waitForPanelRecord, panelFrame, openOptions, logInPanel,
} from './crm.mjs';

const args = process.argv.slice(2);
const outDir = args[args.indexOf('--out') + 1];
const interactive = args.includes('--interactive') && Boolean(process.env.DISPLAY);
if (args.includes('--interactive') && !interactive) console.log('demo: no display, running headless');

const JOB_CHANGER = 3;

/** A network export for 40 of the demo org's contacts, the way people really appear there:
 * some with their e-mail hidden, one who changed jobs. */
async function demoExport() {
  const contacts = (await records('salesforce', 'Contact')).slice(0, 40);
  const accounts = new Map((await records('salesforce', 'Account')).map((a) => [a.id, a.fields.Name]));
  const quote = (s) => `"${String(s ?? '').replaceAll('"', '""')}"`;
  const rows = contacts.map(({ fields: f }, i) => {
    // Contact 4 (e-mail hidden, as for many members) has moved to another company.
    const company = i === JOB_CHANGER ? 'Analytical Engines Ltd' : accounts.get(f.AccountId);
    const email = i % 3 === 0 ? '' : f.Email;
    const slug = `${f.FirstName}-${f.LastName}`.normalize('NFD').replace(/[^\p{ASCII}]/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
    return [f.FirstName, f.LastName, `https://www.linkedin.com/in/${slug}`, email, company, f.Title, '12 Mar 2024'].map(quote).join(',');
  });
  const notes = 'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing."\n\n';
  const file = join(outDir, 'Connections.csv');
  await writeFile(file, `${notes}First Name,Last Name,URL,Email Address,Company,Position,Connected On\n${rows.join('\n')}\n`);
  return file;
}

async function waitForText(frame, pattern) {
  try {
    await frame.waitForFunction((p) => new RegExp(p).test(document.body.innerText), { timeout: 20_000 }, pattern.source);
  } catch {
    throw new Error(`the panel never showed ${pattern}; it shows:\n${await frame.evaluate(() => document.body.innerText)}`);
  }
}

await mkdir(outDir, { recursive: true });
await control('reset?seed=demo', { method: 'POST' });
const session = await launch('chromium', { headless: !interactive });
try {
  const shots = [];
  const shoot = async (page, name) => {
    shots.push(join(outDir, name));
    await page.screenshot({ path: shots.at(-1) });
  };

  const options = await openOptions(session);
  await options.setViewport({ width: 1280, height: 800 });
  await (await options.$('#import-file')).uploadFile(await demoExport());
  await options.waitForFunction(() => /Imported/.test(document.getElementById('import-summary').textContent), { timeout: 20_000 });
  await shoot(options, 'options-import.png');

  const page = await session.browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  const contacts = await records('salesforce', 'Contact');
  await signInSalesforce(page, lightningRecordPath('Contact', contacts[0].id));
  await waitForPanelRecord(page, contacts[0].fields.Name);
  await waitForText(await panelFrame(page), /Matched on/);
  await page.waitForFunction(() => document.querySelector('[data-crmsync=badge]'), { timeout: 10_000 });
  await shoot(page, 'salesforce-contact.png');

  // Copy to CRM: the admin prepares the org once; the rep logs a call in the panel.
  const panel = await panelFrame(page);
  await panel.evaluate(() => chrome.runtime.sendMessage({ type: 'prepareOrg', apiHost: 'acme.my.salesforce.com' }));
  await logInPanel(page, { kind: 'call', subject: 'Renewal call', body: 'Agreed on a pilot for Q1', minutes: 7, seconds: 30, outcome: 'Pilot agreed' });
  await waitForText(await panelFrame(page), /Renewal call[\s\S]*Copied to CRM/);
  const task = (await records('salesforce', 'Task')).find((t) => t.fields.Subject === 'Call: Renewal call');
  console.log(`demo: the call is Salesforce Task ${task?.id} (${task?.fields.CallDurationInSeconds} s, owner ${task?.fields.OwnerId})`);
  await shoot(page, 'salesforce-copy-to-crm.png');

  await page.goto(`https://acme.lightning.force.com${lightningRecordPath('Contact', contacts[JOB_CHANGER].id)}`);
  await waitForText(await panelFrame(page), /another company/);
  await shoot(page, 'salesforce-job-change.png');

  await page.goto('https://acme.lightning.force.com/lightning/o/Contact/list');
  await page.waitForFunction(() => document.querySelector('[data-crmsync=row-badge]'), { timeout: 10_000 });
  await shoot(page, 'salesforce-list-badges.png');

  const [dynContact] = await records('dynamics', 'contact');
  await signInDynamics(page, dynamicsRecordPath('contact', dynContact.id));
  await waitForPanelRecord(page, dynContact.fields.fullname);
  await waitForText(await panelFrame(page), /Matched on/);
  await shoot(page, 'dynamics-contact.png');

  const slug = `${contacts[0].fields.FirstName}-${contacts[0].fields.LastName}`.toLowerCase();
  await page.goto(`https://www.linkedin.com/in/${slug}`);
  // The panel frame exists before it has drawn anything: wait for the person and their record.
  await waitForText(await panelFrame(page), new RegExp(`In CRM: ${contacts[0].fields.Name}`));
  await shoot(page, 'network-in-crm.png');

  for (const shot of shots) console.log(`demo: screenshot ${shot}`);
  if (interactive) {
    console.log('demo: the browser stays open; close it to end the demo');
    await new Promise((resolve) => session.browser.on('disconnected', resolve));
  }
} finally {
  await session.close();
}
