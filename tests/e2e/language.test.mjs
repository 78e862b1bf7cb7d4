// The UI follows the browser's language (Chromium with French and German; Firefox here ships
// only its English UI, so its language cannot be switched without a language pack).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control } from './harness.mjs';
import { records, signInSalesforce, lightningRecordPath, panelFrame } from './crm.mjs';

for (const [locale, expected] of [['fr-FR', ['Profil intégré', 'Lier un profil', 'Pas encore synchronisé|Synchronisation|Dernière synchronisation']], ['de-DE', ['Eingebettetes Profil', 'Profil verknüpfen', 'synchronisiert|Synchronisierung']]]) {
  describe(`panel in ${locale}`, () => {
    it('shows every panel string in the browser language', async () => {
      await control('reset?seed=demo', { method: 'POST' });
      const session = await launch('chromium', { locale });
      try {
        const page = await session.browser.newPage();
        const [ada] = await records('salesforce', 'Contact');
        await signInSalesforce(page, lightningRecordPath('Contact', ada.id));
        const frame = await panelFrame(page);
        // Wait past the loading state: the correction section is there once the record is shown.
        await frame.waitForFunction((t) => document.body.innerText.includes(t), { timeout: 15_000 }, expected[1]);
        const text = await frame.evaluate(() => document.body.innerText);
        for (const pattern of expected) assert.match(text, new RegExp(pattern));
        assert.doesNotMatch(text, /Embedded Profile|Link a profile/);
      } finally {
        await session.close();
      }
    });
  });
}
