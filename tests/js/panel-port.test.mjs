// The background's panel ports (extension/background/panel.js): broadcasts (org hosts, sync
// errors) reach the extension's own panel frames, never a content script in a web page.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { acceptPanel, broadcast } from '../../extension/background/panel.js';

const ORIGIN = 'chrome-extension://abcdefghijklmnop/';

/** A port as runtime.onConnect hands it over, from a sender at `url` in a tab. */
function port(url) {
  const heard = [];
  const self = {
    sender: { id: 'abcdefghijklmnop', url, tab: { id: 1, url: 'https://www.linkedin.com/in/ada' } },
    heard,
    disconnected: false,
    postMessage: (m) => heard.push(m),
    disconnect: () => { self.disconnected = true; },
    onDisconnect: { addListener: () => {} },
  };
  return self;
}

describe('panel ports', () => {
  it('serve panel frames and close a content script’s port', () => {
    const panel = port(`${ORIGIN}panel.html#https%3A%2F%2Fwww.linkedin.com%2Fin%2Fada`);
    const contentScript = port('https://www.linkedin.com/in/ada');
    const noUrl = port(undefined);
    for (const p of [panel, contentScript, noUrl]) acceptPanel(p, ORIGIN);
    broadcast({ type: 'syncFailed', apiHost: 'acme.my.salesforce.com' });
    // A panel hears that its port is taken first, so it knows what it may have missed.
    assert.deepEqual(panel.heard, [{ type: 'panelConnected' }, { type: 'syncFailed', apiHost: 'acme.my.salesforce.com' }]);
    assert.equal(panel.disconnected, false);
    for (const p of [contentScript, noUrl]) {
      assert.deepEqual(p.heard, []);
      assert.equal(p.disconnected, true);
    }
  });
});
