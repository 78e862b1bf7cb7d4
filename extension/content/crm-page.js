// Content script on CRM pages. Thin by design: it reports the URL (the Rust core in the
// background decides what page this is), mounts the badge and the Embedded Profile panel
// (panel-frame.js, which keeps the page's own controls uncovered), and follows client-side
// navigation. No CRM data passes through here: the panel (an extension page) only tells it
// "matched" or "toggle".
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const selectors = globalThis.crmsyncSelectors.recordHeader;
  const rowSelectors = globalThis.crmsyncSelectors.listRows;
  const frame = globalThis.crmsyncPanelFrame;

  let shownUrl = null;
  let badge = null;

  /** A badge that is only a label (list rows): text, not a control. */
  function badgeLabel(labelKey) {
    const host = document.createElement('span');
    host.dataset.crmsync = 'row-badge';
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [frame.sheet(frame.BADGE_STYLE.replace('button {', 'span {'))];
    const label = document.createElement('span');
    label.textContent = api.i18n.getMessage(labelKey);
    shadow.append(label);
    return host;
  }

  /** The header badge of a record whose person the panel found; it expands the panel. */
  function showBadge(matched) {
    badge?.remove();
    badge = null;
    if (!matched) return;
    const header = document.querySelector(selectors[crmOfPage()]);
    if (!header) return;
    badge = frame.badgeButton('badgeMatched', () => panel.expand());
    header.append(badge);
  }

  const panel = frame.create({ onMatched: showBadge });

  const crmOfPage = () => (location.hostname.endsWith('.force.com') ? 'salesforce' : 'dynamics');

  // List views: a badge on each row whose record has a matched profile. Rows render late and
  // page in, so new rows are checked as they appear.
  const checkedRows = new WeakSet();
  let listUrl = null;
  async function markRows() {
    if (!listUrl) return;
    const { row, idAttribute, cell } = rowSelectors[crmOfPage()];
    const rows = [...document.querySelectorAll(row)].filter((r) => !checkedRows.has(r));
    if (!rows.length) return;
    rows.forEach((r) => checkedRows.add(r));
    const ids = rows.map((r) => r.getAttribute(idAttribute));
    const matched = new Set(await api.runtime.sendMessage({ type: 'matchedRecords', url: listUrl, ids }));
    for (const r of rows) {
      const target = r.querySelector(cell);
      if (matched.has(r.getAttribute(idAttribute)) && target) {
        target.append(badgeLabel('badgeMatched'));
      }
    }
  }

  async function onLocation() {
    const url = location.href;
    if (url === shownUrl) return;
    shownUrl = url;
    const page = await api.runtime.sendMessage({ type: 'detectPage', url });
    if (url !== location.href) return; // navigated again meanwhile
    listUrl = page?.kind === 'list' ? url : null;
    if (page?.kind === 'record') panel.show(url);
    else panel.hide();
    markRows();
  }

  // Client-side navigation (history.pushState in the page's world) fires no event a content
  // script sees. The page re-renders when it navigates, so DOM changes prompt a URL check
  // (one per batch of mutations; comparing two strings); popstate and a slow poll back it up.
  let checkQueued = false;
  new MutationObserver(() => {
    if (checkQueued) return;
    checkQueued = true;
    queueMicrotask(() => {
      checkQueued = false;
      onLocation();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener('popstate', onLocation);
  setInterval(onLocation, 500);
  setInterval(markRows, 1000);
  panel.ready.then(onLocation);
})();
