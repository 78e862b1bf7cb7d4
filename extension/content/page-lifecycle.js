// The page-following lifecycle every content script shares. CRMs and the network move between
// pages without loads (history.pushState in the page's own world, which a content script
// cannot see) and re-render parts of a page at will. So one MutationObserver on the document,
// plus the navigation events that do reach content scripts (popstate, hashchange and, where
// the browser has the Navigation API, currententrychange), queue one check per microtask:
// it compares the URL (two strings), tells the URL listeners when it changed, the navigation
// listeners when the page moved to another history entry, then the change listeners, and puts
// back what the extension keeps in the page's own markup when a re-render dropped it. No
// timers, no polling.
// Content scripts are classic scripts: this file defines a global the others read.
globalThis.crmsyncLifecycle = (() => {
  const urlListeners = new Set();
  const navigationListeners = new Set();
  const changeListeners = new Set();
  /** element → { place, stays, since, count }: what is kept in the page while its URL stays. */
  const kept = new Map();
  // A page that removes a kept element again as soon as it is back would have us fight it
  // forever: at most this many placements a second, then it waits for the next second.
  const MAX_PLACEMENTS_PER_SECOND = 10;
  let url = location.href;
  let queued = false;
  // The history entry the page is on. A push or a traversal moves to another entry; the page's
  // replaceState (which its script may call at will, with any same-origin URL) only rewrites
  // this one's URL. The Navigation API tells them apart: an entry keeps its key through a
  // replace (WHATWG HTML, NavigationHistoryEntry.key). Without the API, a new URL is all
  // there is to go by.
  const entryKey = () => globalThis.navigation?.currentEntry?.key ?? location.href;
  let entry = entryKey();

  function place(element, entry) {
    if (element.isConnected && entry.stays(element)) return;
    const now = performance.now();
    if (now - entry.since > 1000) Object.assign(entry, { since: now, count: 0 });
    if (entry.count >= MAX_PLACEMENTS_PER_SECOND) return;
    if (entry.place(element)) entry.count += 1;
  }

  function check() {
    queued = false;
    if (location.href !== url) {
      url = location.href;
      kept.clear(); // what was kept belonged to the last page
      for (const listener of urlListeners) listener(url);
    }
    if (entryKey() !== entry) {
      entry = entryKey();
      for (const listener of navigationListeners) listener(url);
    }
    for (const listener of changeListeners) listener();
    for (const [element, entry] of kept) place(element, entry);
  }

  function queueCheck() {
    if (queued) return;
    queued = true;
    queueMicrotask(check);
  }

  // Everything the page renders is a child list change somewhere below the root (a new
  // title is a new text node in <title>), except a virtualised grid reusing a row's element
  // for another record: it rewrites the row's link and index in place. Other attributes and
  // text edits are not watched.
  new MutationObserver(queueCheck).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributeFilter: ['href', 'row-index', 'data-row-key-value'],
  });
  window.addEventListener('popstate', queueCheck);
  window.addEventListener('hashchange', queueCheck);
  // The page's pushState and replaceState included, without waiting for a re-render.
  globalThis.navigation?.addEventListener?.('currententrychange', queueCheck);

  return Object.freeze({
    /** `listener(url)` runs whenever the page's URL changed (not for the URL it loaded with). */
    onUrl(listener) {
      urlListeners.add(listener);
    },
    /**
     * `listener(url)` runs when the page moved to another history entry (a push, a traversal),
     * not when it rewrote its URL in place (replaceState), nor for the entry it loaded with.
     */
    onNavigation(listener) {
      navigationListeners.add(listener);
    },
    /** `listener()` runs after every batch of DOM changes or navigation events, URL listeners first. */
    onChange(listener) {
      changeListeners.add(listener);
    },
    /**
     * Keeps `element` in the page while the URL stays the same: `place(element)` puts it
     * where it belongs and says whether it could (false while its spot is not rendered yet).
     * It runs now and again whenever the page has dropped the element, or when
     * `stays(element)` says the element, still in the page, is no longer where it belongs
     * (the page showed another part of itself). Returns a function that stops keeping the
     * element and removes it.
     * @param {Element} element
     * @param {(element: Element) => boolean} placeIt
     * @param {(element: Element) => boolean} [stays]
     */
    keep(element, placeIt, stays = () => true) {
      const entry = { place: placeIt, stays, since: performance.now(), count: 0 };
      kept.set(element, entry);
      place(element, entry);
      return () => {
        kept.delete(element);
        element.remove();
      };
    },
  });
})();
