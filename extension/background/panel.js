// Open panels, each connected by a port: runtime.sendMessage from the background does not
// reach extension frames inside web pages in Firefox, a port does in both browsers. What a
// panel shows is the Rust core's answer (src/background/panel.rs).
const panels = new Set();

/**
 * Takes a panel's port if an extension page opened it (a panel frame's URL is the extension's,
 * `extensionOrigin`); a content script's port (its URL is the web page's) is closed: panels
 * hear org hosts and sync errors, which a web page must not.
 */
export function acceptPanel(port, extensionOrigin) {
  if (!port.sender?.url?.startsWith(extensionOrigin)) return port.disconnect();
  panels.add(port);
  port.onDisconnect.addListener(() => panels.delete(port));
  port.postMessage(/** @type {import('../pkg/crmsync.js').Event} */ ({ type: 'panelConnected' }));
}

/** Tells every open panel, in every tab. */
export function broadcast(event) {
  for (const port of panels) {
    try {
      port.postMessage(event);
    } catch {
      panels.delete(port);
    }
  }
}
