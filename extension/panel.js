// The Embedded Profile panel: an extension page inside an iframe on CRM record pages and on
// network profile pages. The UI is Rust (PanelView), and the core's answers say what to show
// and when to ask again; this file carries messages between them, the page URL and the host
// page.
import init, { PanelView, __wbg_reset_state } from './pkg/crmsync_ui.js';
import { api } from './browser-api.js';
import { guardWasm, showNotice } from './wasm-guard.js';

await init();
const t = (key, substitutions) => api.i18n.getMessage(key, substitutions);
document.documentElement.lang = api.i18n.getUILanguage();
document.title = t('panelTitle');
for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-i18n]'))) el.textContent = t(el.dataset.i18n);

let current = null;
/** A request as the core parses it; a background that cannot be reached gives no answer (null). */
/** @param {import('./pkg/crmsync_ui.js').Request} message */
const ask = (message) => api.runtime.sendMessage(message).catch(() => null);

/** Tells the page's content script (only our own frame's parent) what the badge shows. */
function tellHost(state) {
  window.parent.postMessage({ crmsync: 'panelState', ...state }, new URL(current).origin);
}

async function onAction(action) {
  if (action.type === 'search') {
    view.showSearchResults(action.query.trim() ? (await ask({ type: 'searchProfiles', query: action.query }))?.ok ?? [] : []);
  } else if (action.type === 'syncNow') {
    await ask({ type: 'syncNow', url: current });
    load({ quiet: true });
  } else if (action.type === 'linkUrl') {
    await ask({ type: 'linkProfileUrl', url: current, profileUrl: action.url });
  } else if (action.type === 'logItem') {
    showItem(current, await ask({ type: 'logItem', url: current, item: action.item, copyToCrm: action.copyToCrm }), (item) => view.activitySaved(item));
  } else if (action.type === 'retryItem') {
    showItem(current, await ask({ type: 'retryItem', id: action.id }), (item) => view.activityItem(item));
  } else {
    await ask({ type: 'correctMatch', url: current, correction: action });
  }
}

/** Shows an item answer for the page it was asked on: `shown(item)`, or why it failed. */
function showItem(url, answer, shown) {
  if (url !== current) return; // the user moved on; that page's form is gone
  if (answer?.ok) shown(answer.ok);
  else view.activityFailed(answer); // the core words it
}

/** The page's items; without an answer the panel simply shows no activity section. */
async function loadActivity(url = current) {
  const answer = await ask({ type: 'getActivity', url });
  if (url === current && answer?.ok) view.showActivity(answer.ok);
}

const root = document.getElementById('panel');
const newView = () => new PanelView(root, document.getElementById('badges'), t, (action) => { onAction(action); });
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

// The background tells open panels what changed (items, links, sync failures in any tab); the
// view says which concern it. When the browser stops an idle background the port closes; the
// last answer says whether and when to ask again (which wakes it), else the next load reconnects.
let updates = null;
function listenForUpdates() {
  updates = api.runtime.connect({ name: 'panel' });
  updates.onDisconnect.addListener(() => {
    updates = null;
    const after = view.askAgainAfterStop();
    if (after !== undefined) setTimeout(() => load({ quiet: true }), after);
  });
  updates.onMessage.addListener((msg) => {
    const again = view.heard(msg);
    if (again === 'panel') load({ quiet: true });
    if (again === 'activity') loadActivity();
  });
}

async function load({ quiet = false } = {}) {
  const url = decodeURIComponent(location.hash.slice(1));
  if (!url) return;
  if (!updates) listenForUpdates();
  const changed = url !== current;
  current = url;
  if (changed && !quiet) view.showLoading();
  const answer = await ask({ type: 'getPanel', url });
  if (url !== current) return; // a newer record was asked for meanwhile
  tellHost({ matched: view.showAnswer(answer) }); // the core's badge decision
}

// The header stays in sight when the panel is collapsed (its badges too); the page's content
// script sizes the frame and remembers the choice, which every tab's panel labels alike.
const collapse = document.getElementById('collapse');
const showCollapsed = (collapsed) => {
  collapse.textContent = t(collapsed ? 'expand' : 'collapse');
  collapse.setAttribute('aria-expanded', String(!collapsed));
};
// Refuse to run anywhere but inside a page's frame (our content script creates it).
if (window.top === window) {
  document.body.replaceChildren();
} else {
  window.addEventListener('hashchange', () => load());
  api.storage.local.get('panelCollapsed').then(({ panelCollapsed }) => showCollapsed(Boolean(panelCollapsed)));
  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.panelCollapsed) showCollapsed(Boolean(changes.panelCollapsed.newValue));
  });
  collapse.addEventListener('click', () => tellHost({ toggle: true }));
  document.getElementById('open-settings').addEventListener('click', () => api.runtime.openOptionsPage());
  load();
}
