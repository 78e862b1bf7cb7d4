// The Embedded Profile panel: an extension page inside an iframe on CRM record pages. The UI
// is Rust (PanelView); this file wires it to the page URL, the background and the host page.
import init, { PanelView } from './pkg/crmsync.js';
import { api } from './browser-api.js';

await init();
const t = (key, substitutions) => api.i18n.getMessage(key, substitutions);
document.documentElement.lang = api.i18n.getUILanguage();
document.title = t('panelTitle');
for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);

let current = null;
let apiHost = null;
const send = (message) => api.runtime.sendMessage(message);

/** Tells the page's content script (only our own frame's parent) what the badge shows. */
function tellHost(state) {
  const origin = new URL(current).origin;
  window.parent.postMessage({ crmsync: 'panelState', ...state }, origin);
}

async function onAction(action) {
  if (action.type === 'search') {
    view.showSearchResults(action.query.trim() ? await send({ type: 'searchProfiles', query: action.query }) : []);
  } else if (action.type === 'syncNow') {
    await send({ type: 'syncNow', url: current });
    load({ quiet: true });
  } else if (action.type === 'linkUrl') {
    await send({ type: 'linkProfileUrl', url: current, profileUrl: action.url });
  } else {
    await send({ type: 'correctMatch', url: current, correction: action });
  }
}

const view = new PanelView(document.getElementById('panel'), t, (action) => { onAction(action); });

// The background tells open panels when links change (sync, corrections in any tab). When an
// idle Chrome service worker stops, the port closes; the next load reconnects rather than
// waking the worker in a loop.
let updates = null;
function listenForUpdates() {
  updates = api.runtime.connect({ name: 'panel' });
  updates.onDisconnect.addListener(() => { updates = null; });
  updates.onMessage.addListener((msg) => {
    const relevant = msg?.type === 'linksChanged' || msg?.type === 'syncFailed';
    if (relevant && msg.apiHost === apiHost) load({ quiet: true });
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
  if (answer?.ok) {
    apiHost = answer.ok.apiHost;
    view.show(answer.ok);
    tellHost({ matched: Boolean(answer.ok.linked || answer.ok.people.length) });
  } else {
    view.showError(answer?.error ?? { kind: 'unexpected', code: '', message: answer?.refused ?? '', status: 0, retryAfter: null });
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
