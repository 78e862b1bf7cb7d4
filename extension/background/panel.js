// Open panels, each on a port: in Firefox, runtime.sendMessage from the background does not
// reach extension frames inside web pages; a port does in both browsers.
const panels = new Set();

/** Takes a panel's port from an extension page only: panels hear org hosts and sync errors,
 *  which a content script (a web page's URL) must not. */
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
