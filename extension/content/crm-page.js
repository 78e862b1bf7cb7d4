// Content script on CRM pages. Thin by design: it reports the URL (the Rust core in the
// background decides what page this is), mounts the badges (badge.js) and the Embedded Profile
// panel (panel-frame.js, which keeps the page's own controls uncovered), and follows
// client-side navigation and re-renders (page-lifecycle.js). No CRM data passes through here:
// the panel (an extension page) only tells it "matched" or "toggle".
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const { visibleRecordHeader, rowRecord } = globalThis.crmsyncSelectors;
  const { listRows } = globalThis.crmsyncPageDom;
  const badges = globalThis.crmsyncBadge;
  const lifecycle = globalThis.crmsyncLifecycle;
  // Which CRM this page belongs to is the core's answer (its host table knows every cloud and
  // proxy), never a guess from the host name here.
  let crm = null;

  // The header badge of a record whose person the panel found; it expands the panel. The CRM
  // renders its header late and again at will, and keeps hidden pages of earlier records
  // (and, in a console, other workspace tabs) beside the one on screen: the lifecycle keeps
  // the badge in the header the user sees, and moves it when that is another one.
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
  // render late, page in and re-render, and a virtualised grid reuses a row's element for
  // another record as the user scrolls. So each batch of DOM changes reads every row's record
  // again and puts its badge right: one beside the name of a matched record, none otherwise.
  // The background is asked once per record id (as the page writes it) and list view.
  let list = null; // on a list view: { url, matched: Map(record id → true | false | null while asked) }
  const rowBadges = new WeakMap(); // row element → { badge, id, since, placed }, once it had a badge
  // A page that removes a row's badge as soon as it is back would have us fight it forever:
  // at most this many placements a second for the same record in a row (a row showing another
  // record is no fight), then it waits for the next second.
  const MAX_ROW_PLACEMENTS_PER_SECOND = 10;
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
    const now = performance.now();
    const entry = shown ?? { badge: badges.create('row-badge', { text: api.i18n.getMessage('badgeMatched') }) };
    if (entry.id !== id || now - entry.since > 1000) Object.assign(entry, { id, since: now, placed: 0 });
    if (entry.placed >= MAX_ROW_PLACEMENTS_PER_SECOND) return;
    entry.placed += 1;
    for (const stray of row.querySelectorAll('[data-crmsync="row-badge"]')) stray.remove();
    cell.append(entry.badge);
    rowBadges.set(row, entry);
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
