// Background service worker (Chrome) / event page (Firefox). Holds the CRM sessions and the
// store and does all I/O; the Rust core (wasm) decides what to send and reads what comes back.
import init, * as core from './pkg/crmsync.js';
import { api } from './browser-api.js';
import { openStore } from './background/db.js';
import { getPanel, broadcast, acceptPanel, syncNow, onLinksChanged } from './background/panel.js';
import { relinkProfiles, recordsOfProfile, matchedRecordIds, clearCrmData } from './background/links.js';
import { importProfiles, saveProfile, countProfiles, searchProfiles } from './background/profiles.js';
import { correctMatch, linkProfileUrl } from './background/corrections.js';
import { logItem, getActivity, retryItem, rememberOrg, resolveMatched } from './background/activity.js';
import { startOutbox, sessionSeen } from './background/outbox.js';
import { prepareOrg } from './background/org-setup.js';
import { testWriteBack, removeTestRecords, listOrgs } from './background/test-write-back.js';
import * as admin from './background/activity-admin.js';

// A Chrome service worker may not use top-level await: initialise wasm behind a promise.
const ready = init();
let storeOpened;
const store = () => (storeOpened ??= openStore());

const handlers = {
  detectPage: (msg) => core.detectPage(msg.url),
  getPanel: async (msg, sender) => {
    // The panel only runs framed in the CRM page it describes, never on its own.
    if (!sameOrigin(sender.tab?.url, msg.url)) return { refused: 'the panel is not framed in this CRM page' };
    const db = await store();
    const panel = await getPanel(core, db, msg.url);
    if (panel.ok) await orgSeen(db, core.detectPage(msg.url));
    return panel;
  },
  addProfile: async (msg) => {
    const profile = core.manualProfile(msg.person);
    return profile ? saveAndRelink(profile) : { error: 'noName' };
  },
  captureProfile: async (msg) => {
    const profile = core.capturedProfile(msg.page);
    if (!profile) return null;
    await saveAndRelink(profile);
    // Only the records' page links go back to the content script, for the "In CRM" badge.
    return { inCrm: await recordsOfProfile(core, await store(), profile.person.id) };
  },
  countProfiles: async () => countProfiles(await store()),
  syncNow: async (msg) => syncNow(core, await store(), msg.url),
  clearCrmData: async () => {
    await clearCrmData(await store());
    return { ok: true };
  },
  matchedRecords: async (msg) => {
    const page = core.detectPage(msg.url);
    return page?.kind === 'list' ? matchedRecordIds(await store(), page.apiHost, msg.ids) : [];
  },
  searchProfiles: async (msg) => searchProfiles(core, await store(), msg.query),
  correctMatch: async (msg) => correctMatch(core, await store(), msg.url, msg.correction),
  linkProfileUrl: async (msg) => linkProfileUrl(core, await store(), msg.url, msg.profileUrl),
  logItem: async (msg) => itemChanged(await logItem(core, await store(), msg)),
  getActivity: async (msg) => getActivity(core, await store(), msg.url),
  retryItem: async (msg) => itemChanged(await retryItem(await store(), msg.id)),
  prepareOrg: async (msg) => prepareOrg(core, await store(), msg.apiHost),
  listOrgs: async () => listOrgs(await store()),
  testWriteBack: async (msg) => testWriteBack(core, await store(), msg.apiHost),
  removeTestRecords: async (msg) => removeTestRecords(core, await store(), msg.apiHost),
  listItems: async (msg) => admin.listItems(await store(), msg.state),
  discardItem: async (msg) => itemChanged(await admin.discardItem(await store(), msg.id)),
  resolveItem: async (msg) => itemChanged(await admin.resolveItem(core, await store(), msg)),
  searchRecords: async (msg) => admin.searchRecords(core, await store(), msg.query),
  listAudit: async () => admin.listAudit(await store()),
  exportItems: async (msg) => admin.exportItems(core, await store(), msg.state),
  exportAudit: async () => admin.exportAudit(core, await store()),
};

/** After items changed state: open panels and pages hear of it, the badge recounts. */
async function itemsChanged(ids) {
  broadcast({ type: 'activityChanged', ids });
  await admin.refreshBadge(await store());
}

async function itemChanged(answer) {
  if (answer.ok) await itemsChanged([answer.ok.id]);
  return answer;
}

/** A record page loaded with a working session: remember the org, resume its outbox. */
async function orgSeen(db, page) {
  if (page?.kind !== 'record') return;
  await rememberOrg(db, page);
  await sessionSeen(db, page.apiHost);
}

ready.then(() => startOutbox(core, store, (ids) => { itemsChanged(ids).catch(() => {}); }));

// Completing the sync: items about a person who now has a CRM match leave Unresolved.
onLinksChanged(() => {
  store()
    .then(resolveMatched)
    .then((ids) => ids.length && itemsChanged(ids))
    .catch((err) => console.error('resolving matched items failed', err));
});

function sameOrigin(a, b) {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

async function saveAndRelink(profile) {
  const db = await store();
  const summary = await saveProfile(core, db, profile);
  await relinkProfiles(core, db, summary.changedIds, broadcast);
  return summary;
}

const EXTENSION_ORIGIN = api.runtime.getURL('');
// Content scripts report the web page's URL; extension pages (the panel iframe included)
// report their own extension URL.
const senderKind = (sender) =>
  sender.url?.startsWith(EXTENSION_ORIGIN) ? 'extensionPage' : 'contentScript';

/** The Rust core checks each message's shape and whether this sender may send it. */
async function checked(raw, sender) {
  await ready;
  return core.parseMessage(JSON.stringify(raw), senderKind(sender));
}

api.runtime.onMessage.addListener((raw, sender, sendResponse) => {
  if (sender.id !== api.runtime.id) return false;
  checked(raw, sender)
    .then((msg) => handlers[msg.type](msg, sender))
    .then(sendResponse, (err) => sendResponse({ refused: String(err?.message ?? err) }));
  return true;
});

store().then(admin.refreshBadge);

// The toolbar button opens Unresolved Activities (its badge counts what waits there).
api.action.onClicked.addListener(() => api.tabs.create({ url: api.runtime.getURL('unresolved.html') }));

// Imports report progress, so they use a port: progress messages, then the summary.
api.runtime.onConnect.addListener((port) => {
  if (port.sender?.id !== api.runtime.id) return port.disconnect();
  if (port.name === 'panel') return acceptPanel(port);
  if (port.name !== 'import') return port.disconnect();
  port.onMessage.addListener(async (raw) => {
    try {
      const msg = await checked(raw, port.sender);
      if (msg.type !== 'importProfiles') throw new Error('only imports go through this port');
      const onProgress = (done, total) => port.postMessage({ progress: { done, total } });
      const db = await store();
      const summary = await importProfiles(core, db, msg, onProgress);
      await relinkProfiles(core, db, summary.changedIds, broadcast);
      port.postMessage({ summary: { ...summary, changedIds: undefined } });
    } catch (err) {
      port.postMessage({ refused: String(err?.message ?? err) });
    }
  });
});
