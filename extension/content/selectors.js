// Every DOM selector crmsync uses on pages it does not own, in one place. Each entry has a
// fixture page under tests/fixtures/pages/ that proves it (tests/js/selectors.test.mjs).
// Content scripts are classic scripts: this file defines a global the others read.
globalThis.crmsyncSelectors = Object.freeze({
  // A network member's profile page (public structured data only).
  networkProfile: Object.freeze({
    jsonLd: 'script[type="application/ld+json"]',
    openGraph: 'meta[property^="og:"], meta[property^="profile:"]',
    canonical: 'link[rel="canonical"]',
  }),
});
