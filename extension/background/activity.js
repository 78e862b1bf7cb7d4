// Logging items in the panel. An item is stored before the panel hears "saved"; the Rust core
// decides whether it is copied to the CRM (queued), waits for a match (unresolved) or stays
// local, and the outbox takes it from there.
import { matchesOfRecord, syncedHosts } from './links.js';
import { wake, outboxState, resumeOrg } from './outbox.js';

const USER_KEY = 'userSync';

/** The org's settings (defaults until the admin issue feeds them from policy) and the user's. */
export async function writeSettings(core, db) {
  const org = core.defaultOrgSettings();
  const user = (await db.get('meta', USER_KEY))?.value ?? { enabled: true, lastChoice: {} };
  return { org, user };
}

async function profileSummary(db, profileId) {
  const profile = profileId && (await db.get('profiles', profileId));
  return profile ? { profileId, profileName: profile.person.name ?? profileId } : { profileId: profileId ?? null, profileName: null };
}

/** The CRM record (if any) a page's items are about, and the profile. */
export async function aboutOf(core, db, url) {
  const page = core.detectPage(url);
  if (page?.kind === 'record') {
    const [best] = await matchesOfRecord(db, page.apiHost, page.recordId);
    return { ...(await profileSummary(db, best?.profileId)), ...(await recordAbout(db, page.apiHost, page.recordId, page)) };
  }
  const profileId = core.profileKeyOfUrl(url);
  if (!profileId) return null;
  const about = await profileSummary(db, profileId);
  const match = await firstMatch(db, await syncedHosts(db), profileId);
  return match ? { ...about, ...(await recordAbout(db, match.apiHost, match.recordId)) } : about;
}

/** Where an item about this record goes: the org, the record, its Account for context. */
export async function recordAbout(db, apiHost, recordId, page = null) {
  const record = await db.get('records', [apiHost, recordId]);
  const org = (await db.get('meta', `org:${apiHost}`))?.value ?? {};
  return {
    crm: page?.crm ?? org.crm ?? (await db.get('meta', `lastSynced:${apiHost}`))?.crm ?? null,
    apiHost,
    pageHost: page?.pageHost ?? org.pageHost ?? null,
    recordType: page?.recordType ?? record?.recordType ?? null,
    recordId,
    recordName: record?.name ?? null,
    relatedId: record?.accountId && record.accountId !== recordId ? record.accountId : null,
  };
}

export async function logItem(core, db, msg) {
  const about = await aboutOf(core, db, msg.url);
  if (!about) return { error: 'notAPage' };
  const made = core.newItem(msg.item, crypto.randomUUID());
  if (made.problem) return { error: made.problem };
  const { org, user } = await writeSettings(core, db);
  const matched = Boolean(about.recordId);
  const decision = core.decideWrite(org, user, msg.item.kind, msg.copyToCrm, matched ? 'matched' : 'unresolved');
  const state = { write: 'queued', unresolved: 'unresolved' }[decision] ?? 'local';
  const item = {
    ...made.ok,
    createdAt: Date.now(),
    about,
    copy: msg.copyToCrm,
    state,
    reason: state === 'local' ? decision : null,
    attempts: 0,
    nextAttemptAt: 0,
    uncertain: false,
    progress: {},
    error: null,
    crmIds: [],
    writtenAt: null,
  };
  const tx = db.transaction(['items', 'meta'], 'readwrite');
  await tx.objectStore('items').add(item);
  // The user's choice becomes the next item's default for this kind.
  user.lastChoice = { ...user.lastChoice, [msg.item.kind]: msg.copyToCrm };
  await tx.objectStore('meta').put({ key: USER_KEY, value: user });
  await tx.done;
  if (state === 'queued') wake();
  return { ok: item };
}

/** A page's items (newest first), the toggles for new ones and what the outbox waits on. */
export async function getActivity(core, db, url) {
  const about = await aboutOf(core, db, url);
  if (!about) return { error: 'notAPage' };
  const entries = about.recordId
    ? await db.getAllFromIndex('items', 'byRecord', [about.apiHost, about.recordId])
    : await db.getAllFromIndex('items', 'byProfile', about.profileId ?? '');
  entries.sort((a, b) => b.createdAt - a.createdAt);
  const { org, user } = await writeSettings(core, db);
  const toggles = {};
  for (const kind of ['inMail', 'message', 'note', 'call', 'tag']) {
    const on = core.toggleDefault(org, user, kind);
    // Not offered: the core's decision for a wanted, matched item names the reason.
    toggles[kind] = on === null || on === undefined
      ? { offered: false, on: false, reason: core.decideWrite(org, user, kind, true, 'matched') }
      : { offered: true, on, reason: null };
  }
  return { ok: { about, entries, toggles, outbox: await outboxState(db, about.apiHost) } };
}

/**
 * Items waiting for a CRM match whose person now has one (a sync matched them, or the user
 * linked the profile in the panel) go to that record: queued, then written. Returns their ids.
 */
export async function resolveMatched(db) {
  const waiting = (await db.getAllFromIndex('items', 'byState', 'unresolved')).filter((i) => i.about.profileId);
  if (!waiting.length) return [];
  const hosts = await syncedHosts(db);
  const resolved = [];
  for (const item of waiting) {
    const match = await firstMatch(db, hosts, item.about.profileId);
    if (!match) continue;
    const about = { ...item.about, ...(await recordAbout(db, match.apiHost, match.recordId)) };
    resolved.push({ ...item, about, state: 'queued', attempts: 0, nextAttemptAt: 0, error: null });
  }
  const tx = db.transaction('items', 'readwrite');
  for (const item of resolved) {
    // Only if still unresolved: the user may have discarded or resolved it meanwhile.
    if ((await tx.store.get(item.id))?.state === 'unresolved') await tx.store.put(item);
  }
  await tx.done;
  if (resolved.length) wake();
  return resolved.map((i) => i.id);
}

/** The record a profile is confidently matched to (a "possible" match is not enough to
 *  write activities onto someone's record: those items wait for the user to pick). */
async function firstMatch(db, hosts, profileId) {
  for (const apiHost of hosts) {
    const match = await db.get('matches', [apiHost, profileId]);
    if (match?.recordId && match.level === 'match') return { apiHost, recordId: match.recordId };
  }
  return null;
}

/** Send a parked (or waiting) item again now. */
export async function retryItem(db, id) {
  const item = await db.get('items', id);
  if (!item || !['parked', 'queued'].includes(item.state)) return { error: 'notRetryable' };
  Object.assign(item, { state: 'queued', nextAttemptAt: 0, error: null });
  await db.put('items', item);
  await resumeOrg(db, item.about.apiHost);
  return { ok: item };
}
