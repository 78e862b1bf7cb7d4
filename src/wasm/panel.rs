//! `PanelView` for panel.js: wraps [`crate::ui::panel::Panel`].

use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::convert::from_js;
use crate::crm::{CrmError, RecordSummary};
use crate::ui::panel::Panel;

#[wasm_bindgen]
pub struct PanelView(Panel);

#[wasm_bindgen]
impl PanelView {
    /// `translate(key)` returns the localised string (the extension passes `chrome.i18n.getMessage`).
    #[wasm_bindgen(constructor)]
    pub fn new(root: Element, translate: js_sys::Function) -> Result<PanelView, JsValue> {
        let lookup = move |key: &str| {
            translate
                .call1(&JsValue::NULL, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| key.to_string())
        };
        Ok(PanelView(Panel::new(root, Box::new(lookup))?))
    }

    #[wasm_bindgen(js_name = showLoading)]
    pub fn show_loading(&self) -> Result<(), JsValue> {
        self.0.show_loading()
    }

    #[wasm_bindgen(js_name = showRecord)]
    pub fn show_record(&self, record: JsValue) -> Result<(), JsValue> {
        let record: RecordSummary = from_js(record)?;
        self.0.show_record(&record)
    }

    #[wasm_bindgen(js_name = showError)]
    pub fn show_error(&self, error: JsValue) -> Result<(), JsValue> {
        let error: CrmError = from_js(error)?;
        self.0.show_error(&error)
    }
}
