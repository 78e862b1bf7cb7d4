// Applies crmsync's DOM selectors: the record header the user sees, the record a list row
// shows. The selectors, each with its public source, are the core's (src/page_dom.rs), written
// by the build as content/page-dom.js; tests/js/selectors.test.mjs proves them on fixtures.
// Content scripts are classic scripts: this file defines a global the others read.
globalThis.crmsyncSelectors = (() => {
  const { recordHeader, notShown, listRows } = globalThis.crmsyncPageDom;

  /**
   * The record heading the user sees: the first outside every hidden part, as rendered.
   * @param {ParentNode} root
   * @param {import('../pkg/crmsync.js').Crm} crm
   */
  function visibleRecordHeader(root, crm) {
    const candidates = [...root.querySelectorAll(recordHeader[crm])].filter((h) => !h.closest(notShown));
    // The browser's own answer (display:none from a stylesheet, say) only where it is needed.
    if (candidates.length < 2) return candidates[0] ?? null;
    return candidates.find((h) => h.checkVisibility?.() ?? true) ?? null;
  }

  // A record link → { href, id }: its URL is read again only when the page changes its href.
  const linkIds = new WeakMap();

  /**
   * The record a list row shows, `{ id, cell }` (the id as the page writes it; the core reads it), or null.
   * @param {Element} row
   * @param {import('../pkg/crmsync.js').Crm} crm
   */
  function rowRecord(row, crm) {
    const { id, nameCell } = listRows[crm];
    if ('attribute' in id) {
      const cell = row.querySelector(nameCell);
      return cell && { id: row.getAttribute(id.attribute), cell };
    }
    const link = row.querySelector(id.link);
    if (!link) return null;
    const href = link.getAttribute('href');
    let read = linkIds.get(link);
    if (read?.href !== href) linkIds.set(link, (read = { href, id: queryValue(href, id.parameter) }));
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

  return Object.freeze({ visibleRecordHeader, rowRecord });
})();
