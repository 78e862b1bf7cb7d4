// `cargo xtask demo`: opens CRM record pages of the emulator's demo org in Chromium with the
// extension and saves screenshots of the Embedded Profile panel. Not a test: no assertions
// beyond "the panel showed the record".
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, control } from './harness.mjs';
import {
  records, signInSalesforce, signInDynamics, lightningRecordPath, dynamicsRecordPath,
  waitForPanelRecord,
} from './crm.mjs';

const args = process.argv.slice(2);
const outDir = args[args.indexOf('--out') + 1];
const interactive = args.includes('--interactive') && Boolean(process.env.DISPLAY);
if (args.includes('--interactive') && !interactive) console.log('demo: no display, running headless');

await mkdir(outDir, { recursive: true });
await control('reset?seed=demo', { method: 'POST' });
const session = await launch('chromium', { headless: !interactive });
try {
  const page = await session.browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  const shots = [];

  const [sfContact] = await records('salesforce', 'Contact');
  await signInSalesforce(page, lightningRecordPath('Contact', sfContact.id));
  await waitForPanelRecord(page, sfContact.fields.Name);
  shots.push(join(outDir, 'salesforce-contact.png'));
  await page.screenshot({ path: shots.at(-1) });

  const [dynContact] = await records('dynamics', 'contact');
  await signInDynamics(page, dynamicsRecordPath('contact', dynContact.id));
  await waitForPanelRecord(page, dynContact.fields.fullname);
  shots.push(join(outDir, 'dynamics-contact.png'));
  await page.screenshot({ path: shots.at(-1) });

  for (const shot of shots) console.log(`demo: screenshot ${shot}`);
  if (interactive) {
    console.log('demo: the browser stays open; close it to end the demo');
    await new Promise((resolve) => session.browser.on('disconnected', resolve));
  }
} finally {
  await session.close();
}
