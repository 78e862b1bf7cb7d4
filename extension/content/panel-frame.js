// The panel's frame on a web page (CRM and network profile pages): an iframe of panel.html in a
// shadow root at the right edge, with room kept free so the page's controls stay uncovered.
// The page sees an opaque frame; the panel may tell it only "matched" and "toggle". Collapsed,
// it shows the panel's header only, remembered across pages.
// Content scripts are classic scripts: this file defines a global the others read.
globalThis.crmsyncPanelFrame = (() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const PANEL_URL = api.runtime.getURL('panel.html');
  // The panel's origin as its messages carry it (URL.origin is "null" for extension schemes in
  // some engines): Chrome's is the extension id even for a `use_dynamic_url` resource,
  // Firefox's the install's UUID, as in the URL.
  const [, SCHEME, PANEL_HOST] = PANEL_URL.match(/^([a-z-]+):\/\/([^/]+)/);
  const PANEL_ORIGINS = new Set([`${SCHEME}://${PANEL_HOST}`, `${SCHEME}://${api.runtime.id}`]);
  const WIDTH = 360;
  const HEADER_HEIGHT = 42; // panel.css: the header's 40 px and the frame's border
  const STYLE = `
    :host { all: initial; position: fixed; top: 56px; right: 12px; bottom: 12px; z-index: 2147483000;
            width: ${WIDTH}px; font: 13px/1.4 system-ui, sans-serif; }
    :host([data-collapsed]) { bottom: auto; height: ${HEADER_HEIGHT}px; }
    iframe { display: block; box-sizing: border-box; width: 100%; height: 100%; border: 1px solid #c9c9c9;
             border-radius: 8px; background: #fff; box-shadow: 0 2px 8px rgb(0 0 0 / 0.15); }`;
  const { sheet } = globalThis.crmsyncBadge;
  const lifecycle = globalThis.crmsyncLifecycle;

  /** The page's panel; `onMatched` hears whether it found the page's person (false when shown
   *  afresh or hidden). Call `show` once `ready` resolves.
   *  @param {{onMatched?: (matched: boolean) => void}} [options] */
  function create({ onMatched = (_matched) => {} } = {}) {
    let mount = null;
    let collapsed = false;
    let src = null;
    let drop = null;

    function createMount() {
      const host = document.createElement('div');
      host.dataset.crmsync = 'root';
      const shadow = host.attachShadow({ mode: 'open' });
      shadow.adoptedStyleSheets = [sheet(STYLE)];
      const frame = document.createElement('iframe');
      frame.title = api.i18n.getMessage('panelTitle');
      shadow.append(frame);
      return { host, frame };
    }

    /** Leaves room for the panel so it never covers the page's own controls. */
    function reserveSpace(on) {
      document.documentElement.style.marginRight = on ? `${WIDTH + 24}px` : '';
    }

    /** Collapsed or not, as asked here or in any tab (the panel's label follows the same). */
    function applyCollapsed(value) {
      collapsed = value;
      mount?.host.toggleAttribute('data-collapsed', value);
      reserveSpace(Boolean(drop) && !value);
    }

    function setCollapsed(value) {
      applyCollapsed(value);
      api.storage.local.set({ panelCollapsed: value });
    }

    /** Puts the frame in the page; a frame put back loads the page's panel afresh. */
    function place(host) {
      mount.frame.src = src; // an inserted frame's first load adds no history entry
      document.documentElement.append(host);
      return true;
    }

    function show(url) {
      mount ??= createMount();
      const next = `${PANEL_URL}#${encodeURIComponent(url)}`;
      const again = Boolean(drop) && next === src; // the panel shown stays as it is, the user's form too
      src = next;
      // Only the fragment changes between pages, so the panel follows without reloading; in
      // place of its history entry, so the browser's Back button stays the page's own.
      if (mount.host.isConnected && !again) mount.frame.contentWindow.location.replace(src);
      drop = lifecycle.keep(mount.host, place); // kept for this URL: placed now if not in the page
      applyCollapsed(collapsed);
      if (!again) onMatched(false);
    }

    function hide() {
      drop?.();
      drop = null;
      onMatched(false);
      reserveSpace(false);
    }

    // Only our own frame, still on the extension's origin (the page can navigate it elsewhere).
    window.addEventListener('message', (event) => {
      if (!mount || event.source !== mount.frame.contentWindow || !PANEL_ORIGINS.has(event.origin)) return;
      if (event.data?.crmsync !== 'panelState') return;
      if (typeof event.data.matched === 'boolean') onMatched(event.data.matched);
      if (event.data.toggle === true) setCollapsed(!collapsed);
    });

    api.storage.onChanged?.addListener((changes, area) => {
      if (area === 'local' && changes.panelCollapsed) applyCollapsed(Boolean(changes.panelCollapsed.newValue));
    });
    const ready = api.storage.local.get('panelCollapsed').then(({ panelCollapsed }) => {
      collapsed = Boolean(panelCollapsed);
    });
    return { ready, show, hide, expand: () => setCollapsed(false) };
  }

  return Object.freeze({ create });
})();
