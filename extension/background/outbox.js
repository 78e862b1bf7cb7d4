// The durable outbox: queued items live in IndexedDB (state 'queued') until the CRM has them.
// A flush groups due items by org, and the Rust core runs each batch: which request next,
// what each answer means. Retries wait with backoff (timers while the worker lives, an alarm
// when it sleeps); a spent allowance pauses the org; an expired session waits for sign-in.
import { api } from '../browser-api.js';
import { perform } from './fetch.js';
import { salesforceSession } from './session.js';

const ALARM = 'outbox';
const GATHER_MS = 250; // items logged in quick succession go in one batch
const REQUEST_TIMEOUT_MS = 30_000;
// How often an org waiting for sign-in is tried again (sign-in is also noticed at once when
// its session cookie changes or a panel loads).
const SIGN_IN_PROBE_MS = 60_000;

let env = null; // { core, store, onChange }
let timer = null;
let running = null;
let again = false;

/** Starts the outbox: `store()` opens the database, `onChange(ids)` hears of state changes. */
export function startOutbox(core, store, onChange) {
  env = { core, store, onChange };
  api.alarms?.onAlarm.addListener((alarm) => alarm.name === ALARM && wake());
  // A new Salesforce session cookie: the user signed in again.
  api.cookies?.onChanged.addListener(({ cookie, removed }) => {
    if (!removed && cookie.name === 'sid') wakeWaitingOrgs().catch(() => {});
  });
  wake();
}

/** Flush soon. Safe to call often: calls within a moment share one flush. */
export function wake(delay = GATHER_MS) {
  if (!env) return;
  clearTimeout(timer);
  timer = setTimeout(() => flush().catch((err) => console.error('outbox flush failed', err)), delay);
}

/** Runs one flush at a time; a wake during a flush runs another right after. */
export function flush() {
  if (running) {
    again = true;
    return running;
  }
  running = flushDue()
    .finally(() => {
      running = null;
      if (again) {
        again = false;
        wake(0);
      }
    });
  return running;
}

async function flushDue() {
  const db = await env.store();
  const now = Date.now();
  const queued = await db.getAllFromIndex('items', 'byState', 'queued');
  const byOrg = Map.groupBy(queued.filter((i) => i.nextAttemptAt <= now), (i) => i.about.apiHost);
  for (const [apiHost, items] of byOrg) {
    const org = await orgState(db, apiHost);
    if (org.pausedUntil > now) continue;
    if (org.needsSignIn && now - org.triedAt < SIGN_IN_PROBE_MS && !org.woken) continue;
    await flushOrg(db, apiHost, items);
  }
  await schedule(db);
}

/** The org's outbox state: paused after a spent allowance, or waiting for sign-in. */
async function orgState(db, apiHost) {
  return (await db.get('meta', `outbox:${apiHost}`))?.value ?? { pausedUntil: 0, needsSignIn: false, triedAt: 0, lastError: null };
}

async function setOrgState(db, apiHost, value) {
  await db.put('meta', { key: `outbox:${apiHost}`, value });
}

/** What the panel shows about an org's outbox. */
export async function outboxState(db, apiHost) {
  const queued = await db.countFromIndex('items', 'byState', 'queued');
  if (!apiHost) return { waiting: queued, needsSignIn: false, pausedUntil: 0, lastError: null };
  const org = await orgState(db, apiHost);
  return { waiting: queued, needsSignIn: org.needsSignIn, pausedUntil: org.pausedUntil, lastError: org.lastError };
}

/** A page-less view of the org, enough to find its session. */
async function sessionOf(db, item) {
  const { crm, apiHost, pageHost } = item.about;
  if (crm !== 'salesforce') return null;
  const host = pageHost ?? (await db.get('meta', `org:${apiHost}`))?.value?.pageHost;
  return host ? salesforceSession(env.core, { crm, apiHost, pageHost: host }) : null;
}

/** The seat holder's CRM user id (cached per org): activities are theirs. */
export async function ownerOf(core, db, crm, apiHost, session) {
  const key = `owner:${apiHost}`;
  const known = (await db.get('meta', key))?.value;
  if (known) return { ok: known };
  const plan = core.ownerRequest(crm, apiHost, session);
  if (plan.error) return plan;
  const answer = await perform(plan.ok, { timeoutMs: REQUEST_TIMEOUT_MS });
  const owner = core.readOwner(crm, answer.status, answer.body, answer.retryAfter);
  if (owner.ok) await db.put('meta', { key, value: owner.ok });
  return owner;
}

