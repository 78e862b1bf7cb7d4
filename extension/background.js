// Background service worker (Chrome) / event page (Firefox): the host of the Rust core, which
// decides everything (src/background/); this file wires the browser's events and ports to it.
import init, * as core from './pkg/crmsync.js';
import initRare, * as rare from './pkg/crmsync_rare.js';
import { api } from './browser-api.js';
import { openStore } from './background/db.js';
import { hostPorts, releaseLocks } from './background/host.js';
import { broadcast, acceptPanel } from './background/panel.js';
import { guardWasm, isTrap } from './wasm-guard.js';

// A Chrome service worker may not use top-level await: initialise wasm behind a promise.
const loaded = init();
let storeOpened;
// The store's schema and migrations are the core's (src/store.rs).
const store = () => (storeOpened ??= loaded.then(() => openStore(core.storeSchema())));
// Rare work (imports, exports, org admin) is a second module, fetched the first time.
const onTimer = (name) => background.run((bg) => bg.onTimer(name)).catch((err) => console.error('timer failed', name, err));
let rareCore = null;
const rareBackground = () => (rareCore ??= initRare().then(newRare, (err) => { rareCore = null; throw err; }));
const ports = () => hostPorts(store, broadcast, onTimer, rareBackground);
const newRare = () => new rare.RareBackground(ports());
const newBackground = () => new core.Background(ports());
// Work the browser stopped this worker in (a sync, a flush) carries on from its checkpoint.
let starting = false;
const start = () => {
  starting = true;
  background.run((bg) => bg.start()).catch((err) => console.error('background start failed', err)).finally(() => { starting = false; });
};
// A trap gets a fresh core, which resumes the same way; a trap while resuming is not resumed
// again at once (that could loop): the next request, alarm or timer carries on.
const background = guardWasm({
  initial: loaded.then(newBackground),
  // Which module trapped is not known: both start afresh.
  reset: () => { releaseLocks(); core.__wbg_reset_state(); rareCore &&= rareCore.then(() => { rare.__wbg_reset_state(); return newRare(); }); },
  rebuild: newBackground,
  onTrap: (err) => {
    console.error('the core failed and was restarted', err);
    if (!starting) start();
  },
});
start();

// The core's alarms wake a stopped worker (a sync, the outbox's next retry).
api.alarms.onAlarm.addListener((alarm) => {
  background.run((bg) => bg.onAlarm(alarm.name)).catch((err) => console.error('alarm failed', alarm.name, err));
});

// Chrome applies a changed policy while it runs: the core reads the policy again.
api.storage.onChanged.addListener((_changes, area) => {
  if (area === 'managed') background.run((bg) => bg.onPolicyChanged()).catch(() => {});
});

// A new Salesforce session cookie: the user signed in again, in that cookie store (the core decides).
api.cookies?.onChanged.addListener(({ cookie, removed }) => {
  background.run((bg) => bg.onCookieChanged(cookie.name, removed, cookie.storeId ?? null)).catch(() => {});
});

const EXTENSION_ORIGIN = api.runtime.getURL('');
// Content scripts report the web page's URL, extension pages (the panel frame too) their own.
const senderKind = (sender) =>
  sender.url?.startsWith(EXTENSION_ORIGIN) ? 'extensionPage' : 'contentScript';

/** The tab's cookie store: Firefox names it on the tab; Chrome lists stores by tab. */
async function cookieStoreOf(tab) {
  if (!tab) return null;
  if (tab.cookieStoreId) return tab.cookieStoreId;
  if (!tab.incognito) return null;
  const stores = await api.cookies.getAllCookieStores();
  return stores.find((s) => s.tabIds.includes(tab.id))?.id ?? null;
}

/** The core checks each message and its sender and answers it; the tab and cookie store come
 *  from the browser, not the message. A request the core trapped on gets the core's words for it. */
async function answer(raw, sender) {
  const info = { tabUrl: sender.tab?.url ?? null, cookieStore: await cookieStoreOf(sender.tab) };
  const answered = background.run((bg) => bg.handle(JSON.stringify(raw), senderKind(sender), info));
  return (await answered.catch((err) => (isTrap(err) ? core.restartedAnswer() : Promise.reject(err)))).answer;
}

api.runtime.onMessage.addListener((raw, sender, sendResponse) => {
  if (sender.id !== api.runtime.id) return false;
  answer(raw, sender).then(sendResponse, (err) => sendResponse({ refused: String(err?.message ?? err) }));
  return true;
});

// The toolbar button opens Unresolved Activities (its badge counts what waits there).
api.action.onClicked.addListener(() => api.tabs.create({ url: api.runtime.getURL('unresolved.html') }));

// Imports report progress, so they use a port: progress messages, then the summary.
api.runtime.onConnect.addListener((port) => {
  if (port.sender?.id !== api.runtime.id) return port.disconnect();
  if (port.name === 'panel') return acceptPanel(port, EXTENSION_ORIGIN);
  if (port.name !== 'import') return port.disconnect();
  port.onMessage.addListener(async (raw) => {
    try {
      if (!raw?.importProfiles) throw new Error('only imports go through this port');
      // The core stores the file in batches, keeps the worker alive and reports each batch.
      const onProgress = (progress) => port.postMessage({ progress });
      const { answer: summary } = await background.run((bg) => bg.handle(JSON.stringify(raw), senderKind(port.sender), {}, onProgress));
      port.postMessage({ summary });
    } catch (err) {
      // The stored batches stay; the core that failed on the file was restarted.
      port.postMessage({ refused: isTrap(err) ? api.i18n.getMessage('errorCoreRestarted') : String(err?.message ?? err) });
    }
  });
});
