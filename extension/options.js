// Options page: import profiles from a file (with progress and a summary) and type one in.
import { api } from './browser-api.js';
import { t, setUpPage } from './pages.js';
import { setUpWriteBack } from './options-write-back.js';

setUpPage('optionsTitle');

/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);

async function refreshCount() {
  $('profile-count').textContent = String(await api.runtime.sendMessage({ type: 'countProfiles' }));
}

function formatOf(file, text) {
  return /\.vcf$|\.vcard$/i.test(file.name) || /^\s*BEGIN:VCARD/i.test(text) ? 'vCard' : 'connectionsCsv';
}

/** @param {import('./pkg/crmsync.js').Skipped} skipped */
function skipText({ line, reason }) {
  return t('skipLine', [String(line), skipDetail(reason)]);
}

/** @param {import('./pkg/crmsync.js').SkipReason} reason */
function skipDetail(reason) {
  switch (reason.kind) {
    case 'noName': return t('skipNoName');
    case 'fieldCount': return t('skipFieldCount', [String(reason.expected), String(reason.found)]);
    case 'duplicate': return t('skipDuplicate', [String(reason.firstLine)]);
    default: return t('skipMalformed', [reason.detail]);
  }
}

function showSummary(summary) {
  const box = $('import-summary');
  box.replaceChildren();
  const line = document.createElement('p');
  line.textContent = t('importSummary', [String(summary.added), String(summary.updated), String(summary.unchanged), String(summary.skipped.length)]);
  box.append(line);
  if (summary.skipped.length) {
    const list = document.createElement('ul');
    list.className = 'skipped';
    for (const s of summary.skipped) {
      const item = document.createElement('li');
      item.textContent = skipText(s);
      list.append(item);
    }
    box.append(list);
  }
}

function showError(text) {
  const p = document.createElement('p');
  p.className = 'error';
  p.textContent = text;
  $('import-summary').replaceChildren(p);
}

$('import-file').addEventListener('change', async (/** @type {any} */ event) => {
  const file = event.target.files?.[0];
  if (!file) return;
  const text = await file.text();
  const progress = $('import-progress');
  progress.hidden = false;
  progress.value = 0;
  const port = api.runtime.connect({ name: 'import' });
  port.onMessage.addListener((msg) => {
    if (msg.progress) {
      progress.max = Math.max(1, msg.progress.total);
      progress.value = msg.progress.done;
    } else {
      port.disconnect();
      if (msg.summary) showSummary(msg.summary);
      else showError(t('importFailed', [msg.refused ?? '']));
      refreshCount();
    }
  });
  port.postMessage({ type: 'importProfiles', format: formatOf(file, text), text });
  event.target.value = '';
});

$('manual-form').addEventListener('submit', async (/** @type {any} */ event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  const person = Object.fromEntries(Object.entries(data).filter(([, v]) => String(v).trim() !== ''));
  const answer = await api.runtime.sendMessage({ type: 'addProfile', person: { id: '', ...person } });
  $('manual-status').textContent = answer?.error ? t('manualNeedsName') : t('manualSaved');
  if (!answer?.error) event.target.reset();
  refreshCount();
});

// Two steps instead of a modal dialog: the first press asks, the second (within 10 s) clears.
$('clear-crm').addEventListener('click', async (/** @type {any} */ event) => {
  const button = event.currentTarget;
  if (!button.dataset.armed) {
    button.dataset.armed = 'true';
    button.textContent = t('clearCrmConfirm');
    setTimeout(() => { delete button.dataset.armed; button.textContent = t('clearCrmData'); }, 10_000);
    return;
  }
  delete button.dataset.armed;
  button.textContent = t('clearCrmData');
  const answer = await api.runtime.sendMessage({ type: 'clearCrmData' });
  $('clear-status').textContent = answer?.ok ? t('clearCrmDone') : t('importFailed', [answer?.refused ?? '']);
});

refreshCount();
setUpWriteBack();