/** How a Salesforce org keeps notes (Lightning or classic), asked once and remembered. */
export async function notesOf(core, db, crm, apiHost, session) {
  if (crm !== 'salesforce') return { ok: 'content' };
  const key = `notes:${apiHost}`;
  const known = (await db.get('meta', key))?.value;
  if (known) return { ok: known };
  if (!session) return { error: { kind: 'sessionExpired', code: 'NO_SESSION', message: '', status: 401, retryAfter: null } };
  const answer = await perform(core.notesRequest(session), { timeoutMs: REQUEST_TIMEOUT_MS });
  const notes = core.readNotes(answer.status, answer.body);
  if (notes.ok) await db.put('meta', { key, value: notes.ok });
  return notes;
}

async function flushOrg(db, apiHost, items) {
  const { crm } = items[0].about;
  const session = await sessionOf(db, items[0]);
  const owner = await ownerOf(env.core, db, crm, apiHost, session);
  if (owner.error) return settleAll(db, apiHost, items, owner.error);
  const notes = items.some((i) => i.kind === 'note') ? await notesOf(env.core, db, crm, apiHost, session) : { ok: null };
  if (notes.error) return settleAll(db, apiHost, items, notes.error);
  const size = env.core.outboxBatchSize();
  for (let i = 0; i < items.length; i += size) {
    const chunk = items.slice(i, i + size);
    const entries = chunk.map((item) => entryOf(item, owner.ok));
    const batch = await runBatch(db, env.core.outboxBatch(crm, apiHost, session?.token ?? null, entries, notes.ok));
    const stop = await settle(db, apiHost, chunk, batch);
    if (stop) break;
  }
}

function entryOf(item, ownerId) {
  const { id, kind, subject, body, occurredAt, call, tags, about } = item;
  return {
    item: { id, kind, subject, body, occurredAt, call, tags },
    target: { recordType: about.recordType, recordId: about.recordId, relatedId: about.relatedId ?? null, ownerId },
    uncertain: item.uncertain,
    progress: item.progress ?? {},
  };
}

/** Sends the batch's requests in turn. Items a request may write are marked uncertain first,
 *  so if the worker stops before the answer, the next flush looks before writing again. */
function runBatch(db, batch) {
  return sendBatch(env.core, batch, (ids) => markUncertain(db, ids));
}

/** Runs a batch to its end; `beforeWrite(ids)` runs before each request that may write. */
/** @param {(ids: string[]) => Promise<void>} [beforeWrite] */
export async function sendBatch(core, batch, beforeWrite = async (_ids) => {}) {
  for (;;) {
    const next = core.outboxNext(batch);
    if (!next.request) return next.batch;
    if (next.writing.length) await beforeWrite(next.writing);
    const answer = await perform(next.request, { timeoutMs: REQUEST_TIMEOUT_MS });
    batch = core.outboxRead(next.batch, answer.status, answer.body, answer.retryAfter ?? null);
  }
}

async function markUncertain(db, ids) {
  const tx = db.transaction('items', 'readwrite');
  for (const id of ids) {
    const item = await tx.store.get(id);
    if (item && !item.uncertain) await tx.store.put({ ...item, uncertain: true });
  }
  await tx.done;
}

/** Stores what the batch ended with, item by item, with audit rows for what was written.
 *  Returns true when the org cannot take more now (sign in, pause). */
