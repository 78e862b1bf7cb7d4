//! `PanelView` for panel.js: wraps [`crate::ui::panel::live::Live`], the panel as it runs in
//! its frame.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::convert::translator;
use crate::ui::panel::live::Live;

#[wasm_bindgen]
pub struct PanelView(Rc<Live>);

#[wasm_bindgen]
impl PanelView {
    /// `translate(key, substitutions)` returns the localised string (the extension passes
    /// `i18n.getMessage`); `send(message)` returns a promise of the background's answer
    /// (null when none came); `tellHost(state)` tells the page's content script what its
    /// badge shows; `badges` is where a profile page's "In …" badges go.
    #[wasm_bindgen(constructor)]
    pub fn new(
        root: Element,
        badges: Element,
        translate: js_sys::Function,
        send: js_sys::Function,
        tell_host: js_sys::Function,
    ) -> Result<PanelView, JsValue> {
        Live::new(root, badges, translator(translate), send, tell_host).map(PanelView)
    }

    /// Shows the page at `url` (`quiet`: without "Loading" first).
    pub fn load(&self, url: String, quiet: bool) {
        self.0.load(url, quiet)
    }

    /// An event of the background on the panel port.
    pub fn heard(&self, event: JsValue) {
        self.0.heard(event)
    }

    /// The panel port closed (the browser stopped the background).
    #[wasm_bindgen(js_name = backgroundStopped)]
    pub fn background_stopped(&self) {
        self.0.background_stopped()
    }
}
