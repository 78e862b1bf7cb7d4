// Content script on the network's profile pages: collects the page's public structured data
// (JSON-LD, OpenGraph, title) as plain strings and hands them to the background, where the
// Rust core reads them; shows the blue "In CRM" badge when the profile is in the CRM, and the
// panel (panel-frame.js) where the user logs items about this person, in the CRM or not yet.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const sel = globalThis.crmsyncSelectors.networkProfile;
  const frame = globalThis.crmsyncPanelFrame;
  const panel = frame.create();
  const STYLE = `
    :host { all: initial; position: fixed; top: 12px; right: 12px; z-index: 2147483000; }
    a { display: inline-block; margin-left: 6px; background: #0a66c2; color: #fff; text-decoration: none;
        border-radius: 10px; padding: 2px 12px; font: 600 13px/1.6 system-ui, sans-serif; }
    a:focus-visible { outline: 3px solid #0a66c2; outline-offset: 2px; }`;

  function pageData() {
    const openGraph = [...document.querySelectorAll(sel.openGraph)]
      .map((m) => [m.getAttribute('property') ?? '', m.getAttribute('content') ?? '']);
    const jsonLd = [...document.querySelectorAll(sel.jsonLd)].map((s) => s.textContent ?? '');
    return {
      url: location.href,
      canonicalUrl: document.querySelector(sel.canonical)?.href ?? null,
      title: document.title,
      openGraph,
      jsonLd,
    };
  }

  let badge = null;
  function showBadge(records) {
    badge?.remove();
    badge = null;
    if (!records?.length) return;
    badge = document.createElement('div');
    badge.dataset.crmsync = 'in-crm';
    const shadow = badge.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [frame.sheet(STYLE)];
    for (const record of records) {
      const link = document.createElement('a');
      link.href = record.url; // built by the core from a known CRM host and id
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = api.i18n.getMessage('badgeInCrm');
      link.title = `${record.name} · ${api.i18n.getMessage(record.crm === 'salesforce' ? 'crmSalesforce' : 'crmDynamics')}`;
      shadow.append(link);
    }
    document.documentElement.append(badge);
  }

  let captured = null;
  async function capture() {
    if (location.href === captured) return;
    captured = location.href;
    const url = location.href;
    const [answer, page] = await Promise.all([
      api.runtime.sendMessage({ type: 'captureProfile', page: pageData() }),
      api.runtime.sendMessage({ type: 'detectPage', url }),
    ]);
    if (url !== location.href) return; // moved to another page meanwhile
    showBadge(answer?.inCrm);
    // The panel reads the stored profile, so it follows the capture; a page naming nobody,
    // or the app's other pages (it navigates without page loads), have no one to log about.
    if (answer && page?.kind === 'networkProfile') panel.show(url);
    else panel.hide();
  }

  panel.ready.then(() => {
    capture();
    // The network's app also moves between profiles without page loads.
    setInterval(capture, 1000);
  });
})();
