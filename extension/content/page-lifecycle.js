// The page-following lifecycle every content script shares. CRMs and the network move between
// pages without loads (pushState in the page's world, unseen by content scripts) and re-render
// at will. One MutationObserver plus the navigation events that do reach content scripts queue
// one check per microtask: it tells URL, navigation and change listeners in that order, and
// puts back what a re-render dropped of what the extension keeps in the page. No polling.
// Content scripts are classic scripts: this file defines a global the others read.
globalThis.crmsyncLifecycle = (() => {
  const urlListeners = new Set();
  const navigationListeners = new Set();
  const changeListeners = new Set();
  /** element → { place, stays, budget }: what is kept in the page while its URL stays. */
  const kept = new Map();
  // A page that removes what we put back as soon as it is back would have us fight it forever:
  // at most this many placements a second, then it waits for the next second.
  const MAX_PLACEMENTS_PER_SECOND = 10;
  /** A budget of placements: `(tryPlace) => placed`, refusing once a second's are spent. */
  function placementBudget() {
    let since = -Infinity;
    let count = 0;
    return (tryPlace) => {
      const now = performance.now();
      if (now - since > 1000) [since, count] = [now, 0];
      if (count >= MAX_PLACEMENTS_PER_SECOND || !tryPlace()) return false;
      count += 1;
      return true;
    };
  }
  let url = location.href;
  let queued = false;
  // The history entry the page is on: a push or traversal moves to another, the page's
  // replaceState only rewrites this one's URL (an entry keeps its key through a replace: WHATWG
  // HTML, NavigationHistoryEntry.key). Without the Navigation API, a new URL is all there is.
  const entryKey = () => globalThis.navigation?.currentEntry?.key ?? location.href;
  let entry = entryKey();

  function place(element, entry) {
    if (!element.isConnected || !entry.stays(element)) entry.budget(() => entry.place(element));
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

  // All the page renders is a child list change below the root (a new title too), except a
  // virtualised grid reusing a row's element for another record: it rewrites link and index.
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
    placementBudget,
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
     * Keeps `element` in the page while the URL stays: `place(element)` puts it where it belongs
     * and says whether it could. It runs now, and again when the page dropped the element or
     * `stays(element)` says it is no longer where it belongs. Returns a function that removes it.
     * @param {Element} element
     * @param {(element: Element) => boolean} placeIt
     * @param {(element: Element) => boolean} [stays]
     */
    keep(element, placeIt, stays = () => true) {
      const entry = { place: placeIt, stays, budget: placementBudget() };
      kept.set(element, entry);
      place(element, entry);
      return () => {
        kept.delete(element);
        element.remove();
      };
    },
  });
})();
