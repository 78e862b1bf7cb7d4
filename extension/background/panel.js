// Open panels, each connected by a port: runtime.sendMessage from the background does not
// reach extension frames inside web pages in Firefox, a port does in both browsers. What a
// panel shows is the Rust core's answer (src/background/panel.rs).
const panels = new Set();

export function acceptPanel(port) {
  panels.add(port);
  port.onDisconnect.addListener(() => panels.delete(port));
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
