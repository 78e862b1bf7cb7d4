// What the extension's own pages share: localisation, DOM building (text only, never markup),
// dates, messages to the background and CSV downloads.
import { api } from './browser-api.js';

export const t = (key, substitutions) => api.i18n.getMessage(key, substitutions);
export const send = (message) => api.runtime.sendMessage(message);

const PAGES = [['unresolved.html', 'unresolvedTitle'], ['audit.html', 'auditTitle'], ['options.html', 'optionsTitle']];

/** Sets the page's language and title, fills every `data-i18n` element and links the other pages. */
export function setUpPage(titleKey) {
  document.documentElement.lang = api.i18n.getUILanguage();
  document.title = t(titleKey);
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-i18n]'))) el.textContent = t(el.dataset.i18n);
  const here = location.pathname.split('/').pop();
  const links = PAGES.filter(([file]) => file !== here).map(([file, key]) => el('a', { href: file }, t(key)));
  document.querySelector('h1').after(el('nav', { 'aria-label': t('pagesNav') }, ...links));
}

/** An element with properties and children; strings become text nodes, so stored or CRM text is never parsed as HTML. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (/^(aria-|data-|role$)/.test(key)) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== ''));
  return node;
}

const dateOf = (value) => {
  const date = new Date(value ?? NaN);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** A stored time (ISO text or milliseconds) in the reader's language. */
function formatTime(value) {
  const date = dateOf(value);
  return date ? new Intl.DateTimeFormat(api.i18n.getUILanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(date) : '';
}

/** A `<time>` element for a stored time. */
export const timeEl = (value) => el('time', { dateTime: dateOf(value)?.toISOString() ?? '' }, formatTime(value));

export const kindLabel = (kind) => t(`itemKind_${kind}`) || kind;
export const recordTypeLabel = (type) => t(`recordType_${type.charAt(0).toUpperCase()}${type.slice(1)}`) || type;

/** Saves `csv` as a file through a Blob URL (the page never builds markup from it). */
export function download(csv, filename) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  el('a', { href: url, download: filename }).click();
  // The click starts the download synchronously; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Today's date for export file names (`unresolved-2026-11-24.csv`). */
export const today = () => new Date().toISOString().slice(0, 10);
