// The user's corrections in the panel: link, unlink, "not this person", link by pasted URL.
// link by pasted URL. Stored durably before the answer, then every open panel is told.
import { saveProfile } from './profiles.js';
import { overridesOf, rebuildMatches, relinkProfiles } from './links.js';
import { broadcast } from './panel.js';

export async function correctMatch(core, db, url, correction) {
  const page = core.detectPage(url);
  if (page?.kind !== 'record') return { error: 'notARecord' };
  const current = await overridesOf(db, page.apiHost);
  const next = core.applyCorrection({ links: current.links, rejections: current.rejections }, page.recordId, correction);
  await db.put('overrides', { apiHost: page.apiHost, ...next });
  await rebuildMatches(core, db, page.apiHost, { profileIds: [correction.profileId] });
  broadcast({ type: 'linksChanged', apiHost: page.apiHost });
  return { ok: true };
}

/** A pasted profile URL: the profile is created if unknown, then linked. */
export async function linkProfileUrl(core, db, url, profileUrl) {
  const profile = core.manualProfile({ id: '', profile_url: profileUrl });
  if (!profile?.person.id.startsWith('url:')) return { error: 'notAProfileUrl' };
  await saveProfile(core, db, profile);
  // A new profile must be matched in every org, not only linked here.
  await relinkProfiles(core, db, [profile.person.id], broadcast);
  return correctMatch(core, db, url, { type: 'link', profileId: profile.person.id });
}
