// The Embedded Profile panel: an extension page inside an iframe on CRM record pages and on
// network profile pages. The UI is Rust (PanelView); this file wires it to the page URL, the
// background and the host page.
import init, { PanelView, __wbg_reset_state } from './pkg/crmsync_ui.js';
import { api } from './browser-api.js';
import { guardWasm, showNotice } from './wasm-guard.js';

await init();
const t = (key, substitutions) => api.i18n.getMessage(key, substitutions);
document.documentElement.lang = api.i18n.getUILanguage();
document.title = t('panelTitle');
for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-i18n]'))) el.textContent = t(el.dataset.i18n);

let current = null;
let apiHost = null;
let profileMode = false;
let syncing = false; // the core's last answer said this org's sync runs
const RESUME_ASK_MS = 3000;
/** @param {import('./pkg/crmsync_ui.js').Request} message A request as the core parses it. */
const send = (message) => api.runtime.sendMessage(message);

/** Tells the page's content script (only our own frame's parent) what the badge shows. */
function tellHost(state) {
  const origin = new URL(current).origin;
  window.parent.postMessage({ crmsync: 'panelState', ...state }, origin);
}

async function onAction(action) {
  if (action.type === 'search') {
    view.showSearchResults(action.query.trim() ? (await send({ type: 'searchProfiles', query: action.query }))?.ok ?? [] : []);
  } else if (action.type === 'syncNow') {
    await send({ type: 'syncNow', url: current });
    load({ quiet: true });
  } else if (action.type === 'linkUrl') {
    await send({ type: 'linkProfileUrl', url: current, profileUrl: action.url });
  } else if (action.type === 'logItem') {
    await logItem(action);
  } else if (action.type === 'retryItem') {
    await retryItem(action.id);
  } else {
    await send({ type: 'correctMatch', url: current, correction: action });
  }
}

/** Sends an item request; a background that cannot be reached gives no answer (null). */
/** @param {import('./pkg/crmsync_ui.js').Request} message */
const ask = (message) => send(message).catch(() => null);

/** Shows an item answer for the page it was asked on: `shown(item)`, or why it failed. */
function showItem(url, answer, shown) {
  if (url !== current) return; // the user moved on; that page's form is gone
  if (answer?.ok) return shown(answer.ok);
  view.activityFailed(answer ?? null); // the core words it
}

async function logItem({ item, copyToCrm }) {
  const url = current;
  const answer = await ask({ type: 'logItem', url, item, copyToCrm });
  showItem(url, answer, (stored) => view.activitySaved(stored));
  // The next item's switch starts from this choice: fetch the toggles again.
  if (answer?.ok && url === current) loadActivity(url);
}

async function retryItem(id) {
  const url = current;
  showItem(url, await ask({ type: 'retryItem', id }), (item) => view.activityItem(item));
}

/** The page's items; without an answer the panel simply shows no activity section. */
async function loadActivity(url = current) {
  const answer = await ask({ type: 'getActivity', url });
  if (url === current && answer?.ok) view.showActivity(answer.ok);
}

const root = document.getElementById('panel');
const newView = () => new PanelView(root, t, (action) => { onAction(action); });
let view = newView();
// A trap in the panel's wasm: say so once, then a fresh module and view load the page again.
guardWasm({
  initial: Promise.resolve(view),
  reset: __wbg_reset_state,
  rebuild: () => {
    root.replaceChildren();
    view = newView();
    current = null;
    load();
    return view;
  },
  onTrap: () => showNotice(document, t('errorCoreRestarted')),
});

// The background tells open panels when links change (sync, corrections in any tab). When an
// idle Chrome service worker stops, the port closes; the next load reconnects rather than
// waking the worker in a loop.
let updates = null;
function listenForUpdates() {
  updates = api.runtime.connect({ name: 'panel' });
  updates.onDisconnect.addListener(() => {
    updates = null;
    // The browser stopped the background while the core said a sync runs: ask again soon,
    // which wakes it (the sync resumes from its checkpoint) and reconnects.
    if (syncing) setTimeout(() => load({ quiet: true }), RESUME_ASK_MS);
  });
  updates.onMessage.addListener((msg) => {
    if (msg?.type === 'activityChanged') return loadActivity();
    const relevant = msg?.type === 'linksChanged' || msg?.type === 'syncFailed';
    // A profile page may be matched in any org, so every org's link changes concern it.
    if (relevant && (profileMode || msg.apiHost === apiHost)) load({ quiet: true });
  });
}

async function load({ quiet = false } = {}) {
  const url = decodeURIComponent(location.hash.slice(1));
  if (!url) return;
  if (!updates) listenForUpdates();
  const changed = url !== current;
  current = url;
  if (changed && !quiet) view.showLoading();
  const answer = await send({ type: 'getPanel', url });
  if (url !== current) return; // a newer record was asked for meanwhile
  profileMode = answer?.ok?.mode === 'profile';
  if (answer?.ok) {
    apiHost = profileMode ? null : answer.ok.apiHost;
    syncing = Boolean(answer.ok.syncing);
    if (profileMode) view.showProfile(answer.ok);
    else view.show(answer.ok);
    tellHost({ matched: answer.ok.matched }); // the core's badge decision
    // The page's activity comes in the same answer; getActivity only refreshes it.
    if (answer.ok.activity) view.showActivity(answer.ok.activity);
  } else {
    view.showError(answer ?? null); // the core words it
    tellHost({ matched: false });
  }
}

// Refuse to run anywhere but inside a page's frame (our content script creates it).
if (window.top === window) {
  document.body.replaceChildren();
} else {
  window.addEventListener('hashchange', () => load());
  document.getElementById('collapse').addEventListener('click', () => tellHost({ toggle: true }));
  document.getElementById('open-settings').addEventListener('click', () => api.runtime.openOptionsPage());
  load();
}
