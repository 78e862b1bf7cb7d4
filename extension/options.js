// Options page: the UI is Rust (OptionsView). This file reads the chosen file's text and
// carries imports over the `import` port, which reports progress before the summary.
import { OptionsView } from './pkg/crmsync_ui.js';
import { api } from './browser-api.js';
import { startPage, ask } from './pages.js';

function importOverPort(message, view) {
  const port = api.runtime.connect({ name: 'import' });
  port.onMessage.addListener((msg) => {
    if (view.importMessage(msg)) port.disconnect();
  });
  // The background went away before the summary (an event page or worker stopped).
  port.onDisconnect.addListener(() => view.importMessage({ refused: api.runtime.lastError?.message ?? 'disconnected' }));
  port.postMessage(message);
}

// The background says when the settings change (a browser policy update): the view asks
// for them again. A stopped worker closes the port; the next settings request reconnects.
let updates = null;
function listenForSettings(message, view, ticket) {
  if (!updates) {
    updates = api.runtime.connect({ name: 'panel' });
    updates.onDisconnect.addListener(() => { updates = null; });
    updates.onMessage.addListener((msg) => { if (msg?.type === 'settingsChanged') currentView().settingsChanged(); });
  }
  ask(message).then((answer) => view.answer(ticket, answer));
}

const currentView = await startPage(OptionsView, { importProfiles: importOverPort, getSettings: listenForSettings });

document.getElementById('import-file').addEventListener('change', async (event) => {
  const input = /** @type {HTMLInputElement} */ (event.target);
  const file = input.files?.[0];
  if (!file) return;
  const text = await file.text();
  input.value = '';
  currentView().fileRead(file.name, text);
});
