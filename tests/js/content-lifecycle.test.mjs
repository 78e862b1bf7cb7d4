// The content scripts' shared page lifecycle (extension/content/page-lifecycle.js) on a DOM
// without a browser, and the conventions every content script keeps: events and observers,
// never polling; text only; styles only through constructable stylesheets; each global a
// script reads is defined by a script the manifest loads before it.
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHTML } from 'linkedom';

const root = resolve(import.meta.dirname, '../..');
const contentDir = join(root, 'extension/content');
const lifecycleUrl = pathToFileURL(join(contentDir, 'page-lifecycle.js')).href;
const settle = () => new Promise((r) => setTimeout(r, 0));

let loads = 0;
/** A fresh page (document, window, location, navigation) and a fresh lifecycle on it. */
async function page(html = '<html><head><title>A</title></head><body><main><h1>Ada</h1></main></body></html>') {
  const { document, MutationObserver } = parseHTML(html);
  Object.assign(globalThis, {
    document,
    MutationObserver,
    window: new EventTarget(),
    location: { href: 'https://acme.lightning.force.com/lightning/r/Contact/1/view' },
    navigation: Object.assign(new EventTarget(), { currentEntry: { key: 'first' } }),
  });
  await import(`${lifecycleUrl}?page=${loads++}`);
  return { document, lifecycle: globalThis.crmsyncLifecycle };
}

describe('page lifecycle', () => {
  let document;
  let lifecycle;
  let urls;
  beforeEach(async () => {
    ({ document, lifecycle } = await page());
    urls = [];
    lifecycle.onUrl((url) => urls.push(url));
  });

  it('tells URL listeners once per new URL that a re-render brings, not for re-renders alone', async () => {
    document.querySelector('main').append(document.createElement('p'));
    await settle();
    assert.deepEqual(urls, []);
    location.href = 'https://acme.lightning.force.com/lightning/r/Contact/2/view';
    document.querySelector('main').replaceWith(document.createElement('main'));
    document.title = 'B';
    await settle();
    assert.deepEqual(urls, ['https://acme.lightning.force.com/lightning/r/Contact/2/view']);
  });

  it('hears popstate, hashchange and the Navigation API without any DOM change', async () => {
    for (const [target, type] of [[window, 'popstate'], [window, 'hashchange'], [navigation, 'currententrychange']]) {
      location.href = `https://acme.crm.dynamics.com/main.aspx#${type}`;
      target.dispatchEvent(new Event(type));
      await settle();
    }
    assert.deepEqual(urls, ['popstate', 'hashchange', 'currententrychange'].map((t) => `https://acme.crm.dynamics.com/main.aspx#${t}`));
  });

  it('tells navigation listeners of a new history entry, not of a URL rewritten in place', async () => {
    // The Navigation API's entries: a push or traversal is another entry (another key), a
    // replaceState keeps the entry's key.
    const navigations = [];
    lifecycle.onNavigation((url) => navigations.push(url));
    location.href = 'https://www.linkedin.com/in/bob';
    navigation.dispatchEvent(new Event('currententrychange'));
    await settle();
    assert.deepEqual(navigations, [], 'replaceState: the same entry');
    navigation.currentEntry = { key: 'second' };
    location.href = 'https://www.linkedin.com/in/carol';
    navigation.dispatchEvent(new Event('currententrychange'));
    await settle();
    assert.deepEqual(navigations, ['https://www.linkedin.com/in/carol']);
  });

  it('batches a burst of changes into one check', async () => {
    let checks = 0;
    lifecycle.onChange(() => { checks += 1; });
    for (let i = 0; i < 50; i += 1) document.body.append(document.createElement('div'));
    window.dispatchEvent(new Event('popstate'));
    await settle();
    assert.equal(checks, 1);
  });

  it('keeps an element in a header that renders late and is replaced', async () => {
    const badge = document.createElement('span');
    const place = (el) => {
      const header = document.querySelector('.record-header h1');
      header?.append(el);
      return Boolean(header);
    };
    lifecycle.keep(badge, place);
    assert.equal(badge.isConnected, false, 'no header yet');
    document.querySelector('main').innerHTML = '<section class="record-header"><h1>Ada</h1></section>';
    await settle();
    assert.equal(badge.parentNode, document.querySelector('.record-header h1'));
    // The framework renders the header again: a new element, without the badge.
    const fresh = document.createElement('h1');
    fresh.textContent = 'Ada';
    document.querySelector('.record-header h1').replaceWith(fresh);
    await settle();
    assert.equal(badge.parentNode, fresh);
  });

  it('moves a kept element when the page shows another part of itself', async () => {
    // Two views, as a CRM that keeps an earlier page hidden: the element follows the one shown.
    document.querySelector('main').innerHTML = '<section class="view shown"><h1>A</h1></section><section class="view"><h1>B</h1></section>';
    const shown = () => document.querySelector('.view.shown h1');
    const badge = document.createElement('span');
    lifecycle.keep(badge, (el) => { shown()?.append(el); return Boolean(shown()); }, (el) => el.parentNode === shown());
    assert.equal(badge.parentNode.textContent, 'A');
    const [a, b] = document.querySelectorAll('.view');
    a.classList.remove('shown');
    b.classList.add('shown');
    b.append(document.createElement('p')); // the switch comes with a render
    await settle();
    assert.equal(badge.parentNode.textContent, 'B');
    assert.equal(document.querySelectorAll('span').length, 1);
  });

  it('hears a row reusing its element for another record: its link and index change in place', async () => {
    document.querySelector('main').innerHTML = '<div role="row" row-index="0"><a href="/main.aspx?id=1">Ada</a></div>';
    let checks = 0;
    lifecycle.onChange(() => { checks += 1; });
    document.querySelector('[role=row]').setAttribute('row-index', '7');
    document.querySelector('a').setAttribute('href', '/main.aspx?id=8');
    await settle();
    assert.equal(checks, 1);
    document.querySelector('a').setAttribute('title', 'not watched');
    await settle();
    assert.equal(checks, 1);
  });

  it('stops keeping it on another page, and when dropped', async () => {
    document.querySelector('main').innerHTML = '<h2>a</h2><h3>b</h3>';
    const first = document.createElement('span');
    lifecycle.keep(first, (el) => { document.querySelector('h2').append(el); return true; });
    location.href = 'https://acme.lightning.force.com/lightning/r/Contact/2/view';
    document.querySelector('h2').remove();
    await settle();
    document.querySelector('main').append(document.createElement('h2'));
    await settle();
    assert.equal(first.isConnected, false, 'not put back on the next page');
    const second = document.createElement('span');
    const drop = lifecycle.keep(second, (el) => { document.querySelector('h3').append(el); return true; });
    assert.equal(second.isConnected, true);
    drop();
    assert.equal(second.isConnected, false);
    document.body.append(document.createElement('div'));
    await settle();
    assert.equal(second.isConnected, false);
  });

  it('stops fighting a page that removes the element at once, every time', async () => {
    const badge = document.createElement('span');
    // The page's own observer removes whatever it did not render.
    new MutationObserver(() => badge.remove()).observe(document.documentElement, { childList: true, subtree: true });
    let placed = 0;
    lifecycle.keep(badge, (el) => {
      placed += 1;
      document.querySelector('h1').append(el);
      return true;
    });
    for (let i = 0; i < 40; i += 1) await settle();
    assert.equal(placed, 10, 'ten placements, then it waits for the next second');
    assert.equal(badge.isConnected, false);
  });
});

