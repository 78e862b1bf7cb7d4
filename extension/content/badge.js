// The blue pill crmsync puts in CRM record headers and list rows: its own shadow root, styled
// by a constructable stylesheet (Firefox blocks inline <style> under a strict page CSP), text
// only, a button where it is a control, a label otherwise.
// Content scripts are classic scripts: this file defines a global the others read.
globalThis.crmsyncBadge = (() => {
  const STYLE = `
    :host { all: initial; display: inline-block; vertical-align: middle; margin-left: 8px; }
    .badge { all: initial; display: inline-block; background: #0a66c2; color: #fff; border-radius: 10px;
             padding: 1px 10px; font: 600 12px/1.6 system-ui, sans-serif; white-space: nowrap; }
    button.badge { cursor: pointer; }
    button.badge:hover { background: #004182; }
    .badge:focus-visible { outline: 3px solid #0a66c2; outline-offset: 2px; }`;
  let badgeSheet = null;

  /** A constructable stylesheet for a shadow root's `adoptedStyleSheets`. */
  function sheet(css) {
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    return s;
  }

  /** A badge showing `text` (localised), its host marked `data-crmsync=<name>`. */
  function create(name, { text, onClick = null }) {
    const host = document.createElement('span');
    host.dataset.crmsync = name;
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [(badgeSheet ??= sheet(STYLE))];
    const badge = document.createElement(onClick ? 'button' : 'span');
    if (onClick) {
      badge.setAttribute('type', 'button');
      badge.addEventListener('click', onClick);
    }
    badge.className = 'badge';
    badge.textContent = text;
    shadow.append(badge);
    return host;
  }

  return Object.freeze({ sheet, create });
})();
