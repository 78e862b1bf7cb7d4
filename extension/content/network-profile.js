// Content script on the network's profile pages: collects the page's public structured data
// (JSON-LD, OpenGraph, title) as plain strings and hands them to the background, where the
// Rust core reads them, keyed by the tab's URL as the browser reports it; then shows the
// panel (panel-frame.js), where the user logs items about this person, sees which CRMs they
// are in (the "In Salesforce", "In Dynamics 365" badges at its top, which open the record)
// and finds their records. The page's own scripts can read and rewrite anything in its DOM,
// so nothing of the CRM passes here: all of it stays in the panel, an extension frame the
// page cannot read. The network's app moves between profiles without page loads: the
// lifecycle (page-lifecycle.js) says when to look again.
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

  // What the page shows: the app rewrites the title (and the canonical link) once it has
  // rendered another page, which may be a while after it changed the URL. So a capture follows
  // a change of these, not of the URL alone: a URL whose page is not rendered yet would be
  // captured with the last page's data (the core refuses data naming another member than the
  // tab's URL, too). Cheap to read: the head is small.
  const shown = () => `${document.title}\n${/** @type {HTMLLinkElement | null} */ (document.head?.querySelector(sel.canonical))?.href ?? ''}`;
  // One capture per navigation: the page's script may rewrite its URL (replaceState) and its
  // data at will, and a capture stores what it says. Until this navigation's profile is
  // captured, each new rendering is tried; then nothing more until the next navigation.
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
    // The panel reads the stored profile, so it follows the capture; a page naming nobody,
    // or the app's other pages (it navigates without page loads), have no one to log about.
    if (answer) panel.show(url); // a new title alone: the same URL's panel, as it is
    else panel.hide();
  }

  panel.ready.then(() => {
    // The lifecycle calls after URL changes and re-renders alike; capture looks at the page.
    lifecycle.onNavigation(() => {
      wanted = true;
    });
    lifecycle.onChange(capture);
    capture();
  });
})();
