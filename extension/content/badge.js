// The one badge crmsync puts into pages it does not own: the blue pill in record headers, on
// list rows, on network profile pages and as the collapsed panel's tab. Its own shadow root,
// styled by a constructable stylesheet (Firefox blocks inline <style> under a strict page
// CSP), text only, and the element its job calls for: a button where it is a control, a link
// where it opens a record, a plain label otherwise.
// Content scripts are classic scripts: this file defines a global the others read.
globalThis.crmsyncBadge = (() => {
  const STYLE = `
    :host { all: initial; display: inline-block; vertical-align: middle; margin-left: 8px; }
    .badge { all: initial; display: inline-block; background: #0a66c2; color: #fff; border-radius: 10px;
             padding: 1px 10px; font: 600 12px/1.6 system-ui, sans-serif; white-space: nowrap; }
    a.badge, button.badge { cursor: pointer; }
    a.badge:hover, button.badge:hover { background: #004182; }
    .badge:focus-visible { outline: 3px solid #0a66c2; outline-offset: 2px; }`;
  let badgeSheet = null;

  /** A constructable stylesheet for a shadow root's `adoptedStyleSheets`. */
  function sheet(css) {
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    return s;
  }

  /**
   * A badge showing `text` (already localised), its host marked `data-crmsync=<name>`. With
   * `onClick` it is a button; with an https `href` a link that opens it in a new tab;
   * otherwise a label. `title` describes it further (a record's name, say).
   */
  function create(name, { text, title = '', href = null, onClick = null }) {
    const host = document.createElement('span');
    host.dataset.crmsync = name;
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [(badgeSheet ??= sheet(STYLE))];
    let badge;
    if (onClick) {
      badge = document.createElement('button');
      badge.type = 'button';
      badge.addEventListener('click', onClick);
    } else if (/^https:\/\//i.test(href ?? '')) {
      badge = document.createElement('a');
      badge.href = href;
      badge.target = '_blank';
      badge.rel = 'noopener';
    } else {
      badge = document.createElement('span');
    }
    badge.className = 'badge';
    badge.textContent = text;
    if (title) badge.title = title;
    shadow.append(badge);
    return host;
  }

  return Object.freeze({ sheet, create });
})();
