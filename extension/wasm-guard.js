// Keeps a wasm module usable after it traps. Under panic = "abort" a Rust panic is a trap
// (`WebAssembly.RuntimeError: unreachable`) that leaves the module's memory in no known state
// and its async tasks dead. The guard notices the trap (thrown at a call, or reported to the
// global scope from one of the module's own tasks), fails the calls it was running and makes a
// fresh instance (wasm-bindgen's `__wbg_reset_state`). Stored data is IndexedDB's: nothing is lost.

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
