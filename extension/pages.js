// What the extension's own pages share, the panel too. Their UI is Rust (OptionsView,
// UnresolvedView, AuditView, PanelView): this file carries the view's messages, translations
// and the background's events, rebuilds the view after a trap, and saves exported files.
import init, { __wbg_reset_state } from './pkg/crmsync_ui.js';
import { api } from './browser-api.js';
import { guardWasm } from './wasm-guard.js';

export const t = (key, substitutions) => api.i18n.getMessage(key, substitutions);

/** A background answer; a background that cannot be reached gives none (null). */
/** @param {import('./pkg/crmsync_ui.js').Request} message */
export const ask = (message) => api.runtime.sendMessage(message).catch(() => null);

/**
 * The background's events for open pages (items, links, sync failures in any tab), on the
 * panel port: the returned function connects it if it is not. When the browser stops an idle
 * background the port closes (`onStop`); the next call connects again.
 */
export function listen(onEvent, onStop = () => {}) {
  let port = null;
  return () => {
    if (port) return;
    port = api.runtime.connect({ name: 'panel' });
    port.onDisconnect.addListener(() => { port = null; onStop(); });
    port.onMessage.addListener(onEvent);
  };
}

/** Shows `text` once at the top of the page, as text (a `role=status` line). */
function showNotice(text) {
  let notice = /** @type {HTMLElement | null} */ (document.querySelector('[data-crmsync-notice]'));
  if (!notice) {
    notice = document.createElement('p');
    notice.setAttribute('role', 'status');
    notice.dataset.crmsyncNotice = '';
    document.body.prepend(notice);
  }
  notice.textContent = text;
}

/** A trap in the page's wasm: the page says so once, then `rebuild` makes its view on a fresh module. */
export const guardPage = (view, rebuild) => guardWasm({
  initial: Promise.resolve(view),
  reset: __wbg_reset_state,
  rebuild,
  onTrap: () => showNotice(t('errorCoreRestarted')),
});

/** Saves `text` as a file through a Blob URL (the page never builds markup from it). */
function download({ filename, text }) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  // The click starts the download synchronously; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A message's kind: its one key (`{importProfiles: {…}}`), or its name when it carries
 *  nothing (`'countProfiles'`). */
const kindOf = (message) => (typeof message === 'string' ? message : Object.keys(message)[0]);

/**
 * Builds the page's view in <main> and starts it; returns a function that gives the view
 * now shown. `carriers` may take over a message kind (`(message, view, ticket) => …`) that
 * needs more than a sendMessage, such as the import port. The background's events go to the
 * view, which decides what it asks again; after a trap the view is built again (what is
 * stored is the background's).
 */
export async function startPage(View, carriers = {}) {
  await init();
  const main = document.querySelector('main');
  let view;
  const connect = listen((msg) => view.heard(msg));
  const onAction = async ({ send, download: file }) => {
    if (file) return download(file);
    connect();
    const { message, ticket } = send;
    const carrier = carriers[kindOf(message)];
    if (carrier) return carrier(message, view, ticket);
    view.answer(ticket, await ask(message));
  };
  const build = () => {
    main.replaceChildren();
    view = new View(main, t, api.i18n.getUILanguage(), (action) => { onAction(action); });
    view.start();
    return view;
  };
  guardPage(build(), build);
  return () => view;
}
