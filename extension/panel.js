// The Embedded Profile panel: an extension page inside an iframe on CRM record pages. The UI
// is Rust (PanelView); this file only wires it to the page URL and the background.
import init, { PanelView } from './pkg/crmsync.js';
import { api } from './browser-api.js';

await init();
document.documentElement.lang = api.i18n.getUILanguage();
document.title = api.i18n.getMessage('panelTitle');
for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = api.i18n.getMessage(el.dataset.i18n);
document.getElementById('open-settings').addEventListener('click', () => api.runtime.openOptionsPage());
const view = new PanelView(document.getElementById('panel'), (key) => api.i18n.getMessage(key));

let current = null;

async function load() {
  const url = decodeURIComponent(location.hash.slice(1));
  if (!url || url === current) return;
  current = url;
  view.showLoading();
  const answer = await api.runtime.sendMessage({ type: 'getRecord', url });
  if (url !== current) return; // a newer record was asked for meanwhile
  if (answer?.ok) view.showRecord(answer.ok);
  else view.showError(answer?.error ?? { kind: 'unexpected', code: '', message: answer?.refused ?? '', status: 0, retryAfter: null });
}

window.addEventListener('hashchange', load);
load();
