// Keeps a wasm module usable after it traps. A Rust panic is a trap under panic = "abort"
// (`WebAssembly.RuntimeError: unreachable`): the module's memory is then in no known state
// and its async tasks never run again, so every later call would fail until the browser
// restarts the worker. The guard notices the trap (thrown at a call, or reported to the global
// scope when it happens in one of the module's own tasks), fails the calls it was running,
// makes a fresh instance (wasm-bindgen's `__wbg_reset_state`) and rebuilds what the caller
// keeps over it. Stored data is IndexedDB's, so nothing is lost. No rule lives here.

/** Whether `err` is a trap of a wasm module (not a JavaScript error it passed on). */
export const isTrap = (err) => err instanceof WebAssembly.RuntimeError;

/**
 * @template T
 * @param {{
 *   initial: Promise<T>,
 *   reset: () => void,
 *   rebuild: () => T,
 *   onTrap?: (err: unknown) => void,
 *   scope?: EventTarget,
 * }} options `initial` is the first instance's `T` (e.g. the background core); after a trap
 *   `reset()` makes a fresh module and `rebuild()` its `T`; `onTrap` hears each trap once.
 */
export function guardWasm({ initial, reset, rebuild, onTrap = () => {}, scope = globalThis }) {
  let current = initial;
  const handled = new WeakSet();
  let trapped = tripwire();

  /** Restarts the module once per trap, however many places report it. */
  const recover = (err) => {
    if (!isTrap(err) || handled.has(err)) return isTrap(err);
    handled.add(err);
    trapped.trip(err);
    trapped = tripwire();
    reset();
    current = Promise.resolve().then(rebuild);
    onTrap(err);
    return true;
  };
  scope.addEventListener('error', (event) => {
    if (recover(/** @type {ErrorEvent} */ (event).error)) event.preventDefault();
  });
  scope.addEventListener('unhandledrejection', (event) => {
    if (recover(/** @type {PromiseRejectionEvent} */ (event).reason)) event.preventDefault();
  });

  return {
    /**
     * Runs `call` on the live instance. If the module traps meanwhile, the call rejects with
     * the trap (its own promise would never settle) and the next call runs on a fresh one.
     * @template R
     * @param {(value: T) => R | Promise<R>} call
     * @returns {Promise<R>}
     */
    async run(call) {
      const { tripped } = trapped;
      try {
        return await Promise.race([current.then(call), tripped]);
      } catch (err) {
        recover(err);
        throw err;
      }
    },
    /** Reports a trap the caller caught itself (a synchronous call into the module). */
    recover,
  };
}

/** A promise that rejects when tripped (and never otherwise). */
function tripwire() {
  let trip = (_err) => {};
  /** @type {Promise<never>} */
  const tripped = new Promise((_, reject) => { trip = reject; });
  tripped.catch(() => {}); // nobody may be racing it when it trips
  return { tripped, trip };
}

/** Shows `text` once at the top of an extension page, as text (a `role=status` line). */
export function showNotice(doc, text) {
  let notice = doc.querySelector('[data-crmsync-notice]');
  if (!notice) {
    notice = doc.createElement('p');
    notice.setAttribute('role', 'status');
    notice.dataset.crmsyncNotice = '';
    doc.body.prepend(notice);
  }
  notice.textContent = text;
}
