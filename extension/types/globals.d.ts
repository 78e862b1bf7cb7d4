// What the extension's JavaScript uses that is not declared by the core's generated types.
// The WebExtension API is taken as untyped: the checks are about the core's shapes.
declare var chrome: any;
declare var browser: any;
// Content scripts are classic scripts sharing these globals (content/*.js).
declare var crmsyncSelectors: any;
declare var crmsyncPanelFrame: any;
declare var crmsyncPage: any;
declare var crmsyncBadge: any;
