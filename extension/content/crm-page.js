// Content script on CRM pages. Thin by design: it reports the URL (the Rust core in the
// background decides what page this is), mounts the badge and the Embedded Profile panel,
// keeps the page's own controls uncovered, and follows client-side navigation. No CRM data
// passes through here: the panel (an extension page) only tells it "matched" or "toggle".
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const selectors = globalThis.crmsyncSelectors.recordHeader;
  const rowSelectors = globalThis.crmsyncSelectors.listRows;
  const PANEL_URL = api.runtime.getURL('panel.html');
  const WIDTH = 360;
  const STYLE = `
    :host { all: initial; position: fixed; top: 56px; right: 12px; bottom: 12px; z-index: 2147483000;
            width: ${WIDTH}px; font: 13px/1.4 system-ui, sans-serif; }
    :host([data-collapsed]) { width: auto; bottom: auto; }
    :host([data-collapsed]) iframe { display: none; }
    iframe { display: block; width: 100%; height: 100%; border: 1px solid #c9c9c9; border-radius: 8px;
             background: #fff; box-shadow: 0 2px 8px rgb(0 0 0 / 0.15); }
    .tab { display: none; }
    :host([data-collapsed]) .tab { display: block; }`;
  const BADGE_STYLE = `
    button { all: initial; display: inline-block; margin-left: 8px; vertical-align: middle; cursor: pointer;
             background: #0a66c2; color: #fff; border-radius: 10px; padding: 1px 10px;
             font: 600 12px/1.6 system-ui, sans-serif; }
    button:focus-visible { outline: 3px solid #0a66c2; outline-offset: 2px; }`;

  let shownUrl = null;
  let mount = null;
  let collapsed = false;

  function sheet(css) {
    // Constructable stylesheets: inline <style> is blocked by strict page CSPs in Firefox.
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    return s;
  }

  function badgeButton(labelKey, onClick) {
    const host = document.createElement('span');
    host.dataset.crmsync = 'badge';
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [sheet(BADGE_STYLE)];
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = api.i18n.getMessage(labelKey);
    button.addEventListener('click', onClick);
    shadow.append(button);
    return host;
  }

  /** A badge that is only a label (list rows): text, not a control. */
  function badgeLabel(labelKey) {
    const host = document.createElement('span');
    host.dataset.crmsync = 'row-badge';
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [sheet(BADGE_STYLE.replace('button {', 'span {'))];
    const label = document.createElement('span');
    label.textContent = api.i18n.getMessage(labelKey);
    shadow.append(label);
    return host;
  }

  function createMount() {
    const host = document.createElement('div');
    host.dataset.crmsync = 'root';
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [sheet(STYLE)];
    const tab = badgeButton('expand', () => setCollapsed(false));
    tab.className = 'tab';
    const frame = document.createElement('iframe');
    frame.title = api.i18n.getMessage('panelTitle');
    shadow.append(tab, frame);
    return { host, frame, badge: null };
  }

  /** Leaves room for the panel so it never covers the CRM's own controls. */
  function reserveSpace(on) {
    document.documentElement.style.marginRight = on ? `${WIDTH + 24}px` : '';
  }

  function setCollapsed(value) {
    collapsed = value;
    api.storage.local.set({ panelCollapsed: value });
    if (!mount) return;
    mount.host.toggleAttribute('data-collapsed', value);
    reserveSpace(mount.host.isConnected && !value);
  }

  function showPanel(url) {
    mount ??= createMount();
    if (!mount.host.isConnected) document.documentElement.append(mount.host);
    mount.host.toggleAttribute('data-collapsed', collapsed);
    reserveSpace(!collapsed);
    // Only the fragment changes between records, so the panel follows without reloading.
    mount.frame.src = `${PANEL_URL}#${encodeURIComponent(url)}`;
    showBadge(false);
  }

  function hidePanel() {
    mount?.host.remove();
    showBadge(false);
    reserveSpace(false);
  }

  function showBadge(matched) {
    mount?.badge?.remove();
    if (!mount || !matched) return;
    const header = document.querySelector(selectors[crmOfPage()]);
    if (!header) return;
    mount.badge = badgeButton('badgeMatched', () => setCollapsed(false));
    header.append(mount.badge);
  }

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

  // Only our own panel frame may talk to us, and only about the badge and collapsing.
  window.addEventListener('message', (event) => {
    if (!mount || event.source !== mount.frame.contentWindow || event.data?.crmsync !== 'panelState') return;
    if (typeof event.data.matched === 'boolean') showBadge(event.data.matched);
    if (event.data.toggle === true) setCollapsed(!collapsed);
  });

  async function onLocation() {
    const url = location.href;
    if (url === shownUrl) return;
    shownUrl = url;
    const page = await api.runtime.sendMessage({ type: 'detectPage', url });
    if (url !== location.href) return; // navigated again meanwhile
    listUrl = page?.kind === 'list' ? url : null;
    if (page?.kind === 'record') showPanel(url);
    else hidePanel();
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
  api.storage.local.get('panelCollapsed').then(({ panelCollapsed }) => {
    collapsed = Boolean(panelCollapsed);
    onLocation();
  });
})();
