// ESLint for the JavaScript that remains: the extension's ports and shells, and the tests.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/**', 'target/**', '**/node_modules/**', 'extension/vendor/**', 'fuzz/**', 'emulator/**'] },
  js.configs.recommended,
  {
    files: ['extension/**/*.js'],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.serviceworker, ...globals.webextensions },
    },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  // Content scripts are classic scripts sharing globals (see extension/types/globals.d.ts).
  {
    files: ['extension/content/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { crmsyncPageDom: 'readonly', crmsyncSelectors: 'writable', crmsyncPanelFrame: 'writable', crmsyncLifecycle: 'writable', crmsyncBadge: 'writable' },
    },
  },
  {
    files: ['tests/**/*.mjs', 'tests/**/*.js', 'eslint.config.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node, ...globals.browser, chrome: 'readonly', browser: 'readonly' } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
];
