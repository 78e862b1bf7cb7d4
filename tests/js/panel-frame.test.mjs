// The panel's frame on web pages (extension/content/panel-frame.js): only our own panel
// frame, from the extension's origin, may tell the page's content script anything. The page
// can navigate the frame elsewhere; what then speaks from it is not heard.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHTML } from 'linkedom';

const contentDir = join(resolve(import.meta.dirname, '../..'), 'extension/content');
const EXTENSION = 'chrome-extension://abcdefghijklmnop';

async function mountedPanel(onMatched = undefined) {
  const { document } = parseHTML('<html><head></head><body></body></html>');
  Object.assign(globalThis, {
    document,
    window: new EventTarget(),
    CSSStyleSheet: class { replaceSync() {} },
    browser: {
      runtime: { id: 'abcdefghijklmnop', getURL: (path) => `${EXTENSION}/${path}` },
      i18n: { getMessage: (key) => key },
      storage: { local: { get: async () => ({}), set: async () => {} } },
    },
    // The page-following lifecycle (tested in content-lifecycle.test.mjs): placed at once.
    crmsyncLifecycle: { keep: (element, place) => { place(element); return () => element.remove(); } },
  });
  await import(pathToFileURL(join(contentDir, 'badge.js')).href);
  await import(pathToFileURL(join(contentDir, 'panel-frame.js')).href);
  const panel = globalThis.crmsyncPanelFrame.create({ onMatched });
  await panel.ready;
  panel.show('https://www.linkedin.com/in/ada');
  const host = document.querySelector('[data-crmsync=root]');
  const frame = host.shadowRoot.querySelector('iframe');
  const replaced = [];
  const frameWindow = { location: { replace: (url) => replaced.push(url) } };
  Object.defineProperty(frame, 'contentWindow', { value: frameWindow });
  /** A message from our frame's window, as if sent from `origin`. */
  const fromFrame = (origin, data) => window.dispatchEvent(Object.assign(new Event('message'), { source: frameWindow, origin, data }));
  return { panel, host, fromFrame, replaced };
}

describe('panel frame', () => {
  it('hears its frame only from the extension’s origin', async () => {
    const { host, fromFrame } = await mountedPanel();
    fromFrame('https://www.linkedin.com', { crmsync: 'panelState', toggle: true });
    assert.equal(host.hasAttribute('data-collapsed'), false, 'a page the frame was navigated to is not heard');
    fromFrame(EXTENSION, { crmsync: 'panelState', toggle: true });
    assert.equal(host.hasAttribute('data-collapsed'), true);
  });

  it('leaves the panel shown as it is when asked again for the same page', async () => {
    const heard = [];
    const { panel, fromFrame, replaced } = await mountedPanel((matched) => heard.push(matched));
    fromFrame(EXTENSION, { crmsync: 'panelState', matched: true });
    // A network profile re-rendered with a new title is captured again, for the same URL.
    panel.show('https://www.linkedin.com/in/ada');
    assert.deepEqual(replaced, [], 'the panel is not navigated, so the user\u2019s form stays');
    assert.equal(heard.at(-1), true, 'the badge stays');
    panel.show('https://www.linkedin.com/in/grace');
    assert.equal(replaced.length, 1);
    assert.equal(heard.at(-1), false);
  });
});
