// Steps a person takes in the emulated CRMs, and how to read what the extension shows.
import { join } from 'node:path';
import { control, emulator } from './harness.mjs';

export const SALESFORCE_UI = 'https://acme.lightning.force.com';
export const DYNAMICS = 'https://acme.crm.dynamics.com';

/** Records of an object as the emulator holds them: [{id, fields}]. */
export const records = (crm, object) => control(`records/${crm}/${object}`);

/** A Dataverse Web API call as an API client (the emulator routes by path on its address). */
export async function dataverse(method, path, body) {
  const { token } = await control('sessions?crm=dynamics', { method: 'POST' });
  const response = await fetch(`${emulator().api}/api/data/v9.2${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'OData-Version': '4.0' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

export async function signInSalesforce(page, startPath) {
  const start = encodeURIComponent(startPath);
  await page.goto(`https://acme.my.salesforce.com/login.jsp?un=demo@acme.com&pw=demo&startURL=${start}`);
}

/** Signs in to Dynamics as `user` (the demo admin unless named), then opens `returnPath`. */
export async function signInDynamics(page, returnPath, user = 'demo@acme.onmicrosoft.com') {
  const back = encodeURIComponent(returnPath);
  await page.goto(`${DYNAMICS}/_login?user=${encodeURIComponent(user)}&password=demo&returnUrl=${back}`);
}

export const lightningRecordPath = (object, id) => `/lightning/r/${object}/${id}/view`;
export const dynamicsRecordPath = (entity, id) =>
  `/main.aspx?appid=4f7c8d2e-1a3b-4c5d-9e6f-7a8b9c0d1e2f&pagetype=entityrecord&etn=${entity}&id=${id}`;

/** The panel iframe's frame (found through our shadow root: Firefox reports its URL late). */
export async function panelFrame(page) {
  const handle = await page.waitForFunction(
    () => document.querySelector('[data-crmsync=root]')?.shadowRoot?.querySelector('iframe'),
    { timeout: 10_000 },
  );
  return handle.asElement().contentFrame();
}

/** Sends a message to the background from the panel frame, as the panel does. */
export async function sendFromPanel(page, message) {
  const frame = await panelFrame(page);
  return frame.evaluate((m) => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage(m), message);
}

/**
 * Polls the panel until `read(document)` (run in the panel frame) satisfies `test`; returns
 * what it read. The one wait every panel helper uses.
 */
export async function waitForPanel(page, test, what, { read = () => document.body.innerText, timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = await (await panelFrame(page)).evaluate(read).catch(() => '');
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`panel never showed ${what}; it shows:\n${last}`);
}

/** Waits until the panel's record name is `name`; returns the panel text. */
export async function waitForPanelRecord(page, name, timeout = 10_000) {
  const read = () => document.querySelector('.record-name')?.textContent ?? '';
  await waitForPanel(page, (t) => t === name, `the record "${name}"`, { read, timeout });
  return (await panelFrame(page)).evaluate(() => document.body.innerText);
}

/** Waits for the panel's alert (an error with advice); returns its text. */
export const waitForPanelAlert = (page, timeout = 10_000) =>
  waitForPanel(page, Boolean, 'an alert', { read: () => document.querySelector('[role=alert]')?.textContent ?? '', timeout });

/** Whether anything of the extension is in the page. */
export const extensionMounted = (page) =>
  page.evaluate(() => document.querySelectorAll('[data-crmsync]').length > 0);

/** Clicks a client-side link and proves the page did not reload (a marker survives). */
export async function navigateWithoutReload(page, linkText) {
  await page.evaluate(() => { window.__crmsyncNoReload = true; });
  const clicked = await page.evaluate((text) => {
    const link = [...document.querySelectorAll('a[data-spa]')].find((a) => a.textContent === text);
    link?.click();
    return Boolean(link);
  }, linkText);
  if (!clicked) throw new Error(`no client-side link "${linkText}"`);
  // Lightning keeps the view it left in the page, hidden: the record shown is the visible one.
  await page.waitForFunction((text) => [...document.querySelectorAll('.record-name')]
    .some((name) => name.checkVisibility() && name.textContent === text), {}, linkText);
  if (!(await page.evaluate(() => window.__crmsyncNoReload === true))) {
    throw new Error('the page reloaded');
  }
}

/**
 * Opens an extension page the way a user does: a button in the panel on a CRM record page
 * (`prepare`, if given, first runs with the panel's frame). Firefox's WebDriver BiDi neither
 * navigates to nor scripts top-level extension pages (it does script extension iframes), so
 * there the panel's frame loads the page and that frame is returned; it offers the same $,
 * $eval, click, type and waitForFunction.
 */
export async function openExtensionPage(session, file, button, prepare = async () => {}) {
  const page = await session.browser.newPage();
  const [contact] = await records('dynamics', 'contact');
  await signInDynamics(page, dynamicsRecordPath('contact', contact.id));
  await waitForPanelRecord(page, contact.fields.fullname);
  const panel = await panelFrame(page);
  // The activity section renders after the record; clicking before it could miss the button.
  await panel.waitForSelector('.activity', { timeout: 10_000 });
  await prepare(panel);
  if (session.name === 'firefox') {
    await panel.evaluate((f) => { location.href = f; }, file);
    return panelFrame(page);
  }
  const opened = session.browser.waitForTarget((t) => t.url().endsWith(`/${file}`), { timeout: 10_000 });
  await panel.click(button);
  const extensionPage = await (await opened).page();
  await page.close();
  return extensionPage;
}

/** The options page, once it shows the profile count. */
export async function openOptions(session) {
  const options = await openExtensionPage(session, 'options.html', '#open-settings');
  await options.waitForFunction(() => /^[0-9]+$/.test(document.getElementById('profile-count')?.textContent ?? ''), { timeout: 10_000 });
  return options;
}

/** The text of `selector` on `page` ('' while it is not there). */
const textOf = (page, selector) => page.$eval(selector, (e) => e.textContent).catch(() => '');

/** Waits until `selector`'s text matches `pattern`; its text. */
export async function waitForText(page, selector, pattern, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = await textOf(page, selector);
    if (pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${selector} never matched ${pattern}: "${last}"`);
}

/** Presses the panel's "Sync now" and waits until the sync is over. The record's tab comes
 * to the front first: Chrome may freeze a tab behind another. */
export async function syncNow(page) {
  await page.bringToFront();
  await (await panelFrame(page)).click('button.sync-now');
  await waitForPanel(page, (t) => /Syncing/.test(t), 'the sync', { timeout: 5_000 }).catch(() => {});
  await waitForPanel(page, (t) => /Last synced/.test(t) && !/Syncing/.test(t), 'the sync over', { timeout: 30_000 });
}

/** The admin page for `org`, opened from its link on the options page. */
export async function openAdmin(session, org) {
  const options = await openOptions(session);
  const link = `#admin-orgs a[href="admin.html?org=${org}"]`;
  await options.waitForSelector(link, { timeout: 10_000 });
  await options.click(link);
  await options.waitForFunction((o) => document.getElementById('admin-org')?.value === o, { timeout: 10_000 }, org);
  return options;
}

/** Imports tests/fixtures/imports/Connections.csv (5 profiles) on the options page. */
export async function importConnections(session) {
  const options = await openOptions(session);
  await (await options.$('#import-file')).uploadFile(join(import.meta.dirname, '../fixtures/imports/Connections.csv'));
  await options.waitForFunction(() => /Imported 5 new/.test(document.getElementById('import-summary').textContent), { timeout: 15_000 });
  return options;
}

/** Fills the panel's log form and saves; waits for "Saved". */
export async function logInPanel(page, { kind, subject, body, minutes, seconds, outcome }) {
  const frame = await panelFrame(page);
  await frame.waitForSelector('select.kind', { timeout: 10_000 });
  await frame.select('select.kind', kind);
  await frame.type('input.subject', subject);
  await frame.type('textarea.body', body);
  if (kind === 'call') {
    await frame.type('input.minutes', String(minutes));
    await frame.type('input.seconds', String(seconds));
    await frame.type('input.outcome', outcome);
  }
  if (!(await frame.$eval('label.switch input', (i) => i.checked))) throw new Error('Copy to CRM is off');
  await frame.click('button.save');
  await waitForPanel(page, (t) => /Saved/.test(t), '"Saved"');
}
