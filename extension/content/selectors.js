// Every DOM selector crmsync uses on pages it does not own, in one place, with the two small
// rules that read them: which record header the user sees, and which record a list row shows.
// Each entry names the public source of its shape and has a fixture under tests/fixtures/pages/
// that proves it (tests/js/selectors.test.mjs). Lightning's components render with synthetic
// shadow DOM, so to a content script their insides are ordinary markup: the real-org XPaths
// cited below walk straight through them, as only light DOM allows.
// Content scripts are classic scripts: this file defines a global the others read.
globalThis.crmsyncSelectors = (() => {
  // The heading that holds the record's name in a record page's header, where the badge goes
  // (one entry per shape the products render).
  const recordHeader = Object.freeze({
    salesforce: [
      // The highlights panel's LWC: the name is its [slot=primaryField] child inside an h1
      // (salesforce-pageobjects 9.0.0 records/highlights2.utam.json; Selenium suites against
      // real orgs read …/records-highlights2/div[1]/div/div[1]/div[2]/h1/slot/lightning-formatted-text).
      'records-highlights2 h1',
      // The same panel as orgs on earlier releases render it, …/force-highlights2/div[1]/div[1]/
      // div[1]/div[2]/h1/slot/slot/lightning-formatted-text (SFDO-Tooling/CumulusCI
      // cumulusci/robotframework/locators_48.py reads its force-highlights-details-item).
      'force-highlights2 h1',
      // Either sits in the flexipage's records-lwc-highlights-panel > records-lwc-record-layout
      // (salesforce-pageobjects records/lwcHighlightsPanel.utam.json, lwcRecordLayout.utam.json),
      // whose own markup holds no heading: the two entries above find it there.
    ].join(', '),
    // Unified Interface's form header (microsoft/EasyRepro Api.UCI/DTO/AppElementReference.cs,
    // Entity_HeaderTitle `//*[@data-id='header_title']`).
    dynamics: '[data-id="header_title"]',
  });

  // Parts of a page the user does not see, whatever they hold.
  const notShown = [
    // Lightning keeps the pages of records opened earlier in the DOM; only the view on screen
    // is .active (salesforce/utam-js-recipes force-app/main/default/lwc/__utam__/homePage.utam.json
    // `.oneContent.active`; tprouvot/Salesforce-Inspector-reloaded addon/button.js scopes to
    // `div.windowViewMode-normal.active` and, in the console,
    // `section.oneConsoleTab div.windowViewMode-maximized.active.lafPageHost`).
    '.oneContent:not(.active)',
    '.windowViewMode-normal:not(.active)',
    '.windowViewMode-maximized:not(.active)',
    // The console's workspace tabs: the one in front is section.tabContent.oneConsoleTab.active
    // (Astisme/again-why-salesforce src/salesforce/favourite-manager.js).
    'section.oneConsoleTab:not(.active)',
    // Not aria-hidden: a modal dialog marks the page behind it so, and that page stays on screen.
    '[hidden]',
  ].join(', ');

  // Rows of a list view, the record each shows, and the cell its badge goes in.
  const listRows = Object.freeze({
    // lightning-datatable: data rows are tr[data-row-key-value=<record id>], the column header
    // row carries data-row-key-value="HEADER", the row number and checkbox cells are td and the
    // record's name is the th[scope=row] (lightning-base-components 1.28.15
    // src/lightning/datatable/templates/table/table.html).
    salesforce: Object.freeze({
      row: 'tr[data-row-key-value]:not([data-row-key-value="HEADER"])',
      idAttribute: 'data-row-key-value',
      nameCell: 'th[scope="row"]',
    }),
    // Unified Interface grids are AG Grid: rows div[role=row][row-index] in the centre container
    // (EasyRepro AppElementReference.cs Grid_Rows, Grid_Row
    // `//div[@class='ag-center-cols-container']//div[@row-index='[INDEX]']`; ewingjm/power-playwright
    // PowerAppsOneGridControl.cs). AG Grid renders a row once in each container, pinned left,
    // centre and pinned right (ag-grid-community rowComp: ePinnedLeftRow, eBodyRow,
    // ePinnedRightRow), so only the centre one counts. A row holds no record id (EasyRepro reads
    // ids from the page's script, WebClient.cs GetGridItems); its primary column is a link that
    // opens the record (MicrosoftDocs/powerapps-docs override-default-open-behavior-grids.md),
    // main.aspx?…pagetype=entityrecord&etn=…&id=<GUID> (CRM-APIS B10), the id from there.
    dynamics: Object.freeze({
      row: '.ag-center-cols-container [role="row"][row-index]',
      recordLink: 'a[href*="pagetype=entityrecord" i]',
      nameCell: '[role="gridcell"]',
    }),
  });

  /** The record heading the user sees: the first outside every hidden part, as rendered. */
  function visibleRecordHeader(root, crm) {
    const candidates = [...root.querySelectorAll(recordHeader[crm])].filter((h) => !h.closest(notShown));
    // The browser's own answer (display:none from a stylesheet, say) only where it is needed.
    if (candidates.length < 2) return candidates[0] ?? null;
    return candidates.find((h) => h.checkVisibility?.() ?? true) ?? null;
  }

  // A record link → { href, id }: its URL is read again only when the page changes its href.
  const linkIds = new WeakMap();

  /** The record a list row shows, `{ id, cell }` (the id as the page writes it; the core reads it), or null. */
  function rowRecord(row, crm) {
    const { idAttribute, recordLink, nameCell } = listRows[crm];
    if (idAttribute) {
      const cell = row.querySelector(nameCell);
      return cell && { id: row.getAttribute(idAttribute), cell };
    }
    const link = row.querySelector(recordLink);
    if (!link) return null;
    const href = link.getAttribute('href');
    let read = linkIds.get(link);
    if (read?.href !== href) linkIds.set(link, (read = { href, id: queryValue(href, 'id') }));
    return read.id ? { id: read.id, cell: link.closest(nameCell) ?? link.parentElement } : null;
  }

  /** The value of the query parameter `name` (any case) in a link's `href`, decoded. */
  function queryValue(href, name) {
    try {
      for (const [key, value] of new URL(href, 'https://page.invalid/').searchParams) {
        if (key.toLowerCase() === name) return value;
      }
    } catch {
      // Not a URL: no record.
    }
    return null;
  }

  return Object.freeze({
    recordHeader,
    notShown,
    listRows,
    visibleRecordHeader,
    rowRecord,
    // A network member's profile page (public structured data only).
    networkProfile: Object.freeze({
      jsonLd: 'script[type="application/ld+json"]',
      openGraph: 'meta[property^="og:"], meta[property^="profile:"]',
      canonical: 'link[rel="canonical"]',
    }),
  });
})();
