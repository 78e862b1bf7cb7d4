// Content script on the network's profile pages: hands the page's public structured data
// (JSON-LD, OpenGraph, title) as plain strings to the core, which reads them for the tab's URL,
// then shows the panel (its "In Salesforce" badges open the record). The page's scripts can
// read its DOM, so nothing of the CRM passes here: it all stays in the extension's frame.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const sel = globalThis.crmsyncPageDom.networkProfile;
  const lifecycle = globalThis.crmsyncLifecycle;
  const panel = globalThis.crmsyncPanelFrame.create();

  function pageData() {
    const openGraph = [...document.querySelectorAll(sel.openGraph)]
      .map((m) => /** @type {[string, string]} */ ([m.getAttribute('property') ?? '', m.getAttribute('content') ?? '']));
    const jsonLd = [...document.querySelectorAll(sel.jsonLd)].map((s) => s.textContent ?? '');
    return {
      canonicalUrl: /** @type {HTMLLinkElement | null} */ (document.querySelector(sel.canonical))?.href ?? null,
      title: document.title,
      openGraph,
      jsonLd,
    };
  }

  // What the page shows: the app rewrites title and canonical link once it rendered another
  // page, a while after the URL. A capture follows these, so it never sends the last page's data.
  const shown = () => `${document.title}\n${/** @type {HTMLLinkElement | null} */ (document.head?.querySelector(sel.canonical))?.href ?? ''}`;
  // One capture per navigation (the page may rewrite its URL and data at will): each new
  // rendering is tried until one is captured, then nothing until the next navigation.
  let wanted = true;
  let tried = null; // what the page showed at the last try
  let latest = 0;
  async function capture() {
    if (!wanted || shown() === tried) return;
    tried = shown();
    const asked = ++latest;
    const url = location.href;
    const answer = (await api.runtime.sendMessage(/** @satisfies {import('../pkg/crmsync.js').Request} */ ({ captureProfile: { page: pageData() } })))?.ok;
    if (asked !== latest) return; // the page shows another one meanwhile
    if (answer) wanted = false;
    // The panel reads the stored profile, so it follows the capture; other pages have no one.
    if (answer) panel.show(url); // a new title alone: the same URL's panel, as it is
    else panel.hide();
  }

  panel.ready.then(() => {
    lifecycle.onNavigation(() => {
      wanted = true;
    });
    lifecycle.onChange(capture);
    capture();
  });
})();
