// The panel's frame on a web page, shared by the CRM page and network profile content
// scripts: an iframe of panel.html in a shadow root at the right edge, a tab to expand it
// when collapsed (remembered across pages), room kept free so the page's own controls stay
// uncovered, and the only messages the panel may send the page ("matched", "toggle").
// Content scripts are classic scripts: this file defines a global the others read.
globalThis.crmsyncPanelFrame = (() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const PANEL_URL = api.runtime.getURL('panel.html');
  // The panel's origin, as a message from it carries it (scheme and host: URL.origin is
  // "null" for extension schemes in some engines). Chrome loads a `use_dynamic_url` resource
  // from a per-session host, but its document's origin is the extension's own id; Firefox's
  // is the install's UUID, as in the URL.
  const [, SCHEME, PANEL_HOST] = PANEL_URL.match(/^([a-z-]+):\/\/([^/]+)/);
  const PANEL_ORIGINS = new Set([`${SCHEME}://${PANEL_HOST}`, `${SCHEME}://${api.runtime.id}`]);
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
  const { sheet, create: badge } = globalThis.crmsyncBadge;

  /**
   * The page's panel. `onMatched(matched)` hears whether the panel found the page's person
   * (false whenever the panel is shown afresh or hidden). Call `show` once `ready` resolves.
   */
  /** @param {{onMatched?: (matched: boolean) => void}} [options] */
  function create({ onMatched = (_matched) => {} } = {}) {
    let mount = null;
    let collapsed = false;

    function createMount() {
      const host = document.createElement('div');
      host.dataset.crmsync = 'root';
      const shadow = host.attachShadow({ mode: 'open' });
      shadow.adoptedStyleSheets = [sheet(STYLE)];
      const tab = badge('tab', { text: api.i18n.getMessage('expand'), onClick: () => setCollapsed(false) });
      tab.className = 'tab';
      const frame = document.createElement('iframe');
      frame.title = api.i18n.getMessage('panelTitle');
      shadow.append(tab, frame);
      return { host, frame };
    }

    /** Leaves room for the panel so it never covers the page's own controls. */
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

    function show(url) {
      mount ??= createMount();
      const src = `${PANEL_URL}#${encodeURIComponent(url)}`;
      if (mount.host.isConnected) {
        // Only the fragment changes between pages, so the panel follows without reloading; in
        // place of its history entry, so the browser's Back button stays the page's own.
        mount.frame.contentWindow.location.replace(src);
      } else {
        mount.frame.src = src; // an inserted frame's first load adds no history entry
        document.documentElement.append(mount.host);
      }
      mount.host.toggleAttribute('data-collapsed', collapsed);
      reserveSpace(!collapsed);
      onMatched(false);
    }

    function hide() {
      mount?.host.remove();
      onMatched(false);
      reserveSpace(false);
    }

    // Only our own panel frame may talk to us, and only about the badge and collapsing: the
    // page can navigate our frame elsewhere, so the sender's origin must be the extension's.
    window.addEventListener('message', (event) => {
      if (!mount || event.source !== mount.frame.contentWindow || !PANEL_ORIGINS.has(event.origin)) return;
      if (event.data?.crmsync !== 'panelState') return;
      if (typeof event.data.matched === 'boolean') onMatched(event.data.matched);
      if (event.data.toggle === true) setCollapsed(!collapsed);
    });

    const ready = api.storage.local.get('panelCollapsed').then(({ panelCollapsed }) => {
      collapsed = Boolean(panelCollapsed);
    });
    return { ready, show, hide, expand: () => setCollapsed(false) };
  }

  return Object.freeze({ create });
})();
