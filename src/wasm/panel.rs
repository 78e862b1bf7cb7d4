//! `PanelView` for panel.js: wraps [`crate::ui::panel::Panel`].

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::convert::{from_js, to_js, translator};
use crate::activity_model::{ActivityModel, Entry};
use serde::de::IgnoredAny;

use crate::answer::{Answer, Code, Problem};
use crate::panel_model::{PanelModel, ProfilePanel};
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
        let report = move |action: Action| {
            if let Ok(value) = to_js(&action) {
                let _ = on_action.call1(&JsValue::NULL, &value);
            }
        };
        Ok(PanelView(Panel::new(
            root,
            translator(translate),
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

    /// The `getPanel` answer in `profile` mode (a network profile page).
    #[wasm_bindgen(js_name = showProfile)]
    pub fn show_profile(&self, model: JsValue) -> Result<(), JsValue> {
        let model: ProfilePanel = from_js(model)?;
        self.0.show_profile(&model)
    }

    /// The `getActivity` answer's `ok`.
    #[wasm_bindgen(js_name = showActivity)]
    pub fn show_activity(&self, model: JsValue) -> Result<(), JsValue> {
        self.0.show_activity(from_js::<ActivityModel>(model)?)
    }

    /// The `logItem` answer's `ok` (the stored item).
    #[wasm_bindgen(js_name = activitySaved)]
    pub fn activity_saved(&self, item: JsValue) -> Result<(), JsValue> {
        self.0.activity_saved(from_js::<Entry>(item)?)
    }

    /// A `logItem` or `retryItem` answer that is not `{ok}` (the core words it), or none.
    #[wasm_bindgen(js_name = activityFailed)]
    pub fn activity_failed(&self, answer: JsValue) -> Result<(), JsValue> {
        self.0.activity_failed(&problem_of(answer))
    }

    /// An item's new state (the `retryItem` answer's `ok`).
    #[wasm_bindgen(js_name = activityItem)]
    pub fn activity_item(&self, item: JsValue) -> Result<(), JsValue> {
        self.0.activity_item(from_js::<Entry>(item)?)
    }

    #[wasm_bindgen(js_name = showSearchResults)]
    pub fn show_search_results(&self, profiles: JsValue) -> Result<(), JsValue> {
        let profiles: Vec<Profile> = from_js(profiles)?;
        self.0.show_search_results(&profiles)
    }

    /// A `getPanel` answer that is not `{ok}`, or none.
    #[wasm_bindgen(js_name = showError)]
    pub fn show_error(&self, answer: JsValue) -> Result<(), JsValue> {
        self.0.show_error(&problem_of(answer))
    }
}

/// The problem in a failed answer; anything else is no answer.
fn problem_of(answer: JsValue) -> Problem {
    match from_js::<Answer<IgnoredAny>>(answer) {
        Ok(Answer::Error(problem)) => problem,
        _ => Problem::new(Code::NoAnswer),
    }
}
