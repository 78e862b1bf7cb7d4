// Content script on the network's profile pages: collects the page's public structured data
// (JSON-LD, OpenGraph, title) as plain strings and hands them to the background, where the
// Rust core reads them; shows a blue badge per CRM the profile is in ("In Salesforce",
// "In Dynamics 365", each opening its record), and the panel (panel-frame.js) where the user
// logs items about this person, in the CRM or not yet. The network's app moves between
// profiles without page loads: the lifecycle (page-lifecycle.js) says when to look again.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const sel = globalThis.crmsyncSelectors.networkProfile;
  const badges = globalThis.crmsyncBadge;
  const lifecycle = globalThis.crmsyncLifecycle;
  const panel = globalThis.crmsyncPanelFrame.create();
  const groupSheet = badges.sheet(':host { all: initial; position: fixed; top: 12px; right: 12px; z-index: 2147483000; }');
  const BADGE_TEXT = { salesforce: 'badgeInSalesforce', dynamics: 'badgeInDynamics' };
  const CRM_NAME = { salesforce: 'crmSalesforce', dynamics: 'crmDynamics' };

  function pageData() {
    const openGraph = [...document.querySelectorAll(sel.openGraph)]
      .map((m) => /** @type {[string, string]} */ ([m.getAttribute('property') ?? '', m.getAttribute('content') ?? '']));
    const jsonLd = [...document.querySelectorAll(sel.jsonLd)].map((s) => s.textContent ?? '');
    return {
      url: location.href,
      canonicalUrl: /** @type {HTMLLinkElement | null} */ (document.querySelector(sel.canonical))?.href ?? null,
      title: document.title,
      openGraph,
      jsonLd,
    };
  }

  /** The records the profile is in: one link badge each, in a group at the top right. */
  let dropBadges = null;
  function showBadges(records) {
    dropBadges?.();
    dropBadges = null;
    if (!records?.length) return;
    const group = document.createElement('div');
    group.dataset.crmsync = 'in-crm';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', api.i18n.getMessage('badgeInCrm'));
    const shadow = group.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [groupSheet];
    for (const record of records) {
      const crm = record.crm === 'salesforce' ? 'salesforce' : 'dynamics';
      shadow.append(badges.create('badge', {
        text: api.i18n.getMessage(BADGE_TEXT[crm]),
        title: `${record.name} · ${api.i18n.getMessage(CRM_NAME[crm])}`,
        href: record.url, // built by the core from a known CRM host and id
      }));
    }
    dropBadges = lifecycle.keep(group, (element) => {
      document.documentElement.append(element);
      return true;
    });
  }

  // What the page shows: the app rewrites the title (and the canonical link) once it has
  // rendered another page, which may be a while after it changed the URL. So a capture follows
  // a change of these, not of the URL alone: a URL whose page is not rendered yet would be
  // captured with the last page's data, and one the app changes for an overlay shows the same
  // person still. Cheap to read: the head is small.
  const shown = () => `${document.title}\n${/** @type {HTMLLinkElement | null} */ (document.head?.querySelector(sel.canonical))?.href ?? ''}`;
  let captured = null; // what the page showed at the last capture
  let panelUrl = null;
  let latest = 0;
  async function capture() {
    if (shown() === captured) return;
    captured = shown();
    const asked = ++latest;
    const url = location.href;
    const [answer, page] = await Promise.all([
      api.runtime.sendMessage(/** @satisfies {import('../pkg/crmsync.js').Request} */ ({ type: 'captureProfile', page: pageData() })),
      api.runtime.sendMessage(/** @satisfies {import('../pkg/crmsync.js').Request} */ ({ type: 'detectPage', url })),
    ]);
    if (asked !== latest) return; // the page shows another one meanwhile
    showBadges(answer?.inCrm);
    // The panel reads the stored profile, so it follows the capture; a page naming nobody,
    // or the app's other pages (it navigates without page loads), have no one to log about.
    if (!answer || page?.kind !== 'networkProfile') {
      panel.hide();
      panelUrl = null;
    } else if (url !== panelUrl) {
      panel.show(url); // not again for a new title alone: the user's form stays as it is
      panelUrl = url;
    }
  }

  panel.ready.then(() => {
    // The lifecycle calls after URL changes and re-renders alike; capture looks at the page.
    lifecycle.onChange(capture);
    capture();
  });
})();
