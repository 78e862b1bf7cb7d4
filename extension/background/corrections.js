// A profile URL pasted in the panel: the profile is created if unknown, matched in every org,
// then linked to the page's record (the link itself is the core's correctMatch).
import { saveProfile } from './profiles.js';

export async function linkProfileUrl(core, bg, db, msg, correct) {
  const profile = core.manualProfile({ id: '', profile_url: msg.profileUrl });
  if (!profile?.person.id.startsWith('url:')) return { error: 'notAProfileUrl' };
  await saveProfile(core, db, profile);
  await bg.relink([profile.person.id]);
  return correct({ type: 'correctMatch', url: msg.url, correction: { type: 'link', profileId: profile.person.id } });
}
