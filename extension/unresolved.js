// Unresolved Activities: items the CRM could not take yet. Unresolved ones (no matching record)
// are resolved against a synced record or discarded; parked ones (the CRM refused them) are
// retried or discarded. Either list exports as CSV.
import { api } from './browser-api.js';
import { t, send, setUpPage, el, timeEl, kindLabel, recordTypeLabel, download, today } from './pages.js';

setUpPage('unresolvedTitle');
const $ = (id) => document.getElementById(id);
const STATES = ['unresolved', 'parked'];
const say = (text) => { $('status').textContent = text; };
const failed = (answer) => say(t('actionFailed', [String(answer?.error ?? answer?.refused ?? '')]));

// The CRM record once known, else the network profile (as the CSV export does).
const whoOf = (item) => item.about?.recordName || item.about?.profileName || t('unknownPerson');
const subjectOf = (item) => item.subject || item.tags?.join(', ') || kindLabel(item.kind);
const errorOf = (item) => item.error?.message || item.error?.code || t('unknownError');

// A list is not redrawn under an open search or confirmation; it is once that closes.
let stale = false;
const trayOpen = () => [...document.querySelectorAll('.tray')].some((tray) => tray.childElementCount > 0);

async function refresh() {
  if (trayOpen()) {
    stale = true;
    return;
  }
  stale = false;
  if (!updates) listenForUpdates();
  await Promise.all(STATES.map(showState));
}

async function showState(state) {
  const items = await send({ type: 'listItems', state });
  const list = $(`${state}-list`);
  list.replaceChildren(...(Array.isArray(items) ? items : []).map((item) => itemView(item, state)));
  $(`${state}-empty`).hidden = list.childElementCount > 0;
}

function itemView(item, state) {
  const subjectId = `subject-${item.id}`;
  const tray = el('div', { className: 'tray' });
  const act = (key, open) => button(key, (e) => open(item, tray, e.currentTarget), { 'aria-describedby': subjectId });
  const actions = state === 'unresolved'
    ? [act('unresolvedResolve', openResolve), act('unresolvedDiscard', confirmDiscard)]
    : [act('unresolvedRetry', retry), act('unresolvedDiscard', confirmDiscard)];
  return el('li', { className: 'item' },
    el('p', { className: 'item-head' }, el('span', { className: 'kind' }, kindLabel(item.kind)), ' ',
      el('strong', { id: subjectId }, subjectOf(item))),
    el('p', { className: 'meta' }, t('itemAbout', [whoOf(item)]), ' · ',
      timeEl(item.occurredAt)),
    state === 'parked' ? el('p', { className: 'crm-error' }, t('crmSaid', [errorOf(item)])) : null,
    el('div', { className: 'actions' }, ...actions),
    tray);
}

function button(key, onClick, props = {}) {
  const b = el('button', { type: 'button', ...props }, t(key));
  b.addEventListener('click', onClick);
  return b;
}

function closeTray(tray, opener) {
  tray.replaceChildren();
  opener.focus();
  if (stale) refresh();
}

/** Opens a tray in the item: Escape or Cancel closes it and returns focus to its opener. */
function showTray(tray, opener, ...content) {
  tray.replaceChildren(...content, button('unresolvedCancel', () => closeTray(tray, opener)));
  tray.onkeydown = (e) => { if (e.key === 'Escape') closeTray(tray, opener); };
}

function openResolve(item, tray, opener) {
  const input = el('input', { type: 'search', autocomplete: 'off', className: 'record-query' });
  const count = el('p', { className: 'result-count', role: 'status', 'aria-live': 'polite' });
  const results = el('ul', { className: 'results' });
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => showResults(item, input, results, count), 150);
  });
  showTray(tray, opener, el('label', {}, el('span', {}, t('resolveSearchLabel')), input), count, results);
  input.focus();
  send({ type: 'searchRecords', query: '' }); // builds the record index while the user types
}

async function showResults(item, input, results, count) {
  const query = input.value;
  const found = query.trim() ? await send({ type: 'searchRecords', query }) : [];
  if (query !== input.value) return; // a newer search is on its way
  const records = Array.isArray(found) ? found : [];
  results.replaceChildren(...records.map((record) => el('li', {}, recordChoice(item, record))));
  count.textContent = query.trim() ? t('resolveFound', [String(records.length)]) : '';
}

function recordChoice(item, record) {
  const details = [recordTypeLabel(record.recordType), record.company, record.apiHost].filter(Boolean).join(' · ');
  const choice = el('button', { type: 'button', className: 'record-choice' },
    el('span', { className: 'record-name' }, record.name), ' ', el('span', { className: 'record-details' }, details));
  choice.addEventListener('click', () => resolve(item, record));
  return choice;
}

async function resolve(item, record) {
  const answer = await send({ type: 'resolveItem', id: item.id, apiHost: record.apiHost, recordType: record.recordType, recordId: record.id });
  if (!answer?.ok) return failed(answer);
  say(t('resolvedQueued', [record.name]));
  await redrawAndFocus('unresolved');
}

function confirmDiscard(item, tray, opener) {
  const questionId = `discard-question-${item.id}`;
  const question = el('p', { id: questionId }, t('discardQuestion', [subjectOf(item)]));
  const yes = button('discardConfirm', () => discard(item), { className: 'danger' });
  showTray(tray, opener, el('div', { role: 'group', 'aria-labelledby': questionId, className: 'confirm' }, question, yes));
  yes.focus();
}

async function discard(item) {
  const answer = await send({ type: 'discardItem', id: item.id });
  if (!answer?.ok) return failed(answer);
  say(t('discarded', [subjectOf(item)]));
  await redrawAndFocus(item.state);
}

async function retry(item) {
  const answer = await send({ type: 'retryItem', id: item.id });
  if (!answer?.ok) return failed(answer);
  say(t('retryQueued', [subjectOf(item)]));
  await redrawAndFocus('parked');
}

/** After an action the item leaves its list: redraw, and put focus on that list's heading. */
async function redrawAndFocus(state) {
  for (const tray of document.querySelectorAll('.tray')) tray.replaceChildren();
  await refresh();
  $(`${state}-heading`).focus();
}

async function exportState(state) {
  const answer = await send({ type: 'exportItems', state });
  if (typeof answer?.csv !== 'string') return failed(answer);
  download(answer.csv, `${state}-activities-${today()}.csv`);
  say(t('exportDone'));
}

// Items change state in the background (the outbox, other tabs): the panel port says so. When
// an idle Chrome service worker stops, the port closes; the next refresh reconnects.
let updates = null;
function listenForUpdates() {
  updates = api.runtime.connect({ name: 'panel' });
  updates.onDisconnect.addListener(() => { updates = null; });
  updates.onMessage.addListener((msg) => { if (msg?.type === 'activityChanged') refresh(); });
}

for (const state of STATES) $(`export-${state}`).addEventListener('click', () => exportState(state));
window.addEventListener('focus', () => refresh());
refresh();
