// What the extension's own pages share. Their UI is Rust (OptionsView, UnresolvedView,
// AuditView): this file gives a view the translations and the UI language, sends the
// messages it asks for to the background and hands the answers back, and saves the files it
// exports (a Blob URL download is JavaScript's to do).
import init, { __wbg_reset_state } from './pkg/crmsync_ui.js';
import { api } from './browser-api.js';
import { guardWasm, showNotice } from './wasm-guard.js';

const t = (key, substitutions) => api.i18n.getMessage(key, substitutions);

/** A background answer; a background that cannot be reached gives none (null). */
const ask = (message) => api.runtime.sendMessage(message).catch(() => null);

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

/**
 * Builds the page's view in <main> and starts it; returns a function that gives the view
 * now shown. `carriers` may take over a message type (`(message, view, ticket) => …`) that
 * needs more than a sendMessage, such as the import port. The background's events (on the
 * panel port) go to the view, which decides what it asks again; a stopped worker closes the
 * port, and the next request reconnects. If the UI's wasm traps, the page says so once and is
 * built again on a fresh module (what is stored is the background's).
 */
export async function startPage(View, carriers = {}) {
  await init();
  const main = document.querySelector('main');
  let view;
  let updates = null;
  const onAction = async ({ send, download: file }) => {
    if (file) return download(file);
    if (!updates) {
      updates = api.runtime.connect({ name: 'panel' });
      updates.onDisconnect.addListener(() => { updates = null; });
      updates.onMessage.addListener((msg) => view.heard(msg));
    }
    const { message, ticket } = send;
    if (carriers[message.type]) return carriers[message.type](message, view, ticket);
    view.answer(ticket, await ask(message));
  };
  const build = () => {
    main.replaceChildren();
    view = new View(main, t, api.i18n.getUILanguage(), (action) => { onAction(action); });
    view.start();
    return view;
  };
  guardWasm({
    initial: Promise.resolve(build()),
    reset: __wbg_reset_state,
    rebuild: build,
    onTrap: () => showNotice(document, t('errorCoreRestarted')),
  });
  return () => view;
}
