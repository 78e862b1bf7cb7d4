// Content script on the network's profile pages: collects the page's public structured data
// (JSON-LD, OpenGraph, title) as plain strings and hands them to the background, where the
// Rust core reads them. Nothing here interprets the data.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const sel = globalThis.crmsyncSelectors.networkProfile;

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

  let captured = null;
  function capture() {
    if (location.href === captured) return;
    captured = location.href;
    api.runtime.sendMessage({ type: 'captureProfile', page: pageData() });
  }

  capture();
  // The network's app also moves between profiles without page loads.
  setInterval(capture, 1000);
})();
