// The Embedded Profile panel: an extension page inside an iframe on CRM record pages and on
// network profile pages. The panel is Rust (PanelView): it asks the background for its page,
// sends the user's requests and asks again as the core's answers say. This file carries the
// messages, the page URL (the frame's fragment) and the host page's state.
import init, { PanelView, __wbg_reset_state } from './pkg/crmsync_ui.js';
import { api } from './browser-api.js';
import { guardWasm, showNotice } from './wasm-guard.js';

await init();
const t = (key, substitutions) => api.i18n.getMessage(key, substitutions);
document.documentElement.lang = api.i18n.getUILanguage();
document.title = t('panelTitle');
for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-i18n]'))) el.textContent = t(el.dataset.i18n);

const pageUrl = () => decodeURIComponent(location.hash.slice(1));
/** A request as the core parses it; a background that cannot be reached gives no answer (null). */
/** @param {import('./pkg/crmsync_ui.js').Request} message */
const send = (message) => api.runtime.sendMessage(message).catch(() => null);
/** Tells the page's content script (only our own frame's parent) what the badge shows. */
const tellHost = (state) => window.parent.postMessage({ crmsync: 'panelState', ...state }, new URL(pageUrl()).origin);

const root = document.getElementById('panel');
const newView = () => new PanelView(root, document.getElementById('badges'), t, send, tellHost);
let view = newView();
// A trap in the panel's wasm: say so once, then a fresh module and view load the page again.
guardWasm({
  initial: Promise.resolve(view),
  reset: __wbg_reset_state,
  rebuild: () => {
    root.replaceChildren();
    view = newView();
    load();
    return view;
  },
  onTrap: () => showNotice(document, t('errorCoreRestarted')),
});

// The background tells open panels what changed (items, links, sync failures in any tab).
// When the browser stops an idle background the port closes: the view asks again if its last
// answer said so (which wakes the background), else the next load reconnects.
let updates = null;
function load() {
  if (!pageUrl()) return;
  if (!updates) {
    updates = api.runtime.connect({ name: 'panel' });
    updates.onDisconnect.addListener(() => { updates = null; view.backgroundStopped(); });
    updates.onMessage.addListener((msg) => view.heard(msg));
  }
  view.load(pageUrl(), false);
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
