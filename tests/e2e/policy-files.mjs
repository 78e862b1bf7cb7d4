// Browser policy as admins deploy it, for the end-to-end tests: the files come from the
// core's own generator (the options page's "Download policy files", src/settings/
// policy_files.rs), run here on the built background core over an in-memory store, and go
// where each browser reads machine policy. Every file written is removed again, also when a
// test fails or the process is interrupted.
import 'fake-indexeddb/auto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const dist = process.env.EXT_CHROME ?? resolve(import.meta.dirname, '../../dist/chrome');

// Chromium on Linux reads every JSON file here (https://www.chromium.org/administrators/linux-quick-start/).
export const CHROMIUM_POLICY = '/etc/chromium/policies/managed/crmsync-e2e.json';
// Firefox on Linux reads /etc/firefox/policies/policies.json, also Debian's firefox-esr
// (https://mozilla.github.io/policy-templates/, "policies.json" on Linux).
export const FIREFOX_POLICY = '/etc/firefox/policies/policies.json';

const written = new Set();
const cleanUp = () => {
  for (const file of written) rmSync(file, { force: true });
  written.clear();
};
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { cleanUp(); process.exit(130); });

/** The files the core generates for a browser that holds `managed` as its policy. */
export async function generatedFiles(managed) {
  // The host ports read `chrome` once, when first imported: change what it holds.
  globalThis.chrome ??= { storage: { managed: {} }, i18n: { getMessage: (key) => key } };
  globalThis.chrome.storage.managed.get = async () => managed;
  // Policy files are rare work: the start module asks the rare module for them.
  const core = await import(join(dist, 'pkg/crmsync.js'));
  const rare = await import(join(dist, 'pkg/crmsync_rare.js'));
  core.initSync({ module: readFileSync(join(dist, 'pkg/crmsync_bg.wasm')) });
  rare.initSync({ module: readFileSync(join(dist, 'pkg/crmsync_rare_bg.wasm')) });
  const { openStore } = await import(join(dist, 'background/db.js'));
  const { hostPorts } = await import(join(dist, 'background/host.js'));
  const db = await openStore(core.storeSchema(), `policy-${Math.random()}`);
  const rareBackground = async () => new rare.RareBackground(hostPorts(async () => db, () => {}));
  const bg = new core.Background(hostPorts(async () => db, () => {}, undefined, rareBackground));
  const { answer } = await bg.handle(JSON.stringify('policyFiles'), 'extensionPage', {});
  const files = Object.fromEntries(answer.ok.map((f) => [f.filename, f.text]));
  return { chrome: files['crmsync-chrome-edge-policy.json'], firefox: files['policies.json'], reg: files['crmsync-chrome-edge-policy.reg'] };
}

/** Writes `text` as machine policy at `path` (removed by `removePolicy` or at exit). */
export function writePolicy(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  written.add(path);
}

export function removePolicy(path) {
  rmSync(path, { force: true });
  written.delete(path);
}
