// What the extension's JavaScript uses that is not declared by the core's generated types.
// The WebExtension API is taken as untyped: the checks are about the core's shapes.
declare var chrome: any;
declare var browser: any;
// Content scripts are classic scripts sharing these globals (content/*.js).
// The core's DOM selectors (src/page_dom.rs), written by the build as content/page-dom.js.
declare var crmsyncPageDom: import('./pkg/crmsync.js').PageDom;
declare var crmsyncSelectors: any;
declare var crmsyncPanelFrame: any;
declare var crmsyncPage: any;
declare var crmsyncBadge: any;
