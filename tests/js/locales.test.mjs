// Every UI string exists in all four languages, and every message the code asks for exists:
// no hard-coded or missing UI text, in JavaScript, HTML or the Rust UI.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const locales = ['en', 'fr', 'de', 'pt_BR'];
const messages = Object.fromEntries(await Promise.all(locales.map(async (l) =>
  [l, JSON.parse(await readFile(join(root, 'extension/_locales', l, 'messages.json'), 'utf8'))])));

async function files(dir, exts) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && exts.some((e) => entry.name.endsWith(e))) out.push(join(entry.parentPath ?? entry.path, entry.name));
  }
  return out;
}

/** Message names used in code: getMessage('x'), data-i18n="x", t("x") / t1("x", …), the core's key tables
 * (the activity model's keys all start with "activity") and the pages' models (msg!("x", …), key("x")). */
async function usedKeys() {
  const keys = new Set();
  const patterns = [/getMessage\('([A-Za-z_]+)'/g, /data-i18n="([A-Za-z_]+)"/g, /\bt1?\('([A-Za-z_]+)'/g,
    /\.t1?\("([A-Za-z_]+)"/g, /"((?:fact|level|error|activity)[A-Z][A-Za-z]*)"/g, /\bmsg!\("([A-Za-z_]+)"/g, /\bkey\("([A-Za-z_]+)"/g];
  const sources = [...await files(join(root, 'extension'), ['.js', '.html']), ...await files(join(root, 'src/ui'), ['.rs']),
    join(root, 'src/panel_model.rs'), ...await files(join(root, 'src/activity_model'), ['.rs']), ...await files(join(root, 'src/pages'), ['.rs'])];
  for (const file of sources) {
    const text = await readFile(file, 'utf8');
    for (const p of patterns) for (const m of text.matchAll(p)) keys.add(m[1]);
  }
  return keys;
}

describe('locales', () => {
  it('all languages have exactly the English message names', () => {
    const english = Object.keys(messages.en).sort();
    for (const l of locales) assert.deepEqual(Object.keys(messages[l]).sort(), english, l);
  });

  it('every message the code uses exists', async () => {
    const used = await usedKeys();
    // The scan sees all four ways code names messages (else this test would prove nothing).
    for (const known of ['badgeInCrm', 'importHeading', 'matchedOn', 'factEmail', 'activityStateParkedWhy', 'skipDuplicate', 'unresolvedHeading']) assert.ok(used.has(known), known);
    const missing = [...used].filter((k) => !messages.en[k]);
    assert.deepEqual(missing, []);
  });

  it('placeholders match across languages', () => {
    for (const [key, { message }] of Object.entries(messages.en)) {
      const wanted = (message.match(/\$\d/g) ?? []).sort().join();
      for (const l of locales) assert.equal((messages[l][key].message.match(/\$\d/g) ?? []).sort().join(), wanted, `${l}:${key}`);
    }
  });
});
