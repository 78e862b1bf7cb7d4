// Client-side navigation like Lightning's and Unified Interface's: links marked data-spa
// change the URL with history.pushState and swap <main> without a page load.
document.addEventListener('click', async (event) => {
  const link = event.target.closest('a[data-spa]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
  event.preventDefault();
  history.pushState({}, '', link.href);
  await render(link.href);
});

window.addEventListener('popstate', () => render(location.href));

async function render(href) {
  const response = await fetch(href, { credentials: 'same-origin' });
  const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
  const next = doc.querySelector('main');
  if (next) document.querySelector('main').replaceWith(document.adoptNode(next));
  document.title = doc.title;
}
