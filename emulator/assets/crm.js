// The page script of the emulated CRMs, doing what their frameworks do to the DOM the
// extension reads:
// - client-side navigation: links marked data-spa change the URL with history.pushState and
//   render the next page without a load. Lightning keeps the view of the record it leaves in
//   the page, hidden (its .oneContent loses .active), and shows the next one after it; a view
//   already kept is shown again. Other pages swap <main>.
// - a Save button renders the record's header again, from the server, as a new element.
// - a grid's viewport, scrolled, reuses its row elements for the records scrolled to: their
//   row-index, link and text rewritten in place, as virtualised grids do.
const KEPT_VIEWS = 3;
const GRID_ROW_PX = 32;

document.addEventListener('click', async (event) => {
  const save = event.target.closest('[data-emulator-save]');
  if (save) {
    await renderAgain(save.closest('[data-emulator-rerender]'));
    return;
  }
  const link = event.target.closest('a[data-spa]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
  event.preventDefault();
  history.pushState({}, '', link.href);
  await render(link.href);
});

window.addEventListener('popstate', () => render(location.href));

async function fetchPage(href) {
  const response = await fetch(href, { credentials: 'same-origin' });
  return new DOMParser().parseFromString(await response.text(), 'text/html');
}

async function render(href) {
  const doc = await fetchPage(href);
  const next = doc.querySelector('main');
  const stage = document.querySelector('main .oneCenterStage');
  const nextView = next?.querySelector('.oneCenterStage > .oneContent');
  if (stage && nextView) showView(stage, nextView, href);
  else if (next) document.querySelector('main').replaceWith(document.adoptNode(next));
  document.title = doc.title;
  startGrids();
}

/** Lightning's standard navigation: the view left stays, hidden; the kept view of `href` or the new one shows. */
function showView(stage, view, href) {
  const path = new URL(href).pathname;
  stage.querySelector('.oneContent.active')?.classList.remove('active');
  const kept = [...stage.children].find((v) => v.dataset.emulatorPath === path);
  if (kept) {
    kept.classList.add('active');
    return;
  }
  view.dataset.emulatorPath = path;
  stage.append(document.adoptNode(view));
  const hidden = [...stage.querySelectorAll('.oneContent:not(.active)')];
  for (const old of hidden.slice(0, Math.max(0, hidden.length - KEPT_VIEWS))) old.remove();
}

/** Renders `part` again from the server: the same markup, a new element. */
async function renderAgain(part) {
  if (!part) return;
  const key = part.dataset.emulatorRerender;
  const doc = await fetchPage(location.href);
  const fresh = [...doc.querySelectorAll('[data-emulator-rerender]')].find((p) => p.dataset.emulatorRerender === key);
  if (fresh) part.replaceWith(document.adoptNode(fresh));
}

/** Each grid on the page reuses its row elements as its viewport scrolls. */
function startGrids() {
  for (const viewport of document.querySelectorAll('.ag-body-viewport:not([data-emulator-grid])')) {
    viewport.dataset.emulatorGrid = 'on';
    const data = JSON.parse(document.getElementById('grid-rows')?.textContent ?? '[]');
    viewport.querySelector('.ag-body-spacer').style.height = `${data.length * GRID_ROW_PX}px`;
    viewport.addEventListener('scroll', () => showRows(viewport, data));
  }
}

function showRows(viewport, data) {
  const centre = [...viewport.querySelectorAll('.ag-center-cols-container > [role=row]')];
  const pinned = [...viewport.querySelectorAll('.ag-pinned-left-cols-container > [role=row]')];
  const first = Math.max(0, Math.min(Math.floor(viewport.scrollTop / GRID_ROW_PX), data.length - centre.length));
  if (String(first) === centre[0]?.getAttribute('row-index')) return;
  for (const container of viewport.querySelectorAll('.ag-pinned-left-cols-container, .ag-center-cols-viewport')) {
    container.style.transform = `translateY(${first * GRID_ROW_PX}px)`;
  }
  centre.forEach((row, k) => {
    const record = data[first + k];
    for (const el of [row, pinned[k]]) {
      el?.setAttribute('row-index', String(first + k));
      el?.setAttribute('aria-rowindex', String(first + k + 2));
    }
    const link = row.querySelector('a');
    link.setAttribute('href', record.href);
    link.textContent = record.name;
    row.querySelector('[col-id=emailaddress1]').textContent = record.email;
  });
}

/** The view a page loads with is kept under its own path too. */
function keepFirstView() {
  const view = document.querySelector('main .oneCenterStage > .oneContent.active');
  if (view) view.dataset.emulatorPath = location.pathname;
}

keepFirstView();
startGrids();
