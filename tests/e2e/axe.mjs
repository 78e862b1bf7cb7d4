// axe-core, run inside a frame of the extension's UI.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical violations in a frame, as "rule: target" lines. */
export async function seriousViolations(frame) {
  // Evaluated through the driver, so the page's CSP does not apply to axe itself.
  await frame.evaluate(AXE);
  const results = await frame.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}
