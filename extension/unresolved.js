// Unresolved Activities: the UI is Rust (UnresolvedView). This file tells it when items may
// have changed: the background says so on the panel port, and the page may have been away.
import { UnresolvedView } from './pkg/crmsync_ui.js';
import { api } from './browser-api.js';
import { startPage, ask } from './pages.js';

// When an idle Chrome service worker stops, the port closes; the next listing reconnects.
let updates = null;
function listenForUpdates() {
  updates = api.runtime.connect({ name: 'panel' });
  updates.onDisconnect.addListener(() => { updates = null; });
  updates.onMessage.addListener((msg) => { if (msg?.type === 'activityChanged') currentView().changed(); });
}

async function listItems(message, view, ticket) {
  if (!updates) listenForUpdates();
  view.answer(ticket, await ask(message));
}

const currentView = await startPage(UnresolvedView, { listItems });
window.addEventListener('focus', () => currentView().changed());
