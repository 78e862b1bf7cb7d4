// Content script on the network's profile pages: collects the page's public structured data
// (JSON-LD, OpenGraph, title) as plain strings and hands them to the background, where the
// Rust core reads them, keyed by the tab's URL as the browser reports it; shows a blue badge
// per CRM the profile is in ("In Salesforce", "In Dynamics 365", each expanding the panel),
// and the panel (panel-frame.js) where the user logs items about this person and finds their
// records. The page's own scripts can read and rewrite anything in its DOM, so no CRM data
// passes here: the badges know only which CRMs, record names and links stay in the panel
// (an extension frame the page cannot read). The network's app moves between profiles
// without page loads: the lifecycle (page-lifecycle.js) says when to look again.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const sel = globalThis.crmsyncSelectors.networkProfile;
  const badges = globalThis.crmsyncBadge;
  const lifecycle = globalThis.crmsyncLifecycle;
  const panel = globalThis.crmsyncPanelFrame.create();
  const groupSheet = badges.sheet(':host { all: initial; position: fixed; top: 12px; right: 12px; z-index: 2147483000; }');
  const BADGE_TEXT = { salesforce: 'badgeInSalesforce', dynamics: 'badgeInDynamics' };

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

  /** The CRMs the profile is in: one badge each, in a group at the top right, expanding the panel. */
  let dropBadges = null;
  function showBadges(crms) {
    dropBadges?.();
    dropBadges = null;
    if (!crms?.length) return;
    const group = document.createElement('div');
    group.dataset.crmsync = 'in-crm';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', api.i18n.getMessage('badgeInCrm'));
    const shadow = group.attachShadow({ mode: 'open' }); // nothing in it the page may not know
    shadow.adoptedStyleSheets = [groupSheet];
    for (const crm of new Set(crms.map((c) => (c === 'salesforce' ? 'salesforce' : 'dynamics')))) {
      shadow.append(badges.create('badge', { text: api.i18n.getMessage(BADGE_TEXT[crm]), onClick: () => panel.expand() }));
    }
    dropBadges = lifecycle.keep(group, (element) => {
      document.documentElement.append(element);
      return true;
    });
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
  let panelUrl = null;
  let latest = 0;
  async function capture() {
    if (!wanted || shown() === tried) return;
    tried = shown();
    const asked = ++latest;
    const url = location.href;
    const answer = (await api.runtime.sendMessage(/** @satisfies {import('../pkg/crmsync.js').Request} */ ({ type: 'captureProfile', page: pageData() })))?.ok;
    if (asked !== latest) return; // the page shows another one meanwhile
    if (answer) wanted = false;
    showBadges(answer?.inCrms);
    // The panel reads the stored profile, so it follows the capture; a page naming nobody,
    // or the app's other pages (it navigates without page loads), have no one to log about.
    if (!answer) {
      panel.hide();
      panelUrl = null;
    } else if (url !== panelUrl) {
      panel.show(url); // not again for a new title alone: the user's form stays as it is
      panelUrl = url;
    }
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
