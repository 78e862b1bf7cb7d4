// Content script on CRM pages: reports the URL (the core decides what page it is), mounts the
// badges and the Embedded Profile panel and follows the page (page-lifecycle.js). No CRM data
// passes here: the panel (an extension page) only tells it "matched" or "toggle".
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const { visibleRecordHeader, rowRecord } = globalThis.crmsyncSelectors;
  const { listRows } = globalThis.crmsyncPageDom;
  const badges = globalThis.crmsyncBadge;
  const lifecycle = globalThis.crmsyncLifecycle;
  let crm = null; // the core's answer (its host table), never a guess from the host name

  // The header badge of a record whose person the panel found; it expands the panel. The CRM
  // renders its header late and keeps hidden pages of earlier records (and console tabs):
  // the lifecycle keeps the badge in the header the user sees.
  let dropBadge = null;
  function showBadge(matched) {
    dropBadge?.();
    dropBadge = null;
    if (!matched) return;
    const badge = badges.create('badge', { text: api.i18n.getMessage('badgeMatched'), onClick: () => panel.expand() });
    const header = () => crm && visibleRecordHeader(document, crm);
    const place = (element) => {
      const shown = header();
      shown?.append(element);
      return Boolean(shown);
    };
    // While no header is on screen (one still rendering), the badge stays where it is.
    const stays = (element) => {
      const shown = header();
      return !shown || element.parentNode === shown;
    };
    dropBadge = lifecycle.keep(badge, place, stays);
  }

  const panel = globalThis.crmsyncPanelFrame.create({ onMatched: showBadge });

  // List views: a badge beside the name of each row whose record has a matched profile. Rows
  // render late and re-render, and a virtualised grid reuses a row for another record, so each
  // batch of DOM changes reads every row again. The background is asked once per id and view.
  let list = null; // on a list view: { url, matched: Map(record id → true | false | null while asked) }
  // row element → { badge, id, budget }, once it had a badge. The placement budget is per record
  // shown in the row: a row showing another record is no fight with the page.
  const rowBadges = new WeakMap();
  function markRows() {
    if (!list) return;
    const ask = [];
    for (const row of document.querySelectorAll(listRows[crm].row)) {
      const record = rowRecord(row, crm);
      const matched = record && list.matched.get(record.id);
      if (record && matched === undefined) {
        list.matched.set(record.id, null);
        ask.push(record.id);
      }
      const shown = rowBadges.get(row);
      if (!matched) shown?.badge.remove(); // another record now, or one not (yet) known to match
      else if (shown?.badge.parentNode !== record.cell) placeRowBadge(row, record, shown);
    }
    if (ask.length) askRows(list, ask);
  }

  /** Puts the row's badge (a new one the first time) beside its record's name, and no other. */
  function placeRowBadge(row, { id, cell }, shown) {
    const entry = shown ?? { badge: badges.create('row-badge', { text: api.i18n.getMessage('badgeMatched') }) };
    if (entry.id !== id) Object.assign(entry, { id, budget: lifecycle.placementBudget() });
    rowBadges.set(row, entry);
    entry.budget(() => {
      for (const stray of row.querySelectorAll('[data-crmsync="row-badge"]')) stray.remove();
      cell.append(entry.badge);
      return true;
    });
  }

  async function askRows(asked, ids) {
    const matched = new Set((await api.runtime.sendMessage(/** @satisfies {import('../pkg/crmsync.js').Request} */ ({ matchedRecords: { url: asked.url, ids } })))?.ok ?? []);
    for (const id of ids) asked.matched.set(id, matched.has(id));
    if (asked === list) markRows();
  }

  async function onLocation(url) {
    const page = (await api.runtime.sendMessage(/** @satisfies {import('../pkg/crmsync.js').Request} */ ({ detectPage: { url } })))?.ok;
    if (url !== location.href) return; // navigated again meanwhile
    crm = page?.crm ?? null;
    list = page?.kind === 'list' ? { url, matched: new Map() } : null;
    if (page?.kind === 'record') panel.show(url);
    else panel.hide();
    markRows();
  }

  panel.ready.then(() => {
    lifecycle.onUrl(onLocation);
    lifecycle.onChange(markRows);
    onLocation(location.href);
  });
})();
