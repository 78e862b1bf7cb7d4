// The vendored idb module (copied into dist/ by the build) has its declarations in node_modules.
export * from '../../../node_modules/idb/build/index.js';
