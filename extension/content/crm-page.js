// Content script on CRM pages. Thin by design: it reports the URL (the Rust core in the
// background decides what page this is), mounts the badges (badge.js) and the Embedded Profile
// panel (panel-frame.js, which keeps the page's own controls uncovered), and follows
// client-side navigation and re-renders (page-lifecycle.js). No CRM data passes through here:
// the panel (an extension page) only tells it "matched" or "toggle".
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const { recordHeader, listRows } = globalThis.crmsyncSelectors;
  const badges = globalThis.crmsyncBadge;
  const lifecycle = globalThis.crmsyncLifecycle;
  // Which CRM this page belongs to is the core's answer (its host table knows every cloud and
  // proxy), never a guess from the host name here.
  let crm = null;

  // The header badge of a record whose person the panel found; it expands the panel. The CRM
  // renders its header late and again at will, so the lifecycle keeps the badge in it.
  let dropBadge = null;
  function showBadge(matched) {
    dropBadge?.();
    dropBadge = null;
    if (!matched) return;
    const badge = badges.create('badge', { text: api.i18n.getMessage('badgeMatched'), onClick: () => panel.expand() });
    dropBadge = lifecycle.keep(badge, (element) => {
      const header = crm && document.querySelector(recordHeader[crm]);
      header?.append(element);
      return Boolean(header);
    });
  }

  const panel = globalThis.crmsyncPanelFrame.create({ onMatched: showBadge });

  // List views: a badge on each row whose record has a matched profile. Rows render late, page
  // in and re-render, so each batch of DOM changes looks for rows without their badge; the
  // background is asked once per record id and list view.
  let list = null; // on a list view: { url, matched: Map(record id → true | false | null while asked) }
  const rowBadges = new WeakMap();
  function markRows() {
    if (!list) return;
    const { row, idAttribute, cell } = listRows[crm];
    const ask = [];
    for (const r of document.querySelectorAll(row)) {
      const id = r.getAttribute(idAttribute);
      const matched = list.matched.get(id);
      if (matched === undefined) {
        list.matched.set(id, null);
        ask.push(id);
      } else if (matched && !rowBadges.get(r)?.isConnected) {
        const target = r.querySelector(cell);
        if (!target) continue;
        const badge = badges.create('row-badge', { text: api.i18n.getMessage('badgeMatched') });
        target.append(badge);
        rowBadges.set(r, badge);
      }
    }
    if (ask.length) askRows(list, ask);
  }

  async function askRows(asked, ids) {
    const matched = new Set((await api.runtime.sendMessage(/** @satisfies {import('../pkg/crmsync.js').Request} */ ({ type: 'matchedRecords', url: asked.url, ids })))?.ok ?? []);
    for (const id of ids) asked.matched.set(id, matched.has(id));
    if (asked === list) markRows();
  }

  async function onLocation(url) {
    const page = (await api.runtime.sendMessage(/** @satisfies {import('../pkg/crmsync.js').Request} */ ({ type: 'detectPage', url })))?.ok;
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
