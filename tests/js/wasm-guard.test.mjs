// The trap guard (extension/wasm-guard.js) as the background and the pages use it: a wasm
// trap fails the calls it interrupted, gets a fresh instance once, and the next call works.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { guardWasm, isTrap } from '../../extension/wasm-guard.js';

const trap = () => new WebAssembly.RuntimeError('unreachable');

/** A module whose instances are numbered; `reset` counts fresh instances. */
function fakeModule() {
  const scope = new EventTarget();
  const log = { resets: 0, traps: 0 };
  let instance = 1;
  const guard = guardWasm({
    initial: Promise.resolve({ instance }),
    reset: () => { log.resets += 1; instance += 1; },
    rebuild: () => ({ instance }),
    onTrap: () => { log.traps += 1; },
    scope,
  });
  /** The module's own task traps (wasm-bindgen-futures runs it from a microtask). */
  const trapInTask = () => {
    const event = new Event('error', { cancelable: true });
    Object.assign(event, { error: trap() });
    scope.dispatchEvent(event);
    return event;
  };
  return { guard, log, trapInTask };
}

describe('wasm trap guard', () => {
  it('a call that traps rejects with the trap, and the next call runs on a fresh instance', async () => {
    const { guard, log } = fakeModule();
    await assert.rejects(guard.run(() => { throw trap(); }), isTrap);
    assert.deepEqual(await guard.run((core) => core), { instance: 2 });
    assert.deepEqual(log, { resets: 1, traps: 1 });
  });

  it('a trap in a task fails every call it left hanging, once, and nothing after it', async () => {
    const { guard, log, trapInTask } = fakeModule();
    const hanging = [guard.run(() => new Promise(() => {})), guard.run(() => new Promise(() => {}))];
    await Promise.resolve();
    const event = trapInTask();
    assert.equal(event.defaultPrevented, true, 'reported as handled, not as an uncaught error');
    for (const call of hanging) await assert.rejects(call, isTrap);
    assert.deepEqual(log, { resets: 1, traps: 1 }, 'one restart for one trap');
    assert.deepEqual(await guard.run((core) => core), { instance: 2 });
  });

  it('survives trap after trap, and leaves JavaScript errors alone', async () => {
    const { guard, log, trapInTask } = fakeModule();
    for (let n = 0; n < 300; n += 1) trapInTask();
    assert.deepEqual(await guard.run((core) => core), { instance: 301 });
    await assert.rejects(guard.run(() => { throw new TypeError('not a trap'); }), TypeError);
    assert.deepEqual(log, { resets: 300, traps: 300 });
  });
});
