// The bug that reached users ("the same profile as line undefined"): JS reading a field the
// core does not send. `cargo xtask test` checks that the type check REFUSES this file, so a
// field renamed on one side of the boundary fails CI.
/** @param {import('../../target/ts/pkg/crmsync.js').Skipped} skipped */
export function firstLineOf(skipped) {
  return skipped.reason.kind === 'duplicate' ? skipped.reason.first_line : null;
}
