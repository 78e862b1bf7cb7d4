// The options page's Copy to CRM section: prepare a Salesforce org, run Test Write-Back and
// remove what it made. Results are built as text and links from ids the core turned into URLs.
import { t, send, el, kindLabel } from './pages.js';

/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);
const crmName = (crm) => t(crm === 'salesforce' ? 'crmSalesforce' : 'crmDynamics');
let orgs = [];

const selected = () => orgs.find((o) => o.apiHost === $('writeback-org').value);

function viewLink(url) {
  return url ? el('a', { href: url, target: '_blank', rel: 'noopener' }, t('viewInCrm')) : null;
}

/** What to say for a failure: the CRM's own words, then what to do. */
function failure(error, crm) {
  if (error?.kind === 'sessionExpired') return t('writeBackSignIn', [crmName(crm)]);
  if (error?.kind === 'rejected') return t('writeBackRejected', [error.message]);
  return t('writeBackFailed', [error?.message || error?.code || '']);
}

function show(...children) {
  $('writeback-result').replaceChildren(...children);
}

function showRun(answer, org) {
  if (answer?.error) return show(el('p', { className: 'error' }, failure(answer.error, org.crm)));
  const { contact, activities } = answer.ok;
  if (contact.error) return show(el('p', { className: 'error' }, t('writeBackContactRejected'), ' ', failure(contact.error, org.crm)));
  const rows = activities.map((a) => el('li', { 'data-kind': a.kind }, `${kindLabel(a.kind)}: `,
    a.ok ? t('writeBackWritten') : el('span', { className: 'error' }, failure(a.error, org.crm)),
    a.ok ? ' ' : null, a.ok ? viewLink(a.ok.url) : null));
  show(el('p', {}, t('writeBackContactMade'), ' ', viewLink(contact.ok.url)), el('ul', {}, ...rows));
}

async function run(button, message, onAnswer) {
  const org = selected();
  if (!org) return show(el('p', {}, t('writeBackNoOrg')));
  button.disabled = true;
  show(el('p', {}, t('writeBackWorking')));
  try {
    onAnswer(await send({ ...message, apiHost: org.apiHost }), org);
  } finally {
    button.disabled = false;
  }
}

export async function setUpWriteBack() {
  orgs = await send({ type: 'listOrgs' });
  $('writeback-org').replaceChildren(...orgs.map((o) => el('option', { value: o.apiHost }, `${o.apiHost} (${crmName(o.crm)})`)));
  const syncPrepare = () => { $('prepare-org').hidden = selected()?.crm !== 'salesforce'; };
  $('writeback-org').addEventListener('change', syncPrepare);
  syncPrepare();
  if (!orgs.length) show(el('p', {}, t('writeBackNoOrg')));
  $('prepare-org').addEventListener('click', (e) => run(e.target, { type: 'prepareOrg' }, (answer, org) => {
    show(el('p', answer?.ok ? {} : { className: 'error' }, answer?.ok ? t('prepareOrgDone') : failure(answer?.error, org.crm)));
  }));
  $('test-write-back').addEventListener('click', (e) => run(e.target, { type: 'testWriteBack' }, showRun));
  $('remove-test-records').addEventListener('click', (e) => run(e.target, { type: 'removeTestRecords' }, (answer, org) => {
    show(el('p', answer?.ok ? {} : { className: 'error' }, answer?.ok ? t('removeTestRecordsDone', [String(answer.ok.removed)]) : failure(answer?.error, org.crm)));
  }));
}
