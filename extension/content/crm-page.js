// Content script on CRM pages. Thin by design: it reports the URL (the Rust core in the
// background decides what page this is), mounts the badge and the Embedded Profile panel,
// and follows client-side navigation. No CRM data passes through here.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const PANEL_URL = api.runtime.getURL('panel.html');
  const STYLE = `
    :host { all: initial; position: fixed; top: 72px; right: 16px; z-index: 2147483000;
            width: 360px; font: 13px/1.4 system-ui, sans-serif; }
    .badge { display: inline-block; background: #0a66c2; color: #fff; border-radius: 10px;
             padding: 2px 10px; font-weight: 600; margin-bottom: 6px; }
    iframe { display: block; width: 100%; height: 420px; border: 1px solid #c9c9c9;
             border-radius: 8px; background: #fff; box-shadow: 0 2px 8px rgb(0 0 0 / 0.15); }`;

  let shownUrl = null;
  let mount = null;

  function createMount() {
    const host = document.createElement('div');
    host.dataset.crmsync = 'root';
    const shadow = host.attachShadow({ mode: 'open' });
    // Constructable stylesheets: inline <style> is blocked by strict page CSPs in Firefox.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    shadow.adoptedStyleSheets = [sheet];
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.dataset.crmsync = 'badge';
    badge.textContent = api.i18n.getMessage('badgeLabel');
    const frame = document.createElement('iframe');
    frame.title = api.i18n.getMessage('panelTitle');
    frame.dataset.crmsync = 'panel';
    shadow.append(badge, document.createElement('br'), frame);
    return { host, frame };
  }

  function showPanel(url) {
    mount ??= createMount();
    if (!mount.host.isConnected) document.documentElement.append(mount.host);
    // Only the fragment changes between records, so the panel follows without reloading.
    mount.frame.src = `${PANEL_URL}#${encodeURIComponent(url)}`;
  }

  function hidePanel() {
    mount?.host.remove();
  }

  async function onLocation() {
    const url = location.href;
    if (url === shownUrl) return;
    shownUrl = url;
    const page = await api.runtime.sendMessage({ type: 'detectPage', url });
    if (url !== location.href) return; // navigated again meanwhile
    if (page?.kind === 'record') showPanel(url);
    else hidePanel();
  }

  // Client-side navigation (history.pushState) fires no load: watch the Navigation API where
  // the browser has it, popstate, and poll as a fallback.
  globalThis.navigation?.addEventListener('navigatesuccess', onLocation);
  window.addEventListener('popstate', onLocation);
  setInterval(onLocation, 250);
  onLocation();
})();
