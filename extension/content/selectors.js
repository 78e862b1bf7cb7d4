// Every DOM selector crmsync uses on pages it does not own, in one place. Each entry has a
// fixture page under tests/fixtures/pages/ that proves it (tests/js/selectors.test.mjs).
// Content scripts are classic scripts: this file defines a global the others read.
globalThis.crmsyncSelectors = Object.freeze({
  // The record's name in a CRM record page header, where the badge goes (first found wins;
  // without one the badge stays on the panel).
  recordHeader: Object.freeze({
    salesforce: 'records-highlights2 h1, .record-header h1',
    dynamics: 'h1[data-id="header_title"], .record-header h1',
  }),
  // Rows of a list view and the record id each row is for (the attribute holding it).
  listRows: Object.freeze({
    salesforce: Object.freeze({ row: 'tr[data-row-key-value]', idAttribute: 'data-row-key-value', cell: 'th, td' }),
    dynamics: Object.freeze({ row: '[row-id]', idAttribute: 'row-id', cell: 'td, [role=gridcell]' }),
  }),
  // A network member's profile page (public structured data only).
  networkProfile: Object.freeze({
    jsonLd: 'script[type="application/ld+json"]',
    openGraph: 'meta[property^="og:"], meta[property^="profile:"]',
    canonical: 'link[rel="canonical"]',
  }),
});
