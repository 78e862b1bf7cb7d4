// The CRM content script's list badges (extension/content/crm-page.js) on the fixture pages,
// without a browser: the background's answers are stubbed, the rest is the real scripts. A
// badge beside each matched record's name, once, and right again after a re-render or a grid
// reusing a row's element for another record.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHTML } from 'linkedom';

const content = (file) => pathToFileURL(resolve(import.meta.dirname, '../../extension/content', file)).href;
const settle = () => new Promise((r) => setTimeout(r, 0));
let loads = 0;

/** The fixture `name` as a list page of `crm` on which the records whose ids `isMatched` have a profile. */
async function listPage(name, crm, isMatched) {
  const html = await readFile(join(import.meta.dirname, '../fixtures/pages', name), 'utf8');
  const { document, MutationObserver } = parseHTML(html);
  const asked = [];
  Object.assign(globalThis, {
    document,
    MutationObserver,
    window: new EventTarget(),
    location: { href: crm === 'salesforce' ? 'https://acme.lightning.force.com/lightning/o/Contact/list' : 'https://acme.crm.dynamics.com/main.aspx?pagetype=entitylist&etn=contact' },
    chrome: {
      i18n: { getMessage: () => 'Profile linked' },
      runtime: {
        async sendMessage(message) {
          if (message.detectPage) return { ok: { kind: 'list', crm } };
          const { ids } = message.matchedRecords;
          asked.push(...ids);
          return { ok: ids.filter(isMatched) };
        },
      },
    },
    crmsyncBadge: {
      create(kind) {
        const badge = document.createElement('span');
        badge.setAttribute('data-crmsync', kind);
        return badge;
      },
    },
    crmsyncPanelFrame: { create: () => ({ ready: Promise.resolve(), show() {}, hide() {}, expand() {} }) },
  });
  const n = loads++;
  await import(`${pathToFileURL(resolve(import.meta.dirname, '../../target/content/page-dom.js')).href}?${n}`);
  await import(`${content('selectors.js')}?${n}`);
  await import(`${content('page-lifecycle.js')}?${n}`);
  await import(`${content('crm-page.js')}?${n}`);
  for (let i = 0; i < 5; i += 1) await settle();
  return { document, asked };
}

const badgesIn = (document) => [...document.querySelectorAll('[data-crmsync="row-badge"]')];
const badgedNames = (document) => badgesIn(document).map((b) => b.parentNode.textContent.trim());

describe('list badges', () => {
  it('Lightning: beside the name cell of matched rows, never on the HEADER row', async () => {
    const { document, asked } = await listPage('salesforce-list.html', 'salesforce', (id) => id === '0035g0000000002AAA');
    assert.deepEqual(asked, ['0035g0000000001AAA', '0035g0000000002AAA']);
    assert.deepEqual(badgedNames(document), ['Grace Hopper']);
    assert.equal(badgesIn(document)[0].parentNode.localName, 'th');
  });

  it('Lightning: a row rendered again gets its badge back, once', async () => {
    const { document } = await listPage('salesforce-list.html', 'salesforce', (id) => id === '0035g0000000002AAA');
    const row = document.querySelector('tr[data-row-key-value="0035g0000000002AAA"]');
    const fresh = row.cloneNode(true);
    fresh.querySelector('[data-crmsync]').remove();
    row.replaceWith(fresh);
    await settle();
    assert.deepEqual(badgedNames(document), ['Grace Hopper']);
  });

  it('Unified Interface: one badge a matched record, beside its name, whatever the spelling of its GUID', async () => {
    const matched = (id) => /00000000000a|000000000001/i.test(id);
    const { document, asked } = await listPage('dynamics-grid.html', 'dynamics', matched);
    assert.equal(asked.length, 3, 'each row once: the pinned-left copies are not rows');
    assert.deepEqual(badgedNames(document), ['Ada Lovelace', 'Grace Hopper']);
    for (const badge of badgesIn(document)) assert.equal(badge.parentNode.getAttribute('col-id'), 'fullname');
  });

  it('Unified Interface: a row element reused for another record shows that record\'s badge, not the old one', async () => {
    const { document } = await listPage('dynamics-grid.html', 'dynamics', (id) => /000000000001/.test(id));
    assert.deepEqual(badgedNames(document), ['Ada Lovelace']);
    // The grid scrolls: Ada's row element now shows Alan Turing (not matched), Alan's shows Ada.
    const [adaRow, , alanRow] = document.querySelectorAll('.ag-center-cols-container [role=row]');
    const adaLink = adaRow.querySelector('a');
    const alanLink = alanRow.querySelector('a');
    const [adaHref, alanHref] = [adaLink.getAttribute('href'), alanLink.getAttribute('href')];
    adaLink.setAttribute('href', alanHref);
    adaLink.firstChild.data = 'Alan Turing';
    alanLink.setAttribute('href', adaHref);
    alanLink.firstChild.data = 'Ada Lovelace';
    await settle();
    await settle();
    assert.deepEqual(badgedNames(document), ['Ada Lovelace']);
    assert.equal(badgesIn(document)[0].closest('[role=row]'), alanRow);
  });
});