const scripts = (await readdir(contentDir)).filter((f) => f.endsWith('.js'));
const sources = Object.fromEntries(await Promise.all(scripts.map(async (f) => [f, await readFile(join(contentDir, f), 'utf8')])));
// The one content script the build writes (the core's DOM selectors, src/page_dom.rs).
sources['page-dom.js'] = await readFile(join(root, 'target/content/page-dom.js'), 'utf8');
/** A script without its comments (which may well name what the code must not do). */
const code = (file) => sources[file].replace(/^\s*\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');

describe('content script conventions', () => {
  it('follow the page with events and observers, never by polling', () => {
    for (const file of scripts) assert.doesNotMatch(code(file), /\bset(Interval|Timeout)\s*\(/, file);
  });

  it('put text into pages, never markup, and style only through adopted stylesheets', () => {
    for (const file of scripts) {
      assert.doesNotMatch(code(file), /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, file);
      assert.doesNotMatch(code(file), /createElement\(\s*['"]style['"]|\.style\.cssText|setAttribute\(\s*['"]style/, file);
    }
  });

  it('read only the globals of scripts loaded before them', async () => {
    const manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));
    const definer = Object.fromEntries(Object.keys(sources).flatMap((f) =>
      [...code(f).matchAll(/globalThis\.(crmsync\w+)\s*=/g)].map((m) => [m[1], `content/${f}`])));
    assert.ok(definer.crmsyncLifecycle && definer.crmsyncBadge, 'the lifecycle and the badge define globals');
    for (const { js } of manifest.content_scripts) {
      for (const [i, file] of js.entries()) {
        const used = [...code(file.replace('content/', '')).matchAll(/globalThis\.(crmsync\w+)\b(?!\s*=)/g)].map((m) => m[1]);
        for (const name of used) {
          assert.ok(js.slice(0, i).includes(definer[name]), `${file} reads ${name}, defined by ${definer[name]}, loaded before it`);
        }
      }
    }
  });
});
