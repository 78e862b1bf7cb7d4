// Reads an import summary's skipped line the way the options page does, typed by the
// declarations generated from the Rust core. `cargo xtask test` checks it passes.
/** @param {import('../../target/ts/pkg/crmsync.js').Skipped} skipped */
export function firstLineOf(skipped) {
  return skipped.reason.kind === 'duplicate' ? skipped.reason.firstLine : null;
}
