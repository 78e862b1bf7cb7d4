// The WebExtension API object: Firefox's promise-based `browser`, else Chrome's `chrome`
// (which returns promises in Manifest V3 too).
export const api = globalThis.browser ?? globalThis.chrome;
