// axe-core, run inside a frame of the extension's UI.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Serious and critical violations in a frame (or only in the elements `selector` finds there,
 * shadow trees included), as "rule: target" lines.
 */
export async function seriousViolations(frame, selector = null) {
  // Evaluated through the driver, so the page's CSP does not apply to axe itself.
  await frame.evaluate(AXE);
  const results = await frame.evaluate((s) =>
    globalThis.axe.run(s ? { include: [s] } : document, { resultTypes: ['violations'] }), selector);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}
