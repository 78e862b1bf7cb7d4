// Audit log: everything crmsync wrote to a CRM, newest first, with a CSV export.
import { t, send, setUpPage, el, timeEl, kindLabel, recordTypeLabel, download, today } from './pages.js';

setUpPage('auditTitle');
const $ = (id) => document.getElementById(id);

function rowView(row) {
  const what = row.subject ? `${kindLabel(row.kind)}: ${row.subject}` : kindLabel(row.kind);
  const type = row.recordType ? recordTypeLabel(row.recordType) : '';
  return el('tr', {},
    el('td', {}, timeEl(row.writtenAt)),
    el('td', {}, what),
    el('td', {}, el('span', { className: 'record-name' }, row.recordName ?? ''), ' ',
      el('span', { className: 'record-details' }, [type, row.apiHost].filter(Boolean).join(' · '))),
    el('td', {}, (row.crmIds ?? []).join(', ')),
    el('td', {}, row.by ?? ''));
}

async function show() {
  const rows = await send({ type: 'listAudit' });
  const list = Array.isArray(rows) ? rows : [];
  $('audit-rows').replaceChildren(...list.map(rowView));
  $('audit-table').hidden = list.length === 0;
  $('audit-empty').hidden = list.length > 0;
}

$('export-audit').addEventListener('click', async () => {
  const answer = await send({ type: 'exportAudit' });
  if (typeof answer?.csv !== 'string') {
    $('status').textContent = t('actionFailed', [String(answer?.refused ?? '')]);
    return;
  }
  download(answer.csv, `crm-audit-${today()}.csv`);
  $('status').textContent = t('exportDone');
});

show();
