//! `PanelView` for panel.js: wraps [`crate::ui::panel::Panel`].

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::convert::{from_js, to_js};
use crate::crm::CrmError;
use crate::panel_model::PanelModel;
use crate::profiles::Profile;
use crate::ui::panel::{Action, Panel};

#[wasm_bindgen]
pub struct PanelView(Panel);

#[wasm_bindgen]
impl PanelView {
    /// `translate(key, substitutions)` returns the localised string (the extension passes
    /// `i18n.getMessage`); `onAction(action)` receives the user's requests.
    #[wasm_bindgen(constructor)]
    pub fn new(
        root: Element,
        translate: js_sys::Function,
        on_action: js_sys::Function,
    ) -> Result<PanelView, JsValue> {
        let lookup = move |key: &str, substitutions: &[&str]| {
            let subs: js_sys::Array = substitutions.iter().map(|s| JsValue::from_str(s)).collect();
            translate
                .call2(&JsValue::NULL, &JsValue::from_str(key), &subs)
                .ok()
                .and_then(|v| v.as_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| key.to_string())
        };
        let report = move |action: Action| {
            if let Ok(value) = to_js(&action) {
                let _ = on_action.call1(&JsValue::NULL, &value);
            }
        };
        Ok(PanelView(Panel::new(
            root,
            Box::new(lookup),
            Rc::new(report),
        )?))
    }

    #[wasm_bindgen(js_name = showLoading)]
    pub fn show_loading(&self) -> Result<(), JsValue> {
        self.0.show_loading()
    }

    pub fn show(&self, model: JsValue) -> Result<(), JsValue> {
        let model: PanelModel = from_js(model)?;
        self.0.show(&model)
    }

    #[wasm_bindgen(js_name = showSearchResults)]
    pub fn show_search_results(&self, profiles: JsValue) -> Result<(), JsValue> {
        let profiles: Vec<Profile> = from_js(profiles)?;
        self.0.show_search_results(&profiles)
    }

    #[wasm_bindgen(js_name = showError)]
    pub fn show_error(&self, error: JsValue) -> Result<(), JsValue> {
        let error: CrmError = from_js(error)?;
        self.0.show_error(&error)
    }
}
