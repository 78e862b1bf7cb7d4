// Each selector in extension/content/selectors.js against the fixture page that backs it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseHTML } from 'linkedom';

await import(resolve(import.meta.dirname, '../../extension/content/selectors.js'));
const { networkProfile } = globalThis.crmsyncSelectors;
const fixture = async (name) =>
  parseHTML(await readFile(join(import.meta.dirname, '../fixtures/pages', name), 'utf8')).document;

describe('network profile selectors', () => {
  it('jsonLd finds the JSON-LD block with the Person', async () => {
    const doc = await fixture('network-profile-jsonld.html');
    const blocks = [...doc.querySelectorAll(networkProfile.jsonLd)];
    assert.equal(blocks.length, 1);
    assert.match(blocks[0].textContent, /"@type":"Person"/);
  });

  it('openGraph finds og: and profile: properties but not other meta tags', async () => {
    const doc = await fixture('network-profile-jsonld.html');
    const props = [...doc.querySelectorAll(networkProfile.openGraph)].map((m) => m.getAttribute('property'));
    assert.deepEqual(props, ['og:title', 'og:url', 'og:type', 'profile:first_name', 'profile:last_name']);
  });

  it('canonical finds the member URL', async () => {
    const doc = await fixture('network-profile-jsonld.html');
    assert.equal(doc.querySelector(networkProfile.canonical).getAttribute('href'), 'https://br.linkedin.com/in/joao-da-silva');
  });

  it('pages without JSON-LD still expose OpenGraph', async () => {
    const doc = await fixture('network-profile-opengraph.html');
    assert.equal(doc.querySelectorAll(networkProfile.jsonLd).length, 0);
    assert.equal(doc.querySelectorAll(networkProfile.openGraph).length, 2);
  });
});

describe('CRM page selectors', () => {
  const { recordHeader, listRows } = globalThis.crmsyncSelectors;

  it('recordHeader finds the record name in Lightning and Dynamics headers', async () => {
    const sf = await fixture('salesforce-record.html');
    assert.match(sf.querySelector(recordHeader.salesforce).textContent, /Ada Lovelace/);
    const dyn = await fixture('dynamics-record.html');
    assert.equal(dyn.querySelector(recordHeader.dynamics).textContent, 'Ada Lovelace');
  });

  it('listRows finds every row, its record id and a cell for the badge', async () => {
    for (const [crm, page] of [['salesforce', 'salesforce-list.html'], ['dynamics', 'dynamics-list.html']]) {
      const doc = await fixture(page);
      const { row, idAttribute, cell } = listRows[crm];
      const rows = [...doc.querySelectorAll(row)];
      assert.equal(rows.length, 2, crm);
      assert.match(rows[0].getAttribute(idAttribute), /^(0035g0000000001AAA|00000002-0000-4000-8000-000000000001)$/);
      assert.ok(rows[0].querySelector(cell), crm);
    }
  });
});
