// The Embedded Profile panel, an extension page in a frame on record and profile pages. Its UI
// is Rust (PanelView); this file carries its messages, its page URL (the fragment) and state.
import init, { PanelView } from './pkg/crmsync_ui.js';
import { api } from './browser-api.js';
import { ask, guardPage, listen, t } from './pages.js';

await init();
document.documentElement.lang = api.i18n.getUILanguage();
document.title = t('panelTitle');
for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-i18n]'))) el.textContent = t(el.dataset.i18n);

const pageUrl = () => decodeURIComponent(location.hash.slice(1));
/** Tells the page's content script (only our own frame's parent) what the badge shows. */
const tellHost = (state) => window.parent.postMessage({ crmsync: 'panelState', ...state }, new URL(pageUrl()).origin);

const root = document.getElementById('panel');
const newView = () => new PanelView(root, document.getElementById('badges'), t, ask, tellHost);
let view = newView();
// After a trap, a fresh module and view load the page again.
guardPage(view, () => {
  root.replaceChildren();
  view = newView();
  load();
  return view;
});

// When the background's port closes (an idle background stopped), the view asks again if its
// last answer said so (which wakes it), else the next load reconnects.
const connect = listen((msg) => view.heard(msg), () => view.backgroundStopped());
function load() {
  if (!pageUrl()) return;
  connect();
  view.load(pageUrl(), false);
}

// Collapsed, the header stays in sight; the content script sizes the frame and keeps the choice.
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
