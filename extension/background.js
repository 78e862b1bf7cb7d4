// Background service worker (Chrome) / event page (Firefox). Holds the CRM sessions and does
// all CRM I/O; the Rust core (wasm) decides what to send and reads what comes back.
import init, * as core from './pkg/crmsync.js';
import { api } from './browser-api.js';
import { getRecord } from './background/record.js';

// A Chrome service worker may not use top-level await: initialise wasm behind a promise.
const ready = init();

const handlers = {
  detectPage: (msg) => core.detectPage(msg.url),
  getRecord: (msg) => getRecord(core, msg.url),
};

api.runtime.onMessage.addListener((raw, sender, sendResponse) => {
  if (sender.id !== api.runtime.id) return false;
  ready
    .then(() => {
      // The Rust core checks the message's shape; anything else is refused.
      const msg = core.parseMessage(JSON.stringify(raw));
      return handlers[msg.type](msg);
    })
    .then(sendResponse, (err) => sendResponse({ refused: String(err?.message ?? err) }));
  return true;
});
