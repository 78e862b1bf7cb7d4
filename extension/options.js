// Options page: the UI is Rust (OptionsView). This file reads the chosen file's text and
// carries imports over the `import` port, which reports progress before the summary.
import { OptionsView } from './pkg/crmsync_ui.js';
import { api } from './browser-api.js';
import { startPage } from './pages.js';

function importOverPort(message, view) {
  const port = api.runtime.connect({ name: 'import' });
  port.onMessage.addListener((msg) => {
    if (view.importMessage(msg)) port.disconnect();
  });
  // The background went away before the summary (an event page or worker stopped).
  port.onDisconnect.addListener(() => view.importMessage({ refused: api.runtime.lastError?.message ?? 'disconnected' }));
  port.postMessage(message);
}

const currentView = await startPage(OptionsView, { importProfiles: importOverPort });

document.getElementById('import-file').addEventListener('change', async (event) => {
  const input = /** @type {HTMLInputElement} */ (event.target);
  const file = input.files?.[0];
  if (!file) return;
  const text = await file.text();
  input.value = '';
  currentView().fileRead(file.name, text);
});
