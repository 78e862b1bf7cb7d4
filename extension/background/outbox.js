// Placeholder until the outbox lands on its own branch (it replaces this file): resolving an
// item calls wake() so queued items are sent without waiting for the next retry.
export function wake() {}
