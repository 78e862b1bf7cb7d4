// Test Write-Back (options page): a test Contact and one activity of every enabled kind, with
// "View in CRM" links, or the CRM's own reason when a rule rejects them; and removing them.
// What was made is remembered before anything else is written, so it can always be removed.
import { perform } from './fetch.js';
import { orgSession } from './org-setup.js';

const madeKey = (apiHost) => `testWriteBack:${apiHost}`;

async function remember(db, apiHost, made) {
  const key = madeKey(apiHost);
  const known = (await db.get('meta', key))?.value ?? [];
  await db.put('meta', { key, value: [...known, ...made] });
}

/** `bg` is the background core: the owner, notes style and batch run are the outbox's own. */
export async function testWriteBack(core, bg, db, apiHost) {
  const org = await orgSession(core, db, apiHost);
  if (org.error) return org;
  const { crm, session } = org.ok;
  const token = session?.token ?? null;
  const owner = await bg.ownerOf(crm, apiHost, session ?? null);
  if (owner.error) return owner;

  const contactId = crypto.randomUUID();
  const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const plan = core.testContactRequest(crm, apiHost, token, stamp, contactId);
  if (plan.error) return plan;
  const answer = await perform(plan.ok);
  const contact = core.readTestContact(crm, apiHost, answer.status, answer.body, answer.retryAfter, contactId);
  if (contact.error) return { ok: { contact, activities: [] } };
  await remember(db, apiHost, [contact.ok]);

  const kinds = core.syncedKinds(core.defaultOrgSettings());
  const items = core.testItems(kinds, kinds.map(() => crypto.randomUUID()), new Date().toISOString());
  const target = { recordType: 'contact', recordId: contact.ok.id, relatedId: null, ownerId: owner.ok };
  const entries = items.map((item) => ({ item, target, uncertain: false, progress: {} }));
  const notes = await bg.notesOf(crm, apiHost, session ?? null);
  if (notes.error) return notes;
  const batch = await bg.sendBatch(core.outboxBatch(crm, apiHost, token, entries, notes.ok));
  const activities = items.map((item) => {
    const outcome = batch.outcomes[item.id];
    const [made] = core.testMadeBy(crm, apiHost, item, outcome);
    return made ? { kind: item.kind, ok: made } : { kind: item.kind, error: outcome?.error ?? null };
  });
  await remember(db, apiHost, activities.filter((a) => a.ok).map((a) => a.ok));
  return { ok: { contact, activities } };
}

export async function removeTestRecords(core, db, apiHost) {
  const made = (await db.get('meta', madeKey(apiHost)))?.value ?? [];
  if (!made.length) return { ok: { removed: 0 } };
  const org = await orgSession(core, db, apiHost);
  if (org.error) return org;
  const { crm, session } = org.ok;
  const plan = core.testDeleteRequests(crm, apiHost, session?.token ?? null, made);
  if (plan.error) return plan;
  for (const request of plan.ok) {
    const answer = await perform(request);
    const read = core.readTestDelete(crm, answer.status, answer.body);
    if (read.error) return read;
  }
  await db.delete('meta', madeKey(apiHost));
  return { ok: { removed: made.length } };
}

/** The orgs a panel has been opened in (their session is found from there). */
export async function listOrgs(db) {
  const keys = (await db.getAllKeys('meta')).filter((k) => k.startsWith('org:'));
  const orgs = await Promise.all(keys.map(async (key) => ({ apiHost: key.slice(4), ...(await db.get('meta', key)).value })));
  return orgs.sort((a, b) => a.apiHost.localeCompare(b.apiHost));
}
