// Launches real Chromium or Firefox with the built, unpacked extension, routed to the CRM
// emulator through its proxy so pages keep their real CRM hostnames.
import puppeteer from 'puppeteer-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BROWSERS = ['chromium', 'firefox'];
const GECKO_ID = 'crmsync@crmsync.dev';
// Firefox gives each install a random internal UUID; a pref pins it so tests can open pages.
const FIREFOX_UUID = 'c7d3a1e2-5b4f-4e8a-9c6d-2f1e0b9a8c7d';

const ROOT = resolve(import.meta.dirname, '../..');
const env = (name, fallback) => process.env[name] ?? fallback;

export function emulator() {
  const proxy = env('EMULATOR_PROXY');
  if (!proxy) throw new Error('EMULATOR_PROXY is not set: run the tests with `cargo xtask test`');
  return { proxy, api: `https://${proxy}` };
}

/** Calls the emulator's control API (`/_emulator/...`) directly. */
export async function control(path, init = {}) {
  const response = await fetch(`${emulator().api}/_emulator/${path}`, init);
  if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/** With E2E_WORKER_LOG set, what the extension's service worker logs and throws goes to
 *  stderr (to find out why a run failed; Chromium only). */
function logWorkers(browser) {
  const follow = async (target) => {
    if (target.type() !== 'service_worker') return;
    const cdp = await target.createCDPSession().catch(() => null);
    if (!cdp) return;
    const at = () => new Date().toISOString().slice(11, 23);
    cdp.on('Runtime.consoleAPICalled', (e) => process.stderr.write(`[worker ${at()}] ${e.type}: ${e.args.map((a) => a.value ?? a.description).join(' ')}\n`));
    cdp.on('Runtime.exceptionThrown', (e) => process.stderr.write(`[worker ${at()}] exception: ${e.exceptionDetails.exception?.description ?? e.exceptionDetails.text}\n`));
    await cdp.send('Runtime.enable').catch(() => {});
  };
  browser.on('targetcreated', follow);
  browser.targets().forEach(follow);
}

/** `testTrap`: the test build whose core panics on a message naming `crmsync-test-trap`
 *  (`cargo xtask build`'s dist/test-trap, made by the e2e stage of `cargo xtask test`);
 *  `dist`: another folder holding a chrome/ and a firefox/ build. */
export async function launch(browserName, { headless = true, locale = 'en-US', profileDir = null, testTrap = false, dist = null } = {}) {
  const build = (name, fallback) => (testTrap ? join(ROOT, 'dist/test-trap', fallback) : dist ? join(dist, fallback) : env(name, join(ROOT, 'dist', fallback)));
  const { proxy } = emulator();
  const [proxyHost, proxyPort] = proxy.split(':');
  // A given profile folder is kept (to test restarts); a fresh one is removed on close.
  const profile = profileDir ?? await mkdtemp(join(tmpdir(), `crmsync-${browserName}-`));
  let browser;
  if (browserName === 'chromium') {
    const extension = build('EXT_CHROME', 'chrome');
    browser = await puppeteer.launch({
      executablePath: env('CHROMIUM', '/usr/bin/chromium'),
      headless,
      pipe: true,
      acceptInsecureCerts: true,
      userDataDir: profile,
      enableExtensions: [extension],
      // On Linux Chromium takes its UI language (and so the extension's) from LANGUAGE.
      env: { ...process.env, LANGUAGE: locale.replace('-', '_'), LANG: `${locale.replace('-', '_')}.UTF-8` },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--proxy-server=${proxy}`,
        `--lang=${locale}`,
      ],
    });
  } else {
    const extension = build('EXT_FIREFOX', 'firefox');
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: env('FIREFOX', '/usr/bin/firefox-esr'),
      headless,
      acceptInsecureCerts: true,
      userDataDir: profile,
      extraPrefsFirefox: {
        'network.proxy.type': 1,
        'network.proxy.ssl': proxyHost,
        'network.proxy.ssl_port': Number(proxyPort),
        'network.proxy.http': proxyHost,
        'network.proxy.http_port': Number(proxyPort),
        'network.proxy.no_proxies_on': '',
        'network.proxy.allow_hijacking_localhost': true,
        'intl.locale.requested': locale,
        'extensions.webextensions.restrictedDomains': '',
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
      },
    });
    await browser.installExtension(extension);
  }
  if (browserName === 'chromium' && process.env.E2E_WORKER_LOG) logWorkers(browser);
  const origin = browserName === 'firefox'
    ? `moz-extension://${FIREFOX_UUID}`
    // URL.origin is "null" for extension schemes: take scheme and host by hand.
    : (await browser.waitForTarget((t) => t.type() === 'service_worker')).url().match(/^[a-z-]+:\/\/[^/]+/)[0];
  const close = async () => {
    await browser.close().catch(() => {});
    if (!profileDir) await rm(profile, { recursive: true, force: true }).catch(() => {});
  };
  return { browser, name: browserName, close, origin };
}
