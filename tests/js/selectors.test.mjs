// Each selector of the core's table (src/page_dom.rs, as the build writes it for the content
// scripts: target/content/page-dom.js), and the two rules in extension/content/selectors.js
// that read them (the header the user sees, the record a list row shows), against the fixture
// pages that back them. Run after `cargo xtask build`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseHTML } from 'linkedom';

await import(resolve(import.meta.dirname, '../../target/content/page-dom.js'));
await import(resolve(import.meta.dirname, '../../extension/content/selectors.js'));
const { networkProfile, recordHeader, listRows } = globalThis.crmsyncPageDom;
const { visibleRecordHeader, rowRecord } = globalThis.crmsyncSelectors;
const fixture = async (name) =>
  parseHTML(await readFile(join(import.meta.dirname, '../fixtures/pages', name), 'utf8')).document;
const nameIn = (heading) => heading?.querySelector('[slot="primaryField"]')?.textContent ?? heading?.textContent;

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

describe('record header', () => {
  it('finds the name in records-highlights2 inside records-lwc-highlights-panel', async () => {
    const doc = await fixture('salesforce-record.html');
    assert.equal(nameIn(visibleRecordHeader(doc, 'salesforce')), 'Ada Lovelace');
  });

  it('finds the name in force-highlights2, two slots deep', async () => {
    const doc = await fixture('salesforce-record-force-highlights2.html');
    assert.equal(nameIn(visibleRecordHeader(doc, 'salesforce')), 'Acme Corporation');
  });

  it("picks the record on screen, not an earlier record's cached page that comes first", async () => {
    const doc = await fixture('salesforce-record-cached.html');
    assert.equal(nameIn(doc.querySelector(recordHeader.salesforce)), 'Grace Hopper', 'first match is the hidden one');
    assert.equal(nameIn(visibleRecordHeader(doc, 'salesforce')), 'Ada Lovelace');
  });

  it('picks the console workspace tab in front, though the tab behind keeps an active view', async () => {
    const doc = await fixture('salesforce-console.html');
    assert.equal(doc.querySelectorAll(recordHeader.salesforce).length, 2);
    assert.equal(nameIn(visibleRecordHeader(doc, 'salesforce')), 'Ada Lovelace');
  });

  it('finds the Unified Interface form header', async () => {
    const doc = await fixture('dynamics-record.html');
    assert.equal(visibleRecordHeader(doc, 'dynamics').textContent, 'Ada Lovelace');
  });

  it('finds nothing when every header is hidden', async () => {
    const doc = await fixture('salesforce-record.html');
    doc.querySelector('.oneContent').classList.remove('active');
    assert.equal(visibleRecordHeader(doc, 'salesforce'), null);
  });
});

describe('list rows', () => {
  const records = (doc, crm) => [...doc.querySelectorAll(listRows[crm].row)].map((row) => rowRecord(row, crm));

  it('Lightning: every data row, not the HEADER row nor a row without a key, its name cell for the badge', async () => {
    const doc = await fixture('salesforce-list.html');
    const found = records(doc, 'salesforce');
    assert.deepEqual(found.map((r) => r.id), ['0035g0000000001AAA', '0035g0000000002AAA']);
    for (const { cell } of found) {
      assert.equal(cell.getAttribute('scope'), 'row', 'the name cell, after the row number and checkbox');
      assert.match(cell.textContent, /Ada Lovelace|Grace Hopper/);
    }
  });

  it('Unified Interface: each AG Grid row once, its id from its record link as written, the badge beside the name', async () => {
    const doc = await fixture('dynamics-grid.html');
    assert.equal(doc.querySelectorAll('[role="row"][row-index]').length, 6, 'each row is rendered twice');
    const found = records(doc, 'dynamics');
    assert.deepEqual(found.map((r) => r.id), [
      '{00000002-0000-4000-8000-000000000001}',
      '{00000002-0000-4000-8000-00000000000A}',
      '00000002-0000-4000-8000-000000000003',
    ]);
    assert.deepEqual(found.map((r) => r.cell.getAttribute('col-id')), ['fullname', 'fullname', 'fullname']);
  });

  it('a row whose record link is no URL, or has no id, shows no record', async () => {
    for (const href of ['http://[/main.aspx?pagetype=entityrecord&id=1', '/main.aspx?pagetype=entityrecord&etn=contact']) {
      const { document } = parseHTML(`<div role="row" row-index="0"><div role="gridcell"><a href="${href}">x</a></div></div>`);
      assert.equal(rowRecord(document.querySelector('[role=row]'), 'dynamics'), null, href);
    }
  });
});