async function settle(db, apiHost, chunk, batch) {
  const entries = new Map(batch.entries.map((e) => [e.item.id, e]));
  const now = Date.now();
  let orgProblem = null;
  const tx = db.transaction(['items', 'audit'], 'readwrite');
  for (const stale of chunk) {
    const item = await tx.objectStore('items').get(stale.id);
    if (!item || item.state !== 'queued') continue; // discarded or re-targeted meanwhile
    const entry = entries.get(item.id);
    item.uncertain = entry?.uncertain ?? item.uncertain;
    item.ownerId = entry?.target.ownerId ?? item.ownerId ?? null;
    item.progress = entry?.progress ?? item.progress;
    const outcome = batch.outcomes[item.id];
    applyOutcome(item, outcome, now);
    if (outcome?.status === 'signIn' || outcome?.status === 'pause') orgProblem = outcome;
    await tx.objectStore('items').put(item);
    if (item.state === 'written') await tx.objectStore('audit').add(auditRow(item));
  }
  await tx.done;
  const org = await orgState(db, apiHost);
  await setOrgState(db, apiHost, {
    pausedUntil: orgProblem?.status === 'pause' ? now + orgProblem.seconds * 1000 : 0,
    needsSignIn: orgProblem?.status === 'signIn',
    triedAt: now,
    woken: false,
    lastError: orgProblem?.error ?? (org.needsSignIn || org.pausedUntil ? null : org.lastError),
  });
  env.onChange(chunk.map((i) => i.id));
  return Boolean(orgProblem);
}

function applyOutcome(item, outcome, now) {
  switch (outcome?.status) {
    case 'written':
      Object.assign(item, { state: 'written', crmIds: outcome.crmIds, writtenAt: now, error: null, uncertain: false });
      break;
    case 'park':
      Object.assign(item, { state: 'parked', error: outcome.error });
      break;
    case 'retry': {
      const delay = env.core.retryDelayMs(item.attempts, outcome.error.retryAfter ?? undefined, Math.random());
      Object.assign(item, { attempts: item.attempts + 1, nextAttemptAt: now + delay, error: outcome.error });
      break;
    }
    case 'signIn':
    case 'pause':
      item.error = outcome.error; // stays queued; the org's state holds it back
      break;
    default: // no outcome (should not happen): try again later rather than lose it
      Object.assign(item, { attempts: item.attempts + 1, nextAttemptAt: now + env.core.retryDelayMs(item.attempts, undefined, Math.random()) });
  }
}

function auditRow(item) {
  const { about } = item;
  return {
    itemId: item.id,
    kind: item.kind,
    subject: item.subject,
    crm: about.crm,
    apiHost: about.apiHost,
    recordType: about.recordType,
    recordId: about.recordId,
    recordName: about.recordName,
    crmIds: item.crmIds,
    writtenAt: item.writtenAt,
    by: item.ownerId ?? null,
  };
}

/** A whole org failed before any batch (no owner): every item takes that outcome. */
async function settleAll(db, apiHost, items, error) {
  const outcome = env.core.outboxOutcome(error);
  const outcomes = Object.fromEntries(items.map((i) => [i.id, outcome]));
  await settle(db, apiHost, items, { entries: [], outcomes });
}

/** Wakes at the next due retry: a timer while the worker lives, an alarm if it sleeps. */
async function schedule(db) {
  const queued = await db.getAllFromIndex('items', 'byState', 'queued');
  if (!queued.length) {
    await api.alarms?.clear(ALARM);
    return;
  }
  const now = Date.now();
  const due = Math.max(now, Math.min(...queued.map((i) => i.nextAttemptAt)));
  const probe = now + SIGN_IN_PROBE_MS;
  const next = Math.min(due, probe);
  wake(Math.max(GATHER_MS, next - now));
  // Chrome fires alarms at most every 30 s; the timer covers sooner retries.
  api.alarms?.create(ALARM, { when: Math.max(next, now + 30_000) });
}

/** A panel loaded a page of this org (so its session works): retry an org waiting on sign-in. */
export async function sessionSeen(db, apiHost) {
  const org = await orgState(db, apiHost);
  if (!org.needsSignIn) return;
  await setOrgState(db, apiHost, { ...org, woken: true });
  wake(0);
}

/** The user asked to retry: an org paused or waiting for sign-in is tried once now. */
export async function resumeOrg(db, apiHost) {
  const org = await orgState(db, apiHost);
  await setOrgState(db, apiHost, { ...org, pausedUntil: 0, woken: true });
  wake(0);
}

async function wakeWaitingOrgs() {
  const db = await env.store();
  const keys = (await db.getAllKeys('meta')).filter((k) => k.startsWith('outbox:'));
  for (const key of keys) await sessionSeen(db, key.slice('outbox:'.length));
}
